// SPDX-License-Identifier: MIT
/*
 * Objects: allocation, the ownership state machine, fences and holds, and
 * properties. Where an object lives is the host's business (->reserve).
 *
 * Each transition runs under the object's lock; the ones that consult pointer
 * edges (free, publish, share) also hold the model's graph lock, taken first.
 * Hooks are called after every lock is dropped.
 */
#include "core.h"

static uint64_t next_obj_id = 1;

/* Finish an operation: fill in the outcome and report it. */
static int op_end(struct gpuown_obj *o, struct gpuown_event *ev, int err,
		  enum gpuown_violation v)
{
	ev->err = err;
	ev->violation = v;
	emit_event(o->model, ev);
	return err;
}

/* Record the state after a successful transition (object lock held). */
static void ev_after(struct gpuown_event *ev, struct gpuown_obj *o)
{
	ev->to = obj_state(o);
	ev->holders = GPUOWN_LOAD(&o->holders);
}

/* ------------------------------------------------------------------------
 * Fences
 */
static char *fence_word(const struct gpuown_fence *f)
{
	struct gpuown_obj *s;

	if (gpuown_host.handle_check(f->stamp, &s) != GPUOWN_HANDLE_LIVE ||
	    state_freed(obj_state(s)))
		return NULL;
	if (f->offset % 4 || (uint64_t)f->offset + 4 > s->size)
		return NULL;
	return gpuown_host.translate(s->model, s->vm, s->va + f->offset);
}

bool gpuown_fence_reached(const struct gpuown_fence *f)
{
	char *p = f ? fence_word(f) : NULL;

	if (!p)
		return false;
	/* Wrap-around compare, as for sequence numbers. */
	return (int32_t)(raw_load32(p) - f->value) >= 0;
}

static int hold_add(struct gpuown_obj *o, const struct gpuown_fence *done)
{
	unsigned n = GPUOWN_LOAD(&o->holders);

	if (n == o->cap_holds) {
		unsigned cap = o->cap_holds ? o->cap_holds * 2 : 4;
		struct gpuown_hold *h = gpuown_host.zalloc(cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		if (n)
			memcpy(h, o->holds, n * sizeof(*h));
		gpuown_host.free(o->holds);
		o->holds = h;
		o->cap_holds = cap;
	}
	o->holds[n].has_fence = done != NULL;
	if (done)
		o->holds[n].f = *done;
	GPUOWN_STORE_REL(&o->holders, n + 1);
	return 0;
}

static int hold_find(struct gpuown_obj *o, const struct gpuown_fence *done)
{
	unsigned i, n = GPUOWN_LOAD(&o->holders);

	for (i = 0; i < n; i++) {
		const struct gpuown_hold *h = &o->holds[i];

		if (!done && !h->has_fence)
			return (int)i;
		if (done && h->has_fence && h->f.stamp == done->stamp &&
		    h->f.offset == done->offset && h->f.value == done->value)
			return (int)i;
	}
	return -1;
}

static void hold_remove(struct gpuown_obj *o, unsigned i)
{
	unsigned n = GPUOWN_LOAD(&o->holders);

	o->holds[i] = o->holds[n - 1];
	GPUOWN_STORE_REL(&o->holders, n - 1);
}

/* ------------------------------------------------------------------------
 * Allocation
 */
static int alloc_check(const struct gpuown_alloc_args *a, uint64_t *size,
		       uint64_t *align)
{
	const struct gpuown_struct_desc *l = a->layout;

	if ((unsigned)a->mode >= GPUOWN_MAP_NR_MODES)
		return -EINVAL;
	uint32_t coh = a->flags & (GPUOWN_ALLOC_WC | GPUOWN_ALLOC_UNCACHED |
				   GPUOWN_ALLOC_NONCOHERENT);

	if (a->flags &
	    ~(GPUOWN_ALLOC_NO_CPU_MAP | GPUOWN_ALLOC_ZERO | GPUOWN_ALLOC_WC |
	      GPUOWN_ALLOC_UNCACHED | GPUOWN_ALLOC_NONCOHERENT))
		return -EINVAL;
	/* One memory type per mapping. */
	if (coh & (coh - 1))
		return -EINVAL;
	*align = a->align ? a->align : 64;
	if (*align & (*align - 1))
		return -EINVAL;
	*size = a->size;
	if (l) {
		if (*size && *size < l->size)
			return -EINVAL;
		/* Cover what the firmware may touch beyond sizeof. */
		if (*size < l->size)
			*size = l->size;
		if (*size < l->footprint)
			*size = l->footprint;
	}
	return *size ? 0 : -EINVAL;
}

static int obj_init(struct gpuown_obj *o, struct gpuown_model *m,
		    const struct gpuown_alloc_args *a, uint64_t size)
{
	const char *name = a->name;

	o->model = m;
	o->size = size;
	o->req_size = a->size ? a->size : a->layout ? a->layout->size : size;
	o->refs = 1;
	o->mode = (uint32_t)a->mode;
	o->layout = a->layout;
	o->flags = a->flags;
	o->fw_dir = a->fw_dir	? a->fw_dir
		    : a->layout ? a->layout->fw_dir
				: GPUOWN_DIR_RW;
	if (!name)
		name = a->layout ? a->layout->name : "raw";
	snprintf(o->name, sizeof(o->name), "%s", name);
	o->id = GPUOWN_FETCH_ADD(&next_obj_id, 1);
	o->lock = gpuown_host.lock_create();
	if (!o->lock)
		return -ENOMEM;
	obj_set_state(o, (a->flags & GPUOWN_ALLOC_NO_CPU_MAP)
				 ? GPUOWN_STATE_GPU_ONLY
				 : GPUOWN_STATE_CPU);
	return 0;
}

static void obj_fill_new(struct gpuown_obj *o)
{
	int c = (o->flags & GPUOWN_ALLOC_ZERO) ? 0 : GPUOWN_POISON_ALLOC;
	struct gpuown_model *m = o->model;

	gpuown_host.fill(m, o->vm, o->resv_start, o->va - o->resv_start,
			 GPUOWN_POISON_REDZONE);
	gpuown_host.fill(m, o->vm, o->va, o->size, c);
	gpuown_host.fill(m, o->vm, o->va + o->size,
			 o->resv_end - (o->va + o->size),
			 GPUOWN_POISON_REDZONE);
}

static void obj_link(struct gpuown_model *m, struct gpuown_obj *o)
{
	core_lock(m->objs_lock);
	o->all_next = m->objs;
	if (m->objs)
		m->objs->all_prev = o;
	m->objs = o;
	core_unlock(m->objs_lock);
	GPUOWN_FETCH_ADD(&m->live, 1);
}

void obj_unlink(struct gpuown_model *m, struct gpuown_obj *o)
{
	core_lock(m->objs_lock);
	if (o->all_prev)
		o->all_prev->all_next = o->all_next;
	else
		m->objs = o->all_next;
	if (o->all_next)
		o->all_next->all_prev = o->all_prev;
	core_unlock(m->objs_lock);
}

/*
 * Sampled tracking: the tracker chooses before the address is, so that only
 * a tracked object pays for a (larger) redzone. The choice is asked even
 * when the allocation then fails, so a seeded run chooses alike.
 */
static void obj_sample(struct gpuown_model *m, struct gpuown_obj *o)
{
	const struct gpuown_hooks *h = m->hooks;

	o->redzone = m->redzone;
	if (!h || !h->sample)
		return;
	if (!h->sample(h->ctx)) {
		o->san_skip = true;
		return;
	}
	if (o->redzone < h->sample_redzone)
		o->redzone = h->sample_redzone;
}

int gpuown_model_obj_alloc(struct gpuown_model *m,
			   const struct gpuown_alloc_args *args,
			   const void *place, void *caller,
			   struct gpuown_obj **out)
{
	uint64_t size, align;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!m || !args)
		return -EINVAL;
	err = alloc_check(args, &size, &align);
	if (err)
		return err;
	o = gpuown_host.obj_alloc();
	if (!o)
		return -ENOMEM;
	err = obj_init(o, m, args, size);
	if (!err) {
		obj_sample(m, o);
		err = gpuown_host.reserve(m, o, args, align, place);
	}
	if (err) {
		gpuown_host.lock_destroy(o->lock);
		gpuown_host.obj_retire(o);
		return err;
	}
	obj_fill_new(o);
	obj_link(m, o);
	GPUOWN_STORE_REL(&o->magic, GPUOWN_OBJ_MAGIC_LIVE);
	emit_obj_range(o, GPUOWN_RANGE_OBJECT);
	ev_init(&ev, GPUOWN_OP_ALLOC, o, caller);
	emit_event(m, &ev);
	*out = o;
	return 0;
}

/* ------------------------------------------------------------------------
 * Free
 */
/*
 * Whether @o may be freed now (graph and object locks held). @put: the last
 * put frees it (the caller's reference is the last one).
 */
static int free_check(struct gpuown_obj *o, bool put,
		      struct gpuown_ptr_edge *edge, struct gpuown_fence *fence,
		      enum gpuown_violation *v)
{
	enum gpuown_state st = obj_state(o);
	const struct gpuown_fence *f;
	struct gpuown_edge *e;

	*v = GPUOWN_OK;
	if (state_freed(st)) {
		*v = put ? GPUOWN_V_USE_AFTER_FREE : GPUOWN_V_DOUBLE_FREE;
		return -EINVAL;
	}
	if (st == GPUOWN_STATE_FW) {
		*v = GPUOWN_V_FREE_WHILE_FW_OWNED;
		return -EBUSY;
	}
	if (st == GPUOWN_STATE_SHARED && !o->detached) {
		*v = GPUOWN_V_FREE_WHILE_SHARED;
		return -EBUSY;
	}
	if (o->cpu_depth) {
		*v = GPUOWN_V_ILLEGAL_TRANSITION;
		return -EBUSY;
	}
	if (!put && (GPUOWN_LOAD(&o->refs) > 1 || o->table_refs)) {
		*v = GPUOWN_V_FREE_WHILE_REFERENCED;
		return -EBUSY;
	}
	/*
	 * Still mapped in a user VM: the GPU reaches the pages through valid
	 * page-table entries. (Unbound but not invalidated is allowed: the
	 * binding keeps the pages until the invalidate; see the header.)
	 */
	if (GPUOWN_LOAD(&o->nbinds)) {
		*v = GPUOWN_V_FREE_WHILE_BOUND;
		return -EBUSY;
	}
	f = gate_pending(o);
	if (f) {
		*fence = *f;
		*v = GPUOWN_V_FREE_BEFORE_COMPLETION;
		return -EBUSY;
	}
	e = edges_busy_referrer(o);
	if (e) {
		*edge = e->pub;
		*v = GPUOWN_V_DANGLING_AT_FREE;
		return -EBUSY;
	}
	return 0;
}

/*
 * A put that keeps the object (object lock held): 1 when the reference was
 * dropped and others remain, 0 when this is the last one (free it), or a
 * negative errno with *@v.
 */
static int put_locked(struct gpuown_obj *o, enum gpuown_violation *v)
{
	unsigned refs = GPUOWN_LOAD(&o->refs);

	*v = GPUOWN_OK;
	if (state_freed(obj_state(o)) || !refs) {
		*v = GPUOWN_V_USE_AFTER_FREE;
		return -EINVAL;
	}
	/* Dropping a reference a table owns: borrowed, or given away. */
	if (refs - 1 < o->table_refs) {
		*v = GPUOWN_V_REF_NOT_OWNED;
		return -EPERM;
	}
	if (refs > 1) {
		GPUOWN_STORE_REL(&o->refs, refs - 1);
		return 1;
	}
	return 0;
}

int obj_free_op(struct gpuown_obj *h, enum gpuown_op op, bool sized,
		size_t size, void *caller)
{
	bool put = op == GPUOWN_OP_PUT;
	char note[384], loc[160];
	struct gpuown_ptr_edge edge;
	const char *fn;
	struct gpuown_fence fence;
	enum gpuown_violation v;
	struct gpuown_event ev;
	struct gpuown_model *m;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, op, put ? 0 : GPUOWN_V_DOUBLE_FREE,
			   put ? 0 : GPUOWN_V_INVALID_FREE, caller, &o);
	if (err)
		return err;
	m = o->model;
	core_lock(m->graph_lock);
	obj_lock(o);
	ev_init(&ev, op, o, caller);
	err = put ? put_locked(o, &v) : 0;
	if (!err && sized && !state_freed(obj_state(o)) &&
	    size != o->req_size && size != o->size) {
		v = GPUOWN_V_FREE_SIZE_MISMATCH;
		err = -EINVAL;
	}
	if (!err)
		err = free_check(o, put, &edge, &fence, &v);
	if (!err) {
		GPUOWN_STORE_REL(&o->refs, 0u);
		o->free_caller = caller;
		o->free_op = (uint8_t)op;
		obj_set_state(o, GPUOWN_STATE_QUARANTINED);
		edges_drop_outgoing(o);
		edges_mark_dangling(o);
		ev_after(&ev, o);
	}
	ev.refs = GPUOWN_LOAD(&o->refs);
	obj_unlock(o);
	core_unlock(m->graph_lock);
	if (v == GPUOWN_V_DANGLING_AT_FREE)
		ev.edge = &edge;
	if (v == GPUOWN_V_FREE_BEFORE_COMPLETION) {
		ev.fence = &fence;
		fence_note(&fence, note, sizeof(note));
		ev.note = note;
	}
	if (v == GPUOWN_V_USE_AFTER_FREE && o->free_caller) {
		fn = gpuown_host.symbolize(o->free_caller, loc, sizeof(loc));
		snprintf(note, sizeof(note),
			 "The object was freed by the %s in %s %s",
			 o->free_op == GPUOWN_OP_PUT ? "last put" : "free", fn,
			 loc);
		ev.note = note;
	}
	if (err > 0) /* a put, other references remain */
		return op_end(o, &ev, 0, GPUOWN_OK);
	if (err)
		return op_end(o, &ev, err, v);
	gpuown_host.fill(m, o->vm, o->va, o->size, GPUOWN_POISON_FREE);
	quarantine_push(m, o);
	emit_obj_range(o, GPUOWN_RANGE_QUARANTINE);
	op_end(o, &ev, 0, GPUOWN_OK);
	quarantine_evict(m);
	return 0;
}

int gpuown_obj_free(struct gpuown_obj *h)
{
	return obj_free_op(h, GPUOWN_OP_FREE, false, 0, GPUOWN_CALLER());
}

int gpuown_obj_free_sized(struct gpuown_obj *h, size_t size)
{
	return obj_free_op(h, GPUOWN_OP_FREE, true, size, GPUOWN_CALLER());
}

/* ------------------------------------------------------------------------
 * Ownership transitions
 */
static int fence_check(const struct gpuown_fence *f, struct gpuown_event *ev)
{
	if (!f || fence_word(f))
		return 0;
	ev->wild = f->stamp;
	return -EINVAL;
}

static int publish_locked(struct gpuown_obj *o, const struct gpuown_fence *done,
			  struct gpuown_ptr_edge *edge,
			  enum gpuown_violation *v)
{
	enum gpuown_state st = obj_state(o);
	struct gpuown_edge *bad;

	*v = GPUOWN_OK;
	if (state_freed(st)) {
		*v = GPUOWN_V_PUBLISH_FREED;
		return -EINVAL;
	}
	if (st == GPUOWN_STATE_FW) {
		*v = GPUOWN_V_PUBLISH_TWICE;
		return -EALREADY;
	}
	if (st != GPUOWN_STATE_CPU || o->cpu_depth) {
		*v = GPUOWN_V_ILLEGAL_TRANSITION;
		return st != GPUOWN_STATE_CPU ? -EPERM : -EBUSY;
	}
	*v = edges_check_publish(o, false, &bad);
	if (*v) {
		*edge = bad->pub;
		return *v == GPUOWN_V_PUBLISH_DANGLING ? -ENOLINK : -EPERM;
	}
	*v = coh_device_check(o);
	if (*v)
		return -EBUSY;
	if (hold_add(o, done))
		return -ENOMEM;
	obj_set_state(o, GPUOWN_STATE_FW);
	return 0;
}

int gpuown_obj_publish(struct gpuown_obj *h, const struct gpuown_fence *done)
{
	return obj_publish_op(h, done, GPUOWN_CALLER());
}

int obj_publish_op(struct gpuown_obj *h, const struct gpuown_fence *done,
		   void *caller)
{
	struct gpuown_ptr_edge edge;
	enum gpuown_violation v = GPUOWN_OK;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_PUBLISH, GPUOWN_V_PUBLISH_FREED, 0,
			   caller, &o);
	if (err)
		return err;
	core_lock(o->model->graph_lock);
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_PUBLISH, o, caller);
	err = fence_check(done, &ev);
	if (!err)
		err = publish_locked(o, done, &edge, &v);
	ev_after(&ev, o);
	obj_unlock(o);
	core_unlock(o->model->graph_lock);
	if (v == GPUOWN_V_PUBLISH_DANGLING || v == GPUOWN_V_PUBLISH_UNPUBLISHED)
		ev.edge = &edge;
	return op_end(o, &ev, err, v);
}

int gpuown_obj_fw_get(struct gpuown_obj *h, const struct gpuown_fence *done)
{
	void *caller = GPUOWN_CALLER();
	enum gpuown_violation v = GPUOWN_OK;
	struct gpuown_event ev;
	enum gpuown_state st;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_FW_GET, 0, 0, caller, &o);
	if (err)
		return err;
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_FW_GET, o, caller);
	st = obj_state(o);
	err = fence_check(done, &ev);
	if (err) {
		/* bad fence: an argument error, no ownership violation */
	} else if (state_freed(st)) {
		v = GPUOWN_V_USE_AFTER_FREE;
		err = -EINVAL;
	} else if (st != GPUOWN_STATE_FW &&
		   (st != GPUOWN_STATE_SHARED || o->detached)) {
		/* A shared object takes holds too, until the firmware detaches.
		 */
		v = GPUOWN_V_ILLEGAL_TRANSITION;
		err = -EPERM;
	} else if ((v = coh_device_check(o))) {
		err = -EBUSY;
	} else {
		err = hold_add(o, done);
	}
	ev_after(&ev, o);
	obj_unlock(o);
	return op_end(o, &ev, err, v);
}

/*
 * Shared objects: a reclaim releases a hold the firmware took with fw_get
 * (the object stays shared); with no hold left and the firmware detached, it
 * returns the object to the CPU.
 */
static int reclaim_shared(struct gpuown_obj *o, const struct gpuown_fence *done,
			  struct gpuown_fence *fence, enum gpuown_violation *v)
{
	int i;

	if (!GPUOWN_LOAD(&o->holders)) {
		if (!o->detached) {
			*v = GPUOWN_V_DETACH_WHILE_FW_HOLDS;
			return -EBUSY;
		}
		GPUOWN_STORE_REL(&o->detached, false);
		obj_set_state(o, GPUOWN_STATE_CPU);
		return 0;
	}
	i = hold_find(o, done);
	if (i < 0) {
		*v = GPUOWN_V_ILLEGAL_TRANSITION;
		return -ENOENT;
	}
	if (o->holds[i].has_fence && !gpuown_fence_reached(&o->holds[i].f)) {
		*fence = o->holds[i].f;
		*v = GPUOWN_V_RECLAIM_BEFORE_COMPLETION;
		return -EAGAIN;
	}
	hold_remove(o, (unsigned)i);
	return 0;
}

static int reclaim_locked(struct gpuown_obj *o, const struct gpuown_fence *done,
			  struct gpuown_fence *fence, enum gpuown_violation *v)
{
	enum gpuown_state st = obj_state(o);
	int i;

	*v = GPUOWN_OK;
	if (state_freed(st)) {
		*v = GPUOWN_V_USE_AFTER_FREE;
		return -EINVAL;
	}
	if (st == GPUOWN_STATE_SHARED)
		return reclaim_shared(o, done, fence, v);
	if (st != GPUOWN_STATE_FW) {
		*v = GPUOWN_V_RECLAIM_NOT_PUBLISHED;
		return -EPERM;
	}
	i = hold_find(o, done);
	if (i < 0) {
		*v = GPUOWN_V_ILLEGAL_TRANSITION;
		return -ENOENT;
	}
	if (o->holds[i].has_fence && !gpuown_fence_reached(&o->holds[i].f)) {
		*fence = o->holds[i].f;
		*v = GPUOWN_V_RECLAIM_BEFORE_COMPLETION;
		return -EAGAIN;
	}
	hold_remove(o, (unsigned)i);
	if (!GPUOWN_LOAD(&o->holders)) {
		obj_set_state(o, GPUOWN_STATE_CPU);
		/* Back from the device: what it wrote is not yet CPU-visible.
		 */
		if (o->fw_dir & GPUOWN_DIR_WRITE)
			gpuown_model_device_wrote(o);
	}
	return 0;
}

int gpuown_obj_reclaim(struct gpuown_obj *h, const struct gpuown_fence *done)
{
	void *caller = GPUOWN_CALLER();
	char note[384];
	struct gpuown_fence fence;
	enum gpuown_violation v;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_RECLAIM, 0, 0, caller, &o);
	if (err)
		return err;
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_RECLAIM, o, caller);
	err = reclaim_locked(o, done, &fence, &v);
	ev_after(&ev, o);
	obj_unlock(o);
	if (v == GPUOWN_V_RECLAIM_BEFORE_COMPLETION) {
		ev.fence = &fence;
		fence_note(&fence, note, sizeof(note));
		ev.note = note;
	}
	return op_end(o, &ev, err, v);
}

static int share_locked(struct gpuown_obj *o, struct gpuown_ptr_edge *edge,
			enum gpuown_violation *v)
{
	enum gpuown_state st = obj_state(o);
	struct gpuown_edge *bad;

	*v = GPUOWN_V_ILLEGAL_TRANSITION;
	if (state_freed(st)) {
		*v = GPUOWN_V_USE_AFTER_FREE;
		return -EINVAL;
	}
	if (st == GPUOWN_STATE_SHARED)
		return -EALREADY;
	if (st != GPUOWN_STATE_CPU)
		return -EPERM;
	if (o->cpu_depth)
		return -EBUSY;
	*v = edges_check_publish(o, true, &bad);
	if (*v) {
		*edge = bad->pub;
		return -ENOLINK;
	}
	*v = coh_device_check(o);
	if (*v)
		return -EBUSY;
	obj_set_state(o, GPUOWN_STATE_SHARED);
	return 0;
}

int gpuown_obj_share(struct gpuown_obj *h)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_ptr_edge edge;
	enum gpuown_violation v;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_SHARE, 0, 0, caller, &o);
	if (err)
		return err;
	core_lock(o->model->graph_lock);
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_SHARE, o, caller);
	err = share_locked(o, &edge, &v);
	ev_after(&ev, o);
	obj_unlock(o);
	core_unlock(o->model->graph_lock);
	if (v == GPUOWN_V_PUBLISH_DANGLING)
		ev.edge = &edge;
	return op_end(o, &ev, err, err ? v : GPUOWN_OK);
}

int gpuown_obj_detach(struct gpuown_obj *h)
{
	void *caller = GPUOWN_CALLER();
	enum gpuown_violation v = GPUOWN_V_ILLEGAL_TRANSITION;
	struct gpuown_event ev;
	enum gpuown_state st;
	struct gpuown_obj *o;
	int err = 0;

	err = obj_validate(h, GPUOWN_OP_DETACH, 0, 0, caller, &o);
	if (err)
		return err;
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_DETACH, o, caller);
	st = obj_state(o);
	if (state_freed(st)) {
		v = GPUOWN_V_USE_AFTER_FREE;
		err = -EINVAL;
	} else if (st != GPUOWN_STATE_SHARED) {
		err = -EPERM;
	} else if (o->detached) {
		err = -EALREADY;
	} else if (GPUOWN_LOAD(&o->holders)) {
		/* The firmware still holds it (a fw_get not reclaimed). */
		v = GPUOWN_V_DETACH_WHILE_FW_HOLDS;
		err = -EBUSY;
	} else {
		GPUOWN_STORE_REL(&o->detached, true);
		v = GPUOWN_OK;
	}
	obj_unlock(o);
	return op_end(o, &ev, err, v);
}

/* ------------------------------------------------------------------------
 * Properties. Queries on a released handle answer from the graveyard slot;
 * on a wild handle they answer NULL / 0.
 */
static struct gpuown_obj *obj_get(const struct gpuown_obj *h)
{
	struct gpuown_obj *o;

	return gpuown_host.handle_check(h, &o) == GPUOWN_HANDLE_WILD ? NULL : o;
}

void *gpuown_obj_cpu(struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	if (!o || obj_state(o) == GPUOWN_STATE_RELEASED)
		return NULL;
	return o->cpu;
}

gpu_addr_t gpuown_obj_gpu_va(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return gpuown_gpu_addr_from_u64(o ? o->va : 0);
}

fw_addr_t gpuown_obj_fw_addr(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return gpuown_fw_addr_from_u64(o ? o->fa : 0);
}

size_t gpuown_obj_size(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? o->size : 0;
}

const char *gpuown_obj_name(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? o->name : NULL;
}

const struct gpuown_struct_desc *gpuown_obj_layout(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? o->layout : NULL;
}

enum gpuown_state gpuown_obj_state(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? obj_state(o) : GPUOWN_STATE_RELEASED;
}

unsigned gpuown_obj_fw_holders(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? GPUOWN_LOAD(&o->holders) : 0;
}

unsigned gpuown_obj_refs(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? GPUOWN_LOAD(&o->refs) : 0;
}

uint64_t gpuown_obj_id(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? o->id : 0;
}

void *gpuown_obj_san_data(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? GPUOWN_LOAD_ACQ(&o->san_data) : NULL;
}

void gpuown_obj_set_san_data(struct gpuown_obj *h, void *data)
{
	struct gpuown_obj *o = obj_get(h);

	if (o)
		GPUOWN_STORE_REL(&o->san_data, data);
}

enum gpuown_map_mode gpuown_obj_mode(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? (enum gpuown_map_mode)o->mode : GPUOWN_MAP_NR_MODES;
}

struct gpuown_vm *gpuown_obj_vm(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? o->vm : NULL;
}

uint32_t gpuown_obj_fw_dir(const struct gpuown_obj *h)
{
	struct gpuown_obj *o = obj_get(h);

	return o ? o->fw_dir : 0;
}
