// SPDX-License-Identifier: MIT
/*
 * References and the tables that own them.
 *
 * o->refs counts references (1 from the allocation); o->table_refs counts
 * those tables own. A put may never drop below table_refs: that reference
 * is not the caller's to drop (a borrowed lookup, or a reference given to a
 * table on insert). The last put frees through the same path as
 * gpuown_obj_free() (object.c), so its event is the object's free and
 * gpusan's free stack is the put's.
 */
#include <gpuown/table.h>

#include "core.h"

struct table_ent {
	uint64_t key;
	struct gpuown_obj *obj;
};

struct gpuown_table {
	struct gpuown_model *model;
	struct gpuown_host_lock *lock;
	struct table_ent *ents; /* unsorted; under lock */
	size_t n, cap;
	char name[32];
};

static void ref_event(struct gpuown_obj *o, enum gpuown_op op, int err,
		      enum gpuown_violation v, void *caller)
{
	char note[384], loc[160];
	struct gpuown_event ev;
	const char *fn;

	ev_init(&ev, op, o, caller);
	ev.err = err;
	ev.violation = err ? v : GPUOWN_OK;
	ev.refs = GPUOWN_LOAD(&o->refs);
	if (err && v == GPUOWN_V_USE_AFTER_FREE && o->free_caller) {
		/* Name the put (or free) that dropped the last reference. */
		fn = gpuown_host.symbolize(o->free_caller, loc, sizeof(loc));
		snprintf(note, sizeof(note),
			 "The object was freed by the %s in %s %s",
			 o->free_op == GPUOWN_OP_PUT ? "last put" : "free", fn,
			 loc);
		ev.note = note;
	}
	emit_event(o->model, &ev);
}

/* Take a reference (object lock held): 0, or -EINVAL after the last put. */
static int get_locked(struct gpuown_obj *o)
{
	unsigned refs = GPUOWN_LOAD(&o->refs);

	if (state_freed(obj_state(o)) || !refs)
		return -EINVAL;
	GPUOWN_STORE_REL(&o->refs, refs + 1);
	return 0;
}

int gpuown_obj_get(struct gpuown_obj *h)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_GET, 0, 0, caller, &o);
	if (err)
		return err;
	obj_lock(o);
	err = get_locked(o);
	obj_unlock(o);
	ref_event(o, GPUOWN_OP_GET, err, GPUOWN_V_USE_AFTER_FREE, caller);
	return err;
}

int gpuown_obj_put(struct gpuown_obj *h)
{
	return obj_free_op(h, GPUOWN_OP_PUT, false, 0, GPUOWN_CALLER());
}

/* ------------------------------------------------------------------------
 * Tables
 */
int gpuown_table_create(struct gpuown_mm *mm, const char *name,
			struct gpuown_table **out)
{
	struct gpuown_model *m = mm ? gpuown_host.mm_model(mm) : NULL;
	struct gpuown_table *t;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!m)
		return -EINVAL;
	t = gpuown_host.zalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->lock = gpuown_host.lock_create();
	if (!t->lock) {
		gpuown_host.free(t);
		return -ENOMEM;
	}
	t->model = m;
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "table");
	*out = t;
	return 0;
}

int gpuown_table_destroy(struct gpuown_table *t)
{
	size_t n;

	if (!t)
		return -EINVAL;
	core_lock(t->lock);
	n = t->n;
	core_unlock(t->lock);
	if (n)
		return -EBUSY;
	gpuown_host.lock_destroy(t->lock);
	gpuown_host.free(t->ents);
	gpuown_host.free(t);
	return 0;
}

static struct table_ent *table_find(struct gpuown_table *t, uint64_t key)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->ents[i].key == key)
			return &t->ents[i];
	}
	return NULL;
}

static int table_grow(struct gpuown_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16;
	struct table_ent *n;

	if (t->n < t->cap)
		return 0;
	n = gpuown_host.zalloc(cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	if (t->n)
		memcpy(n, t->ents, t->n * sizeof(*n));
	gpuown_host.free(t->ents);
	t->ents = n;
	t->cap = cap;
	return 0;
}

int gpuown_table_insert(struct gpuown_table *t, uint64_t key,
			struct gpuown_obj *h)
{
	void *caller = GPUOWN_CALLER();
	enum gpuown_violation v = GPUOWN_OK;
	struct gpuown_obj *o;
	int err;

	if (!t)
		return -EINVAL;
	err = obj_validate(h, GPUOWN_OP_INSERT, 0, 0, caller, &o);
	if (err)
		return err;
	if (o->model != t->model) {
		ref_event(o, GPUOWN_OP_INSERT, -EINVAL, GPUOWN_V_FOREIGN_OBJECT,
			  caller);
		return -EINVAL;
	}
	core_lock(t->lock);
	err = table_find(t, key) ? -EEXIST : table_grow(t);
	if (!err) {
		obj_lock(o);
		if (state_freed(obj_state(o)) || !GPUOWN_LOAD(&o->refs)) {
			v = GPUOWN_V_USE_AFTER_FREE;
			err = -EINVAL;
		} else if (GPUOWN_LOAD(&o->refs) <= o->table_refs) {
			/* Every reference is a table's: the caller has none
			 * of its own to give (a borrowed pointer). */
			v = GPUOWN_V_REF_NOT_OWNED;
			err = -EPERM;
		} else {
			o->table_refs++;
		}
		obj_unlock(o);
	}
	if (!err) {
		t->ents[t->n].key = key;
		t->ents[t->n].obj = o;
		t->n++;
	}
	core_unlock(t->lock);
	ref_event(o, GPUOWN_OP_INSERT, err, v, caller);
	return err;
}

struct gpuown_obj *gpuown_table_lookup(struct gpuown_table *t, uint64_t key)
{
	struct table_ent *e;
	struct gpuown_obj *o;

	if (!t)
		return NULL;
	core_lock(t->lock);
	e = table_find(t, key);
	o = e ? e->obj : NULL;
	core_unlock(t->lock);
	return o;
}

struct gpuown_obj *gpuown_table_lookup_get(struct gpuown_table *t, uint64_t key)
{
	void *caller = GPUOWN_CALLER();
	struct table_ent *e;
	struct gpuown_obj *o = NULL;

	if (!t)
		return NULL;
	core_lock(t->lock);
	e = table_find(t, key);
	if (e) {
		o = e->obj;
		obj_lock(o);
		/* The table's reference keeps it alive: this cannot fail. */
		get_locked(o);
		obj_unlock(o);
	}
	core_unlock(t->lock);
	if (o)
		ref_event(o, GPUOWN_OP_GET, 0, GPUOWN_OK, caller);
	return o;
}

struct gpuown_obj *gpuown_table_remove(struct gpuown_table *t, uint64_t key)
{
	void *caller = GPUOWN_CALLER();
	struct table_ent *e;
	struct gpuown_obj *o = NULL;

	if (!t)
		return NULL;
	core_lock(t->lock);
	e = table_find(t, key);
	if (e) {
		o = e->obj;
		*e = t->ents[--t->n];
		obj_lock(o);
		o->table_refs--;
		obj_unlock(o);
	}
	core_unlock(t->lock);
	if (o)
		ref_event(o, GPUOWN_OP_REMOVE, 0, GPUOWN_OK, caller);
	return o;
}

size_t gpuown_table_count(struct gpuown_table *t)
{
	size_t n;

	if (!t)
		return 0;
	core_lock(t->lock);
	n = t->n;
	core_unlock(t->lock);
	return n;
}
