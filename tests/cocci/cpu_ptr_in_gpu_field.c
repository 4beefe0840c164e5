// CPU pointers stored into GPU-pointer fields.
#include <stdint.h>
#include <gpuown/object.h>

GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_job {
	unsigned magic;
	gpu_ptr(fw_cmdbuf) cmdbuf;
};

struct cmdbuf {
	unsigned words[16];
};

void via_variable(struct gpuown_obj *job_obj, struct gpuown_obj *cb_obj)
{
	struct fw_job *job = gpuown_obj_cpu(job_obj);
	struct cmdbuf *cb = gpuown_obj_cpu(cb_obj);

	cb->words[0] = 1;
	job->cmdbuf.va = (gpu_addr_t)(uintptr_t)cb;
}

void direct(struct gpuown_obj *job_obj, struct gpuown_obj *cb_obj)
{
	struct fw_job *job = gpuown_obj_cpu(job_obj);

	job->cmdbuf.va = (gpu_addr_t)gpuown_obj_cpu(cb_obj);
}

/* Not patched: no object owns the CPU memory. */
void stack_buffer(struct fw_job *job)
{
	struct cmdbuf local;

	job->cmdbuf.va = gpuown_gpu_addr_from_u64((uintptr_t)&local);
}

void malloced(struct fw_job *job, struct cmdbuf *heap)
{
	job->cmdbuf.va = (gpu_addr_t)(uintptr_t)heap;
}
// SPDX-License-Identifier: MIT
