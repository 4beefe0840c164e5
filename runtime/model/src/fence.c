// SPDX-License-Identifier: MIT
/*
 * Completion-gated operations: an object busy with device work until a fence
 * (gpuown_obj_busy_until) may not be freed or rewritten by the CPU before the
 * fence is reached. Fences carry a name and their creation site so a report
 * can say which completion the operation did not wait for.
 */
#include "core.h"

struct gpuown_fence gpuown_fence_make(struct gpuown_obj *stamp, uint32_t offset,
				      uint32_t value, const char *name)
{
	struct gpuown_fence f = {
		.stamp = stamp,
		.offset = offset,
		.value = value,
		.name = name,
		.created = GPUOWN_CALLER(),
	};

	return f;
}

void fence_note(const struct gpuown_fence *f, char *buf, size_t len)
{
	struct gpuown_obj *s = NULL;
	char loc[160] = "";
	const char *fn = NULL;
	uint32_t now = 0;
	char *p;

	if (gpuown_host.handle_check(f->stamp, &s) != GPUOWN_HANDLE_LIVE)
		s = NULL;
	p = s && !state_freed(obj_state(s))
		    ? gpuown_host.translate(s->model, s->vm, s->va + f->offset)
		    : NULL;
	if (p && f->offset % 4 == 0 && (uint64_t)f->offset + 4 <= s->size)
		now = raw_load32(p);
	if (f->created)
		fn = gpuown_host.symbolize(f->created, loc, sizeof(loc));
	snprintf(
		buf, len,
		"The fence%s%s%s: stamp %s id %llu +0x%x reaching %u (now %u), "
		"created in %s %s",
		f->name ? " '" : "", f->name ? f->name : "", f->name ? "'" : "",
		s ? s->name : "?", (unsigned long long)(s ? s->id : 0),
		f->offset, f->value, now,
		fn ? fn : "(unknown: not made by gpuown_fence_make)", loc);
}

static bool fence_valid(const struct gpuown_fence *f)
{
	struct gpuown_obj *s;

	if (gpuown_host.handle_check(f->stamp, &s) != GPUOWN_HANDLE_LIVE ||
	    state_freed(obj_state(s)))
		return false;
	return f->offset % 4 == 0 && (uint64_t)f->offset + 4 <= s->size;
}

const struct gpuown_fence *gate_pending(struct gpuown_obj *o)
{
	unsigned i = 0;

	while (i < o->nbusy) {
		if (!gpuown_fence_reached(&o->busy[i]))
			return &o->busy[i];
		/* Reached: it gates nothing any more. */
		o->busy[i] = o->busy[--o->nbusy];
	}
	return NULL;
}

void gate_fini(struct gpuown_obj *o)
{
	gpuown_host.free(o->busy);
	o->busy = NULL;
	o->nbusy = o->cap_busy = 0;
}

static int gate_add(struct gpuown_obj *o, const struct gpuown_fence *f)
{
	struct gpuown_fence *n;
	unsigned cap;

	/* Drop reached ones first, so the list stays as long as the work. */
	gate_pending(o);
	if (o->nbusy == o->cap_busy) {
		cap = o->cap_busy ? o->cap_busy * 2 : 2;
		n = gpuown_host.zalloc(cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		if (o->nbusy)
			memcpy(n, o->busy, o->nbusy * sizeof(*n));
		gpuown_host.free(o->busy);
		o->busy = n;
		o->cap_busy = cap;
	}
	o->busy[o->nbusy++] = *f;
	return 0;
}

int gpuown_obj_busy_until(struct gpuown_obj *h, const struct gpuown_fence *f)
{
	void *caller = GPUOWN_CALLER();
	enum gpuown_violation v = GPUOWN_OK;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_BUSY, 0, 0, caller, &o);
	if (err)
		return err;
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_BUSY, o, caller);
	if (!f || !fence_valid(f)) {
		ev.wild = f ? (const void *)f->stamp : NULL;
		err = -EINVAL;
	} else if (state_freed(obj_state(o))) {
		v = GPUOWN_V_USE_AFTER_FREE;
		err = -EINVAL;
	} else if (!gpuown_fence_reached(f)) {
		err = gate_add(o, f);
	}
	obj_unlock(o);
	ev.fence = f;
	ev.err = err;
	ev.violation = v;
	emit_event(o->model, &ev);
	return err;
}
