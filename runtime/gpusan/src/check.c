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

#include <gpuown/model.h>

#include "gpusan_int.h"

#define B(s) (1u << (s))

/*
 * A wild address may be another kind of address of a known object: a GPU VA
 * or a CPU pointer given to the firmware, a firmware address or another VM's
 * VA given to the GPU. Live objects first, then the graveyard, newest first.
 */
static struct gs_meta *gs_owner(struct gs_ctx *ctx,
				const struct gpuown_access *acc,
				enum gs_addr_kind *kind)
{
	struct gpuown_vm *vm = acc->vm == ctx->fw_vm ? NULL : acc->vm;
	struct gs_meta *m;
	unsigned i;

	for (m = ctx->live.next; m != &ctx->live; m = m->next) {
		*kind = gs_addr_kind(m, acc->addr, acc->space, vm);
		if (*kind != GS_ADDR_NONE)
			return m;
	}
	for (i = 1; i <= GS_GRAVEYARD; i++) {
		m = ctx->grave[(ctx->grave_head + GS_GRAVEYARD - i) %
			       GS_GRAVEYARD];
		if (!m)
			continue;
		*kind = gs_addr_kind(m, acc->addr, acc->space, vm);
		if (*kind != GS_ADDR_NONE)
			return m;
	}
	*kind = GS_ADDR_NONE;
	return NULL;
}

static void gs_report_access_note(struct gs_ctx *ctx,
				  const struct gpuown_access *acc,
				  struct gs_shadow *sh, uint64_t va,
				  struct gs_meta *m, enum gpusan_class cls,
				  uint64_t bad_va, uint8_t bad,
				  const char *note, bool via_binding)
{
	struct gs_access_info in = {
		.acc = acc,
		.sh = sh,
		.va = va,
		.bad_va = bad_va,
		.bad = bad,
		.m = m,
		.note = note,
		.via_binding = via_binding,
	};
	struct gs_report rep;

	if (cls == GPUSAN_WILD_ADDRESS &&
	    !(m && bad_va >= m->va && bad_va < m->va + m->footprint)) {
		in.owner = gs_owner(ctx, acc, &in.owner_kind);
		if (in.owner)
			cls = GPUSAN_ADDR_KIND_MISMATCH;
	}
	if (!gs_report_begin(ctx, &rep, cls, acc->caller))
		return;
	gs_compose_access(&rep, &in);
	gs_report_dot(ctx, &rep, in.owner ? in.owner : m);
	gs_report_end(ctx, &rep);
}

static void gs_report_access(struct gs_ctx *ctx,
			     const struct gpuown_access *acc,
			     struct gs_shadow *sh, uint64_t va,
			     struct gs_meta *m, enum gpusan_class cls,
			     uint64_t bad_va, uint8_t bad)
{
	gs_report_access_note(ctx, acc, sh, va, m, cls, bad_va, bad, NULL,
			      false);
}

/* Under ctx->lock. */
static struct gs_meta *gs_access_meta(struct gs_ctx *ctx,
				      const struct gpuown_access *acc,
				      struct gpuown_vm *vm, uint64_t va)
{
	struct gs_meta *m = ctx->last_meta;
	bool inside;

	/*
	 * The object the last slow access was about, while it stays in its
	 * range (a firmware writing a shared struct field by field): ranges
	 * of the metadata gpusan holds do not overlap in one shadow.
	 */
	if (!acc->obj && m && m->mapped && m->sh == gs_ctx_shadow(ctx, vm) &&
	    va >= m->va && va < m->va + m->footprint)
		return m;
	/* The object model's index first; the scan is for reports only. */
	m = gs_meta_live(ctx, acc->obj ? acc->obj
				       : gpuown_obj_lookup_va(
						 ctx->mm, vm,
						 gpuown_gpu_addr_from_u64(va)));
	if (m && m->mapped && va >= m->va && va < m->va + m->footprint) {
		ctx->last_meta = m;
		return m;
	}
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

/*
 * A granule of a non-coherent object (GS_NONCOH): a device read of CPU
 * writes not synced for the device is reported here; a device write marks
 * the object dirty for the CPU. Otherwise *@bad becomes the state the
 * object is really in (its body's, or a binding's), and true means the
 * whole access is admitted. Under ctx->lock.
 */
static bool gs_access_noncoh(struct gs_ctx *ctx,
			     const struct gpuown_access *acc,
			     struct gs_shadow *sh, uint64_t va,
			     uint32_t allowed, uint64_t *bad_va, uint8_t *bad,
			     int *ret)
{
	struct gpuown_vm *vm = acc->space == GPUOWN_SPACE_FW ? NULL : acc->vm;
	struct gpuown_obj *o = gpuown_obj_lookup_va(
		ctx->mm, vm, gpuown_gpu_addr_from_u64(*bad_va));
	struct gs_meta *m = gs_meta_live(ctx, o);
	bool body = m && m->sh == sh && *bad_va >= m->va &&
		    *bad_va < m->va + m->footprint;
	enum gs_state real = body ? gs_meta_body_state(m) : GS_BOUND;

	*ret = 0;
	if (acc->agent != GPUOWN_AGENT_CPU &&
	    gpuown_model_device_access(o, acc->write)) {
		gs_report_access_note(
			ctx, acc, sh, va, m, GPUSAN_DEVICE_READ_UNSYNCED,
			*bad_va, *bad,
			"non-coherent: the CPU wrote it after the last "
			"gpuown_sync_for_device(), the device reads stale "
			"memory",
			!body);
		*ret = ctx->opts.refuse_bad_access ? -EACCES : 0;
		return true;
	}
	*bad = GS_BYTE(real, GS_PARTIAL(*bad));
	return (allowed & B(real)) &&
	       gs_shadow_check(sh, va, acc->size, allowed | B(GS_NONCOH),
			       bad_va, bad);
}

/* Out of line: keeps the fast path's frame small. */
static __attribute__((noinline, cold)) int
gs_access_slow(struct gs_ctx *ctx, const struct gpuown_access *acc,
	       struct gs_shadow *sh, uint64_t va, uint64_t bad_va, uint8_t bad)
{
	uint32_t allowed =
		gs_fast[acc->agent][acc->write][acc->atomic] | ctx->unmapped_ok;
	struct gpuown_vm *vm = acc->space == GPUOWN_SPACE_FW ? NULL : acc->vm;
	enum gpusan_class cls;
	enum gs_state st;
	struct gs_meta *m;
	int ret;

	pthread_mutex_lock(&ctx->lock);
	if (sh && GS_STATE(bad) == GS_NONCOH) {
		if (gs_access_noncoh(ctx, acc, sh, va, allowed, &bad_va, &bad,
				     &ret)) {
			pthread_mutex_unlock(&ctx->lock);
			return ret;
		}
		/* Its granules are the object's real state from here on. */
		allowed |= B(GS_NONCOH);
	}
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

/* Everything but the common case: the exact check, other spaces, reports. */
static __attribute__((noinline)) int
gs_on_access_full(struct gs_ctx *ctx, const struct gpuown_access *acc)
{
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
		/* Sampled: a VM with no chosen object has no shadow. */
		if (!sh && ctx->sampling)
			return 0;
	}
	if (sh && gs_shadow_check(sh, va, acc->size ? acc->size : 1,
				  ctx->allowed[agent][acc->write][acc->atomic],
				  &bad_va, &bad))
		return acc->ro_fault ? gs_access_ro(ctx, acc, sh, va) : 0;
	if (!sh)
		bad_va = va;
	return gs_access_slow(ctx, acc, sh, va, bad_va, bad);
}

/*
 * The hot path: a firmware access that translated, checked inline against
 * the shadow with the context's precomputed mask; anything unsure goes to
 * gs_on_access_full().
 */
int gs_on_access(void *c, const struct gpuown_access *acc)
{
	struct gs_ctx *ctx = c;
	const struct gs_shadow *sh;

	if (__builtin_expect(acc->space == GPUOWN_SPACE_FW && acc->va &&
				     !acc->ro_fault,
			     1) &&
	    gs_shadow_check_fast(
		    ctx->fw_sh, acc->va, acc->size,
		    ctx->allowed[acc->agent & 3][acc->write][acc->atomic]))
		return 0;
	/*
	 * A checked CPU accessor (or a GPU access the host did not check):
	 * the same inline check against the VM's shadow, as
	 * gs_on_access_full() would make it exactly.
	 */
	if (acc->space != GPUOWN_SPACE_FW && !acc->ro_fault &&
	    acc->agent <= GPUOWN_AGENT_GPU) {
		sh = gs_ctx_shadow(ctx, acc->vm);
		if (sh &&
		    gs_shadow_check_fast(
			    sh, acc->addr, acc->size,
			    ctx->allowed[acc->agent][acc->write][acc->atomic]))
			return 0;
	}
	return gs_on_access_full(ctx, acc);
}
