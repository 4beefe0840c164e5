// SPDX-License-Identifier: MIT
/*
 * The access hook: every firmware, GPU and checked CPU access is checked
 * against the shadow without a lock (the fast table of <gpuown/san.h>); only a
 * failed check takes the context lock, asks the core's field-level rules
 * (gs_refine), classifies (gs_classify) and reports.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>

#include "gpusan_int.h"

#define B(s) (1u << (s))

static void gs_report_access(struct gs_ctx *ctx,
			     const struct gpuown_access *acc,
			     struct gs_shadow *sh, uint64_t va,
			     struct gs_meta *m, enum gpusan_class cls,
			     uint64_t bad_va, uint8_t bad)
{
	struct gs_access_info in = {
		.acc = acc,
		.sh = sh,
		.va = va,
		.bad_va = bad_va,
		.bad = bad,
		.m = m,
	};
	struct gs_report rep;

	if (!gs_report_begin(ctx, &rep, cls, acc->caller))
		return;
	gs_compose_access(&rep, &in);
	gs_report_end(ctx, &rep);
}

static struct gs_meta *gs_access_meta(struct gs_ctx *ctx,
				      const struct gpuown_access *acc,
				      struct gpuown_vm *vm, uint64_t va)
{
	struct gs_meta *m = NULL;
	bool inside;

	/* The object model's index first; the scan is for reports only. */
	m = gs_meta_live(ctx, acc->obj ? acc->obj
				       : gpuown_obj_lookup_va(
						 ctx->mm, vm,
						 gpuown_gpu_addr_from_u64(va)));
	if (m && m->mapped && va >= m->va && va < m->va + m->footprint)
		return m;
	/*
	 * The object model names the object a user-VM address leads to even
	 * where its own VA differs (a stale translation of a binding, maybe
	 * to an object freed since).
	 */
	if (acc->obj && acc->agent == GPUOWN_AGENT_GPU) {
		m = gs_meta_of(ctx, acc->obj); /* released ones too */
		if (m)
			return m;
	}
	return gs_meta_at(ctx, vm, va, &inside);
}

/* Out of line: keeps the fast path's frame small. */
static __attribute__((noinline, cold)) int
gs_access_slow(struct gs_ctx *ctx, const struct gpuown_access *acc,
	       struct gs_shadow *sh, uint64_t va, uint64_t bad_va, uint8_t bad)
{
	uint32_t allowed = gs_fast[acc->agent][acc->write][acc->atomic];
	struct gpuown_vm *vm = acc->space == GPUOWN_SPACE_FW ? NULL : acc->vm;
	enum gpusan_class cls;
	enum gs_state st;
	struct gs_meta *m;

	pthread_mutex_lock(&ctx->lock);
	m = sh ? gs_access_meta(ctx, acc, vm, bad_va) : NULL;
	/* Field-level rules may admit the state of the granule that failed. */
	if (sh && m && !GS_PARTIAL(bad)) {
		st = gs_refine(acc, m, GS_STATE(bad), va);
		if (st != GS_NR_STATES &&
		    gs_shadow_check(sh, va, acc->size, allowed | B(st), &bad_va,
				    &bad)) {
			pthread_mutex_unlock(&ctx->lock);
			return 0;
		}
		m = gs_access_meta(ctx, acc, vm, bad_va);
	}
	cls = sh ? gs_classify(acc, m, bad, bad_va) : GPUSAN_WILD_ADDRESS;
	gs_report_access(ctx, acc, sh, va, m, cls, bad_va, bad);
	pthread_mutex_unlock(&ctx->lock);
	return ctx->opts.refuse_bad_access ? -EACCES : 0;
}

/*
 * A write the shadow admits but the mapping refuses (a firmware write to a
 * read-only window, a GPU write through a read-only binding): the page table
 * faults it, gpusan says why.
 */
static __attribute__((noinline, cold)) int
gs_access_ro(struct gs_ctx *ctx, const struct gpuown_access *acc,
	     struct gs_shadow *sh, uint64_t va)
{
	struct gpuown_vm *vm = acc->space == GPUOWN_SPACE_FW ? NULL : acc->vm;
	struct gs_meta *m;

	pthread_mutex_lock(&ctx->lock);
	m = gs_access_meta(ctx, acc, vm, va);
	gs_report_access(ctx, acc, sh, va, m, GPUSAN_WRITE_AGAINST_DIRECTION,
			 va, gs_shadow_get(sh, va));
	pthread_mutex_unlock(&ctx->lock);
	return -EACCES;
}

int gs_on_access(void *c, const struct gpuown_access *acc)
{
	struct gs_ctx *ctx = c;
	struct gs_shadow *sh;
	uint64_t va, bad_va = 0;
	uint8_t bad = 0;
	unsigned agent = acc->agent;

	if (agent > GPUOWN_AGENT_GPU)
		return 0;
	if (acc->space == GPUOWN_SPACE_FW) {
		/* A firmware address that does not translate is wild. */
		va = acc->va;
		sh = va ? ctx->fw_sh : NULL;
	} else {
		va = acc->addr;
		sh = gs_ctx_shadow(ctx, acc->vm);
	}
	if (sh && gs_shadow_check(sh, va, acc->size ? acc->size : 1,
				  gs_fast[agent][acc->write][acc->atomic],
				  &bad_va, &bad))
		return acc->ro_fault ? gs_access_ro(ctx, acc, sh, va) : 0;
	if (!sh)
		bad_va = va;
	return gs_access_slow(ctx, acc, sh, va, bad_va, bad);
}
