// SPDX-License-Identifier: MIT
#include <stddef.h>
#include <gpuown/object.h>

GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_job {
	uint32_t magic_0;
	gpu_ptr(fw_cmdbuf) cmdbuf_8;
};

/* The same work done through the API: nothing to report. */
static int build(struct gpuown_obj *job, struct gpuown_obj *cb, uint64_t *slot)
{
	struct fw_job *j;
	int ret;

	*slot = gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(job));
	ret = gpuown_cpu_begin(job, GPUOWN_DIR_WRITE, (void **)&j);
	if (ret)
		return ret;
	j->magic_0 = 1;
	gpuown_cpu_end(job);
	return GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf_8, cb);
}

/*
 * check-name: sparse sees the annotations: correct code stays silent
 * check-command: run-sparse $file
 */
