// SPDX-License-Identifier: MIT
/*
 * Checked CPU access: begin/end windows, copies and shared-word accessors.
 *
 * The rules follow the state table: CPU-owned objects allow anything;
 * firmware-owned ones allow reads only when the firmware never writes them;
 * shared objects allow only atomic access to declared shared words; GPU-only
 * objects have no CPU mapping at all.
 */
#include "core.h"

/*
 * A CPU access the state allows may still have to wait: a write for the
 * fences the object is busy until, a read of a non-coherent object for a
 * sync of what the device wrote. Object lock held.
 */
static int cpu_gate_check(struct gpuown_obj *o, uint32_t dir,
			  enum gpuown_violation *v, struct gpuown_fence *fence)
{
	const struct gpuown_fence *f;

	if ((dir & GPUOWN_DIR_WRITE) && (f = gate_pending(o))) {
		*fence = *f;
		*v = GPUOWN_V_REUSE_BEFORE_COMPLETION;
		return -EBUSY;
	}
	if ((dir & GPUOWN_DIR_READ) && (*v = coh_cpu_read_check(o)))
		return -EBUSY;
	if (dir & GPUOWN_DIR_WRITE)
		coh_cpu_wrote(o);
	return 0;
}

/* Whether state @st lets the CPU access the whole object in direction @dir. */
static int cpu_state_check(const struct gpuown_obj *o, uint32_t dir,
			   enum gpuown_violation *v)
{
	enum gpuown_state st = obj_state(o);

	*v = GPUOWN_OK;
	switch (st) {
	case GPUOWN_STATE_CPU:
		return 0;
	case GPUOWN_STATE_FW:
		if (dir & GPUOWN_DIR_WRITE) {
			*v = GPUOWN_V_CPU_WRITE_FW_OWNED;
			return -EPERM;
		}
		if (o->fw_dir & GPUOWN_DIR_WRITE) {
			*v = GPUOWN_V_CPU_READ_FW_WRITES;
			return -EPERM;
		}
		return 0;
	case GPUOWN_STATE_SHARED:
		*v = GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED;
		return -EPERM;
	case GPUOWN_STATE_GPU_ONLY:
		*v = GPUOWN_V_CPU_ACCESS_GPU_ONLY;
		return -EPERM;
	default:
		*v = GPUOWN_V_USE_AFTER_FREE;
		return -EINVAL;
	}
}

static int cpu_hook(struct gpuown_obj *o, uint64_t off, size_t len, bool write,
		    bool atomic, void *caller)
{
	struct gpuown_access acc = {
		.agent = GPUOWN_AGENT_CPU,
		.space = GPUOWN_SPACE_CPU,
		.vm = obj_event_vm(o),
		.addr = o->va + off,
		.va = o->va + off,
		.size = len,
		.write = write,
		.atomic = atomic,
		.obj = o,
		.caller = caller,
	};

	return emit_access(o->model, &acc);
}

static int access_refused_f(struct gpuown_obj *o, enum gpuown_op op, int err,
			    enum gpuown_violation v,
			    const struct gpuown_fence *fence, void *caller)
{
	struct gpuown_event ev;
	char note[384];

	ev_init(&ev, op, o, caller);
	ev.err = err;
	ev.violation = v;
	if (fence) {
		ev.fence = fence;
		fence_note(fence, note, sizeof(note));
		ev.note = note;
	}
	emit_event(o->model, &ev);
	return err;
}

static int access_refused(struct gpuown_obj *o, enum gpuown_op op, int err,
			  enum gpuown_violation v, void *caller)
{
	return access_refused_f(o, op, err, v, NULL, caller);
}

int gpuown_cpu_begin(struct gpuown_obj *h, uint32_t dir, void **cpu)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_fence fence;
	enum gpuown_violation v;
	struct gpuown_event ev;
	struct gpuown_obj *o;
	char note[384];
	int err;

	if (cpu)
		*cpu = NULL;
	err = obj_validate(h, GPUOWN_OP_CPU_BEGIN, 0, 0, caller, &o);
	if (err)
		return err;
	if (!cpu || !dir || dir & ~GPUOWN_DIR_RW)
		return access_refused(o, GPUOWN_OP_CPU_BEGIN, -EINVAL,
				      GPUOWN_OK, caller);
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_CPU_BEGIN, o, caller);
	err = cpu_state_check(o, dir, &v);
	if (!err)
		err = cpu_gate_check(o, dir, &v, &fence);
	if (!err && o->cpu_depth >= 64)
		err = -EBUSY;
	if (!err) {
		if (dir & GPUOWN_DIR_WRITE)
			o->cpu_write_bits |= 1ull << o->cpu_depth;
		else
			o->cpu_write_bits &= ~(1ull << o->cpu_depth);
		o->cpu_depth++;
	}
	obj_unlock(o);
	if (!err) {
		err = cpu_hook(o, 0, o->size, dir & GPUOWN_DIR_WRITE, false,
			       caller);
		if (err) {
			obj_lock(o);
			o->cpu_depth--;
			obj_unlock(o);
		}
	}
	ev.err = err;
	ev.violation = v;
	if (v == GPUOWN_V_REUSE_BEFORE_COMPLETION) {
		ev.fence = &fence;
		fence_note(&fence, note, sizeof(note));
		ev.note = note;
	}
	emit_event(o->model, &ev);
	if (!err)
		*cpu = o->cpu;
	return err;
}

void gpuown_cpu_end(struct gpuown_obj *h)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_event ev;
	struct gpuown_obj *o;
	bool bad;

	if (obj_validate(h, GPUOWN_OP_CPU_END, 0, 0, caller, &o))
		return;
	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_CPU_END, o, caller);
	bad = !o->cpu_depth;
	if (!bad)
		o->cpu_depth--;
	obj_unlock(o);
	if (bad) {
		ev.err = -EINVAL;
		ev.violation = GPUOWN_V_ILLEGAL_TRANSITION;
	}
	emit_event(o->model, &ev);
}

static int cpu_copy_check(struct gpuown_obj *o, size_t off, size_t len,
			  bool write, void *caller)
{
	uint32_t dir = write ? GPUOWN_DIR_WRITE : GPUOWN_DIR_READ;
	struct gpuown_fence fence;
	enum gpuown_violation v;
	int err;

	if (off > o->size || len > o->size - off)
		return access_refused(o, GPUOWN_OP_CPU_ACCESS, -EINVAL,
				      GPUOWN_V_OUT_OF_BOUNDS, caller);
	obj_lock(o);
	err = cpu_state_check(o, dir, &v);
	if (!err)
		err = cpu_gate_check(o, dir, &v, &fence);
	obj_unlock(o);
	if (err)
		return access_refused_f(
			o, GPUOWN_OP_CPU_ACCESS, err, v,
			v == GPUOWN_V_REUSE_BEFORE_COMPLETION ? &fence : NULL,
			caller);
	return cpu_hook(o, off, len, write, false, caller);
}

int gpuown_cpu_read(struct gpuown_obj *h, size_t offset, void *dst, size_t len)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_CPU_ACCESS, 0, 0, caller, &o);
	if (err)
		return err;
	if (!dst && len)
		return -EINVAL;
	err = cpu_copy_check(o, offset, len, false, caller);
	if (!err)
		raw_copy(dst, o->cpu + offset, len);
	return err;
}

int gpuown_cpu_write(struct gpuown_obj *h, size_t offset, const void *src,
		     size_t len)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_CPU_ACCESS, 0, 0, caller, &o);
	if (err)
		return err;
	if (!src && len)
		return -EINVAL;
	err = cpu_copy_check(o, offset, len, true, caller);
	if (!err)
		raw_copy(o->cpu + offset, src, len);
	return err;
}

/* A declared shared word: fw_shared_u32/u64 (or a firmware-written scalar). */
static bool shared_word(const struct gpuown_obj *o, size_t off, size_t size)
{
	const struct gpuown_field_desc *f;
	uint32_t elem;

	if (!o->layout)
		return true;
	f = gpuown_struct_field_at(o->layout, (uint32_t)off);
	if (!f ||
	    !(f->flags & (GPUOWN_FIELD_SHARED_WORD | GPUOWN_FIELD_FW_WRITES)))
		return false;
	/* Firmware-written arrays of nested structs (event and log rings):
	 * any naturally aligned word inside an element. */
	if (f->kind == GPUOWN_FIELD_STRUCT)
		return (f->flags & GPUOWN_FIELD_FW_WRITES) && off % size == 0;
	if (f->kind != GPUOWN_FIELD_SCALAR && f->kind != GPUOWN_FIELD_ARRAY)
		return false;
	elem = f->size / (f->count ? f->count : 1);
	return elem == size && (off - f->offset) % elem == 0;
}

static int shared_check(struct gpuown_obj *o, size_t off, size_t size,
			bool write, void *caller)
{
	enum gpuown_state st = obj_state(o);
	enum gpuown_violation v;

	if (off % size || off > o->size || o->size - off < size)
		return access_refused(o, GPUOWN_OP_CPU_ACCESS, -EINVAL,
				      GPUOWN_V_OUT_OF_BOUNDS, caller);
	if (state_freed(st))
		return access_refused(o, GPUOWN_OP_CPU_ACCESS, -EINVAL,
				      GPUOWN_V_USE_AFTER_FREE, caller);
	if (st == GPUOWN_STATE_GPU_ONLY || !o->cpu)
		return access_refused(o, GPUOWN_OP_CPU_ACCESS, -EPERM,
				      GPUOWN_V_CPU_ACCESS_GPU_ONLY, caller);
	if (!shared_word(o, off, size))
		return access_refused(o, GPUOWN_OP_CPU_ACCESS, -EINVAL,
				      GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED,
				      caller);
	v = coh_shared_access(o, write);
	if (v)
		return access_refused(o, GPUOWN_OP_CPU_ACCESS, -EBUSY, v,
				      caller);
	return cpu_hook(o, off, size, write, true, caller);
}

static int shared_access(struct gpuown_obj *h, size_t off, size_t size,
			 bool write, uint64_t *val, void *caller)
{
	struct gpuown_obj *o;
	char *p;
	int err;

	err = obj_validate(h, GPUOWN_OP_CPU_ACCESS, 0, 0, caller, &o);
	if (err)
		return err;
	err = shared_check(o, off, size, write, caller);
	if (err)
		return err;
	/* Through the backing address the firmware's atomics use (as fences
	 * do), not the CPU alias: same memory, but TSan only pairs a release
	 * with an acquire at one address. */
	p = gpuown_host.translate(o->model, o->vm, o->va + off);
	if (!p)
		p = o->cpu + off;
	if (size == 4 && write)
		raw_store32(p, (uint32_t)*val);
	else if (size == 4)
		*val = raw_load32(p);
	else if (write)
		raw_store64(p, *val);
	else
		*val = raw_load64(p);
	return 0;
}

int gpuown_shared_load32(struct gpuown_obj *obj, size_t offset, uint32_t *val)
{
	uint64_t v = 0;
	int err;

	if (!val)
		return -EINVAL;
	err = shared_access(obj, offset, 4, false, &v, GPUOWN_CALLER());
	if (!err)
		*val = (uint32_t)v;
	return err;
}

int gpuown_shared_store32(struct gpuown_obj *obj, size_t offset, uint32_t val)
{
	uint64_t v = val;

	return shared_access(obj, offset, 4, true, &v, GPUOWN_CALLER());
}

int gpuown_shared_load64(struct gpuown_obj *obj, size_t offset, uint64_t *val)
{
	if (!val)
		return -EINVAL;
	return shared_access(obj, offset, 8, false, val, GPUOWN_CALLER());
}

int gpuown_shared_store64(struct gpuown_obj *obj, size_t offset, uint64_t val)
{
	return shared_access(obj, offset, 8, true, &val, GPUOWN_CALLER());
}

int gpuown_cpu_check(struct gpuown_obj *h, size_t offset, size_t len,
		     bool write)
{
	void *caller = GPUOWN_CALLER();
	struct gpuown_obj *o;
	int err;

	err = obj_validate(h, GPUOWN_OP_CPU_ACCESS, 0, 0, caller, &o);
	if (err)
		return err;
	/* A shared object: only its declared words, as the atomic accessors. */
	if (obj_state(o) == GPUOWN_STATE_SHARED && (len == 4 || len == 8))
		return shared_check(o, offset, len, write, caller);
	return cpu_copy_check(o, offset, len, write, caller);
}
