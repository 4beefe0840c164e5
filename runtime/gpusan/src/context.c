// SPDX-License-Identifier: MIT
/*
 * gpusan contexts: one per attached memory system, its shadows, the metadata
 * of its objects (each object's san_data slot, then a graveyard ring of
 * released ones), the event and range hooks, and reports of refused
 * operations. The metadata itself, the painting and the report text are the
 * core's (<gpuown/san.h>).
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
#include <time.h>
#include <unistd.h>

#include <gpuown/model.h>
#include <gpuown/simhost.h>

#include "fault_inject.h"
#include "gpusan_int.h"

#define B(s) (1u << (s))

static pthread_mutex_t gs_ctx_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gs_ctx *gs_ctxs;

/* ------------------------------------------------------------------------
 * Contexts and shadows
 */
static struct gs_ctx *gs_ctx_find(struct gpuown_mm *mm)
{
	struct gs_ctx *c;

	for (c = gs_ctxs; c; c = c->next)
		if (c->mm == mm &&
		    !__atomic_load_n(&c->mm_gone, __ATOMIC_ACQUIRE))
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
	/* The access path checks GPU accesses through @vm inline from now. */
	gpuown_sim_vm_set_shadow(vm, v->sh);
	return v->sh;
}

/* ------------------------------------------------------------------------
 * Sampling: the choice is made once per object, when the object model asks
 * at allocation (gpuown_hooks.sample, before the object's address is
 * chosen), from a hash of the allocation's number in this memory system and
 * the seed, so a run replays with it. An object left out reaches none of
 * the hooks below unless the object model refuses an operation on it.
 */
bool gs_sample_next(struct gs_ctx *ctx)
{
	uint64_t x;

	if (!ctx->sampling)
		return true;
	/* splitmix64 of (n-th allocation + seed): spread evenly, and the
	 * same allocations are chosen again with the same seed. */
	x = __atomic_fetch_add(&ctx->nallocs, 1, __ATOMIC_RELAXED) +
	    ctx->sample_seed + 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	x ^= x >> 31;
	/* 1 in N without a division: x below 2^64 / N. */
	return x < ctx->sample_below;
}

static bool gs_sample_hook(void *c)
{
	return gs_sample_next(c);
}

/* ------------------------------------------------------------------------
 * Metadata
 */
struct gs_meta *gs_meta_live(struct gs_ctx *ctx, const struct gpuown_obj *obj)
{
	/* Only this memory system's objects carry this context's metadata. */
	if (!obj || gpuown_obj_mm(obj) != ctx->mm)
		return NULL;
	return gpuown_obj_san_data(obj);
}

struct gs_meta *gs_meta_of(struct gs_ctx *ctx, const struct gpuown_obj *obj)
{
	struct gs_meta *m = gs_meta_live(ctx, obj);
	unsigned i;

	if (m || !obj)
		return m;
	for (i = 1; i <= GS_GRAVEYARD; i++) {
		m = ctx->grave[(ctx->grave_head + GS_GRAVEYARD - i) %
			       GS_GRAVEYARD];
		if (m && m->old_obj == (const void *)obj)
			return m;
	}
	return NULL;
}

/* Under ctx->lock; @obj is live. */
static struct gs_meta *gs_meta_new(struct gs_ctx *ctx, struct gpuown_obj *obj)
{
	struct gs_meta *m = gs_meta_create(obj, ctx->opts.history);

	if (!m)
		return NULL;
	m->next = ctx->live.next;
	m->prev = &ctx->live;
	ctx->live.next->prev = m;
	ctx->live.next = m;
	ctx->nlive++;
	gpuown_obj_set_san_data(obj, m);
	return m;
}

static struct gs_meta *gs_meta_get(struct gs_ctx *ctx, struct gpuown_obj *obj)
{
	struct gs_meta *m = gs_meta_live(ctx, obj);

	return m ? m : gs_meta_new(ctx, obj);
}

/* Released: keep it in the graveyard ring for late accesses and reports. */
static void gs_meta_retire(struct gs_ctx *ctx, struct gs_meta *m)
{
	struct gs_meta **slot = &ctx->grave[ctx->grave_head];

	if (ctx->last_meta == m)
		ctx->last_meta = NULL;
	if (m->obj)
		gpuown_obj_set_san_data(m->obj, NULL);
	m->prev->next = m->next;
	m->next->prev = m->prev;
	m->next = m->prev = NULL;
	ctx->nlive--;
	gs_meta_bury(m);
	gs_meta_destroy(*slot);
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
 * Events
 */
static void gs_report_event(struct gs_ctx *ctx, const struct gpuown_event *ev,
			    enum gpusan_class cls);

/*
 * A refusal about a handle that names no memory system (a wild or NULL object
 * or VM pointer, a memory system destroyed twice) reaches every memory
 * system's hooks. Lifecycle events carry no object either, but go to one.
 */
static bool gs_event_broadcast(const struct gpuown_event *ev)
{
	return !ev->obj && ev->op != GPUOWN_OP_LIFECYCLE;
}

/*
 * Whether @ctx is the first context of a live memory system: the one that
 * reports a broadcast refusal, so that one misuse is one report however
 * many memory systems gpusan watches.
 */
static bool gs_ctx_first(struct gs_ctx *ctx)
{
	struct gs_ctx *c;
	bool first = false;

	pthread_mutex_lock(&gs_ctx_list_lock);
	for (c = gs_ctxs; c; c = c->next) {
		if (!__atomic_load_n(&c->mm_gone, __ATOMIC_ACQUIRE)) {
			first = c == ctx;
			break;
		}
	}
	pthread_mutex_unlock(&gs_ctx_list_lock);
	return first;
}

static void gs_on_event(void *c, const struct gpuown_event *ev)
{
	struct gs_ctx *ctx = c;
	struct gs_meta *m = NULL;

	if (ev->op == GPUOWN_OP_MM_DESTROY && !ev->violation) {
		/* Our memory system's last event: never touch it again. */
		__atomic_store_n(&ctx->mm_gone, true, __ATOMIC_RELEASE);
		return;
	}
	/*
	 * Sampled mode: an object not chosen never gets here (the object
	 * model asks gs_sample_hook() first) except for its refusals, which
	 * are still reported, without metadata.
	 */
	pthread_mutex_lock(&ctx->lock);
	/*
	 * An event about a live object comes from its own memory system's
	 * hooks: its san_data slot is ours (a refusal may name a wild or
	 * another system's handle: those take the checked lookup).
	 */
	if (ev->obj && !ev->violation)
		m = gpuown_model_san_data(ev->obj);
	else if (ev->obj)
		m = gs_meta_live(ctx, ev->obj);
	if (ev->obj && !m && ev->op == GPUOWN_OP_ALLOC && !ev->err &&
	    !ctx->sampling)
		m = gs_meta_get(ctx, ev->obj);
	if (m) {
		gs_meta_record(m, ev, ++ctx->seq, ctx->opts.stack_depth);
		if (!ev->err && ev->op != GPUOWN_OP_RELEASE && m->obj) {
			gs_meta_refresh(m);
			gs_meta_paint(m, ctx->opts.poison_cpu);
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	/* The object model decides ownership-level bugs; each refusal is one.
	 */
	if (ev->violation && (!gs_event_broadcast(ev) || gs_ctx_first(ctx)))
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
	m->vm = r->vm;
	if (r->vm) {
		gs_copy_name(m->vm_name, sizeof(m->vm_name),
			     gpuown_vm_name(r->vm) ? gpuown_vm_name(r->vm)
						   : "?");
		m->vm_id = gpuown_vm_id(r->vm);
	}
	m->sh = gs_ctx_shadow_get(ctx, r->vm);
	m->va = r->va;
	m->size = r->size;
	m->footprint = r->size;
	m->redzone = r->redzone;
	m->fw_addr = gpuown_fw_addr_to_u64(r->fw_addr);
	m->cpu = gpuown_obj_cpu(r->obj);
	m->state = gpuown_obj_state(r->obj);
	m->mapped = true;
	/* Every device access to it is checked against the syncs. */
	m->noncoh = gpuown_model_noncoherent(r->obj);
	m->painted = 0; /* a new range: paint it all */
	gs_meta_paint(m, ctx->opts.poison_cpu);
}

static void gs_range_clear_redzones(struct gs_shadow *sh,
				    const struct gs_meta *m)
{
	uint64_t g = GS_GRANULE - 1, rz = m->redzone;
	uint64_t lo = (m->va > rz ? m->va - rz : 0) & ~g;
	uint64_t end = (m->va +
			(m->footprint > m->size ? m->footprint : m->size) + g) &
		       ~g;

	gs_shadow_paint(sh, lo, m->va - lo, GS_UNMAPPED, B(GS_REDZONE));
	gs_shadow_paint(sh, end, rz, GS_UNMAPPED, B(GS_REDZONE));
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
	/*
	 * Sampled mode: the next object here may be one gpusan does not
	 * paint, so the redzones go with this one (full mode repaints them
	 * with the next object's bytes).
	 */
	if (sh && ctx->sampling && m->redzone)
		gs_range_clear_redzones(sh, m);
	if (m->poisoned)
		gs_meta_poison(m, false);
	gs_meta_retire(ctx, m);
}

static void gs_range_bind(struct gs_ctx *ctx, const struct gpuown_range *r)
{
	struct gs_shadow *sh = gs_ctx_shadow_get(ctx, r->vm);

	if (!sh)
		return;
	/* A non-coherent object's binding: each GPU access checks the syncs. */
	if (r->kind == GPUOWN_RANGE_BIND)
		gs_shadow_paint(sh, r->va, r->size,
				gpuown_model_noncoherent(r->obj) ? GS_NONCOH
								 : GS_BOUND,
				0);
	else if (r->kind == GPUOWN_RANGE_UNBIND)
		gs_shadow_paint(sh, r->va, r->size, GS_UNBOUND,
				B(GS_BOUND) | B(GS_BOUND_RO) | B(GS_NONCOH));
	else
		gs_shadow_paint(sh, r->va, r->size, GS_UNMAPPED, B(GS_UNBOUND));
}

static void gs_on_range(void *c, const struct gpuown_range *r)
{
	struct gs_ctx *ctx = c;
	struct gs_meta *m;

	/*
	 * Sampled mode: objects not chosen, and their bindings, never get
	 * here (the object model filters them): they are never painted, and
	 * their unbinds, invalidates and releases have nothing to repaint.
	 */
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
			gs_meta_paint(m, ctx->opts.poison_cpu);
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
 * Reports of refused operations
 */
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

static void gs_edge_info(struct gs_ctx *ctx, struct gs_edge_info *ei,
			 const struct gpuown_ptr_edge *e)
{
	ei->e = *e;
	ei->c = gs_meta_of(ctx, e->container);
	ei->t = gs_meta_of(ctx, e->target);
}

static void gs_report_event(struct gs_ctx *ctx, const struct gpuown_event *ev,
			    enum gpusan_class cls)
{
	struct gs_referrers refs = {.skip = ev->edge};
	struct gs_event_info in = {.ev = ev};
	struct gs_report rep;
	unsigned i;

	/* Every live struct still pointing at it, not just the first one. */
	if (cls == GPUSAN_DANGLING_AT_FREE && ev->obj)
		gpuown_obj_for_each_referrer(ev->obj, gs_collect_referrer,
					     &refs);

	pthread_mutex_lock(&ctx->lock);
	in.m = gs_meta_of(ctx, ev->obj);
	if (ev->edge) {
		gs_edge_info(ctx, &in.edge, ev->edge);
		in.other = ev->edge->target == ev->obj ? in.edge.c : in.edge.t;
	}
	for (i = 0; i < refs.n; i++)
		gs_edge_info(ctx, &in.refs[i], &refs.e[i]);
	in.nrefs = refs.n;
	in.more_refs = refs.more;
	in.untracked = ctx->sampling && !in.m && ev->obj &&
		       gpuown_obj_mm(ev->obj) == ctx->mm;
	if (gs_report_begin(ctx, &rep, cls, ev->caller)) {
		gs_compose_event(&rep, &in);
		gs_report_dot(ctx, &rep, in.m);
		gs_report_end(ctx, &rep);
	}
	pthread_mutex_unlock(&ctx->lock);
}

/* ------------------------------------------------------------------------
 * Attach / detach
 */
static int gs_ctx_init(struct gs_ctx *ctx, struct gpuown_mm *mm,
		       const struct gpusan_options *opts)
{
	unsigned a, w, at;
	int err;

	ctx->mm = mm;
	ctx->opts = *opts;
	ctx->live.next = ctx->live.prev = &ctx->live;
	ctx->fw_vm = gpuown_mm_fw_vm(mm);
	ctx->sampling = opts->sample > 1;
	ctx->unmapped_ok = ctx->sampling ? B(GS_UNMAPPED) : 0;
	for (a = 0; a < 3; a++)
		for (w = 0; w < 2; w++)
			for (at = 0; at < 2; at++)
				ctx->allowed[a][w][at] =
					gs_fast[a][w][at] | ctx->unmapped_ok;
	ctx->sample_below = ctx->sampling ? UINT64_MAX / opts->sample : 0;
	ctx->sample_seed =
		opts->sample_seed_set
			? opts->sample_seed
			: (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	err = gs_shadow_create(&ctx->fw_sh);
	if (err)
		return err;
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->hooks.ctx = ctx;
	ctx->hooks.on_event = gs_on_event;
	ctx->hooks.on_access = gs_on_access;
	ctx->hooks.fw_shadow = ctx->fw_sh;
	memcpy(ctx->hooks.fw_allowed, ctx->allowed[GPUOWN_AGENT_FW],
	       sizeof(ctx->hooks.fw_allowed));
	/* GPU accesses are checked inline too, against each VM's shadow. */
	ctx->hooks.gpu_inline = true;
	for (w = 0; w < 2; w++)
		ctx->hooks.gpu_allowed[w] =
			ctx->allowed[GPUOWN_AGENT_GPU][w][0];
	if (ctx->sampling) {
		/* Only a tracked object pays for a redzone (KFENCE's guard
		 * pages are around its own objects only). */
		ctx->hooks.sample = gs_sample_hook;
		ctx->hooks.sample_redzone = opts->redzone;
		ctx->hooks.sampled = true;
	}
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
			gs_meta_poison(m, false);
		if (m->obj && !__atomic_load_n(&ctx->mm_gone, __ATOMIC_ACQUIRE))
			gpuown_obj_set_san_data(m->obj, NULL);
		gs_meta_destroy(m);
	}
	for (i = 0; i < GS_GRAVEYARD; i++)
		gs_meta_destroy(ctx->grave[i]);
	for (v = ctx->vms; v; v = vn) {
		vn = v->next;
		gs_shadow_destroy(v->sh);
		free(v);
	}
	gs_shadow_destroy(ctx->fw_sh);
	free(ctx);
}

int gpusan_add_wrapper(const char *pattern)
{
	return gs_wrap_add(pattern);
}

void gpusan_clear_wrappers(void)
{
	gs_wrap_clear();
}

/* "a|b|c" into the process-wide wrapper list. */
static int gs_add_wrappers(const char *list)
{
	char pat[GS_WRAP_LEN];
	size_t len;
	int err;

	while (*list) {
		len = strcspn(list, "|");
		if (!len || len >= sizeof(pat))
			return -EINVAL;
		memcpy(pat, list, len);
		pat[len] = '\0';
		err = gs_wrap_add(pat);
		if (err)
			return err;
		list += len;
		if (*list)
			list++;
	}
	return 0;
}

int gpusan_attach_opts(struct gpuown_mm *mm, const struct gpusan_options *opts)
{
	struct gs_ctx *ctx;
	int err;

	if (!mm || !opts || !opts->history || opts->history > 256 ||
	    opts->stack_depth > GS_STACK_MAX || opts->redzone > 65536 ||
	    gs_fault_check(opts, NULL, 0))
		return -EINVAL;
	if (gpuown_mm_hooks(mm))
		return -EBUSY;
	if (gs_add_wrappers(opts->wrappers))
		return -EINVAL;
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
	/*
	 * Overruns must land in a redzone, not in the next object. Sampled:
	 * the tracked objects only (gpuown_hooks.sample_redzone).
	 */
	if (opts->redzone && !ctx->sampling)
		gpuown_mm_min_redzone(mm, opts->redzone);
	gs_asan_install();
	gs_stack_install();
	gpuown_sim_vm_set_shadow(ctx->fw_vm, ctx->fw_sh);
	gpuown_mm_set_hooks(mm, &ctx->hooks);
	gs_fault_attach(opts);
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
	/* Sampled: gpusan gives tracked objects their redzone itself. */
	if (cfg->redzone < opts.redzone && opts.sample <= 1)
		cfg->redzone = opts.redzone;
	if (opts.quarantine_set)
		cfg->quarantine_budget = opts.quarantine_budget;
}

/* gpusan_detach() after gpuown_mm_destroy(): say so, then clean up. */
static void gs_report_detach_gone(struct gs_ctx *ctx, void *caller)
{
	char what[256];
	struct gs_report rep;

	if (!gs_report_begin(ctx, &rep, GPUSAN_USE_AFTER_FREE, caller))
		return;
	rep.pub.addr = (uint64_t)(uintptr_t)ctx->mm;
	snprintf(what, sizeof(what),
		 "gpusan_detach() of memory system %p, which was destroyed "
		 "while gpusan was attached\n"
		 " [detach before gpuown_mm_destroy(); the destroy already "
		 "released every object]\n",
		 (void *)ctx->mm);
	gs_compose_misuse(&rep, what, caller);
	gs_report_end(ctx, &rep);
}

/*
 * Every object still alive (never freed) at detach is a leak: one report
 * each, naming where it was allocated, then a summary line. Under no lock;
 * the hooks are already removed, so nothing changes the list under us.
 */
static void gs_report_leaks(struct gs_ctx *ctx, void *caller)
{
	struct gs_report rep;
	struct gs_meta *m;
	unsigned n = 0;

	for (m = ctx->live.prev; m != &ctx->live; m = m->prev) {
		if (!m->obj || m->state == GPUOWN_STATE_QUARANTINED ||
		    m->state == GPUOWN_STATE_RELEASED)
			continue;
		n++;
		if (!gs_report_begin_st(ctx, &rep, GPUSAN_LEAK, m->alloc_caller,
					m->alloc_st.st))
			continue;
		gs_compose_leak(&rep, m, caller);
		gs_report_dot(ctx, &rep, m);
		gs_report_end(ctx, &rep);
	}
	if (n)
		gs_report_note(ctx,
			       "gpusan: %u object%s leaked (never freed) at "
			       "gpusan_detach() of memory system %p, each "
			       "reported above\n",
			       n, n == 1 ? "" : "s", (void *)ctx->mm);
}

/* The VMs' shadow pointers go before the shadows (destroyed VMs: ignored). */
static void gs_ctx_forget_vms(struct gs_ctx *ctx)
{
	struct gs_vmshadow *v;

	if (__atomic_load_n(&ctx->mm_gone, __ATOMIC_ACQUIRE))
		return;
	gpuown_sim_vm_set_shadow(ctx->fw_vm, NULL);
	for (v = ctx->vms; v; v = v->next)
		gpuown_sim_vm_set_shadow(v->vm, NULL);
}

void gpusan_detach(struct gpuown_mm *mm)
{
	void *caller = __builtin_return_address(0);
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
	if (__atomic_load_n(&ctx->mm_gone, __ATOMIC_ACQUIRE))
		gs_report_detach_gone(ctx, caller);
	else if (gpuown_mm_hooks(mm) == &ctx->hooks)
		gpuown_mm_set_hooks(mm, NULL);
	gs_ctx_forget_vms(ctx);
	if (ctx->opts.detect_leaks &&
	    !__atomic_load_n(&ctx->mm_gone, __ATOMIC_ACQUIRE))
		gs_report_leaks(ctx, caller);
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

bool gpusan_obj_tracked(const struct gpuown_obj *obj)
{
	struct gs_ctx *ctx;
	bool ret = false;

	pthread_mutex_lock(&gs_ctx_list_lock);
	ctx = obj ? gs_ctx_find(gpuown_obj_mm(obj)) : NULL;
	if (ctx) {
		pthread_mutex_lock(&ctx->lock);
		ret = gs_meta_live(ctx, obj) != NULL;
		pthread_mutex_unlock(&ctx->lock);
	}
	pthread_mutex_unlock(&gs_ctx_list_lock);
	return ret;
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
