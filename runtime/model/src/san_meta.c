// SPDX-License-Identifier: MIT
/*
 * gpusan metadata shared by every host: the history ring, saved stacks, and
 * the shadow painted from an object's ownership state.
 */
#include <gpuown/model.h>
#include <gpuown/san.h>

#define B(s) (1u << (s))

struct gs_meta *gs_meta_create(struct gpuown_obj *obj, unsigned history)
{
	struct gs_meta *m = gpuown_host.zalloc(sizeof(*m));
	const char *name;

	if (!m)
		return NULL;
	m->hist = gpuown_host.zalloc(history * sizeof(*m->hist));
	if (!m->hist) {
		gpuown_host.free(m);
		return NULL;
	}
	m->hist_cap = history;
	m->obj = obj;
	m->old_obj = obj;
	m->id = gpuown_obj_id(obj);
	name = gpuown_obj_name(obj);
	gs_copy_name(m->name, sizeof(m->name), name ? name : "(unnamed)");
	m->layout = gpuown_obj_layout(obj);
	m->size = gpuown_obj_size(obj);
	m->va = gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(obj));
	m->fw_addr = gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(obj));
	m->state = gpuown_obj_state(obj);
	m->fw_dir = gpuown_obj_fw_dir(obj);
	if (!m->fw_dir)
		m->fw_dir = GPUOWN_DIR_RW;
	m->footprint = m->size;
	return m;
}

void gs_meta_destroy(struct gs_meta *m)
{
	if (!m)
		return;
	gpuown_host.free(m->hist);
	gpuown_host.free(m);
}

void gs_meta_bury(struct gs_meta *m)
{
	m->obj = NULL;
	m->released = true;
	m->state = GPUOWN_STATE_RELEASED;
}

static bool gs_op_is_transition(enum gpuown_op op)
{
	switch (op) {
	case GPUOWN_OP_ALLOC:
	case GPUOWN_OP_FREE:
	case GPUOWN_OP_PUBLISH:
	case GPUOWN_OP_FW_GET:
	case GPUOWN_OP_RECLAIM:
	case GPUOWN_OP_SHARE:
	case GPUOWN_OP_DETACH:
	case GPUOWN_OP_RELEASE:
	case GPUOWN_OP_BIND:
	case GPUOWN_OP_UNBIND:
	case GPUOWN_OP_GET:
	case GPUOWN_OP_PUT:
	case GPUOWN_OP_INSERT:
	case GPUOWN_OP_REMOVE:
	case GPUOWN_OP_HAND_OVER:
		return true;
	default:
		return false;
	}
}

static void gs_save(struct gs_stack_ref *r, void *caller, unsigned depth)
{
	r->st = depth ? gpuown_host.stack_save(caller, depth) : 0;
	r->tid = gpuown_host.thread_id();
}

void gs_meta_record(struct gs_meta *m, const struct gpuown_event *ev,
		    uint64_t seq, unsigned depth)
{
	struct gs_hist *h;

	if (!ev->violation && !gs_op_is_transition(ev->op))
		return;
	h = &m->hist[m->nhist % m->hist_cap];
	h->seq = seq;
	h->caller = ev->caller;
	h->tid = gpuown_host.thread_id();
	h->err = ev->err;
	h->holders = ev->holders;
	h->op = (uint8_t)ev->op;
	h->from = (uint8_t)ev->from;
	h->to = (uint8_t)(ev->err ? ev->from : ev->to);
	h->violation = (uint8_t)ev->violation;
	h->st = 0;
	m->nhist++;
	if (ev->op == GPUOWN_OP_RELEASE)
		return;
	if (ev->err) {
		/* Refusals are rare: their stack lets the history skip
		 * wrappers. */
		if (depth && gs_wrap_count())
			h->st = gpuown_host.stack_save(ev->caller, depth);
		return;
	}
	if (ev->op == GPUOWN_OP_ALLOC) {
		gs_save(&m->alloc_st, ev->caller, depth);
		m->alloc_caller = ev->caller;
		h->st = m->alloc_st.st;
		return;
	}
	gs_save(&m->last_st, ev->caller, depth);
	h->st = m->last_st.st;
	m->has_last = true;
	m->last_op = (uint8_t)ev->op;
	/* A free, or the last put: whatever quarantined the object. */
	if (ev->to == GPUOWN_STATE_QUARANTINED &&
	    ev->from != GPUOWN_STATE_QUARANTINED) {
		m->free_st = m->last_st;
		m->free_op = (uint8_t)ev->op;
		m->has_free = true;
	}
}

void gs_meta_refresh(struct gs_meta *m)
{
	/*
	 * Events are emitted after the object model unlocks, so two threads'
	 * events may arrive out of order: take what the object is now.
	 */
	if (!m->obj)
		return;
	m->state = gpuown_model_state(m->obj);
	m->holders = gpuown_model_fw_holders(m->obj);
}

static enum gs_state gs_body_state(const struct gs_meta *m)
{
	switch (m->state) {
	case GPUOWN_STATE_CPU:
		return GS_CPU;
	case GPUOWN_STATE_FW:
		if (m->fw_dir == GPUOWN_DIR_READ)
			return GS_FW_R;
		return m->fw_dir == GPUOWN_DIR_WRITE ? GS_FW_W : GS_FW_RW;
	case GPUOWN_STATE_SHARED:
		return (m->fw_dir & GPUOWN_DIR_WRITE) ? GS_SHARED_RW
						      : GS_SHARED_R;
	case GPUOWN_STATE_GPU_ONLY:
		return GS_GPU_ONLY;
	case GPUOWN_STATE_QUARANTINED:
		return GS_QUARANTINED;
	case GPUOWN_STATE_RELEASED:
		break;
	}
	return GS_UNMAPPED;
}

enum gs_state gs_meta_body_state(const struct gs_meta *m)
{
	return gs_body_state(m);
}

/* Non-coherent and reachable by the device: every access is checked. */
static enum gs_state gs_paint_state(const struct gs_meta *m, enum gs_state st)
{
	if (!m->noncoh)
		return st;
	switch (st) {
	case GS_FW_R:
	case GS_FW_W:
	case GS_FW_RW:
	case GS_SHARED_R:
	case GS_SHARED_RW:
	case GS_GPU_ONLY:
		return GS_NONCOH;
	default:
		return st;
	}
}

static bool gs_cpu_must_not_touch(const struct gs_meta *m)
{
	/*
	 * Poison only what no plain CPU access may touch: a firmware-owned
	 * object the firmware writes, and freed objects. Firmware-read objects
	 * stay readable; shared objects go through the runtime's atomic
	 * accessors.
	 */
	if (m->state == GPUOWN_STATE_QUARANTINED)
		return true;
	return m->state == GPUOWN_STATE_FW && (m->fw_dir & GPUOWN_DIR_WRITE);
}

/*
 * Bytes of the object the CPU may address: all of it, unless the layout
 * declares a firmware footprint beyond the struct, which the object model
 * allocates but only the firmware may touch.
 */
static uint64_t gs_cpu_bytes(const struct gs_meta *m)
{
	const struct gpuown_struct_desc *l = m->layout;

	if (l && l->footprint > l->size && l->footprint == m->size)
		return l->size;
	return m->size;
}

/* Sanitizers track 8-byte granules; objects start 64-byte aligned. */
#define GS_POISON_GRANULE 8u

void gs_meta_poison(struct gs_meta *m, bool poison)
{
	size_t len = (m->size + GS_POISON_GRANULE - 1) &
		     ~(size_t)(GS_POISON_GRANULE - 1);

	if (!m->cpu || !len || !gpuown_host.cpu_poison)
		return;
	gpuown_host.cpu_poison(m->cpu, len, poison);
	m->poisoned = poison;
}

void gs_meta_paint(struct gs_meta *m, bool poison_cpu)
{
	enum gs_state st = gs_body_state(m);
	uint64_t body = gs_cpu_bytes(m), end = m->va + m->size;
	uint64_t rz = m->redzone, lo;

	if (!m->mapped || !m->sh)
		return;
	/*
	 * Most events leave the state as it was (pointer stores, references,
	 * CPU windows): nothing to paint. The redzones were painted with the
	 * first paint; only unmapped granules ever become redzone, and
	 * nothing but this object's release paints over them.
	 */
	if (m->painted == st + 1u)
		goto poison;
	rz = m->painted ? 0 : rz;
	m->painted = (uint8_t)(st + 1u);
	if (body < m->size) {
		/* Whole granules, so the footprint starts on a granule. */
		body = (body + GS_GRANULE - 1) & ~(uint64_t)(GS_GRANULE - 1);
		if (body > m->size)
			body = m->size;
	}
	gs_shadow_paint(m->sh, m->va, body, gs_paint_state(m, st), 0);
	if (end > m->va + body)
		gs_shadow_paint(m->sh, m->va + body, end - m->va - body,
				st == GS_QUARANTINED ? GS_QUARANTINED
						     : GS_FOOTPRINT,
				0);
	if (rz) {
		lo = (m->va > rz ? m->va - rz : 0) &
		     ~(uint64_t)(GS_GRANULE - 1);
		gs_shadow_paint(m->sh, lo, m->va - lo, GS_REDZONE,
				B(GS_UNMAPPED));
		end = (end + GS_GRANULE - 1) & ~(uint64_t)(GS_GRANULE - 1);
		gs_shadow_paint(m->sh, end, rz, GS_REDZONE, B(GS_UNMAPPED));
	}
poison:
	if (poison_cpu && m->cpu && gs_cpu_must_not_touch(m) != m->poisoned)
		gs_meta_poison(m, !m->poisoned);
}
