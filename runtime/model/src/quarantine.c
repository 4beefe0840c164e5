// SPDX-License-Identifier: MIT
/*
 * Memory systems' core state, the quarantine policy and release.
 *
 * A freed object waits on the list the host named for it (o->q_wait: the
 * firmware cache flush, a user VM's TLB invalidate) or, when it is reusable
 * at once, on the ready FIFO. The event moves its whole list to the ready
 * FIFO, so neither a free nor a flush walks the quarantine. Ready entries are
 * released, oldest first, while the quarantine holds more than the budget.
 */
#include "core.h"

int gpuown_model_init(struct gpuown_model *m)
{
	m->graph_lock = gpuown_host.lock_create();
	m->q_lock = gpuown_host.lock_create();
	m->objs_lock = gpuown_host.lock_create();
	if (!m->graph_lock || !m->q_lock || !m->objs_lock) {
		gpuown_host.lock_destroy(m->graph_lock);
		gpuown_host.lock_destroy(m->q_lock);
		gpuown_host.lock_destroy(m->objs_lock);
		m->graph_lock = m->q_lock = m->objs_lock = NULL;
		return -ENOMEM;
	}
	return 0;
}

size_t gpuown_model_fini(struct gpuown_model *m)
{
	struct gpuown_obj *o;
	size_t leaked = 0;

	if (!m->objs_lock)
		return 0;
	core_lock(m->q_lock);
	/* Everything is released below; the host's lists go with its VMs. */
	m->q_ready.head = m->q_ready.tail = NULL;
	m->q_fw_wait.head = m->q_fw_wait.tail = NULL;
	m->q_bytes = 0;
	core_unlock(m->q_lock);
	/* Release everything, quarantined or not; count what was never freed.
	 */
	for (;;) {
		core_lock(m->objs_lock);
		o = m->objs;
		core_unlock(m->objs_lock);
		if (!o)
			break;
		if (!state_freed(obj_state(o)))
			leaked++;
		core_lock(m->graph_lock);
		edges_drop_outgoing(o);
		edges_mark_dangling(o);
		core_unlock(m->graph_lock);
		obj_release(o);
	}
	gpuown_host.lock_destroy(m->graph_lock);
	gpuown_host.lock_destroy(m->q_lock);
	gpuown_host.lock_destroy(m->objs_lock);
	m->graph_lock = m->q_lock = m->objs_lock = NULL;
	return leaked;
}

static void qlist_append(struct gpuown_qlist *l, struct gpuown_obj *o)
{
	o->q_next = NULL;
	if (l->tail)
		l->tail->q_next = o;
	else
		l->head = o;
	l->tail = o;
}

/* Move every entry of @from to the reusable FIFO; under q_lock. */
static void quarantine_move_ready(struct gpuown_model *m,
				  struct gpuown_qlist *from)
{
	if (!from->head)
		return;
	if (m->q_ready.tail)
		m->q_ready.tail->q_next = from->head;
	else
		m->q_ready.head = from->head;
	m->q_ready.tail = from->tail;
	from->head = from->tail = NULL;
}

void quarantine_push(struct gpuown_model *m, struct gpuown_obj *o)
{
	core_lock(m->q_lock);
	qlist_append(o->q_wait ? o->q_wait : &m->q_ready, o);
	m->q_bytes += o->size;
	core_unlock(m->q_lock);
}

void quarantine_evict(struct gpuown_model *m)
{
	struct gpuown_obj *o, *out = NULL, **tail = &out;

	core_lock(m->q_lock);
	while (m->q_bytes > m->quarantine_budget && (o = m->q_ready.head)) {
		m->q_ready.head = o->q_next;
		if (!m->q_ready.head)
			m->q_ready.tail = NULL;
		m->q_bytes -= o->size;
		o->q_next = NULL;
		*tail = o;
		tail = &o->q_next;
	}
	core_unlock(m->q_lock);
	while ((o = out)) {
		out = o->q_next;
		obj_release(o);
	}
}

void gpuown_model_quarantine_ready(struct gpuown_model *m,
				   struct gpuown_qlist *list)
{
	core_lock(m->q_lock);
	quarantine_move_ready(m, list);
	core_unlock(m->q_lock);
	quarantine_evict(m);
}

void gpuown_model_set_quarantine_budget(struct gpuown_model *m, uint64_t bytes)
{
	core_lock(m->q_lock);
	m->quarantine_budget = bytes;
	core_unlock(m->q_lock);
	quarantine_evict(m);
}

void obj_release(struct gpuown_obj *o)
{
	struct gpuown_model *m = o->model;
	struct gpuown_range r = {
		.kind = GPUOWN_RANGE_RELEASE,
		.vm = obj_event_vm(o),
		.va = o->va,
		.size = o->size,
		.redzone = o->redzone,
		.fw_addr = gpuown_fw_addr_from_u64(o->fa),
		.obj = o,
	};
	struct gpuown_event ev;

	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_RELEASE, o, NULL);
	obj_set_state(o, GPUOWN_STATE_RELEASED);
	GPUOWN_STORE_REL(&o->holders, 0u);
	gpuown_host.free(o->holds);
	o->holds = NULL;
	o->cap_holds = 0;
	gate_fini(o);
	obj_unlock(o);
	ev.to = GPUOWN_STATE_RELEASED;
	ev.holders = 0;
	gpuown_host.release(m, o);
	obj_unlink(m, o);
	GPUOWN_FETCH_SUB(&m->live, 1);
	emit_range(m, &r);
	emit_event(m, &ev);
	gpuown_host.lock_destroy(o->lock);
	o->lock = NULL;
	gpuown_host.obj_retire(o);
}
