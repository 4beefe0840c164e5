// Raw GPU / firmware addresses written into pointer fields.
#include <stddef.h>
#include <gpuown/object.h>

GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_job {
	unsigned magic;
	gpu_ptr(fw_cmdbuf) cmdbuf;
	fw_ptr(fw_cmdbuf) cmdbuf_fw;
};

void build(struct gpuown_obj *job_obj, struct gpuown_obj *cb)
{
	struct fw_job *job = gpuown_obj_cpu(job_obj);

	job->magic = 0x4a4f42;
	job->cmdbuf.va = gpuown_obj_gpu_va(cb);
	job->cmdbuf_fw.fa = gpuown_obj_fw_addr(cb);
}

int build_window(struct gpuown_obj *job_obj, struct gpuown_obj *cb)
{
	struct fw_job *job;
	int ret;

	ret = gpuown_cpu_begin(job_obj, GPUOWN_DIR_WRITE, (void **)&job);
	if (ret)
		return ret;
	job->cmdbuf.va = gpuown_obj_gpu_va(cb);
	gpuown_cpu_end(job_obj);
	return 0;
}

/* No owning object in sight: reported, not patched. */
void copy_ptr(struct fw_job *dst, const struct fw_job *src, uint64_t raw)
{
	dst->cmdbuf.va = src->cmdbuf.va;
	dst->cmdbuf.va = gpuown_gpu_addr_from_u64(raw);
}

void by_value(struct fw_job job, struct gpuown_obj *cb)
{
	job.cmdbuf.va = gpuown_obj_gpu_va(cb);
}
// SPDX-License-Identifier: MIT
