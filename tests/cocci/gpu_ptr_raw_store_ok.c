// Pointer fields written through the tracked accessors: nothing to report.
#include <stddef.h>
#include <gpuown/object.h>

GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_job {
	unsigned magic;
	gpu_ptr(fw_cmdbuf) cmdbuf;
	gpu_weak_ptr(fw_job) prev;
};

struct mapping {
	gpu_addr_t va;
};

int build(struct gpuown_obj *job_obj, struct gpuown_obj *cb)
{
	struct fw_job *job = gpuown_obj_cpu(job_obj);
	int ret;

	job->magic = 0x4a4f42;
	job->prev.va = 0;
	ret = GPUOWN_STORE_PTR(job_obj, struct fw_job, cmdbuf, cb);
	if (ret)
		return ret;
	return gpuown_store_gpu_ptr(job_obj, offsetof(struct fw_job, cmdbuf), cb);
}

void clear(struct fw_job *job)
{
	job->cmdbuf.va = 0;
	job->cmdbuf = GPU_PTR_NULL(fw_cmdbuf);
}

/* A driver's own struct with a plain 'va' member is no GPU pointer field. */
void remember(struct mapping *m, struct gpuown_obj *obj)
{
	m->va = gpuown_obj_gpu_va(obj);
}

uint64_t read_back(const struct fw_job *job)
{
	return gpuown_gpu_addr_to_u64(job->cmdbuf.va);
}
// SPDX-License-Identifier: MIT
