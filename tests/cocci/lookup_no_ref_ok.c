// Lookups that take a reference, callers that put it last: silent.
#include <stdint.h>
#include <stddef.h>

struct ctx {
	unsigned refs;
	uint32_t handle;
	struct ctx *next;
};

struct job {
	unsigned refcount;
	uint64_t handle;
	struct job *next;
};

struct dev {
	struct ctx *slots[32];
	struct job *jobs;
};

struct ctx *ctx_get(struct ctx *ctx);
void ctx_put(struct ctx *ctx);
int ctx_submit(struct ctx *ctx);

struct ctx *ctx_lookup(struct dev *dev, uint32_t handle)
{
	int i;

	if (!handle)
		return NULL;
	for (i = 0; i < 32; i++) {
		struct ctx *ctx = dev->slots[i];

		if (ctx && ctx->handle == handle)
			return ctx_get(ctx);
	}
	return NULL;
}

struct job *job_lookup(struct dev *dev, uint64_t handle)
{
	struct job *job;

	for (job = dev->jobs; job; job = job->next) {
		if (job->handle == handle) {
			job->refcount++;
			return job;
		}
	}
	return NULL;
}

/* Not a pointer-returning lookup: a status. */
int ctx_lookup_status(struct dev *dev, uint32_t handle)
{
	int ret = handle ? 0 : -1;

	return ret;
}

int submit(struct dev *dev, uint32_t handle)
{
	struct ctx *ctx;
	int ret;

	ctx = ctx_lookup(dev, handle);
	if (!ctx)
		return -1;
	ret = ctx_submit(ctx);
	ctx_put(ctx);
	return ret;
}

struct holder {
	struct ctx *ctx;
};

struct ctx *pass_on(struct dev *dev, uint32_t handle)
{
	struct ctx *ctx;

	ctx = ctx_lookup(dev, handle);
	if (!ctx)
		return NULL;
	ctx_submit(ctx);
	return ctx;
}

int keep(struct dev *dev, struct holder *h, uint32_t handle)
{
	struct ctx *ctx;

	ctx = ctx_lookup(dev, handle);
	if (ctx == NULL)
		return -1;
	h->ctx = ctx;
	return 0;
}

/*
 * A kernel ioctl's optional out-sync object: looked up only when asked for,
 * put on the shared exit path under a test of the handle itself (panfrost's
 * submit shape). The path that skips the put is the one where none was taken.
 */
struct sync_obj;
struct sync_obj *sync_obj_find(struct dev *dev, uint32_t handle);
void sync_obj_put(struct sync_obj *s);
int submit_work(struct dev *dev);

int submit_with_out_sync(struct dev *dev, uint32_t out_sync)
{
	struct sync_obj *sync_out = NULL;
	int ret;

	if (out_sync > 0) {
		sync_out = sync_obj_find(dev, out_sync);
		if (!sync_out)
			return -19;
	}
	ret = submit_work(dev);
	if (ret)
		goto out_put;
	ret = submit_work(dev);
out_put:
	if (sync_out)
		sync_obj_put(sync_out);
	return ret;
}
// SPDX-License-Identifier: MIT
