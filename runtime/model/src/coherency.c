// SPDX-License-Identifier: MIT
/*
 * Coherency of non-coherent mappings (GPUOWN_ALLOC_NONCOHERENT): the CPU's
 * cache and the device's view of memory differ until a sync. The object
 * model checks where the object changes hands (publish, share, fw_get, bind,
 * an address handed over; reclaim, unbind, a checked CPU read or shared
 * load), so the access path pays nothing for them. A tracker that sees
 * accesses (gpusan) checks each device access to a non-coherent object too
 * (gpuown_model_device_access()): a device read between a CPU write and a
 * sync while the device already holds the object, a device write while the
 * CPU still may read it.
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

bool gpuown_model_noncoherent(const struct gpuown_obj *o)
{
	return o && noncoherent(o);
}

enum gpuown_violation gpuown_model_device_access(struct gpuown_obj *o,
						 bool write)
{
	enum gpuown_violation v = GPUOWN_OK;

	if (!o || !noncoherent(o))
		return GPUOWN_OK;
	obj_lock(o);
	if (write)
		GPUOWN_STORE_REL(&o->dev_dirty, true);
	else
		v = coh_device_check(o);
	obj_unlock(o);
	return v;
}

/*
 * A shared word of a non-coherent object (the CPU's atomic accessors): a
 * store leaves it dirty for the device, a load of device writes not synced
 * for the CPU is CPU_READ_UNSYNCED. Only non-coherent objects take the lock.
 */
enum gpuown_violation coh_shared_access(struct gpuown_obj *o, bool write)
{
	enum gpuown_violation v = GPUOWN_OK;

	if (!noncoherent(o))
		return GPUOWN_OK;
	obj_lock(o);
	if (write)
		o->cpu_dirty = true;
	else
		v = coh_cpu_read_check(o);
	obj_unlock(o);
	return v;
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
