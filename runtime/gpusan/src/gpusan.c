// SPDX-License-Identifier: MIT
/*
 * gpusan core: contexts, per-object metadata, the hooks, and the checks.
 *
 * Lock order: ctx->lock, then the report lock (report.c). The object model
 * never calls hooks with its own locks held, so hooks may call its public API.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gpusan_int.h"

#define B(s) (1u << (s))
#define GS_DEFAULT_HASH 256

static pthread_mutex_t gs_ctx_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gs_ctx *gs_ctxs;

/*
 * States an agent may always touch, by [agent][write][atomic]. States left out
 * are either bugs or need the object's layout to decide (field direction),
 * which the slow path does.
 */
#define GS_DEV_READ                                                            \
	(B(GS_FW_R) | B(GS_FW_W) | B(GS_FW_RW) | B(GS_SHARED_R) |              \
	 B(GS_SHARED_RW) | B(GS_GPU_ONLY) | B(GS_FOOTPRINT))
#define GS_DEV_WRITE                                                           \
	(B(GS_FW_W) | B(GS_FW_RW) | B(GS_GPU_ONLY) | B(GS_FOOTPRINT))

#define GS_CPU_READ (B(GS_CPU) | B(GS_FW_R))
#define GS_CPU_ATOMIC_READ (GS_CPU_READ | B(GS_SHARED_R) | B(GS_SHARED_RW))
#define GS_GPU_READ (GS_DEV_READ | B(GS_BOUND) | B(GS_BOUND_RO))
#define GS_GPU_WRITE (GS_DEV_WRITE | B(GS_BOUND))

static const uint32_t gs_fast[3][2][2] = {
	[GPUOWN_AGENT_CPU] = {{GS_CPU_READ, GS_CPU_ATOMIC_READ},
			      {B(GS_CPU), B(GS_CPU)}},
	[GPUOWN_AGENT_FW] = {{GS_DEV_READ, GS_DEV_READ},
			     {GS_DEV_WRITE, GS_DEV_WRITE}},
	[GPUOWN_AGENT_GPU] = {{GS_GPU_READ, GS_GPU_READ},
			      {GS_GPU_WRITE, GS_GPU_WRITE}},
};

/* ------------------------------------------------------------------------
 * Contexts and shadows
 */
static struct gs_ctx *gs_ctx_find(struct gpuown_mm *mm)
{
	struct gs_ctx *c;

	for (c = gs_ctxs; c; c = c->next)
		if (c->mm == mm)
			return c;
	return NULL;
}

void gs_for_each_ctx(void (*fn)(struct gs_ctx *ctx, void *arg), void *arg)
{
	struct gs_ctx *c;

	for (c = gs_ctxs; c; c = c->next)
		fn(c, arg);
}

struct gs_shadow *gs_ctx_shadow(struct gs_ctx *ctx, struct gpuown_vm *vm)
{
	struct gs_vmshadow *v;

	if (!vm || vm == ctx->fw_vm)
		return ctx->fw_sh;
	for (v = __atomic_load_n(&ctx->vms, __ATOMIC_ACQUIRE); v; v = v->next)
		if (v->vm == vm)
			return v->sh;
	return NULL;
}

/* Under ctx->lock. */
static struct gs_shadow *gs_ctx_shadow_get(struct gs_ctx *ctx,
					   struct gpuown_vm *vm)
{
	struct gs_shadow *sh = gs_ctx_shadow(ctx, vm);
	struct gs_vmshadow *v;

	if (sh)
		return sh;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	if (gs_shadow_create(&v->sh)) {
		free(v);
		return NULL;
	}
	v->vm = vm;
	v->next = ctx->vms;
	__atomic_store_n(&ctx->vms, v, __ATOMIC_RELEASE);
	return v->sh;
}

/* ------------------------------------------------------------------------
 * Metadata
 */
static unsigned gs_hash_ptr(const void *p, unsigned size)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (unsigned)(x & (size - 1));
}

static void gs_hash_insert(struct gs_ctx *ctx, struct gs_meta *m)
{
	unsigned h = gs_hash_ptr(m->obj, ctx->hash_size);

	m->hnext = ctx->hash[h];
	ctx->hash[h] = m;
}

static void gs_hash_grow(struct gs_ctx *ctx)
{
	struct gs_meta **old = ctx->hash, *m, *n;
	unsigned old_size = ctx->hash_size, i;
	struct gs_meta **grown = calloc(old_size * 2, sizeof(*grown));

	if (!grown)
		return; /* stays correct, only slower */
	ctx->hash = grown;
	ctx->hash_size = old_size * 2;
	for (i = 0; i < old_size; i++) {
		for (m = old[i]; m; m = n) {
			n = m->hnext;
			gs_hash_insert(ctx, m);
		}
	}
	free(old);
}

static void gs_hash_remove(struct gs_ctx *ctx, struct gs_meta *m)
{
	struct gs_meta **pp = &ctx->hash[gs_hash_ptr(m->obj, ctx->hash_size)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == m) {
			*pp = m->hnext;
			return;
		}
	}
}

/* A live (or quarantined) object's metadata. */
static struct gs_meta *gs_meta_live(struct gs_ctx *ctx,
				    const struct gpuown_obj *obj)
{
	struct gs_meta *m;

	if (!obj)
		return NULL;
	for (m = ctx->hash[gs_hash_ptr(obj, ctx->hash_size)]; m; m = m->hnext)
		if (m->obj == obj)
			return m;
	return NULL;
}

/* Live object's metadata, else the newest released one (stale handles). */
struct gs_meta *gs_meta_of(struct gs_ctx *ctx, const struct gpuown_obj *obj)
{
	struct gs_meta *m = gs_meta_live(ctx, obj);
	unsigned i;

	if (m || !obj)
		return m;
	for (i = 1; i <= GS_GRAVEYARD; i++) {
		m = ctx->grave[(ctx->grave_head + GS_GRAVEYARD - i) %
			       GS_GRAVEYARD];
		if (m && (const void *)m->hnext == (const void *)obj)
			return m;
	}
	return NULL;
}

static void gs_meta_free(struct gs_meta *m)
{
	if (!m)
		return;
	free(m->hist);
	free(m);
}

static void gs_meta_stacks(struct gs_meta *m, void **pcs, unsigned depth)
{
	m->alloc_st.pcs = pcs;
	m->free_st.pcs = pcs + depth;
	m->last_st.pcs = pcs + 2 * depth;
	m->alloc_st.cap = m->free_st.cap = m->last_st.cap = depth;
}

/* Under ctx->lock; @obj is live. */
static struct gs_meta *gs_meta_new(struct gs_ctx *ctx, struct gpuown_obj *obj)
{
	struct gs_meta *m = calloc(1, sizeof(*m));
	const char *name;

	if (!m)
		return NULL;
	/* One block: the history ring, then three stacks of stack_depth. */
	m->hist = calloc(1, ctx->opts.history * sizeof(*m->hist) +
				    3 * ctx->opts.stack_depth * sizeof(void *));
	if (!m->hist) {
		free(m);
		return NULL;
	}
	m->hist_cap = ctx->opts.history;
	gs_meta_stacks(m, (void **)(m->hist + m->hist_cap),
		       ctx->opts.stack_depth);
	m->obj = obj;
	m->id = gpuown_obj_id(obj);
	name = gpuown_obj_name(obj);
	snprintf(m->name, sizeof(m->name), "%s", name ? name : "(unnamed)");
	m->layout = gpuown_obj_layout(obj);
	m->size = gpuown_obj_size(obj);
	m->va = gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(obj));
	m->fw_addr = gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(obj));
	m->state = gpuown_obj_state(obj);
	m->fw_dir = gpuown_obj_fw_dir(obj);
	if (!m->fw_dir)
		m->fw_dir = GPUOWN_DIR_RW;
	m->footprint = m->size;
	m->next = ctx->live.next;
	m->prev = &ctx->live;
	ctx->live.next->prev = m;
	ctx->live.next = m;
	if (++ctx->nlive > ctx->hash_size)
		gs_hash_grow(ctx);
	gs_hash_insert(ctx, m);
	return m;
}

static struct gs_meta *gs_meta_get(struct gs_ctx *ctx, struct gpuown_obj *obj)
{
	struct gs_meta *m = gs_meta_live(ctx, obj);

	return m ? m : gs_meta_new(ctx, obj);
}

/* Released: keep it in the graveyard ring for late accesses and reports. */
static void gs_meta_bury(struct gs_ctx *ctx, struct gs_meta *m)
{
	struct gs_meta **slot = &ctx->grave[ctx->grave_head];

	gs_hash_remove(ctx, m);
	m->prev->next = m->next;
	m->next->prev = m->prev;
	ctx->nlive--;
	/* The graveyard matches stale handles by the old object pointer. */
	m->hnext = (struct gs_meta *)m->obj;
	m->obj = NULL;
	m->released = true;
	m->state = GPUOWN_STATE_RELEASED;
	gs_meta_free(*slot);
	*slot = m;
	ctx->grave_head = (ctx->grave_head + 1) % GS_GRAVEYARD;
}

static bool gs_meta_covers(const struct gs_meta *m, struct gs_shadow *sh,
			   uint64_t va, uint64_t slack)
{
	uint64_t lo = m->va > slack ? m->va - slack : 0;
	uint64_t hi = m->va + (m->footprint > m->size ? m->footprint : m->size);

	return m->mapped && m->sh == sh && va >= lo && va < hi + slack;
}

static uint64_t gs_meta_dist(const struct gs_meta *m, uint64_t va)
{
	uint64_t end = m->va + m->footprint;

	if (va < m->va)
		return m->va - va;
	return va >= end ? va - end + 1 : 0;
}

struct gs_meta *gs_meta_at(struct gs_ctx *ctx, struct gpuown_vm *vm,
			   uint64_t va, bool *inside)
{
	struct gs_shadow *sh = gs_ctx_shadow(ctx, vm);
	struct gs_meta *m, *best = NULL;
	uint64_t slack = 4096, best_d = UINT64_MAX;
	unsigned i;

	*inside = false;
	for (m = ctx->live.next; m != &ctx->live; m = m->next) {
		if (gs_meta_covers(m, sh, va, slack) &&
		    gs_meta_dist(m, va) < best_d) {
			best = m;
			best_d = gs_meta_dist(m, va);
		}
	}
	/* Newest first: a released range may have been reused since. */
	for (i = 1; i <= GS_GRAVEYARD && best_d; i++) {
		m = ctx->grave[(ctx->grave_head + GS_GRAVEYARD - i) %
			       GS_GRAVEYARD];
		if (m && gs_meta_covers(m, sh, va, 0)) {
			best = m;
			best_d = 0;
		}
	}
	*inside = best && best_d == 0;
	return best;
}

/* ------------------------------------------------------------------------
 * Painting the shadow from an object's state
 */
static enum gs_state gs_body_state(const struct gs_meta *m)
{
	switch (m->state) {
	case GPUOWN_STATE_CPU:
		return GS_CPU;
	case GPUOWN_STATE_FW:
		if (m->fw_dir == GPUOWN_DIR_READ)
			return GS_FW_R;
		return m->fw_dir == GPUOWN_DIR_WRITE ? GS_FW_W : GS_FW_RW;
	case GPUOWN_STATE_SHARED:
		return (m->fw_dir & GPUOWN_DIR_WRITE) ? GS_SHARED_RW
						      : GS_SHARED_R;
	case GPUOWN_STATE_GPU_ONLY:
		return GS_GPU_ONLY;
	case GPUOWN_STATE_QUARANTINED:
		return GS_QUARANTINED;
	case GPUOWN_STATE_RELEASED:
		break;
	}
	return GS_UNMAPPED;
}

static bool gs_cpu_must_not_touch(const struct gs_meta *m)
{
	/*
	 * Poison only what no plain CPU access may touch: a firmware-owned
	 * object the firmware writes, and freed objects. Firmware-read objects
	 * stay readable; shared objects go through the runtime's atomic
	 * accessors.
	 */
	if (m->state == GPUOWN_STATE_QUARANTINED)
		return true;
	return m->state == GPUOWN_STATE_FW && (m->fw_dir & GPUOWN_DIR_WRITE);
}

/*
 * Bytes of the object the CPU may address: all of it, unless the layout
 * declares a firmware footprint beyond the struct, which the object model
 * allocates but only the firmware may touch.
 */
static uint64_t gs_cpu_bytes(const struct gs_meta *m)
{
	const struct gpuown_struct_desc *l = m->layout;

	if (l && l->footprint > l->size && l->footprint == m->size)
		return l->size;
	return m->size;
}

static void gs_paint(struct gs_ctx *ctx, struct gs_meta *m)
{
	enum gs_state st = gs_body_state(m);
	uint64_t body = gs_cpu_bytes(m), end = m->va + m->size;
	uint64_t rz = m->redzone, lo;

	if (!m->mapped || !m->sh)
		return;
	if (body < m->size) {
		/* Whole granules, so the footprint starts on a granule. */
		body = (body + GS_GRANULE - 1) & ~(uint64_t)(GS_GRANULE - 1);
		if (body > m->size)
			body = m->size;
	}
	gs_shadow_paint(m->sh, m->va, body, st, 0);
	if (end > m->va + body)
		gs_shadow_paint(m->sh, m->va + body, end - m->va - body,
				st == GS_QUARANTINED ? GS_QUARANTINED
						     : GS_FOOTPRINT,
				0);
	if (rz) {
		lo = (m->va > rz ? m->va - rz : 0) &
		     ~(uint64_t)(GS_GRANULE - 1);
		gs_shadow_paint(m->sh, lo, m->va - lo, GS_REDZONE,
				B(GS_UNMAPPED));
		end = (end + GS_GRANULE - 1) & ~(uint64_t)(GS_GRANULE - 1);
		gs_shadow_paint(m->sh, end, rz, GS_REDZONE, B(GS_UNMAPPED));
	}
	if (ctx->opts.poison_cpu && m->cpu &&
	    gs_cpu_must_not_touch(m) != m->poisoned)
		gs_asan_poison(m, !m->poisoned);
}

/* ------------------------------------------------------------------------
 * Events
 */
static bool gs_op_is_transition(enum gpuown_op op)
{
	switch (op) {
	case GPUOWN_OP_ALLOC:
	case GPUOWN_OP_FREE:
	case GPUOWN_OP_PUBLISH:
	case GPUOWN_OP_FW_GET:
	case GPUOWN_OP_RECLAIM:
	case GPUOWN_OP_SHARE:
	case GPUOWN_OP_DETACH:
	case GPUOWN_OP_RELEASE:
	case GPUOWN_OP_BIND:
	case GPUOWN_OP_UNBIND:
		return true;
	default:
		return false;
	}
}

static void gs_record(struct gs_ctx *ctx, struct gs_meta *m,
		      const struct gpuown_event *ev)
{
	struct gs_hist *h;

	if (!ev->violation && !gs_op_is_transition(ev->op))
		return;
	h = &m->hist[m->nhist % m->hist_cap];
	h->seq = ++ctx->seq;
	h->caller = ev->caller;
	h->tid = gs_gettid();
	h->err = ev->err;
	h->holders = ev->holders;
	h->op = (uint8_t)ev->op;
	h->from = (uint8_t)ev->from;
	h->to = (uint8_t)(ev->err ? ev->from : ev->to);
	h->violation = (uint8_t)ev->violation;
	m->nhist++;
	if (ev->err || ev->op == GPUOWN_OP_RELEASE)
		return;
	if (ev->op == GPUOWN_OP_ALLOC) {
		gs_stack_capture(&m->alloc_st, ctx->opts.stack_depth,
				 ev->caller);
		return;
	}
	gs_stack_capture(&m->last_st, ctx->opts.stack_depth, ev->caller);
	m->has_last = true;
	m->last_op = (uint8_t)ev->op;
	if (ev->op == GPUOWN_OP_FREE) {
		gs_stack_copy(&m->free_st, &m->last_st);
		m->has_free = true;
	}
}

/* Apply a successful operation to the object's shadow and CPU view. */
static void gs_apply(struct gs_ctx *ctx, struct gs_meta *m,
		     const struct gpuown_event *ev)
{
	if (ev->op == GPUOWN_OP_RELEASE || !m->obj)
		return;
	/*
	 * Events are emitted after the object model unlocks, so two threads'
	 * events may arrive out of order: paint what the object is now.
	 */
	m->state = gpuown_obj_state(m->obj);
	m->holders = gpuown_obj_fw_holders(m->obj);
	gs_paint(ctx, m);
}

static void gs_report_event(struct gs_ctx *ctx, const struct gpuown_event *ev,
			    enum gpusan_class cls);

static void gs_on_event(void *c, const struct gpuown_event *ev)
{
	struct gs_ctx *ctx = c;
	struct gs_meta *m = NULL;

	pthread_mutex_lock(&ctx->lock);
	if (ev->obj) {
		if (ev->op == GPUOWN_OP_ALLOC && !ev->err)
			m = gs_meta_get(ctx, ev->obj);
		else
			m = gs_meta_live(ctx, ev->obj);
	}
	if (m) {
		gs_record(ctx, m, ev);
		if (!ev->err)
			gs_apply(ctx, m, ev);
	}
	pthread_mutex_unlock(&ctx->lock);
	/* The object model decides ownership-level bugs; each refusal is one.
	 */
	if (ev->violation)
		gs_report_event(ctx, ev, (enum gpusan_class)ev->violation);
}

/* ------------------------------------------------------------------------
 * Ranges
 */
static void gs_range_object(struct gs_ctx *ctx, const struct gpuown_range *r)
{
	struct gs_meta *m = gs_meta_get(ctx, r->obj);

	if (!m)
		return;
	m->vm = r->vm ? r->vm : ctx->fw_vm;
	m->sh = gs_ctx_shadow_get(ctx, r->vm);
	m->va = r->va;
	m->size = r->size;
	m->footprint = r->size;
	m->redzone = r->redzone;
	m->fw_addr = gpuown_fw_addr_to_u64(r->fw_addr);
	m->cpu = gpuown_obj_cpu(r->obj);
	m->state = gpuown_obj_state(r->obj);
	m->mapped = true;
	gs_paint(ctx, m);
}

static void gs_range_release(struct gs_ctx *ctx, const struct gpuown_range *r)
{
	struct gs_meta *m = gs_meta_live(ctx, r->obj);
	struct gs_shadow *sh = gs_ctx_shadow(ctx, r->vm);

	/*
	 * The range may already hold a new object (the VA was given back before
	 * this event): only freed granules become unmapped.
	 */
	if (sh)
		gs_shadow_paint(sh, r->va,
				m && m->footprint > r->size ? m->footprint
							    : r->size,
				GS_UNMAPPED, B(GS_QUARANTINED));
	if (!m || m->released)
		return;
	if (m->poisoned)
		gs_asan_poison(m, false);
	gs_meta_bury(ctx, m);
}

static void gs_range_bind(struct gs_ctx *ctx, const struct gpuown_range *r)
{
	struct gs_shadow *sh = gs_ctx_shadow_get(ctx, r->vm);

	if (!sh)
		return;
	if (r->kind == GPUOWN_RANGE_BIND)
		gs_shadow_paint(sh, r->va, r->size, GS_BOUND, 0);
	else if (r->kind == GPUOWN_RANGE_UNBIND)
		gs_shadow_paint(sh, r->va, r->size, GS_UNBOUND,
				B(GS_BOUND) | B(GS_BOUND_RO));
	else
		gs_shadow_paint(sh, r->va, r->size, GS_UNMAPPED, B(GS_UNBOUND));
}

static void gs_on_range(void *c, const struct gpuown_range *r)
{
	struct gs_ctx *ctx = c;
	struct gs_meta *m;

	pthread_mutex_lock(&ctx->lock);
	switch (r->kind) {
	case GPUOWN_RANGE_OBJECT:
		if (r->obj)
			gs_range_object(ctx, r);
		break;
	case GPUOWN_RANGE_QUARANTINE:
		m = gs_meta_live(ctx, r->obj);
		if (m && !m->released) {
			m->state = GPUOWN_STATE_QUARANTINED;
			gs_paint(ctx, m);
		}
		break;
	case GPUOWN_RANGE_RELEASE:
		gs_range_release(ctx, r);
		break;
	case GPUOWN_RANGE_BIND:
	case GPUOWN_RANGE_UNBIND:
	case GPUOWN_RANGE_INVALIDATED:
		gs_range_bind(ctx, r);
		break;
	}
	pthread_mutex_unlock(&ctx->lock);
}

/* ------------------------------------------------------------------------
 * Access checks
 */
static bool gs_overlaps_fw_writes(const struct gpuown_struct_desc *l,
				  uint64_t off, uint64_t len, bool *any)
{
	bool hit = false;
	uint32_t i;

	*any = false;
	for (i = 0; l && i < l->nr_fields; i++) {
		const struct gpuown_field_desc *f = &l->fields[i];

		if (!(f->flags & GPUOWN_FIELD_FW_WRITES))
			continue;
		*any = true;
		if (off < (uint64_t)f->offset + f->size &&
		    f->offset < off + len)
			hit = true;
	}
	return hit;
}

/* Every non-padding field overlapping the range is firmware-written. */
static bool gs_only_fw_writes(const struct gpuown_struct_desc *l, uint64_t off,
			      uint64_t len)
{
	uint32_t i;

	for (i = 0; i < l->nr_fields; i++) {
		const struct gpuown_field_desc *f = &l->fields[i];

		if (f->kind == GPUOWN_FIELD_PADDING ||
		    f->kind == GPUOWN_FIELD_STRUCT)
			continue;
		if (off < (uint64_t)f->offset + f->size &&
		    f->offset < off + len &&
		    !(f->flags & GPUOWN_FIELD_FW_WRITES))
			return false;
	}
	return true;
}

/*
 * Field-level direction rules for a granule state the fast table leaves
 * open. Returns the state to admit, or GS_NR_STATES when it is a bug.
 */
static enum gs_state gs_refine(const struct gpuown_access *acc,
			       const struct gs_meta *m, enum gs_state st,
			       uint64_t va)
{
	uint64_t off;
	bool any;

	if (!m || va < m->va || va + acc->size > m->va + m->size)
		return GS_NR_STATES;
	off = va - m->va;
	if (acc->agent == GPUOWN_AGENT_CPU) {
		if (st == GS_SHARED_R || st == GS_SHARED_RW) {
			/* Firmware-written fields: atomic reads only, no
			 * writes. */
			if (!gs_overlaps_fw_writes(m->layout, off, acc->size,
						   &any))
				return st;
			return (!acc->write && acc->atomic) ? st : GS_NR_STATES;
		}
		if ((st == GS_FW_W || st == GS_FW_RW) && !acc->write) {
			/* Readable only where the firmware never writes. */
			if (gs_overlaps_fw_writes(m->layout, off, acc->size,
						  &any) ||
			    !any)
				return GS_NR_STATES;
			return st;
		}
		return GS_NR_STATES;
	}
	if (st == GS_SHARED_RW && acc->write) {
		gs_overlaps_fw_writes(m->layout, off, acc->size, &any);
		if (!any || gs_only_fw_writes(m->layout, off, acc->size))
			return st;
	}
	return GS_NR_STATES;
}

static enum gpusan_class gs_classify(const struct gpuown_access *acc,
				     const struct gs_meta *m, uint8_t bad,
				     uint64_t bad_va)
{
	enum gs_state st = GS_STATE(bad);
	bool dev = acc->agent != GPUOWN_AGENT_CPU;

	switch (st) {
	case GS_UNMAPPED:
		if (m && m->released && bad_va >= m->va &&
		    bad_va < m->va + m->footprint)
			return GPUSAN_USE_AFTER_FREE;
		return GPUSAN_WILD_ADDRESS;
	case GS_REDZONE:
		if (dev && m && m->layout &&
		    m->layout->footprint > m->layout->size &&
		    bad_va >= m->va + m->size)
			return GPUSAN_BEYOND_FOOTPRINT;
		return GPUSAN_OUT_OF_BOUNDS;
	case GS_FOOTPRINT:
		return GPUSAN_OUT_OF_BOUNDS;
	case GS_QUARANTINED:
		return GPUSAN_USE_AFTER_FREE;
	case GS_UNBOUND:
		return GPUSAN_STALE_MAPPING;
	case GS_GPU_ONLY:
		return dev ? GPUSAN_OUT_OF_BOUNDS : GPUSAN_CPU_ACCESS_GPU_ONLY;
	default:
		break;
	}
	/* The granule's state admits the agent: a partial granule's tail. */
	if (gs_fast[acc->agent][acc->write][acc->atomic] & B(st) &&
	    GS_PARTIAL(bad))
		return GPUSAN_OUT_OF_BOUNDS;
	if (st == GS_CPU)
		return acc->agent == GPUOWN_AGENT_FW
			       ? GPUSAN_FW_ACCESS_CPU_OWNED
		       : acc->agent == GPUOWN_AGENT_GPU
			       ? GPUSAN_GPU_ACCESS_CPU_OWNED
			       : GPUSAN_OUT_OF_BOUNDS;
	if (dev)
		return acc->write ? GPUSAN_WRITE_AGAINST_DIRECTION
				  : GPUSAN_OUT_OF_BOUNDS;
	if (st == GS_SHARED_R || st == GS_SHARED_RW)
		return GPUSAN_CPU_ACCESS_SHARED_UNDECLARED;
	if (st == GS_FW_R || st == GS_FW_W || st == GS_FW_RW)
		return acc->write ? GPUSAN_CPU_WRITE_FW_OWNED
				  : GPUSAN_CPU_READ_FW_WRITES;
	return GPUSAN_OUT_OF_BOUNDS;
}

static void gs_report_access(struct gs_ctx *ctx,
			     const struct gpuown_access *acc,
			     struct gs_shadow *sh, uint64_t va,
			     struct gs_meta *m, enum gpusan_class cls,
			     uint64_t bad_va, uint8_t bad);

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

static int gs_on_access(void *c, const struct gpuown_access *acc)
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
		return 0;
	if (!sh)
		bad_va = va;
	return gs_access_slow(ctx, acc, sh, va, bad_va, bad);
}

/* ------------------------------------------------------------------------
 * Reports
 */
static const char *gs_space_name(enum gpuown_space s)
{
	return s == GPUOWN_SPACE_FW	  ? "fw addr"
	       : s == GPUOWN_SPACE_GPU_VA ? "gpu va"
					  : "cpu accessor, gpu va";
}

static void gs_print_agent(struct gs_report *rep,
			   const struct gpuown_access *acc)
{
	char tname[32] = "";

	pthread_getname_np(pthread_self(), tname, sizeof(tname));
	if (acc->agent == GPUOWN_AGENT_FW)
		fprintf(rep->f, "by firmware (simulated on thread %d \"%s\")\n",
			gs_gettid(), tname);
	else if (acc->agent == GPUOWN_AGENT_GPU)
		fprintf(rep->f, "by GPU (simulated on thread %d \"%s\")\n",
			gs_gettid(), tname);
	else
		fprintf(rep->f, "by CPU thread %d \"%s\"\n", gs_gettid(),
			tname);
}

static void gs_report_access(struct gs_ctx *ctx,
			     const struct gpuown_access *acc,
			     struct gs_shadow *sh, uint64_t va,
			     struct gs_meta *m, enum gpusan_class cls,
			     uint64_t bad_va, uint8_t bad)
{
	uint64_t addr = acc->addr + (bad_va > va ? bad_va - va : 0);
	struct gs_report rep;
	bool inside;

	if (!gs_report_begin(ctx, &rep, cls, acc->caller))
		return;
	rep.pub.is_access = true;
	rep.pub.agent = acc->agent;
	rep.pub.space = acc->space;
	rep.pub.write = acc->write;
	rep.pub.addr = addr;
	rep.pub.size = acc->size;
	fprintf(rep.f, "%s%s of size %zu at %s 0x%" PRIx64,
		acc->atomic ? "Atomic " : "", acc->write ? "Write" : "Read",
		acc->size, gs_space_name(acc->space), acc->addr);
	if (sh && acc->space == GPUOWN_SPACE_FW)
		fprintf(rep.f, " (gpu va 0x%" PRIx64 ")", va);
	if (m && m->fw_addr && acc->space != GPUOWN_SPACE_FW && bad_va >= m->va)
		fprintf(rep.f, " (fw addr 0x%" PRIx64 ")",
			m->fw_addr + (va - m->va));
	if (m && m->cpu && va >= m->va && va < m->va + m->size)
		fprintf(rep.f, " (cpu %p)", (void *)(m->cpu + (va - m->va)));
	fprintf(rep.f, "\n ");
	gs_print_agent(&rep, acc);
	if (bad_va != va)
		fprintf(rep.f, " first bad byte at gpu va 0x%" PRIx64 "\n",
			bad_va);
	if (!sh && acc->space == GPUOWN_SPACE_FW)
		fprintf(rep.f, " [the firmware address does not translate]\n");
	else
		fprintf(rep.f, " [granule=%02x %s]\n", bad,
			gs_state_name(GS_STATE(bad)));
	gs_report_current_stack(ctx, &rep, acc->caller);
	inside = m && bad_va >= m->va && bad_va < m->va + m->size;
	if (m && cls == GPUSAN_WILD_ADDRESS && !inside) {
		/* Not this object's bytes or redzone: name it as a landmark
		 * only. */
		fprintf(rep.f, "The buggy address belongs to no object; the "
			       "nearest is:\n");
		gs_report_object(ctx, &rep, m, "  ");
		rep.pub.obj_name = NULL;
		rep.pub.obj_id = 0;
		gs_report_location(&rep, m, bad_va);
	} else if (m) {
		gs_report_object(
			ctx, &rep, m,
			m->released
				? "The buggy address belonged to the released "
				  "object"
				: "The buggy address belongs to the object");
		gs_report_location(&rep, m, bad_va);
		gs_report_stacks(&rep, m);
		gs_report_history(&rep, m);
	} else if (sh) {
		fprintf(rep.f, "The buggy address belongs to no object gpusan "
			       "knows of\n");
	}
	if (sh)
		gs_report_shadow(&rep, sh, bad_va, "gpu va");
	gs_report_end(ctx, &rep);
}

static const char *gs_op_title(enum gpuown_op op)
{
	static const char *const t[GPUOWN_OP_NR] = {
		"Alloc",	  "Free",	   "Release",
		"Publish",	  "Firmware get",  "Reclaim",
		"Share",	  "Detach",	   "CPU access begin",
		"CPU access end", "Pointer store", "Pointer clear",
		"Bind",		  "Unbind",	   "Lifecycle transition",
		"CPU access",	  "Memory system destroy",
		"GPU access",
	};
	return (unsigned)op < GPUOWN_OP_NR ? t[op] : "Operation";
}

static void gs_report_edge(struct gs_ctx *ctx, struct gs_report *rep,
			   const struct gpuown_ptr_edge *e, const char *what)
{
	struct gs_meta *c = gs_meta_of(ctx, e->container);
	struct gs_meta *t = gs_meta_of(ctx, e->target);
	const struct gpuown_field_desc *fd = NULL;
	char buf[160];
	const char *desc = NULL;

	if (c)
		desc = gs_field_desc(c->layout, e->offset, buf, sizeof(buf),
				     &fd);
	fprintf(rep->f, " %s %s", what, c ? c->name : "?");
	if (c && c->layout && c->layout->variant)
		fprintf(rep->f, " (variant %s)", c->layout->variant);
	fprintf(rep->f, " id %" PRIu64 " [%s]", c ? c->id : 0,
		c ? gpuown_state_name(c->state) : "?");
	if (desc)
		fprintf(rep->f, " field %s", desc);
	else
		fprintf(rep->f, " offset 0x%x", e->offset);
	fprintf(rep->f, "\n   holds the %s of %s id %" PRIu64 " [%s]\n",
		e->fw_addr ? "fw addr" : "gpu va", t ? t->name : "?",
		t ? t->id : 0, t ? gpuown_state_name(t->state) : "?");
	if (!rep->pub.field)
		rep->pub.field =
			fd ? fd->name : (e->field ? e->field->name : NULL);
}

static void gs_report_lifecycle(struct gs_report *rep,
				const struct gpuown_event *ev,
				enum gpusan_class cls)
{
	if (cls == GPUSAN_LIFECYCLE_NOT_PERMITTED)
		fprintf(rep->f,
			"Operation not permitted in lifecycle %s: requires "
			"state '%s', the object is in '%s'\n",
			ev->lc_name ? ev->lc_name : "?",
			ev->lc_to ? ev->lc_to : "?",
			ev->lc_from ? ev->lc_from : "?");
	else
		fprintf(rep->f,
			"Illegal transition of lifecycle %s: '%s' -> '%s' is "
			"not declared\n",
			ev->lc_name ? ev->lc_name : "?",
			ev->lc_from ? ev->lc_from : "?",
			ev->lc_to ? ev->lc_to : "?");
	fprintf(rep->f,
		" [lifecycle=%s from=%s to=%s err=%d] by CPU thread %d\n",
		ev->lc_name ? ev->lc_name : "?",
		ev->lc_from ? ev->lc_from : "?", ev->lc_to ? ev->lc_to : "?",
		ev->err, gs_gettid());
}

#define GS_MAX_REFERRERS 8

struct gs_referrers {
	const struct gpuown_ptr_edge *skip; /* already named by the event */
	struct gpuown_ptr_edge e[GS_MAX_REFERRERS];
	unsigned n, more;
};

static void gs_collect_referrer(const struct gpuown_ptr_edge *e, void *arg)
{
	struct gs_referrers *r = arg;
	enum gpuown_state st = gpuown_obj_state(e->container);

	/* Only a live published or shared struct makes the free a bug. */
	if (st != GPUOWN_STATE_FW && st != GPUOWN_STATE_SHARED)
		return;
	if (r->skip && e->container == r->skip->container &&
	    e->offset == r->skip->offset)
		return;
	if (r->n < GS_MAX_REFERRERS)
		r->e[r->n++] = *e;
	else
		r->more++;
}

static void gs_report_event(struct gs_ctx *ctx, const struct gpuown_event *ev,
			    enum gpusan_class cls)
{
	struct gs_referrers refs = {.skip = ev->edge};
	struct gs_report rep;
	struct gs_meta *m;
	unsigned i;

	/* Every live struct still pointing at it, not just the first one. */
	if (cls == GPUSAN_DANGLING_AT_FREE && ev->obj)
		gpuown_obj_for_each_referrer(ev->obj, gs_collect_referrer,
					     &refs);

	pthread_mutex_lock(&ctx->lock);
	if (!gs_report_begin(ctx, &rep, cls, ev->caller))
		goto out;
	m = gs_meta_of(ctx, ev->obj);
	rep.pub.op = ev->op;
	rep.pub.addr = m ? m->va : (uint64_t)(uintptr_t)ev->wild;
	if (m) {
		rep.pub.obj_name = m->name;
		rep.pub.obj_id = m->id;
	}
	if (ev->op == GPUOWN_OP_LIFECYCLE) {
		gs_report_lifecycle(&rep, ev, cls);
	} else if (!m) {
		fprintf(rep.f,
			"%s of handle %p, which is not a gpuown object (never "
			"allocated, released long ago, or an interior "
			"pointer)\n",
			gs_op_title(ev->op),
			ev->obj ? (void *)ev->obj : ev->wild);
	} else {
		fprintf(rep.f,
			"%s of object %s id %" PRIu64 " at gpu va 0x%" PRIx64
			" by CPU thread %d\n",
			gs_op_title(ev->op), m->name, m->id, m->va,
			gs_gettid());
	}
	if (ev->op != GPUOWN_OP_LIFECYCLE)
		fprintf(rep.f, " [op=%s state=%s holders=%u err=%d]\n",
			gpuown_op_name(ev->op), gpuown_state_name(ev->from),
			ev->holders, ev->err);
	if (ev->edge)
		gs_report_edge(ctx, &rep, ev->edge,
			       cls == GPUSAN_DANGLING_AT_FREE
				       ? "Still pointed at by"
				       : "The pointer:");
	for (i = 0; i < refs.n; i++)
		gs_report_edge(ctx, &rep, &refs.e[i], "and by");
	if (refs.more)
		fprintf(rep.f, " and by %u more\n", refs.more);
	gs_report_current_stack(ctx, &rep, ev->caller);
	if (m) {
		gs_report_object(ctx, &rep, m, "The object:");
		gs_report_stacks(&rep, m);
		gs_report_history(&rep, m);
	}
	if (ev->edge) {
		/* The other end of the edge: the pointing struct, or its
		 * target. */
		bool at_target = ev->edge->target == ev->obj;
		struct gs_meta *t =
			gs_meta_of(ctx, at_target ? ev->edge->container
						  : ev->edge->target);

		if (t && t != m) {
			gs_report_object(ctx, &rep, t,
					 at_target ? "The pointing object:"
						   : "The pointed-to object:");
			gs_report_stacks(&rep, t);
			gs_report_history(&rep, t);
		}
	}
	gs_report_end(ctx, &rep);
out:
	pthread_mutex_unlock(&ctx->lock);
}

/* ------------------------------------------------------------------------
 * Attach / detach
 */
static int gs_ctx_init(struct gs_ctx *ctx, struct gpuown_mm *mm,
		       const struct gpusan_options *opts)
{
	int err;

	ctx->mm = mm;
	ctx->opts = *opts;
	ctx->live.next = ctx->live.prev = &ctx->live;
	ctx->fw_vm = gpuown_mm_fw_vm(mm);
	ctx->hash_size = GS_DEFAULT_HASH;
	ctx->hash = calloc(ctx->hash_size, sizeof(*ctx->hash));
	if (!ctx->hash)
		return -ENOMEM;
	err = gs_shadow_create(&ctx->fw_sh);
	if (err)
		return err;
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->hooks.ctx = ctx;
	ctx->hooks.on_event = gs_on_event;
	ctx->hooks.on_access = gs_on_access;
	ctx->hooks.on_range = gs_on_range;
	return 0;
}

static void gs_ctx_free(struct gs_ctx *ctx)
{
	struct gs_vmshadow *v, *vn;
	struct gs_meta *m, *mn;
	unsigned i;

	for (m = ctx->live.next; m && m != &ctx->live; m = mn) {
		mn = m->next;
		if (m->poisoned)
			gs_asan_poison(m, false);
		gs_meta_free(m);
	}
	for (i = 0; i < GS_GRAVEYARD; i++)
		gs_meta_free(ctx->grave[i]);
	for (v = ctx->vms; v; v = vn) {
		vn = v->next;
		gs_shadow_destroy(v->sh);
		free(v);
	}
	gs_shadow_destroy(ctx->fw_sh);
	free(ctx->hash);
	free(ctx);
}

int gpusan_attach_opts(struct gpuown_mm *mm, const struct gpusan_options *opts)
{
	struct gs_ctx *ctx;
	int err;

	if (!mm || !opts || !opts->history || opts->history > 256 ||
	    opts->stack_depth > GS_STACK_MAX || opts->redzone > 65536)
		return -EINVAL;
	if (gpuown_mm_hooks(mm))
		return -EBUSY;
	if (gpuown_mm_live_objects(mm)) {
		/* Objects gpusan never saw would look like wild addresses. */
		fprintf(stderr,
			"gpusan: attach refused: %zu objects already exist; "
			"attach before allocating\n",
			gpuown_mm_live_objects(mm));
		return -EBUSY;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	err = gs_ctx_init(ctx, mm, opts);
	if (err) {
		gs_ctx_free(ctx);
		return err;
	}
	pthread_mutex_lock(&gs_ctx_list_lock);
	if (gs_ctx_find(mm)) {
		pthread_mutex_unlock(&gs_ctx_list_lock);
		gs_ctx_free(ctx);
		return -EBUSY;
	}
	ctx->next = gs_ctxs;
	gs_ctxs = ctx;
	pthread_mutex_unlock(&gs_ctx_list_lock);
	if (opts->quarantine_set)
		gpuown_mm_set_quarantine_budget(mm, opts->quarantine_budget);
	/* Overruns must land in a redzone, not in the next object. */
	if (opts->redzone)
		gpuown_mm_min_redzone(mm, opts->redzone);
	gs_asan_install();
	gpuown_mm_set_hooks(mm, &ctx->hooks);
	return 0;
}

int gpusan_attach(struct gpuown_mm *mm)
{
	struct gpusan_options opts;
	char err[512];

	gpusan_options_default(&opts);
	if (gpusan_options_parse(getenv("GPUSAN_OPTIONS"), &opts, err,
				 sizeof(err))) {
		fprintf(stderr, "gpusan: GPUSAN_OPTIONS: %s\n", err);
		return -EINVAL;
	}
	return gpusan_attach_opts(mm, &opts);
}

void gpusan_mm_config(struct gpuown_mm_config *cfg)
{
	struct gpusan_options opts;

	if (!cfg)
		return;
	gpusan_options_default(&opts);
	if (gpusan_options_parse(getenv("GPUSAN_OPTIONS"), &opts, NULL, 0))
		gpusan_options_default(&opts); /* attach reports the error */
	if (cfg->redzone < opts.redzone)
		cfg->redzone = opts.redzone;
	if (opts.quarantine_set)
		cfg->quarantine_budget = opts.quarantine_budget;
}

void gpusan_detach(struct gpuown_mm *mm)
{
	struct gs_ctx **pp, *ctx = NULL;
	bool last;

	pthread_mutex_lock(&gs_ctx_list_lock);
	for (pp = &gs_ctxs; *pp; pp = &(*pp)->next) {
		if ((*pp)->mm == mm) {
			ctx = *pp;
			*pp = ctx->next;
			break;
		}
	}
	last = !gs_ctxs;
	pthread_mutex_unlock(&gs_ctx_list_lock);
	if (!ctx)
		return;
	if (gpuown_mm_hooks(mm) == &ctx->hooks)
		gpuown_mm_set_hooks(mm, NULL);
	gs_ctx_free(ctx);
	if (last) {
		gs_report_lock();
		gs_symbolize_fini();
		gs_report_unlock();
	}
}

uint64_t gpusan_shadow_bytes(struct gpuown_mm *mm)
{
	struct gs_vmshadow *v;
	struct gs_ctx *ctx;
	uint64_t bytes = 0;

	pthread_mutex_lock(&gs_ctx_list_lock);
	ctx = gs_ctx_find(mm);
	if (ctx) {
		pthread_mutex_lock(&ctx->lock);
		bytes = gs_shadow_resident(ctx->fw_sh);
		for (v = ctx->vms; v; v = v->next)
			bytes += gs_shadow_resident(v->sh);
		pthread_mutex_unlock(&ctx->lock);
	}
	pthread_mutex_unlock(&gs_ctx_list_lock);
	return bytes;
}

uint8_t gpusan_shadow_byte(struct gpuown_mm *mm, struct gpuown_vm *vm,
			   uint64_t va)
{
	struct gs_shadow *sh = NULL;
	struct gs_ctx *ctx;

	pthread_mutex_lock(&gs_ctx_list_lock);
	ctx = gs_ctx_find(mm);
	if (ctx)
		sh = gs_ctx_shadow(ctx, vm);
	pthread_mutex_unlock(&gs_ctx_list_lock);
	return sh ? gs_shadow_get(sh, va) : 0;
}
