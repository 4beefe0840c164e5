// SPDX-License-Identifier: MIT
/*
 * Events to the hooks, and handle validation: every entry point validates its
 * handle through the host's registry first, so a wild or stale handle is
 * reported and never dereferenced.
 */
#include "core.h"

void gpuown_model_ev_init(struct gpuown_event *ev, enum gpuown_op op,
			  struct gpuown_obj *o, void *caller)
{
	memset(ev, 0, sizeof(*ev));
	ev->op = op;
	ev->obj = o;
	ev->caller = caller;
	if (o) {
		ev->from = obj_state(o);
		ev->to = ev->from;
		ev->holders = GPUOWN_LOAD(&o->holders);
	}
}

void gpuown_model_emit_event(struct gpuown_model *m,
			     const struct gpuown_event *ev)
{
	const struct gpuown_hooks *h = m ? m->hooks : NULL;

	/* An object the sampler left out: only its refusals are reported. */
	if (ev->obj && ev->obj->san_skip && !ev->violation)
		return;
	if (h && h->on_event)
		h->on_event(h->ctx, ev);
}

void gpuown_model_emit_range(struct gpuown_model *m,
			     const struct gpuown_range *r)
{
	const struct gpuown_hooks *h = m ? m->hooks : NULL;

	/*
	 * Never painted, so nothing to repaint: an unbind or invalidate of
	 * its binding, its quarantine and release only ever change granules
	 * a tracked object left.
	 */
	if (r->obj && r->obj->san_skip)
		return;
	if (h && h->on_range)
		h->on_range(h->ctx, r);
}

int gpuown_model_emit_access(struct gpuown_model *m,
			     const struct gpuown_access *acc)
{
	const struct gpuown_hooks *h = m ? m->hooks : NULL;

	/* A checked CPU access to an object the sampler left out. */
	if (acc->obj && acc->obj->san_skip)
		return 0;
	if (h && h->on_access && h->on_access(h->ctx, acc))
		return -EACCES;
	return 0;
}

void emit_obj_range(struct gpuown_obj *o, enum gpuown_range_kind kind)
{
	struct gpuown_range r = {
		.kind = kind,
		.vm = obj_event_vm(o),
		.va = o->va,
		.size = o->size,
		.redzone = o->redzone,
		.fw_addr = gpuown_fw_addr_from_u64(o->fa),
		.obj = o,
	};

	emit_range(o->model, &r);
}

void gpuown_model_report_wild(enum gpuown_op op, const void *h,
			      enum gpuown_violation v, int err, void *caller)
{
	struct gpuown_event ev;

	ev_init(&ev, op, NULL, caller);
	ev.err = err;
	ev.violation = v;
	ev.wild = h;
	gpuown_host.broadcast_event(&ev);
}

int gpuown_model_validate(const void *h, enum gpuown_op op,
			  enum gpuown_violation dead_v,
			  enum gpuown_violation wild_v, void *caller,
			  struct gpuown_obj **out)
{
	struct gpuown_event ev;
	struct gpuown_obj *o;

	switch (gpuown_host.handle_check(h, &o)) {
	case GPUOWN_HANDLE_LIVE:
		*out = o;
		return 0;
	case GPUOWN_HANDLE_DEAD:
		/*
		 * A handle of a destroyed memory system names none that
		 * lives: report it to every one, like a wild handle.
		 */
		if (!o->model) {
			report_wild(op, h,
				    dead_v ? dead_v : GPUOWN_V_USE_AFTER_FREE,
				    -EINVAL, caller);
			break;
		}
		ev_init(&ev, op, o, caller);
		ev.err = -EINVAL;
		ev.violation = dead_v ? dead_v : GPUOWN_V_USE_AFTER_FREE;
		ev.wild = h;
		emit_event(o->model, &ev);
		break;
	case GPUOWN_HANDLE_WILD:
		report_wild(op, h, wild_v ? wild_v : GPUOWN_V_WILD_ADDRESS,
			    -EINVAL, caller);
		break;
	}
	*out = NULL;
	return -EINVAL;
}
