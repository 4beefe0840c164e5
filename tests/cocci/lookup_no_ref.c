// Lookups that hand out unreferenced objects, and uses after the put.
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
};

struct dev {
	struct ctx *slots[32];
	struct ctx *list;
	struct job *jobs[64];
};

struct ctx *ctx_get(struct ctx *ctx);
void ctx_put(struct ctx *ctx);
int ctx_submit(struct ctx *ctx);

struct ctx *ctx_lookup(struct dev *dev, uint32_t handle)
{
	int i;

	for (i = 0; i < 32; i++) {
		struct ctx *ctx = dev->slots[i];

		if (ctx && ctx->handle == handle)
			return ctx;
	}
	return NULL;
}

/* A reference on one path only. */
struct ctx *ctx_find(struct dev *dev, uint32_t handle, int pin)
{
	struct ctx *ctx;

	for (ctx = dev->list; ctx; ctx = ctx->next) {
		if (ctx->handle != handle)
			continue;
		if (pin)
			ctx->refs++;
		return ctx;
	}
	return NULL;
}

int use_after_put(struct dev *dev, uint32_t handle)
{
	struct ctx *ctx;

	ctx = ctx_lookup(dev, handle);
	if (!ctx)
		return -1;
	ctx_put(ctx);
	return ctx_submit(ctx);
}

int leak_on_busy(struct dev *dev, uint32_t handle, int busy)
{
	struct ctx *ctx;

	ctx = ctx_lookup(dev, handle);
	if (!ctx)
		return -1;
	if (busy)
		return -2;
	ctx_submit(ctx);
	ctx_put(ctx);
	return 0;
}
// SPDX-License-Identifier: MIT
