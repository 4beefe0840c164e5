// SPDX-License-Identifier: MIT
/*
 * Jobs: submission, completion and reclaim.
 *
 * A job owns five GPU objects: its descriptor and command buffer (fw(read),
 * firmware-cached window), its result block (fw(write)), and its input and
 * output buffers, bound into the context's VM. Submission publishes all five
 * with the job's fence (its stamp slot reaching its stamp value), then puts
 * the descriptor's GPU address into the command ring. Retirement happens only
 * once that fence is reached: reclaim, unbind, free.
 *
 * Lookup convention: simgpu_job_lookup() returns a referenced job or NULL;
 * every successful lookup is paired with simgpu_job_put().
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "drv_priv.h"

static uint64_t drv_page_align(uint64_t v)
{
	return (v + GPUOWN_GPU_PAGE_SIZE - 1) &
	       ~(uint64_t)(GPUOWN_GPU_PAGE_SIZE - 1);
}

static struct drv_job_bucket *drv_job_bucket(struct simgpu_dev *dev,
					     uint64_t handle)
{
	return &dev->jobs[handle % DRV_JOB_BUCKETS];
}

struct simgpu_job *simgpu_job_lookup(struct simgpu_dev *dev, uint64_t handle)
{
	struct simgpu_job *job;

	LIST_FOREACH(job, drv_job_bucket(dev, handle), hash)
	{
		if (job->handle == handle) {
			job->refs++;
			return job;
		}
	}
	return NULL;
}

static void drv_job_free(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;

	/* Only the output buffer outlives retirement (for the user to read). */
	drv_obj_free(dev, job->out);
	free(job);
}

void simgpu_job_put(struct simgpu_job *job)
{
	if (--job->refs)
		return;
	drv_job_free(job);
}

/* ------------------------------------------------------------------------
 * Retirement
 */
static void drv_job_unbind(struct simgpu_job *job, uint64_t va,
			   uint32_t va_slot, struct gpuown_obj *buf, bool bound)
{
	struct simgpu_ctx *ctx = job->ctx;
	int ret;

	if (bound) {
		ret = gpuown_vm_unbind(ctx->vm, gpuown_gpu_addr_from_u64(va),
				       gpuown_obj_size(buf));
		if (ret)
			drv_warn(job->dev, "unbind of 0x%llx refused (%d)",
				 (unsigned long long)va, ret);
	}
	drv_va_release(ctx, va_slot);
}

static void drv_job_reclaim_result(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;
	int fault_status = job->status;

	if (gpuown_obj_reclaim(job->result, &job->done_fence)) {
		drv_warn(dev, "reclaim of job %llu result refused",
			 (unsigned long long)job->handle);
		return;
	}
	if (dev->ops->read_result(job))
		job->status = -EIO;
	/* A descriptor the firmware could not parse has no result written;
	 * the fault event already said what happened. */
	if (!job->status)
		job->status = fault_status;
	drv_obj_free(dev, job->result);
	job->result = NULL;
}

/*
 * SIMGPU_SUBMIT_BUG_FREE_CMDBUF_FIRST (drv.h), on purpose: the command buffer
 * is freed while the firmware-owned descriptor still points at it. The object
 * model refuses (dangling-gpu-pointer) and the buffer stays CPU-owned: true
 * when the caller must free it after the descriptor, as it should have.
 */
static bool drv_job_bug_free_cmdbuf(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;
	int ret;

	ret = gpuown_obj_reclaim(job->cmdbuf, &job->done_fence);
	if (ret)
		return false; /* the caller's reclaim warns */
	ret = gpuown_obj_free(job->cmdbuf);
	if (ret) {
		drv_warn(dev, "free of job %llu command buffer refused (%d)",
			 (unsigned long long)job->handle, ret);
		return true;
	}
	dev->garbage++;
	job->cmdbuf = NULL;
	return false;
}

/*
 * Takes @job off its context's in-flight list and drops the list's
 * reference: the caller's own reference, if any, is untouched.
 */
static void drv_job_retire(struct simgpu_job *job __gpuown_remove __gpuown_put)
{
	struct simgpu_ctx *ctx = job->ctx;
	struct simgpu_dev *dev = job->dev;
	bool cmdbuf_reclaimed = false;

	TAILQ_REMOVE(&ctx->inflight, job, link);
	ctx->nr_inflight--;
	dev->nr_jobs_inflight--;
	gpuown_clear_ptr(ctx->ring,
			 dev->ops->cmd_ring_slot0 + job->ring_idx * 8ul);

	/*
	 * The deliberate bug is hidden from the static analyzer, which would
	 * see its refused free and the free that follows as one object freed
	 * twice: checker.driver_clean keeps meaning "the driver has no
	 * finding", and the runtime layers are what the bug is for.
	 */
#ifndef __clang_analyzer__
	if (job->flags & SIMGPU_SUBMIT_BUG_FREE_CMDBUF_FIRST)
		cmdbuf_reclaimed = drv_job_bug_free_cmdbuf(job);
#endif
	/* The descriptor first: it points at the command buffer and result. */
	drv_obj_reclaim_free(dev, job->desc, &job->done_fence);
	if (cmdbuf_reclaimed)
		drv_obj_free(dev, job->cmdbuf);
	else
		drv_obj_reclaim_free(dev, job->cmdbuf, &job->done_fence);
	drv_job_reclaim_result(job);
	job->desc = job->cmdbuf = NULL;

	drv_job_unbind(job, job->in_va, job->in_va_slot, job->in, true);
	drv_obj_reclaim_free(dev, job->in, &job->done_fence);
	job->in = NULL;
	drv_job_unbind(job, job->out_va, job->out_va_slot, job->out,
		       !(job->flags & SIMGPU_SUBMIT_UNMAPPED_OUTPUT));
	if (gpuown_obj_reclaim(job->out, &job->done_fence))
		drv_warn(dev, "reclaim of job %llu output refused",
			 (unsigned long long)job->handle);

	job->done = true;
	job->inflight = false;
	dev->stats.jobs_retired++;
	if (job->status == -ECANCELED)
		dev->stats.jobs_cancelled++;
	else if (job->status)
		dev->stats.jobs_faulted++;
	simgpu_ctx_put(ctx);
	job->ctx = NULL;
	simgpu_job_put(job); /* the in-flight reference */
}

/*
 * The firmware posts a job's fault event before its completion stamp, so a
 * stamp seen here may belong to a fault the last pass over the event ring
 * did not see yet: drain the ring again before the first retirement.
 */
void drv_ctx_retire(struct simgpu_ctx *ctx)
{
	struct simgpu_job *job;
	bool drained = false;

	while ((job = TAILQ_FIRST(&ctx->inflight)) &&
	       gpuown_fence_reached(&job->done_fence)) {
		if (!drained) {
			drv_process_events(ctx->dev);
			drained = true;
		}
		drv_job_retire(job);
	}
}

/* A fault event names the job by sequence number, or by descriptor address
 * when the firmware could not parse the descriptor. */
void drv_job_fault(struct simgpu_dev *dev, const struct drv_event *ev)
{
	struct simgpu_ctx *ctx;
	struct simgpu_job *job;

	if (ev->slot >= DRV_MAX_SLOTS || !(ctx = dev->slots[ev->slot]))
		return;
	TAILQ_FOREACH(job, &ctx->inflight, link)
	{
		if ((ev->seq && job->seq == ev->seq) ||
		    gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(job->desc)) ==
			    ev->addr) {
			job->fault_addr = ev->addr;
			if (!job->status)
				job->status = ev->status ? ev->status : -EIO;
			return;
		}
	}
}

/* ------------------------------------------------------------------------
 * Submission
 */
static int drv_submit_check(struct simgpu_dev *dev,
			    const struct simgpu_submit *s)
{
	uint32_t i;

	if (!s->nr_cmds || s->nr_cmds > SIMGPU_MAX_CMDS ||
	    s->nr_cmds > dev->ops->cmdbuf_slots || !s->cmds)
		return -EINVAL;
	if ((s->input_size | s->output_size) % 4 || !s->output_size ||
	    s->input_size > dev->max_buffer_size ||
	    s->output_size > dev->max_buffer_size ||
	    (s->input_size && !s->input))
		return -EINVAL;
	for (i = 0; i < s->nr_cmds; i++) {
		if (!simgpu_supports_op(dev, s->cmds[i].op))
			return -EOPNOTSUPP;
	}
	return 0;
}

static bool drv_ring_has_room(struct simgpu_dev *dev, void *arg)
{
	struct simgpu_ctx *ctx = arg;

	return ctx->nr_inflight < dev->ops->ring_slots - 1;
}

struct drv_va_req {
	struct simgpu_ctx *ctx;
	uint32_t *slot;
	int ret;
};

static bool drv_va_ready(struct simgpu_dev *dev, void *arg)
{
	struct drv_va_req *r = arg;

	r->ret = drv_va_alloc(r->ctx, r->slot);
	return r->ret != -EAGAIN;
}

static int drv_job_va(struct simgpu_job *job, uint32_t *slot, uint64_t *va)
{
	struct drv_va_req r = {.ctx = job->ctx, .slot = slot};
	int ret;

	ret = drv_wait(job->dev, drv_va_ready, &r, DRV_FW_TIMEOUT_MS);
	if (ret)
		return ret;
	*va = drv_va_of(job->ctx, *slot);
	return r.ret;
}

/* Allocate the job's objects and fill what the CPU fills. */
static int drv_job_alloc(struct simgpu_job *job, const struct simgpu_submit *s)
{
	struct simgpu_dev *dev = job->dev;
	int ret;

	job->in_size = s->input_size;
	job->out_size = s->output_size;
	ret = drv_obj_alloc(dev, DRV_L_JOB_DESC, GPUOWN_MAP_FW_PRIVATE, 0,
			    &job->desc);
	ret = ret
		      ?: drv_obj_alloc(dev, DRV_L_CMDBUF, GPUOWN_MAP_FW_PRIVATE,
				       0, &job->cmdbuf);
	ret = ret
		      ?: drv_obj_alloc(dev, DRV_L_JOB_RESULT,
				       GPUOWN_MAP_FW_SHARED, 0, &job->result);
	ret = ret
		      ?: drv_buf_alloc(dev, drv_page_align(s->input_size ?: 4),
				       "job input", &job->in);
	ret = ret
		      ?: drv_buf_alloc(dev, drv_page_align(s->output_size),
				       "job output", &job->out);
	if (!ret && s->input_size)
		ret = gpuown_cpu_write(job->in, 0, s->input, s->input_size);
	return ret;
}

static int drv_job_bind(struct simgpu_job *job)
{
	struct gpuown_vm *vm = job->ctx->vm;
	int ret;

	ret = drv_job_va(job, &job->in_va_slot, &job->in_va);
	if (ret)
		return ret;
	ret = drv_job_va(job, &job->out_va_slot, &job->out_va);
	if (ret) {
		drv_va_release(job->ctx, job->in_va_slot);
		return ret;
	}
	ret = gpuown_vm_bind(vm, gpuown_gpu_addr_from_u64(job->in_va), job->in,
			     0, gpuown_obj_size(job->in),
			     GPUOWN_BIND_READ_ONLY);
	if (ret)
		goto err_va;
	if (job->flags & SIMGPU_SUBMIT_UNMAPPED_OUTPUT)
		return 0;
	ret = gpuown_vm_bind(vm, gpuown_gpu_addr_from_u64(job->out_va),
			     job->out, 0, gpuown_obj_size(job->out), 0);
	if (ret)
		goto err_unbind;
	return 0;

err_unbind:
	gpuown_vm_unbind(vm, gpuown_gpu_addr_from_u64(job->in_va),
			 gpuown_obj_size(job->in));
err_va:
	drv_va_release(job->ctx, job->in_va_slot);
	drv_va_release(job->ctx, job->out_va_slot);
	return ret;
}

/* Hand every object to the firmware; the descriptor last, once everything
 * it points at is firmware-owned. */
static int drv_job_publish(struct simgpu_job *job)
{
	const struct gpuown_fence *f = &job->done_fence;
	int ret;

	ret = gpuown_obj_publish(job->in, f);
	ret = ret ?: gpuown_obj_publish(job->out, f);
	ret = ret ?: gpuown_obj_publish(job->cmdbuf, f);
	ret = ret ?: gpuown_obj_publish(job->result, f);
	ret = ret ?: gpuown_obj_publish(job->desc, f);
	return ret;
}

/* Ring publication: entry, write barrier, write pointer, doorbell. */
static int drv_job_queue(struct simgpu_job *job)
{
	struct simgpu_ctx *ctx = job->ctx;
	struct simgpu_dev *dev = job->dev;
	size_t slot = dev->ops->cmd_ring_slot0 + ctx->wptr * 8ul;
	uint32_t wptr = (ctx->wptr + 1) % dev->ops->ring_slots;
	int ret;

	job->ring_idx = ctx->wptr;
	ret = gpuown_store_gpu_ptr(ctx->ring, slot, job->desc);
	if (ret)
		goto err_clear;
	atomic_thread_fence(memory_order_release);
	ret = gpuown_shared_store32(ctx->ring_state, dev->ops->ring_wptr, wptr);
	if (ret)
		goto err_clear;
	ctx->wptr = wptr;
	simgpu_hw_ring_doorbell(dev->hw);
	return 0;

err_clear:
	/* Not published: the slot must not keep pointing at the job. */
	gpuown_clear_ptr(ctx->ring, slot);
	return ret;
}

/* Undo a submission that never reached the ring: nothing is firmware-owned
 * for real, so take back whatever was published. */
static void drv_job_unwind(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;
	struct gpuown_obj **objs[] = {&job->desc, &job->cmdbuf, &job->result,
				      &job->in, &job->out};
	size_t i;

	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct gpuown_obj *o = *objs[i];

		if (o && gpuown_obj_state(o) == GPUOWN_STATE_FW)
			gpuown_obj_reclaim(o, NULL);
		drv_obj_free(dev, o);
		*objs[i] = NULL;
	}
}

static int drv_dep_resolve(struct simgpu_dev *dev, struct simgpu_job *job,
			   uint64_t dep)
{
	struct simgpu_job *d;

	if (!dep)
		return 0;
	d = simgpu_job_lookup(dev, dep);
	if (!d)
		return -ENOENT;
	/* A retired dependency needs no wait; its stamp is long written. */
	if (!d->done) {
		job->dep_slot = d->slot + 1;
		job->dep_value = d->stamp;
	}
	simgpu_job_put(d);
	return 0;
}

static int drv_submit_locked(struct simgpu_dev *dev,
			     const struct simgpu_submit *s,
			     struct simgpu_ctx *ctx, uint64_t *handle)
{
	struct simgpu_job *job;
	int ret;

	ret = drv_wait(dev, drv_ring_has_room, ctx, DRV_FW_TIMEOUT_MS);
	if (ret)
		return ret;
	job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->dev = dev;
	job->ctx = ctx;
	job->slot = ctx->slot;
	job->flags = s->flags;
	job->handle = ++dev->next_job_handle;
	job->seq = (uint32_t)job->handle ?: 1;
	ret = drv_dep_resolve(dev, job, s->dep);
	ret = ret ?: drv_job_alloc(job, s);
	ret = ret ?: drv_job_bind(job);
	if (ret)
		goto err_unwind;
	/* Stamp values of a slot are consecutive: take one only when nothing
	 * can fail any more before the ring. */
	job->stamp = dev->slot_stamp[job->slot + 1] + 1;
	/* Named, with its creation site, for reports that cite it. */
	job->done_fence = gpuown_fence_make(
		dev->stamps,
		(uint32_t)(dev->ops->stamp0 + (job->slot + 1) * 4ul),
		job->stamp, "job done");
	ret = dev->ops->build_job(job, s);
	ret = ret ?: drv_job_publish(job);
	ret = ret ?: drv_job_queue(job);
	if (ret)
		goto err_unbind;

	dev->slot_stamp[job->slot + 1] = job->stamp;
	job->refs = 2; /* the user's handle and the in-flight reference */
	job->inflight = true;
	drv_ctx_get(ctx);
	TAILQ_INSERT_TAIL(&ctx->inflight, job, link);
	ctx->nr_inflight++;
	dev->nr_jobs_inflight++;
	LIST_INSERT_HEAD(drv_job_bucket(dev, job->handle), job, hash);
	dev->stats.jobs_submitted++;
	*handle = job->handle;
	return 0;

err_unbind:
	gpuown_vm_unbind(ctx->vm, gpuown_gpu_addr_from_u64(job->in_va),
			 gpuown_obj_size(job->in));
	if (!(job->flags & SIMGPU_SUBMIT_UNMAPPED_OUTPUT))
		gpuown_vm_unbind(ctx->vm, gpuown_gpu_addr_from_u64(job->out_va),
				 gpuown_obj_size(job->out));
	drv_va_release(ctx, job->in_va_slot);
	drv_va_release(ctx, job->out_va_slot);
err_unwind:
	drv_job_unwind(job);
	free(job);
	return ret;
}

int simgpu_submit(struct simgpu_dev *dev, const struct simgpu_submit *s,
		  uint64_t *handle)
{
	struct simgpu_ctx *ctx;
	int ret;

	ret = drv_submit_check(dev, s);
	if (ret)
		return ret;
	pthread_mutex_lock(&dev->lock);
	ctx = simgpu_ctx_lookup(dev, s->ctx);
	if (!ctx) {
		pthread_mutex_unlock(&dev->lock);
		return -ENOENT;
	}
	ret = drv_submit_locked(dev, s, ctx, handle);
	simgpu_ctx_put(ctx);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* ------------------------------------------------------------------------
 * Waiting and results
 */
static bool drv_job_done(struct simgpu_dev *dev, void *arg)
{
	return ((struct simgpu_job *)arg)->done;
}

int simgpu_job_wait(struct simgpu_dev *dev, uint64_t handle,
		    unsigned timeout_ms)
{
	struct simgpu_job *job;
	int ret;

	pthread_mutex_lock(&dev->lock);
	job = simgpu_job_lookup(dev, handle);
	if (!job) {
		pthread_mutex_unlock(&dev->lock);
		return -ENOENT;
	}
	ret = drv_wait(dev, drv_job_done, job, timeout_ms);
	simgpu_job_put(job);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int simgpu_job_info(struct simgpu_dev *dev, uint64_t handle,
		    struct simgpu_job_info *info)
{
	struct simgpu_job *job;

	pthread_mutex_lock(&dev->lock);
	job = simgpu_job_lookup(dev, handle);
	if (!job) {
		pthread_mutex_unlock(&dev->lock);
		return -ENOENT;
	}
	memset(info, 0, sizeof(*info));
	info->done = job->done;
	if (job->done) {
		info->status = job->status;
		info->checksum = job->checksum;
		info->dep_seen = job->dep_seen;
		info->dep_value = job->dep_value;
		info->cmds_run = job->cmds_run;
		info->fault_addr = job->fault_addr;
		info->input_va = job->in_va;
		info->output_va = job->out_va;
	}
	simgpu_job_put(job);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

int simgpu_job_read_output(struct simgpu_dev *dev, uint64_t handle,
			   uint32_t off, void *dst, uint32_t len)
{
	struct simgpu_job *job;
	int ret;

	pthread_mutex_lock(&dev->lock);
	job = simgpu_job_lookup(dev, handle);
	if (!job) {
		pthread_mutex_unlock(&dev->lock);
		return -ENOENT;
	}
	if (!job->done)
		ret = -EBUSY;
	else if (off > job->out_size || len > job->out_size - off)
		ret = -EINVAL;
	else
		ret = gpuown_cpu_read(job->out, off, dst, len);
	simgpu_job_put(job);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* Takes @job out of the handle table and drops the table's reference. */
static void
drv_job_release_locked(struct simgpu_job *job __gpuown_remove __gpuown_put)
{
	LIST_REMOVE(job, hash);
	simgpu_job_put(job); /* the user's handle */
}

int simgpu_job_release(struct simgpu_dev *dev, uint64_t handle)
{
	struct simgpu_job *job;

	pthread_mutex_lock(&dev->lock);
	job = simgpu_job_lookup(dev, handle);
	if (!job) {
		pthread_mutex_unlock(&dev->lock);
		return -ENOENT;
	}
	drv_job_release_locked(job);
	simgpu_job_put(job);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

void drv_jobs_release_all(struct simgpu_dev *dev)
{
	struct simgpu_job *job;
	size_t i;

	for (i = 0; i < DRV_JOB_BUCKETS; i++) {
		while ((job = LIST_FIRST(&dev->jobs[i])))
			drv_job_release_locked(job);
	}
}
