// SPDX-License-Identifier: MIT
/*
 * Contexts: one GPU address space (a gpuown VM programmed into the MMU under
 * the context's ASID) and one command queue (ring, ring state, channel state),
 * described to the firmware by a context descriptor in its context table.
 *
 * Lifecycle, checked by the object model at run time and by the analyzer from
 * the function annotations:
 *
 *   created --> live --> destroy_requested --> destroyed
 *   (alloc)   (CREATE    (DESTROY_CONTEXT     (firmware acknowledged: every
 *              sent)      sent; handle gone)   queued job is stamped, the
 *                                               descriptor may be reclaimed)
 *
 * Lookup convention: simgpu_ctx_lookup() returns a referenced live context or
 * NULL; every successful lookup is paired with simgpu_ctx_put().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_priv.h"

static GPUOWN_LIFECYCLE(context, "created -> live, live -> destroy_requested, "
				 "destroy_requested -> destroyed");

/* Buffer VAs of a context start here; one unbound guard page per slot. */
#define DRV_VA_BASE 0x100000000ull

static uint64_t drv_page_align(uint64_t v)
{
	return (v + GPUOWN_GPU_PAGE_SIZE - 1) &
	       ~(uint64_t)(GPUOWN_GPU_PAGE_SIZE - 1);
}

/* A query, not a requirement: gpuown_lc_require() reports when it fails. */
bool drv_ctx_is_live(const struct simgpu_ctx *ctx)
{
	return strcmp(gpuown_lc_state(&ctx->lc), "live") == 0;
}

struct simgpu_ctx *drv_ctx_get(struct simgpu_ctx *ctx)
{
	ctx->refs++;
	return ctx;
}

struct simgpu_ctx *simgpu_ctx_lookup(struct simgpu_dev *dev, uint32_t handle)
{
	uint32_t slot;

	if (!handle)
		return NULL;
	for (slot = 0; slot < DRV_MAX_SLOTS; slot++) {
		struct simgpu_ctx *ctx = dev->slots[slot];

		if (ctx && ctx->handle == handle)
			return drv_ctx_get(ctx);
	}
	return NULL;
}

void simgpu_ctx_put(struct simgpu_ctx *ctx)
{
	if (--ctx->refs)
		return;
	free(ctx->va_state);
	free(ctx);
}

/* ------------------------------------------------------------------------
 * The buffer VA window
 */
uint64_t drv_va_of(const struct simgpu_ctx *ctx, uint32_t slot)
{
	return ctx->va_base + (uint64_t)slot * ctx->va_slot_size;
}

static int drv_ctx_request_tlb(struct simgpu_ctx *ctx)
{
	uint32_t i;
	int ret;

	for (i = 0; i < ctx->nr_va; i++) {
		if (ctx->va_state[i] == DRV_VA_STALE)
			ctx->va_state[i] = DRV_VA_INVALIDATING;
	}
	ret = gpuown_fault_should_fail(GPUOWN_FAULT_INVALIDATE,
				       __builtin_return_address(0)) ?
		      -EIO :
		      drv_ctrl_send(ctx->dev, DRV_MSG_TLB_INVALIDATE, ctx,
				    ctx->asid);
	if (ret) {
		/* The slots stay stale; the next allocation asks again. */
		drv_warn(ctx->dev, "TLB invalidate request for slot %u failed "
			 "(%d), will retry", ctx->slot, ret);
		for (i = 0; i < ctx->nr_va; i++) {
			if (ctx->va_state[i] == DRV_VA_INVALIDATING)
				ctx->va_state[i] = DRV_VA_STALE;
		}
		return ret;
	}
	ctx->va_stale = 0;
	ctx->tlb_pending = true;
	return 0;
}

/* -EAGAIN: every slot waits for a TLB invalidate (now requested). */
int drv_va_alloc(struct simgpu_ctx *ctx, uint32_t *slot)
{
	uint32_t i;

	for (i = 0; i < ctx->nr_va; i++) {
		if (ctx->va_state[i] == DRV_VA_FREE) {
			ctx->va_state[i] = DRV_VA_BOUND;
			*slot = i;
			return 0;
		}
	}
	if (!ctx->tlb_pending && ctx->va_stale)
		drv_ctx_request_tlb(ctx);
	return -EAGAIN;
}

/* The slot was unbound: it may be reused once the GPU's TLB forgot it. */
void drv_va_release(struct simgpu_ctx *ctx, uint32_t slot)
{
	ctx->va_state[slot] = DRV_VA_STALE;
	ctx->va_stale++;
	if (!ctx->tlb_pending && ctx->va_stale >= ctx->nr_va / 4 &&
	    drv_ctx_is_live(ctx))
		drv_ctx_request_tlb(ctx);
}

void drv_ctx_tlb_invalidated(struct simgpu_ctx *ctx)
{
	uint32_t i;

	gpuown_vm_tlb_invalidated(ctx->vm);
	for (i = 0; i < ctx->nr_va; i++) {
		if (ctx->va_state[i] == DRV_VA_INVALIDATING)
			ctx->va_state[i] = DRV_VA_FREE;
	}
	ctx->tlb_pending = false;
}

/* ------------------------------------------------------------------------
 * Creation
 */
static int drv_ctx_alloc_objs(struct simgpu_ctx *ctx)
{
	struct simgpu_dev *dev = ctx->dev;
	int ret;

	ret = drv_shared_alloc(dev, DRV_L_CMD_RING, 0, &ctx->ring);
	ret = ret
		      ?: drv_shared_alloc(dev, DRV_L_RING_STATE,
					  dev->ops->ring_slots,
					  &ctx->ring_state);
	ret = ret
		      ?: drv_shared_alloc(dev, DRV_L_CHANNEL_STATE, 0,
					  &ctx->channel);
	ret = ret
		      ?: drv_obj_alloc(dev, DRV_L_VM_DESC,
				       GPUOWN_MAP_FW_PRIVATE, 0, &ctx->vm_desc);
	ret = ret
		      ?: drv_obj_alloc(dev, DRV_L_CONTEXT_DESC,
				       GPUOWN_MAP_FW_PRIVATE, 0, &ctx->desc);
	return ret;
}

/* Free what drv_ctx_alloc_objs() and publication left; firmware let go. */
static void drv_ctx_free_objs(struct simgpu_ctx *ctx)
{
	struct simgpu_dev *dev = ctx->dev;

	if (ctx->desc && gpuown_obj_state(ctx->desc) == GPUOWN_STATE_FW)
		drv_obj_reclaim_free(dev, ctx->desc, NULL);
	else
		drv_obj_free(dev, ctx->desc);
	if (ctx->vm_desc && gpuown_obj_state(ctx->vm_desc) == GPUOWN_STATE_FW)
		drv_obj_reclaim_free(dev, ctx->vm_desc, NULL);
	else
		drv_obj_free(dev, ctx->vm_desc);
	drv_shared_free(dev, ctx->channel);
	drv_shared_free(dev, ctx->ring_state);
	drv_shared_free(dev, ctx->ring);
	ctx->desc = ctx->vm_desc = ctx->channel = ctx->ring_state = ctx->ring =
		NULL;
}

static int drv_ctx_vm_create(struct simgpu_ctx *ctx)
{
	struct simgpu_dev *dev = ctx->dev;
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "ctx%u", ctx->handle);
	ret = gpuown_vm_create(dev->mm, name, &ctx->vm);
	if (ret)
		return ret;
	ret = simgpu_hw_mmu_set(dev->hw, ctx->asid, ctx->vm);
	if (ret) {
		gpuown_vm_destroy(ctx->vm);
		ctx->vm = NULL;
	}
	return ret;
}

static void drv_ctx_vm_destroy(struct simgpu_ctx *ctx)
{
	int ret;

	if (!ctx->vm)
		return;
	simgpu_hw_mmu_clear(ctx->dev->hw, ctx->asid);
	ret = gpuown_vm_destroy(ctx->vm);
	if (ret)
		drv_warn(ctx->dev, "VM of context %u still has bindings (%d)",
			 ctx->handle, ret);
	ctx->vm = NULL;
}

static struct simgpu_ctx *drv_ctx_new(struct simgpu_dev *dev, uint32_t slot,
				      uint32_t priority)
	__gpuown_lifecycle_init(context);

static struct simgpu_ctx *drv_ctx_new(struct simgpu_dev *dev, uint32_t slot,
				      uint32_t priority)
{
	struct simgpu_ctx *ctx;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->dev = dev;
	ctx->refs = 1;
	ctx->slot = slot;
	ctx->asid = slot + 1;
	ctx->priority = priority;
	ctx->handle = ++dev->next_ctx_handle;
	TAILQ_INIT(&ctx->inflight);
	ctx->va_base = DRV_VA_BASE;
	ctx->va_slot_size =
		drv_page_align(dev->max_buffer_size) + GPUOWN_GPU_PAGE_SIZE;
	ctx->nr_va = 2 * dev->ops->ring_slots + 32;
	ctx->va_state = calloc(ctx->nr_va, 1);
	if (!ctx->va_state ||
	    gpuown_lc_init(&ctx->lc, &gpuown_lifecycle_context, dev->mm, ctx)) {
		free(ctx->va_state);
		free(ctx);
		return NULL;
	}
	return ctx;
}

/* Describe the context to the firmware: descriptors, then the table slot. */
static int drv_ctx_register(struct simgpu_ctx *ctx)
{
	struct simgpu_dev *dev = ctx->dev;
	int ret;

	ret = dev->ops->build_vm_desc(ctx);
	ret = ret ?: dev->ops->build_ctx_desc(ctx);
	ret = ret ?: gpuown_obj_publish(ctx->vm_desc, NULL);
	ret = ret ?: gpuown_obj_publish(ctx->desc, NULL);
	ret = ret
		      ?: gpuown_store_gpu_ptr(dev->ctx_table,
					      dev->ops->ctx_table_slot0 +
						      ctx->slot * 8ul,
					      ctx->desc);
	return ret;
}

static int drv_slot_find(struct simgpu_dev *dev, uint32_t *slot)
{
	uint32_t i;

	for (i = 0; i < dev->ops->max_contexts; i++) {
		if (!dev->slots[i]) {
			*slot = i;
			return 0;
		}
	}
	return -ENOSPC;
}

static int drv_ctx_create_locked(struct simgpu_dev *dev, uint32_t priority,
				 uint32_t *handle)
{
	struct simgpu_ctx *ctx;
	uint32_t slot;
	int ret;

	ret = drv_slot_find(dev, &slot);
	if (ret)
		return ret;
	ctx = drv_ctx_new(dev, slot, priority);
	if (!ctx)
		return -ENOMEM;
	ret = drv_ctx_vm_create(ctx);
	if (ret)
		goto err_put;
	ret = drv_ctx_alloc_objs(ctx);
	ret = ret ?: drv_ctx_register(ctx);
	if (ret)
		goto err_objs;
	dev->slots[slot] = ctx;
	ret = drv_ctrl_send(dev, DRV_MSG_CREATE_CONTEXT, ctx, 0);
	if (ret)
		goto err_slot;
	gpuown_lc_transition(&ctx->lc, "live");
	if (dev->ops->has_priority && priority) {
		ret = drv_ctrl_send(dev, DRV_MSG_SET_PRIORITY, ctx, priority);
		if (ret) {
			/* The firmware has the context: it must destroy it. */
			drv_ctx_request_destroy(ctx);
			return ret;
		}
	}
	*handle = ctx->handle;
	return 0;

err_slot:
	dev->slots[slot] = NULL;
err_objs:
	gpuown_clear_ptr(dev->ctx_table,
			 dev->ops->ctx_table_slot0 + slot * 8ul);
	drv_ctx_free_objs(ctx);
	drv_ctx_vm_destroy(ctx);
err_put:
	simgpu_ctx_put(ctx);
	return ret;
}

int simgpu_ctx_create(struct simgpu_dev *dev, uint32_t priority,
		      uint32_t *handle)
{
	int ret;

	pthread_mutex_lock(&dev->lock);
	ret = drv_ctx_create_locked(dev, priority, handle);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* ------------------------------------------------------------------------
 * Destruction
 */
int drv_ctx_request_destroy(struct simgpu_ctx *ctx)
{
	int ret;

	ret = gpuown_lc_transition(&ctx->lc, "destroy_requested");
	if (ret)
		return ret;
	ctx->handle = 0; /* no lookup finds it any more */
	return drv_ctx_send_destroy(ctx);
}

/*
 * Post DESTROY_CONTEXT for a context whose destruction was requested. When
 * the message cannot be posted the context stays marked, and teardown posts
 * it again: a context nobody can look up any more must not be forgotten.
 */
int drv_ctx_send_destroy(struct simgpu_ctx *ctx)
{
	int ret;

	ret = drv_ctrl_send(ctx->dev, DRV_MSG_DESTROY_CONTEXT, ctx, 0);
	ctx->destroy_unsent = ret != 0;
	if (ret)
		drv_warn(ctx->dev, "cannot request destruction of slot %u (%d)",
			 ctx->slot, ret);
	return ret;
}

int simgpu_ctx_destroy(struct simgpu_dev *dev, uint32_t handle)
{
	struct simgpu_ctx *ctx;
	int ret;

	pthread_mutex_lock(&dev->lock);
	ctx = simgpu_ctx_lookup(dev, handle);
	if (!ctx) {
		pthread_mutex_unlock(&dev->lock);
		return -ENOENT;
	}
	ret = drv_ctx_request_destroy(ctx);
	simgpu_ctx_put(ctx);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/*
 * The firmware acknowledged DESTROY_CONTEXT: it stamped every queued job and
 * will not read the context's structs again, and the ASID's TLB entries went
 * with the context.
 */
void drv_ctx_destroyed(struct simgpu_ctx *ctx)
{
	struct simgpu_dev *dev = ctx->dev;

	drv_ctx_retire(ctx);
	if (ctx->nr_inflight)
		drv_warn(dev, "slot %u destroyed with %u jobs unstamped",
			 ctx->slot, ctx->nr_inflight);
	gpuown_lc_transition(&ctx->lc, "destroyed");
	gpuown_clear_ptr(dev->ctx_table,
			 dev->ops->ctx_table_slot0 + ctx->slot * 8ul);
	drv_ctx_free_objs(ctx);
	gpuown_vm_tlb_invalidated(ctx->vm);
	drv_ctx_vm_destroy(ctx);
	dev->slots[ctx->slot] = NULL;
	simgpu_ctx_put(ctx); /* the slot table's reference */
}
