// SPDX-License-Identifier: MIT
// The same driver without the bugs: every layer stays silent.
#include <stdatomic.h>
#include <string.h>

#include "my_drv.h"

int make_checked(struct my_vm *vm, const struct my_bo_args *args,
		 struct my_bo **out)
{
	int ret = my_bo_create(vm, args, out);

	if (ret)
		return ret;
	return 0;
}

void write_then_hand_over(struct my_bo *bo, struct my_fence *done)
{
	uint32_t *p = my_bo_vaddr(bo);

	p[0] = 1;
	p[1] = 2;
	if (my_bo_hand_to_fw(bo, done))
		return;
	if (my_bo_take_back(bo, done))
		return;
	my_bo_destroy(bo);
}

void ring_submit_ordered(struct my_ring *r, struct my_bo *job)
{
	my_desc_set_ptr(r->slots, r->wptr * 8ul, job);
	atomic_thread_fence(memory_order_release);
	my_ring_set_wptr(r->slots, r->wptr + 1);
}

struct my_ctx *my_ctx_fetch(struct my_dev *dev, uint32_t handle)
{
	struct my_ctx *ctx;

	for (ctx = dev->ctxs; ctx; ctx = ctx->next) {
		if (ctx->handle != handle)
			continue;
		my_ctx_hold(ctx);
		return ctx;
	}
	return NULL;
}

int run_then_drop(struct my_dev *dev, uint32_t handle)
{
	struct my_ctx *ctx;
	int ret;

	ctx = my_ctx_fetch(dev, handle);
	if (!ctx)
		return -1;
	ret = my_ctx_run(ctx);
	my_ctx_drop(ctx);
	return ret;
}
