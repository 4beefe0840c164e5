// SPDX-License-Identifier: MIT
// A driver written with no gpuown in it, one bug per function, each a bug
// gpuown's layers find in the reference driver. Its names reach the checkers
// only from profile.h (gpuown-check --profile).
#include <string.h>

#include "my_drv.h"

/* Allocation status ignored. */
void make_ignored(struct my_vm *vm, const struct my_bo_args *args)
{
	struct my_bo *bo;

	my_bo_create(vm, args, &bo);
}

/* Used after its destroy. */
void use_after_destroy(struct my_bo *bo)
{
	uint32_t v = 1;

	my_bo_destroy(bo);
	my_bo_write(bo, 0, &v, sizeof(v));
}

/* Written by the CPU while the firmware owns it. */
void write_after_hand_over(struct my_bo *bo)
{
	uint32_t *p = my_bo_vaddr(bo);

	p[0] = 1;
	my_bo_hand_to_fw(bo, NULL);
	p[1] = 2;
}

/* Destroyed while the firmware owns it. */
void destroy_while_fw_owned(struct my_bo *bo)
{
	my_bo_hand_to_fw(bo, NULL);
	my_bo_destroy(bo);
}

/* A raw GPU address stored into a descriptor's pointer field. */
void raw_pointer_store(struct my_bo *job, struct my_bo *cb)
{
	struct my_job_desc *d = my_bo_vaddr(job);

	d->magic = 0x4a4f42;
	d->cmdbuf.va = my_bo_gpu_addr(cb);
}

/* A CPU pointer stored where a GPU address belongs. */
void cpu_pointer_store(struct my_bo *job, struct my_bo *cb)
{
	struct my_job_desc *d = my_bo_vaddr(job);
	void *cpu = my_bo_vaddr(cb);

	d->cmdbuf.va = (uint64_t)(uintptr_t)cpu;
}

/* The write pointer published before the entry is ordered. */
void ring_submit(struct my_ring *r, struct my_bo *job)
{
	my_desc_set_ptr(r->slots, r->wptr * 8ul, job);
	my_ring_set_wptr(r->slots, r->wptr + 1);
}

/* Looked up without taking the reference its callers drop. */
struct my_ctx *my_ctx_fetch(struct my_dev *dev, uint32_t handle)
{
	struct my_ctx *ctx;

	for (ctx = dev->ctxs; ctx; ctx = ctx->next)
		if (ctx->handle == handle)
			return ctx;
	return NULL;
}

/* Run after its reference was dropped. */
int run_after_drop(struct my_dev *dev, uint32_t handle)
{
	struct my_ctx *ctx;

	ctx = my_ctx_fetch(dev, handle);
	if (!ctx)
		return -1;
	my_ctx_drop(ctx);
	return my_ctx_run(ctx);
}
