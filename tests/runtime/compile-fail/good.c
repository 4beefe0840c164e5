// SPDX-License-Identifier: MIT
/* The legal uses of typed GPU / firmware pointers: must compile cleanly. */
#include "common.h"

uint64_t ok(gpu_ptr(fw_cmdbuf) p, fw_ptr(fw_cmdbuf) f);
uint64_t ok(gpu_ptr(fw_cmdbuf) p, fw_ptr(fw_cmdbuf) f)
{
	gpu_ptr(fw_cmdbuf) q = GPU_PTR_NULL(fw_cmdbuf);
	fw_ptr(fw_cmdbuf) g = FW_PTR_NULL(fw_cmdbuf);
	gpu_weak_ptr(fw_job_desc) back = { 0 };

	if (gpu_ptr_is_null(q) && fw_ptr_is_null(g))
		q = p;
	g = f;
	(void)back;
	/* Raw values only through the runtime's conversion API. */
	return gpuown_gpu_addr_to_u64(q.va) + gpuown_fw_addr_to_u64(g.fa);
}
