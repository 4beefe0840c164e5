// GPU addresses in GPU-pointer fields, CPU pointers in CPU structs: silent.
#include <stdint.h>
#include <gpuown/object.h>

GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_job {
	unsigned magic;
	gpu_ptr(fw_cmdbuf) cmdbuf;
};

struct sw_job {
	struct cmdbuf *cpu;
	uint64_t cookie;
};

struct cmdbuf {
	unsigned words[16];
};

int link(struct gpuown_obj *job_obj, struct gpuown_obj *cb_obj)
{
	return GPUOWN_STORE_PTR(job_obj, struct fw_job, cmdbuf, cb_obj);
}

void clear(struct fw_job *job)
{
	job->cmdbuf.va = (gpu_addr_t)0;
}

void remember(struct sw_job *sw, struct gpuown_obj *cb_obj)
{
	sw->cpu = gpuown_obj_cpu(cb_obj);
	sw->cookie = (uint64_t)(uintptr_t)sw->cpu;
}

uint64_t raw_va(const struct fw_job *job)
{
	return gpuown_gpu_addr_to_u64(job->cmdbuf.va);
}
// SPDX-License-Identifier: MIT
