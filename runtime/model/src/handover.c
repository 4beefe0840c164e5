// SPDX-License-Identifier: MIT
/*
 * Addresses handed to the device through a register or a message. The
 * device model is told which address the driver wrote and of which kind; the
 * core finds the object in that address space (and, when there is none, in
 * the other one, to name a wrong-kind address), and hands it over.
 */
#include "core.h"

/* The object (live or quarantined) whose bytes cover @addr in @kind's space. */
static struct gpuown_obj *
find_by_addr(struct gpuown_model *m, enum gpuown_addr_kind kind, uint64_t addr)
{
	struct gpuown_obj *o, *hit = NULL;
	uint64_t base;

	if (!addr)
		return NULL;
	core_lock(m->objs_lock);
	for (o = m->objs; o; o = o->all_next) {
		if (kind == GPUOWN_ADDR_FW)
			base = o->fa;
		else
			base = o->user_vm ? 0 : o->va;
		if (base && addr >= base && addr - base < o->size) {
			hit = o;
			break;
		}
	}
	core_unlock(m->objs_lock);
	return hit;
}

static const char *kind_name(enum gpuown_addr_kind kind)
{
	return kind == GPUOWN_ADDR_FW ? "firmware address" : "GPU VA";
}

/* Hand @o over (object lock not held): publish a CPU-owned object. */
static int hand_over(struct gpuown_obj *o, void *caller,
		     struct gpuown_event *ev)
{
	enum gpuown_violation v = GPUOWN_OK;
	enum gpuown_state st;
	int err = 0;

	obj_lock(o);
	st = obj_state(o);
	if (state_freed(st)) {
		v = GPUOWN_V_USE_AFTER_FREE;
		err = -EINVAL;
	} else if ((v = coh_device_check(o))) {
		err = -EBUSY;
	}
	obj_unlock(o);
	ev->err = err;
	ev->violation = v;
	if (err || st != GPUOWN_STATE_CPU)
		return err;
	/*
	 * The device may use it from now on, exactly as after a publish (with
	 * its checks: pointers to unpublished or freed objects, an open CPU
	 * window); that publish reports its own refusal.
	 */
	err = obj_publish_op(o, NULL, caller);
	ev->err = err;
	return err;
}

int gpuown_hand_over_addr(struct gpuown_mm *mm, enum gpuown_addr_kind kind,
			  uint64_t addr, const char *via,
			  struct gpuown_obj **out)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_model *m = mm ? gpuown_host.mm_model(mm) : NULL;
	enum gpuown_addr_kind other;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	char note[384];
	int err;

	if (out)
		*out = NULL;
	if (!m || (kind != GPUOWN_ADDR_GPU_VA && kind != GPUOWN_ADDR_FW))
		return -EINVAL;
	if (!via)
		via = "a register";
	o = find_by_addr(m, kind, addr);
	if (!o) {
		other = kind == GPUOWN_ADDR_FW ? GPUOWN_ADDR_GPU_VA
					       : GPUOWN_ADDR_FW;
		o = find_by_addr(m, other, addr);
		if (!o) {
			report_wild(GPUOWN_OP_HAND_OVER,
				    (const void *)(uintptr_t)addr,
				    GPUOWN_V_WILD_ADDRESS, -EINVAL, caller);
			return -EINVAL;
		}
		ev_init(&ev, GPUOWN_OP_HAND_OVER, o, caller);
		ev.err = -EINVAL;
		ev.violation = GPUOWN_V_ADDR_KIND_MISMATCH;
		ev.wild = (const void *)(uintptr_t)addr;
		snprintf(note, sizeof(note),
			 "0x%llx, given through %s as a %s, is the %s of "
			 "object %s id %llu (gpu va 0x%llx, fw addr 0x%llx)",
			 (unsigned long long)addr, via, kind_name(kind),
			 kind_name(other), o->name, (unsigned long long)o->id,
			 (unsigned long long)o->va, (unsigned long long)o->fa);
		ev.note = note;
		emit_event(m, &ev);
		return -EINVAL;
	}
	ev_init(&ev, GPUOWN_OP_HAND_OVER, o, caller);
	ev.wild = (const void *)(uintptr_t)addr;
	snprintf(note, sizeof(note), "0x%llx handed over through %s",
		 (unsigned long long)addr, via);
	ev.note = note;
	err = hand_over(o, caller, &ev);
	emit_event(m, &ev);
	if (!err && out)
		*out = o;
	return err;
}
