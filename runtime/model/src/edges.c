// SPDX-License-Identifier: MIT
/*
 * Tracked pointer stores: which field of which container points at which
 * object. Every edge is on its container's outgoing list and, until the
 * target is freed, on the target's incoming list. All of it is guarded by the
 * model's graph lock.
 */
#include "core.h"

void edges_drop_outgoing(struct gpuown_obj *o)
{
	struct gpuown_edge *e, **pp;

	while ((e = o->out)) {
		o->out = e->out_next;
		if (!e->dangling) {
			for (pp = &e->pub.target->in; *pp;
			     pp = &(*pp)->in_next) {
				if (*pp == e) {
					*pp = e->in_next;
					break;
				}
			}
		}
		gpuown_host.free(e);
	}
}

struct gpuown_edge *edges_busy_referrer(struct gpuown_obj *o)
{
	struct gpuown_edge *e;
	enum gpuown_state st;

	for (e = o->in; e; e = e->in_next) {
		st = obj_state(e->pub.container);
		if (st == GPUOWN_STATE_FW || st == GPUOWN_STATE_SHARED)
			return e;
	}
	return NULL;
}

void edges_mark_dangling(struct gpuown_obj *o)
{
	struct gpuown_edge *e, *next;

	for (e = o->in; e; e = next) {
		next = e->in_next;
		e->dangling = true;
		e->in_next = NULL;
	}
	o->in = NULL;
}

enum gpuown_violation edges_check_publish(struct gpuown_obj *o, bool share,
					  struct gpuown_edge **bad)
{
	struct gpuown_edge *e;

	for (e = o->out; e; e = e->out_next) {
		*bad = e;
		if (e->dangling)
			return GPUOWN_V_PUBLISH_DANGLING;
		if (!share && obj_state(e->pub.target) == GPUOWN_STATE_CPU)
			return GPUOWN_V_PUBLISH_UNPUBLISHED;
	}
	*bad = NULL;
	return GPUOWN_OK;
}

struct store_req {
	struct gpuown_obj *c, *t; /* t NULL: clear */
	size_t off;
	bool fw;
	const struct gpuown_field_desc *field;
};

/* The container's field at @off must be a pointer of the right kind / type. */
static int field_check(struct store_req *rq, enum gpuown_violation *v)
{
	const struct gpuown_struct_desc *l = rq->c->layout;
	const struct gpuown_field_desc *f;
	uint32_t elem;

	*v = GPUOWN_V_OUT_OF_BOUNDS;
	if (rq->off > rq->c->size || rq->c->size - rq->off < 8)
		return -EINVAL;
	/* Anything else that is not an 8-byte pointer slot is a mismatch. */
	*v = GPUOWN_V_PTR_TYPE_MISMATCH;
	if (rq->off % 8 || (rq->t && rq->fw && !rq->t->fa))
		return -EINVAL;
	if (!l)
		return 0;
	f = gpuown_struct_field_at(l, (uint32_t)rq->off);
	if (!f ||
	    (f->kind != GPUOWN_FIELD_GPU_PTR && f->kind != GPUOWN_FIELD_FW_PTR))
		return -EINVAL;
	elem = f->size / (f->count ? f->count : 1);
	if (elem != 8 || (rq->off - f->offset) % 8)
		return -EINVAL;
	rq->field = f;
	if (!rq->t)
		return 0;
	if ((f->kind == GPUOWN_FIELD_FW_PTR) != rq->fw)
		return -EINVAL;
	/* A raw target (no layout) is raw bytes: any pointed-to type fits. */
	if (f->target && rq->t->layout &&
	    strcmp(f->target, rq->t->layout->name) != 0)
		return -EINVAL;
	return 0;
}

static int container_check(struct store_req *rq, enum gpuown_violation *v)
{
	enum gpuown_state st = obj_state(rq->c);

	*v = GPUOWN_OK;
	if (state_freed(st)) {
		*v = GPUOWN_V_USE_AFTER_FREE;
		return -EINVAL;
	}
	if (st == GPUOWN_STATE_FW) {
		*v = GPUOWN_V_CPU_WRITE_FW_OWNED;
		return -EPERM;
	}
	if (st == GPUOWN_STATE_GPU_ONLY) {
		*v = GPUOWN_V_CPU_ACCESS_GPU_ONLY;
		return -EPERM;
	}
	if (rq->t && state_freed(obj_state(rq->t))) {
		*v = GPUOWN_V_USE_AFTER_FREE;
		return -EINVAL;
	}
	return field_check(rq, v);
}

static struct gpuown_edge **edge_slot(struct gpuown_obj *c, size_t off)
{
	struct gpuown_edge **pp;

	for (pp = &c->out; *pp; pp = &(*pp)->out_next) {
		if ((*pp)->pub.offset == off)
			return pp;
	}
	return NULL;
}

static void edge_remove(struct gpuown_obj *c, size_t off)
{
	struct gpuown_edge **pp = edge_slot(c, off), *e, **ip;

	if (!pp)
		return;
	e = *pp;
	*pp = e->out_next;
	if (!e->dangling) {
		for (ip = &e->pub.target->in; *ip; ip = &(*ip)->in_next) {
			if (*ip == e) {
				*ip = e->in_next;
				break;
			}
		}
	}
	gpuown_host.free(e);
}

static int edge_add(struct store_req *rq, struct gpuown_ptr_edge *pub)
{
	struct gpuown_edge *e = gpuown_host.zalloc(sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->pub = *pub;
	e->out_next = rq->c->out;
	rq->c->out = e;
	e->in_next = rq->t->in;
	rq->t->in = e;
	return 0;
}

static int store_locked(struct store_req *rq, struct gpuown_ptr_edge *pub,
			enum gpuown_violation *v)
{
	uint64_t val = 0;
	char *p;
	int err;

	err = container_check(rq, v);
	if (err)
		return err;
	pub->field = rq->field;
	p = gpuown_host.translate(rq->c->model, rq->c->vm, rq->c->va + rq->off);
	if (!p)
		return -EFAULT;
	edge_remove(rq->c, rq->off);
	if (rq->t && !(rq->field && rq->field->flags & GPUOWN_FIELD_WEAK)) {
		err = edge_add(rq, pub);
		if (err)
			return err;
	}
	if (rq->t)
		val = rq->fw ? rq->t->fa : rq->t->va;
	/* Release: a firmware reader that sees the address sees the target. */
	raw_store64(p, val);
	coh_cpu_wrote(rq->c);
	return 0;
}

static int ptr_op(struct gpuown_obj *ch, size_t off, struct gpuown_obj *th,
		  bool fw, bool clear, void *caller)
{
	enum gpuown_op op = clear ? GPUOWN_OP_CLEAR_PTR : GPUOWN_OP_STORE_PTR;
	struct store_req rq = {.off = off, .fw = fw};
	struct gpuown_ptr_edge pub;
	enum gpuown_violation v;
	struct gpuown_event ev;
	int err;

	err = obj_validate(ch, op, 0, 0, caller, &rq.c);
	if (err)
		return err;
	if (!clear) {
		err = obj_validate(th, op, 0, 0, caller, &rq.t);
		if (err)
			return err;
	}
	pub = (struct gpuown_ptr_edge){
		.container = rq.c,
		.offset = (uint32_t)off,
		.target = rq.t,
		.fw_addr = fw,
	};
	core_lock(rq.c->model->graph_lock);
	obj_lock(rq.c);
	ev_init(&ev, op, rq.c, caller);
	err = store_locked(&rq, &pub, &v);
	obj_unlock(rq.c);
	core_unlock(rq.c->model->graph_lock);
	ev.edge = &pub;
	ev.err = err;
	ev.violation = err ? v : GPUOWN_OK;
	emit_event(rq.c->model, &ev);
	return err;
}

int gpuown_store_gpu_ptr(struct gpuown_obj *container, size_t offset,
			 struct gpuown_obj *target)
{
	return ptr_op(container, offset, target, false, false, GPUOWN_CALLER());
}

int gpuown_store_fw_ptr(struct gpuown_obj *container, size_t offset,
			struct gpuown_obj *target)
{
	return ptr_op(container, offset, target, true, false, GPUOWN_CALLER());
}

int gpuown_clear_ptr(struct gpuown_obj *container, size_t offset)
{
	return ptr_op(container, offset, NULL, false, true, GPUOWN_CALLER());
}

/* Copy the edges out so @fn runs without the graph lock held. */
static unsigned edges_visit(struct gpuown_obj *h, bool incoming,
			    gpuown_edge_fn fn, void *arg)
{
	struct gpuown_ptr_edge *copy = NULL, *n;
	unsigned cnt = 0, cap = 0, i;
	struct gpuown_obj *o;
	struct gpuown_edge *e;

	if (gpuown_host.handle_check(h, &o) != GPUOWN_HANDLE_LIVE)
		return 0;
	core_lock(o->model->graph_lock);
	for (e = incoming ? o->in : o->out; e;
	     e = incoming ? e->in_next : e->out_next) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			n = gpuown_host.zalloc(cap * sizeof(*n));
			if (!n)
				break;
			if (cnt)
				memcpy(n, copy, cnt * sizeof(*n));
			gpuown_host.free(copy);
			copy = n;
		}
		copy[cnt++] = e->pub;
	}
	core_unlock(o->model->graph_lock);
	for (i = 0; fn && i < cnt; i++)
		fn(&copy[i], arg);
	gpuown_host.free(copy);
	return cnt;
}

unsigned gpuown_obj_for_each_referrer(struct gpuown_obj *target,
				      gpuown_edge_fn fn, void *arg)
{
	return edges_visit(target, true, fn, arg);
}

unsigned gpuown_obj_for_each_pointee(struct gpuown_obj *container,
				     gpuown_edge_fn fn, void *arg)
{
	return edges_visit(container, false, fn, arg);
}
