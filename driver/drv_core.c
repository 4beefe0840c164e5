// SPDX-License-Identifier: MIT
/*
 * Device probe and teardown, the driver's object helpers, the control ring and
 * event processing.
 *
 * Ring publication, everywhere: write the entry (a tracked GPU pointer store),
 * a write barrier, then the write pointer, then the doorbell. The firmware
 * reads the write pointer with acquire semantics, so it never sees a slot
 * before its contents.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gpuown/object.h>
#include <gpuown_fw/simgpu.h>
#ifdef SIMGPU_HAVE_GPUSAN
#include <gpuown/gpusan.h>
#endif

#include "drv_priv.h"

#define DRV_DEFAULT_VRAM (64u << 20)
#define DRV_DEFAULT_MAX_BUFFER (64u << 10)

/* A refused transition in the driver is a driver bug: say so, loudly. */
void drv_warn(struct simgpu_dev *dev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	dev->stats.warnings++;
	/* One line in one call: also one printk in the kernel build. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "simgpu %s: WARNING: %s\n", dev->ops->name, msg);
}

/* ------------------------------------------------------------------------
 * Object helpers: the only places the driver allocates and frees GPU objects.
 */
int drv_obj_alloc(struct simgpu_dev *dev, enum drv_layout layout,
		  enum gpuown_map_mode mode, size_t size,
		  struct gpuown_obj **out __gpuown_alloc_out)
{
	struct gpuown_alloc_args args = {
		.mode = mode,
		.size = size,
		.layout = dev->ops->layout[layout],
		.flags = GPUOWN_ALLOC_ZERO,
	};

	return gpuown_obj_alloc(dev->mm, &args, out);
}

int drv_buf_alloc(struct simgpu_dev *dev, size_t size, const char *name,
		  struct gpuown_obj **out __gpuown_alloc_out)
{
	struct gpuown_alloc_args args = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = size,
		.align = GPUOWN_GPU_PAGE_SIZE,
		.flags = GPUOWN_ALLOC_ZERO,
		.name = name,
	};

	return gpuown_obj_alloc(dev->mm, &args, out);
}

/*
 * Free a CPU-owned object. Memory of the firmware-cached window stays in
 * quarantine until the next firmware cache flush; count it so the driver asks
 * for one before the quarantine grows without bound.
 */
void drv_obj_free(struct simgpu_dev *dev, struct gpuown_obj *obj __gpuown_frees)
{
	const char *name;
	int ret;

	if (!obj)
		return;
	name = gpuown_obj_name(obj); /* not after the free */
	ret = gpuown_obj_free(obj);
	if (ret)
		drv_warn(dev, "free of %s refused (%d)", name, ret);
	dev->garbage++;
}

/* Allocate a shared struct; ring states get their capacity before sharing. */
int drv_shared_alloc(struct simgpu_dev *dev, enum drv_layout layout,
		     uint32_t nr_slots,
		     struct gpuown_obj **out __gpuown_alloc_out __gpuown_shares)
{
	struct gpuown_obj *obj;
	int ret;

	ret = drv_obj_alloc(dev, layout, GPUOWN_MAP_FW_SHARED, 0, &obj);
	if (ret)
		return ret;
	if (layout == DRV_L_RING_STATE)
		ret = dev->ops->init_ring_state(obj, nr_slots);
	else if (layout == DRV_L_EVRING_STATE)
		ret = dev->ops->init_evring_state(obj, nr_slots);
	ret = ret ?: gpuown_obj_share(obj);
	if (ret) {
		drv_obj_free(dev, obj);
		return ret;
	}
	*out = obj;
	return 0;
}

/* The firmware has let go of @obj (it was told, or it is halted). */
void drv_shared_free(struct simgpu_dev *dev,
		     struct gpuown_obj *obj __gpuown_detaches __gpuown_frees)
{
	int ret;

	if (!obj)
		return;
	ret = gpuown_obj_detach(obj);
	if (ret)
		drv_warn(dev, "detach of %s refused (%d)", gpuown_obj_name(obj),
			 ret);
	drv_obj_free(dev, obj);
}

/* Reclaim a firmware-owned object once @done is reached, then free it. */
void drv_obj_reclaim_free(struct simgpu_dev *dev,
			  struct gpuown_obj *obj __gpuown_reclaims
				  __gpuown_frees,
			  const struct gpuown_fence *done __gpuown_completes)
{
	int ret;

	if (!obj)
		return;
	ret = gpuown_obj_reclaim(obj, done);
	if (ret) {
		/* Still firmware-owned: leaking beats a use-after-free. */
		drv_warn(dev, "reclaim of %s refused (%d)",
			 gpuown_obj_name(obj), ret);
		return;
	}
	drv_obj_free(dev, obj);
}

/* ------------------------------------------------------------------------
 * Waiting for the firmware
 */
int drv_wait_irq(struct simgpu_dev *dev, uint64_t seen)
{
	int ret;

	pthread_mutex_unlock(&dev->lock);
	ret = simgpu_hw_wait_irq(dev->hw, seen, 100);
	pthread_mutex_lock(&dev->lock);
	return ret;
}

static uint64_t drv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int drv_wait(struct simgpu_dev *dev, bool (*cond)(struct simgpu_dev *, void *),
	     void *arg, unsigned timeout_ms)
{
	uint64_t deadline = drv_now_ms() + timeout_ms;
	uint64_t seen;

	/* A wait that times out although the firmware is alive and well. */
	if (gpuown_fault_should_fail(GPUOWN_FAULT_FENCE_WAIT,
				     __builtin_return_address(0)))
		return -ETIMEDOUT;
	for (;;) {
		seen = simgpu_hw_irq_count(dev->hw);
		drv_process(dev);
		if (cond(dev, arg))
			return 0;
		if (drv_now_ms() >= deadline)
			return -ETIMEDOUT;
		drv_wait_irq(dev, seen);
	}
}

/* ------------------------------------------------------------------------
 * The control ring
 */
static bool drv_ctrl_has_room(struct simgpu_dev *dev, void *arg)
{
	return dev->nr_ctrl_pending < dev->ops->ctrl_slots - 1;
}

static int drv_ctrl_build(struct simgpu_dev *dev, struct drv_ctrl *c,
			  struct simgpu_ctx *ctx, uint32_t arg)
{
	struct drv_ctrl_args a = {
		.type = c->type,
		.seq = c->seq,
		.slot = ctx ? ctx->slot : 0,
		.arg = arg,
	};
	int ret;

	ret = drv_obj_alloc(dev, DRV_L_CTRL_MSG, GPUOWN_MAP_FW_PRIVATE, 0,
			    &c->msg);
	if (ret)
		return ret;
	if (c->type == DRV_MSG_CACHE_FLUSH ||
	    c->type == DRV_MSG_TLB_INVALIDATE) {
		ret = drv_obj_alloc(dev, DRV_L_FLUSH_REQ, GPUOWN_MAP_FW_PRIVATE,
				    0, &c->flush);
		ret = ret
			      ?: dev->ops->build_flush_req(
					 c->flush,
					 c->type == DRV_MSG_TLB_INVALIDATE,
					 ctx ? ctx->asid : 0);
		ret = ret ?: gpuown_obj_publish(c->flush, &c->done);
		if (ret)
			return ret;
		a.flush = c->flush;
	}
	if (c->type == DRV_MSG_CREATE_CONTEXT)
		a.ctx_desc = ctx->desc;
	ret = dev->ops->build_ctrl_msg(c->msg, &a);
	return ret ?: gpuown_obj_publish(c->msg, &c->done);
}

/* Post one control message; its completion is stamp slot 0 reaching seq. */
int drv_ctrl_send(struct simgpu_dev *dev, enum drv_msg type,
		  struct simgpu_ctx *ctx, uint32_t arg)
{
	struct drv_ctrl *c;
	int ret;

	ret = drv_wait(dev, drv_ctrl_has_room, NULL, DRV_FW_TIMEOUT_MS);
	if (ret)
		return ret;
	/* The firmware refusing the message, as it does for a bad request. */
	if (gpuown_fault_should_fail(GPUOWN_FAULT_FW_MSG,
				     __builtin_return_address(0)))
		return -EIO;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->type = type;
	c->seq = dev->ctrl_seq + 1;
	c->done = gpuown_fence_make(dev->stamps, (uint32_t)dev->ops->stamp0,
				    c->seq, "control message done");
	ret = drv_ctrl_build(dev, c, ctx, arg);
	if (ret)
		goto err_free;

	c->ring_idx = dev->ctrl_wptr;
	ret = gpuown_store_gpu_ptr(
		dev->ctrl_ring, dev->ops->ctrl_ring_slot0 + c->ring_idx * 8ul,
		c->msg);
	if (ret)
		goto err_clear;
	atomic_thread_fence(memory_order_release); /* entry before wptr */
	dev->ctrl_wptr = (dev->ctrl_wptr + 1) % dev->ops->ctrl_slots;
	gpuown_shared_store32(dev->ctrl_state, dev->ops->ring_wptr,
			      dev->ctrl_wptr);
	simgpu_hw_ring_doorbell(dev->hw);

	dev->ctrl_seq = c->seq;
	c->ctx = ctx ? drv_ctx_get(ctx) : NULL;
	TAILQ_INSERT_TAIL(&dev->ctrl_pending, c, link);
	dev->nr_ctrl_pending++;
	dev->stats.ctrl_msgs++;
	return 0;

err_clear:
	/* Leave the slot empty whatever the store managed to do. */
	gpuown_clear_ptr(dev->ctrl_ring,
			 dev->ops->ctrl_ring_slot0 + c->ring_idx * 8ul);
err_free:
	/* Nothing reached the ring: whatever was published is ours again. */
	if (c->msg && gpuown_obj_state(c->msg) == GPUOWN_STATE_FW)
		gpuown_obj_reclaim(c->msg, NULL);
	if (c->flush && gpuown_obj_state(c->flush) == GPUOWN_STATE_FW)
		gpuown_obj_reclaim(c->flush, NULL);
	drv_obj_free(dev, c->msg);
	drv_obj_free(dev, c->flush);
	free(c);
	return ret;
}

static void drv_ctrl_retire_one(struct simgpu_dev *dev, struct drv_ctrl *c)
{
	TAILQ_REMOVE(&dev->ctrl_pending, c, link);
	dev->nr_ctrl_pending--;
	gpuown_clear_ptr(dev->ctrl_ring,
			 dev->ops->ctrl_ring_slot0 + c->ring_idx * 8ul);
	drv_obj_reclaim_free(dev, c->msg, &c->done);
	drv_obj_reclaim_free(dev, c->flush, &c->done);

	switch (c->type) {
	case DRV_MSG_DESTROY_CONTEXT:
		drv_ctx_destroyed(c->ctx);
		break;
	case DRV_MSG_CACHE_FLUSH:
		/* Everything freed from the cached window so far is now gone
		 * from the firmware's cache, this message included. */
		gpuown_mm_fw_cache_flushed(dev->mm);
		dev->flush_pending = false;
		dev->stats.cache_flushes++;
		break;
	case DRV_MSG_TLB_INVALIDATE:
		drv_ctx_tlb_invalidated(c->ctx);
		dev->stats.tlb_invalidates++;
		break;
	default:
		break;
	}
	if (c->ctx)
		simgpu_ctx_put(c->ctx);
	free(c);
}

static void drv_ctrl_retire(struct simgpu_dev *dev)
{
	struct drv_ctrl *c;

	while ((c = TAILQ_FIRST(&dev->ctrl_pending)) &&
	       gpuown_fence_reached(&c->done))
		drv_ctrl_retire_one(dev, c);
}

/*
 * Ask for a firmware cache flush once enough firmware-cached memory waits in
 * quarantine. Nobody waits for this request, so a failure to post it is
 * recorded rather than lost: the freed memory stays counted, so the next
 * pass asks again; the log says so once; and the next simgpu_wait_idle(),
 * which promises the firmware has done what the driver asked of it, returns
 * the error (as the kernel reports a failed writeback at the next fsync).
 */
void drv_flush_if_needed(struct simgpu_dev *dev)
{
	int ret;

	if (dev->garbage < DRV_FLUSH_THRESHOLD || dev->flush_pending)
		return;
	/* Pending while posting: waiting for room processes events. */
	dev->flush_pending = true;
	ret = drv_ctrl_send(dev, DRV_MSG_CACHE_FLUSH, NULL, 0);
	if (!ret) {
		dev->garbage = 0;
		return;
	}
	dev->flush_pending = false;
	if (!dev->flush_err)
		drv_warn(dev, "cache flush request failed (%d), will retry",
			 ret);
	dev->flush_err = ret;
}

/* ------------------------------------------------------------------------
 * Events and the firmware log
 */
static void drv_handle_event(struct simgpu_dev *dev, const struct drv_event *ev)
{
	switch (ev->kind) {
	case DRV_EVT_FAULT:
		dev->stats.fault_events++;
		drv_job_fault(dev, ev);
		break;
	case DRV_EVT_UNKNOWN:
		drv_warn(dev, "unknown firmware event (slot %u seq %u)",
			 ev->slot, ev->seq);
		break;
	default:
		/* Completions are decided by stamps, acks by stamp slot 0;
		 * the other events only wake the driver up. */
		break;
	}
}

void drv_process_events(struct simgpu_dev *dev)
{
	struct drv_event ev;
	uint32_t wptr, n = dev->ops->event_slots;
	bool consumed = false;

	if (gpuown_shared_load32(dev->event_state, dev->ops->evring_wptr,
				 &wptr))
		return;
	while (dev->event_rptr != wptr % n) {
		if (dev->ops->read_event(dev, dev->event_rptr, &ev))
			break;
		drv_handle_event(dev, &ev);
		dev->event_rptr = (dev->event_rptr + 1) % n;
		consumed = true;
	}
	if (!consumed)
		return;
	gpuown_shared_store32(dev->event_state, dev->ops->evring_rptr,
			      dev->event_rptr);
	/* The firmware may be waiting for room in the event ring. */
	simgpu_hw_ring_doorbell(dev->hw);
}

static void drv_process_log(struct simgpu_dev *dev)
{
	uint32_t wptr, n = dev->ops->log_slots;

	if (gpuown_shared_load32(dev->log_state, dev->ops->evring_wptr,
				 &wptr) ||
	    wptr % n == dev->log_rptr)
		return;
	dev->stats.log_lines += (wptr % n + n - dev->log_rptr) % n;
	dev->log_rptr = wptr % n;
	gpuown_shared_store32(dev->log_state, dev->ops->evring_rptr,
			      dev->log_rptr);
}

void drv_process(struct simgpu_dev *dev)
{
	uint32_t slot;

	drv_process_events(dev);
	drv_process_log(dev);
	drv_ctrl_retire(dev);
	for (slot = 0; slot < DRV_MAX_SLOTS; slot++) {
		if (dev->slots[slot])
			drv_ctx_retire(dev->slots[slot]);
	}
	drv_flush_if_needed(dev);
}

/* ------------------------------------------------------------------------
 * Probe and remove
 */
static void drv_iface_destroy(struct simgpu_dev *dev)
{
	if (dev->init_data) {
		/* The firmware is halted: its hold on the init data is over. */
		if (gpuown_obj_state(dev->init_data) == GPUOWN_STATE_FW)
			drv_obj_reclaim_free(dev, dev->init_data, NULL);
		else
			drv_obj_free(dev, dev->init_data);
		dev->init_data = NULL;
	}
	drv_shared_free(dev, dev->log_ring);
	drv_shared_free(dev, dev->log_state);
	drv_shared_free(dev, dev->ctx_table);
	drv_shared_free(dev, dev->stamps);
	drv_shared_free(dev, dev->event_ring);
	drv_shared_free(dev, dev->event_state);
	drv_shared_free(dev, dev->ctrl_ring);
	drv_shared_free(dev, dev->ctrl_state);
	dev->log_ring = dev->log_state = dev->ctx_table = dev->stamps = NULL;
	dev->event_ring = dev->event_state = dev->ctrl_ring = NULL;
	dev->ctrl_state = NULL;
}

/* Allocate the rings, stamps and tables, then the init data that points at
 * them; publish the init data last, once every pointee is shared. */
static int drv_iface_create(struct simgpu_dev *dev)
{
	const struct drv_variant_ops *ops = dev->ops;
	int ret;

	ret = drv_shared_alloc(dev, DRV_L_RING_STATE, ops->ctrl_slots,
			       &dev->ctrl_state);
	ret = ret ?: drv_shared_alloc(dev, DRV_L_CTRL_RING, 0, &dev->ctrl_ring);
	ret = ret
		      ?: drv_shared_alloc(dev, DRV_L_EVRING_STATE,
					  ops->event_slots, &dev->event_state);
	ret = ret
		      ?: drv_shared_alloc(dev, DRV_L_EVENT_RING, 0,
					  &dev->event_ring);
	ret = ret ?: drv_shared_alloc(dev, DRV_L_STAMP_AREA, 0, &dev->stamps);
	ret = ret
		      ?: drv_shared_alloc(dev, DRV_L_CONTEXT_TABLE, 0,
					  &dev->ctx_table);
	ret = ret
		      ?: drv_shared_alloc(dev, DRV_L_EVRING_STATE,
					  ops->log_slots, &dev->log_state);
	ret = ret ?: drv_shared_alloc(dev, DRV_L_LOG_RING, 0, &dev->log_ring);
	if (ret)
		goto err;
	ret = drv_obj_alloc(dev, DRV_L_INIT_DATA, GPUOWN_MAP_FW_PRIVATE, 0,
			    &dev->init_data);
	if (ret)
		goto err;
	ret = ops->build_init_data(dev);
	ret = ret ?: gpuown_obj_publish(dev->init_data, NULL);
	if (ret)
		goto err;
	return 0;
err:
	drv_iface_destroy(dev);
	return ret;
}

static bool drv_ctrl_idle(struct simgpu_dev *dev, void *arg)
{
	return TAILQ_EMPTY(&dev->ctrl_pending);
}

/* Boot the firmware and wait for it to acknowledge a first message. */
static int drv_boot(struct simgpu_dev *dev)
{
	int ret;

	ret = simgpu_hw_boot(dev->hw, dev->ops->name,
			     gpuown_obj_fw_addr(dev->init_data));
	if (ret)
		return ret;
	ret = drv_ctrl_send(dev, DRV_MSG_NOP, NULL, 0);
	ret = ret ?: drv_wait(dev, drv_ctrl_idle, NULL, DRV_FW_TIMEOUT_MS);
	if (ret)
		simgpu_hw_halt(dev->hw);
	return ret;
}

#ifdef SIMGPU_HAVE_GPUSAN
/*
 * The buffer-object helpers above are wrapper frames for gpusan: its reports
 * name the driver line that called a helper, not the helper's own call.
 */
static int drv_gpusan_wrappers(void)
{
	static const char *const helpers[] = {
		"drv_obj_alloc",    "drv_buf_alloc",   "drv_obj_free",
		"drv_shared_alloc", "drv_shared_free", "drv_obj_reclaim_free",
	};
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < sizeof(helpers) / sizeof(helpers[0]); i++)
		ret = gpusan_add_wrapper(helpers[i]);
	return ret;
}
#endif

static int drv_mm_create(struct simgpu_dev *dev,
			 const struct simgpu_probe_args *a)
{
	struct gpuown_mm_config cfg = {
		.backing_bytes =
			a->vram_bytes ? a->vram_bytes : DRV_DEFAULT_VRAM,
	};
	int ret;

	ret = gpuown_mm_create(&cfg, &dev->mm);
	if (ret || !a->gpusan)
		return ret;
#ifdef SIMGPU_HAVE_GPUSAN
	ret = drv_gpusan_wrappers();
	ret = ret ?: gpusan_attach(dev->mm);
	dev->gpusan = !ret;
#else
	ret = -EOPNOTSUPP;
#endif
	if (ret) {
		gpuown_mm_destroy(dev->mm);
		dev->mm = NULL;
	}
	return ret;
}

static void drv_mm_destroy(struct simgpu_dev *dev, size_t *live)
{
#ifdef SIMGPU_HAVE_GPUSAN
	if (dev->gpusan)
		gpusan_detach(dev->mm);
#endif
	*live = gpuown_mm_destroy(dev->mm);
}

int simgpu_probe(const struct simgpu_probe_args *a, struct simgpu_dev **out)
{
	const struct gpuown_variant_desc *variant;
	struct simgpu_dev *dev;
	size_t live;
	int i, ret;

	ret = gpuown_variant_select(&simgpu_variant_table, a->gen, a->fw,
				    &variant, a->err, a->err_len);
	if (ret)
		return ret;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->variant = variant;
	dev->variant_index = simgpu_variant_index(variant);
	dev->ops = drv_variant_ops(dev->variant_index);
	if (!dev->ops || dev->ops->max_contexts > DRV_MAX_SLOTS) {
		ret = -ENOENT;
		goto err_free;
	}
	dev->max_buffer_size = a->max_buffer_size ? a->max_buffer_size
						  : DRV_DEFAULT_MAX_BUFFER;
	pthread_mutex_init(&dev->lock, NULL);
	TAILQ_INIT(&dev->ctrl_pending);
	for (i = 0; i < DRV_JOB_BUCKETS; i++)
		LIST_INIT(&dev->jobs[i]);

	ret = drv_mm_create(dev, a);
	if (ret)
		goto err_lock;
	ret = simgpu_hw_create(dev->mm, &dev->hw);
	if (ret)
		goto err_mm;
	ret = drv_iface_create(dev);
	if (ret)
		goto err_hw;
	pthread_mutex_lock(&dev->lock);
	ret = drv_boot(dev);
	pthread_mutex_unlock(&dev->lock);
	if (ret)
		goto err_iface;
	*out = dev;
	return 0;

err_iface:
	/* A message may still sit in the control ring: drop it first. */
	while (!TAILQ_EMPTY(&dev->ctrl_pending)) {
		struct drv_ctrl *c = TAILQ_FIRST(&dev->ctrl_pending);

		TAILQ_REMOVE(&dev->ctrl_pending, c, link);
		gpuown_clear_ptr(dev->ctrl_ring,
				 dev->ops->ctrl_ring_slot0 + c->ring_idx * 8ul);
		if (gpuown_obj_reclaim(c->msg, NULL) == 0)
			drv_obj_free(dev, c->msg);
		free(c);
	}
	drv_iface_destroy(dev);
	gpuown_mm_fw_cache_flushed(dev->mm);
err_hw:
	simgpu_hw_destroy(dev->hw);
err_mm:
	drv_mm_destroy(dev, &live);
err_lock:
	pthread_mutex_destroy(&dev->lock);
err_free:
	free(dev);
	return ret;
}

static bool drv_all_destroyed(struct simgpu_dev *dev, void *arg)
{
	uint32_t slot;

	for (slot = 0; slot < DRV_MAX_SLOTS; slot++) {
		if (dev->slots[slot])
			return false;
	}
	return TAILQ_EMPTY(&dev->ctrl_pending);
}

/* Destroy every context, drop every user handle, flush the firmware cache. */
static void drv_destroy_all(struct simgpu_dev *dev)
{
	uint32_t slot;

	for (slot = 0; slot < DRV_MAX_SLOTS; slot++) {
		struct simgpu_ctx *ctx = dev->slots[slot];

		if (!ctx)
			continue;
		if (drv_ctx_is_live(ctx))
			drv_ctx_request_destroy(ctx);
		else if (ctx->destroy_unsent)
			drv_ctx_send_destroy(ctx);
	}
}

/*
 * A request that could not be posted, or a wait that timed out, is tried
 * again: giving up would leave every object of those contexts behind.
 */
static void drv_quiesce(struct simgpu_dev *dev)
{
	int ret = 0, tries;

	for (tries = 0; tries < DRV_TEARDOWN_TRIES; tries++) {
		drv_destroy_all(dev);
		ret = drv_wait(dev, drv_all_destroyed, NULL, DRV_FW_TIMEOUT_MS);
		if (!ret)
			break;
		drv_warn(dev, "contexts not destroyed yet (%d), retrying", ret);
	}
	if (ret)
		drv_warn(dev, "firmware did not destroy every context (%d)",
			 ret);
	drv_jobs_release_all(dev);
	for (tries = 0; tries < DRV_TEARDOWN_TRIES; tries++) {
		if (!dev->flush_pending) {
			ret = drv_ctrl_send(dev, DRV_MSG_CACHE_FLUSH, NULL, 0);
			if (ret) {
				drv_warn(dev,
					 "final flush not posted (%d), "
					 "retrying",
					 ret);
				continue;
			}
			dev->flush_pending = true;
		}
		ret = drv_wait(dev, drv_ctrl_idle, NULL, DRV_FW_TIMEOUT_MS);
		if (!ret)
			break;
		drv_warn(dev, "final flush not acknowledged yet (%d), retrying",
			 ret);
	}
	if (ret)
		drv_warn(dev,
			 "firmware did not acknowledge the final flush (%d)",
			 ret);
}

size_t simgpu_remove(struct simgpu_dev *dev)
{
	return simgpu_remove_stats(dev, NULL);
}

size_t simgpu_remove_stats(struct simgpu_dev *dev, struct simgpu_stats *st)
{
	size_t live;

	pthread_mutex_lock(&dev->lock);
	drv_quiesce(dev);
	pthread_mutex_unlock(&dev->lock);
	if (st)
		simgpu_get_stats(dev, st);

	simgpu_hw_halt(dev->hw);
	/* A halted firmware caches nothing and holds nothing. */
	drv_iface_destroy(dev);
	gpuown_mm_fw_cache_flushed(dev->mm);
	simgpu_hw_destroy(dev->hw);
	drv_mm_destroy(dev, &live);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
	return live;
}

const char *simgpu_variant_name(const struct simgpu_dev *dev)
{
	return dev->ops->name;
}

bool simgpu_supports_op(const struct simgpu_dev *dev, enum simgpu_op op)
{
	switch (op) {
	case SIMGPU_OP_FILL:
	case SIMGPU_OP_COPY:
	case SIMGPU_OP_CHECKSUM:
		return true;
	case SIMGPU_OP_XOR:
		return dev->ops->has_xor;
	}
	return false;
}

static bool drv_idle(struct simgpu_dev *dev, void *arg)
{
	return dev->nr_jobs_inflight == 0 && TAILQ_EMPTY(&dev->ctrl_pending);
}

int simgpu_wait_idle(struct simgpu_dev *dev, unsigned timeout_ms)
{
	int ret;

	pthread_mutex_lock(&dev->lock);
	ret = drv_wait(dev, drv_idle, NULL, timeout_ms);
	/* A cache flush the driver could not ask for since the last call. */
	if (!ret && dev->flush_err) {
		ret = dev->flush_err;
		dev->flush_err = 0;
	}
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

void simgpu_get_stats(struct simgpu_dev *dev, struct simgpu_stats *st)
{
	struct simgpu_fw_stats fw;

	pthread_mutex_lock(&dev->lock);
	*st = dev->stats;
	pthread_mutex_unlock(&dev->lock);
	simgpu_hw_fw_stats(dev->hw, &fw);
	st->fw_accesses = fw.accesses;
	st->objects_alive = gpuown_mm_live_objects(dev->mm);
}

void simgpu_debug_hold_queues(struct simgpu_dev *dev, bool hold)
{
	simgpu_hw_hold_queues(dev->hw, hold);
}
