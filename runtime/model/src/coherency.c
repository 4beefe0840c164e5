// SPDX-License-Identifier: MIT
/*
 * Coherency of non-coherent mappings (GPUOWN_ALLOC_NONCOHERENT): the CPU's
 * cache and the device's view of memory differ until a sync. The checks sit
 * where the object changes hands (publish, share, fw_get, bind, an address
 * handed over; reclaim, unbind, a checked CPU read), so the access path pays
 * nothing for them.
 */
#include "core.h"

static bool noncoherent(const struct gpuown_obj *o)
{
	return o->flags & GPUOWN_ALLOC_NONCOHERENT;
}

enum gpuown_violation coh_device_check(const struct gpuown_obj *o)
{
	return noncoherent(o) && o->cpu_dirty ? GPUOWN_V_DEVICE_READ_UNSYNCED
					      : GPUOWN_OK;
}

void coh_cpu_wrote(struct gpuown_obj *o)
{
	if (noncoherent(o))
		o->cpu_dirty = true;
}

enum gpuown_violation coh_cpu_read_check(const struct gpuown_obj *o)
{
	return noncoherent(o) && o->dev_dirty ? GPUOWN_V_CPU_READ_UNSYNCED
					      : GPUOWN_OK;
}

int gpuown_model_coherent_for_device(struct gpuown_obj *o, enum gpuown_op op,
				     void *caller)
{
	enum gpuown_violation v;
	struct gpuown_event ev;

	obj_lock(o);
	v = coh_device_check(o);
	obj_unlock(o);
	if (!v)
		return 0;
	ev_init(&ev, op, o, caller);
	ev.err = -EBUSY;
	ev.violation = v;
	emit_event(o->model, &ev);
	return -EBUSY;
}

void gpuown_model_device_wrote(struct gpuown_obj *o)
{
	/* Called with or without the object lock: a plain flag store. */
	if (noncoherent(o))
		GPUOWN_STORE_REL(&o->dev_dirty, true);
}

static int sync_op(struct gpuown_obj *h, bool for_device, void *caller)
{
	struct gpuown_event ev;
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_SYNC, 0, 0, caller, &o);
	if (err)
		return err;
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_SYNC, o, caller);
	if (state_freed(obj_state(o))) {
		ev.violation = GPUOWN_V_USE_AFTER_FREE;
		err = -EINVAL;
	} else if (for_device) {
		o->cpu_dirty = false;
	} else {
		GPUOWN_STORE_REL(&o->dev_dirty, false);
	}
	obj_unlock(o);
	ev.err = err;
	emit_event(o->model, &ev);
	return err;
}

int gpuown_sync_for_device(struct gpuown_obj *h)
{
	return sync_op(h, true, GPUOWN_CALLER());
}

int gpuown_sync_for_cpu(struct gpuown_obj *h)
{
	return sync_op(h, false, GPUOWN_CALLER());
}
