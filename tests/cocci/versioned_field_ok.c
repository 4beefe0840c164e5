// Versioned fields under their variant checks, unversioned ones anywhere.
#include <gpuown/object.h>

static int FW_FN(build_init)(struct gpuown_obj *d)
{
	FW_T(fw_init_data) *p;
	int ret;

	ret = gpuown_cpu_begin(d, GPUOWN_DIR_WRITE, (void **)&p);
	if (ret)
		return ret;
	p->magic_0 = FW_C(FW_INIT_MAGIC);
	p->log_level_4c = 1;
#if GPUOWN_V >= FW_V_V2_0
	p->boot_flags_50_0 = 0;
#if GPUOWN_G >= FW_G_G11
	p->unk_58 = 1;
#endif
#endif
#if GPUOWN_V < FW_V_V2_0
	p->nr_stamps_4 = 4;
#else
	p->boot_flags_50_0 |= 2;
	p->nr_stamps_4 = 8;
#endif
	gpuown_cpu_end(d);
	return 0;
}

static void FW_FN(clear_pad)(FW_T(fw_ctrl_msg) *m)
{
	m->type_0 = 0;
	m->pad_30[0] = 0; /* pad_30 is also an unversioned field elsewhere */
}
// SPDX-License-Identifier: MIT
