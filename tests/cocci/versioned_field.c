// Versioned code (compiled once per variant) touching versioned fields
// outside their variant check.
#include <gpuown/object.h>

static int FW_FN(build_init)(struct gpuown_obj *d)
{
	FW_T(fw_init_data) *p;
	int ret;

	ret = gpuown_cpu_begin(d, GPUOWN_DIR_WRITE, (void **)&p);
	if (ret)
		return ret;
	p->magic_0 = FW_C(FW_INIT_MAGIC);
	p->boot_flags_50_0 = 0;
	p->unk_58 =
		FW_C(FW_MAX_CONTEXTS);
#if GPUOWN_G >= FW_G_G11
	p->unk_58 = 1; /* guarded on the wrong axis only */
#endif
	gpuown_cpu_end(d);
	return 0;
}

static uint32_t FW_FN(read_flags)(const FW_T(fw_init_data) *p)
{
	if (p->boot_flags_50_0)
		return 1;
	return 0;
}
// SPDX-License-Identifier: MIT
