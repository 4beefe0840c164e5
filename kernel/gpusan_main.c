// SPDX-License-Identifier: MIT
/*
 * gpusan's kernel host: the objects a driver declares, their ownership
 * states (the state machine of docs/object-model.md, driven by the driver's
 * calls instead of a simulator), pointer edges, fences, VMs, quarantine and
 * lifecycles, and the shadow painting that follows every step.
 */
#include <linux/ctype.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "gpusan_internal.h"

DEFINE_SPINLOCK(gs_lock);
LIST_HEAD(gs_live);
LIST_HEAD(gs_vms);
static LIST_HEAD(gs_quarantine);
/* Objects that hold pointer edges: the only ones a free must look at. */
static LIST_HEAD(gs_containers);
/* Every handle gpusan still knows (live, quarantined, graveyard). */
#define GS_HASH_BITS 12
static struct hlist_head gs_handles[1u << GS_HASH_BITS];
static LIST_HEAD(gs_grave);
static unsigned int gs_ngrave;
static u64 gs_qbytes, gs_mapped;
static u64 gs_next_id = 1;

struct gpusan_vm gs_fw_vm = {
	.name = "firmware vm",
	.unbound = LIST_HEAD_INIT(gs_fw_vm.unbound),
};
struct gs_shadow *gs_fw_space;

static unsigned long quarantine_kb = 1024;
module_param(quarantine_kb, ulong, 0644);
MODULE_PARM_DESC(quarantine_kb, "KiB of freed GPU objects kept poisoned before "
				"their ranges are forgotten");

/* Fence contexts: the last seqno signalled, in a small open table. */
#define GS_FENCE_CTX 64
static struct {
	u64 context, seqno;
	bool used;
} gs_fences[GS_FENCE_CTX];

static const char *const gs_op_names[GPUOWN_OP_NR] = {
	[GPUOWN_OP_ALLOC] = "create",
	[GPUOWN_OP_FREE] = "free",
	[GPUOWN_OP_RELEASE] = "release",
	[GPUOWN_OP_PUBLISH] = "publish",
	[GPUOWN_OP_FW_GET] = "fw_get",
	[GPUOWN_OP_RECLAIM] = "reclaim",
	[GPUOWN_OP_SHARE] = "share",
	[GPUOWN_OP_DETACH] = "detach",
	[GPUOWN_OP_CPU_BEGIN] = "cpu_begin",
	[GPUOWN_OP_CPU_END] = "cpu_end",
	[GPUOWN_OP_STORE_PTR] = "store_ptr",
	[GPUOWN_OP_CLEAR_PTR] = "clear_ptr",
	[GPUOWN_OP_BIND] = "map",
	[GPUOWN_OP_UNBIND] = "unmap",
	[GPUOWN_OP_LIFECYCLE] = "lifecycle",
	[GPUOWN_OP_CPU_ACCESS] = "cpu_access",
};

const char *gs_op_name(enum gpuown_op op)
{
	return op < GPUOWN_OP_NR && gs_op_names[op] ? gs_op_names[op] : "?";
}

/*
 * The current stack, into stack_depot. Where the unwinder trusts no frame
 * (UML without frame pointers marks every frame unreliable), the entry
 * point's caller is the one frame recorded, so a report still names the
 * driver function.
 */
static depot_stack_handle_t gs_stack(void *caller)
{
	unsigned long entries[GS_STACK_DEPTH];
	unsigned int n;

	/* Skip gs_stack and the gpusan entry point. */
	n = stack_trace_save(entries, ARRAY_SIZE(entries), 2);
	if (!n) {
		entries[0] = (unsigned long)caller;
		n = 1;
	}
	return stack_depot_save(entries, n, GFP_NOWAIT | __GFP_NOWARN);
}

static struct hlist_head *gs_bucket(const void *h)
{
	return &gs_handles[hash_ptr((void *)h, GS_HASH_BITS)];
}

/* Whether @h is a handle gpusan handed out and still knows (gs_lock). */
static bool gs_handle_known(const struct gpusan_obj *h, bool *dead)
{
	struct gpusan_obj *o;

	hlist_for_each_entry(o, gs_bucket(h), hnode)
		if (o == h) {
			*dead = o->state == GPUOWN_STATE_QUARANTINED ||
				o->state == GPUOWN_STATE_RELEASED;
			return true;
		}
	return false;
}

/* Keep gs_containers in step with @o's edge count. */
static void gs_edges_changed(struct gpusan_obj *o)
{
	if (o->nedges && list_empty(&o->cnode))
		list_add_tail(&o->cnode, &gs_containers);
	else if (!o->nedges && !list_empty(&o->cnode))
		list_del_init(&o->cnode);
}

static void gs_hist_add(struct gpusan_obj *o, enum gpuown_op op,
			enum gpuown_state from, enum gpusan_class cls, int err,
			void *caller)
{
	struct gs_hist *h = &o->hist[o->nhist++ % GS_HIST];

	h->op = op;
	h->from = from;
	h->to = o->state;
	h->cls = cls;
	h->err = err;
	h->holders = o->holders;
	h->pid = task_pid_nr(current);
	h->caller = caller;
}

/* A legal step: history, last-transition stack. */
static void gs_step(struct gpusan_obj *o, enum gpuown_op op,
		    enum gpuown_state from, depot_stack_handle_t st,
		    void *caller)
{
	gs_hist_add(o, op, from, GPUSAN_NONE, 0, caller);
	o->last_op = op;
	o->last_st = st;
	o->last_pid = task_pid_nr(current);
}

/* A refused step: history entry and report; returns @err. */
static int gs_refuse(struct gpusan_obj *o, enum gpuown_op op,
		     enum gpusan_class cls, int err, const struct gs_edge *edge,
		     struct gpusan_obj *other, void *caller)
{
	struct gs_report r = {
		.cls = cls,
		.obj = o,
		.other = other,
		.edge = edge,
		.op = op,
		.err = err,
		.handle = o,
		.caller = caller,
	};

	if (o)
		gs_hist_add(o, op, o->state, cls, err, caller);
	gs_report(&r);
	return err;
}

static struct gs_shadow *gs_vm_shadow(struct gpusan_vm *vm)
{
	return (vm ? vm : &gs_fw_vm)->sh;
}

/* The granule state that stands for @o's ownership state. */
static enum gs_state gs_paint_state(const struct gpusan_obj *o)
{
	bool w = o->fw_dir & GPUOWN_DIR_WRITE, r = o->fw_dir & GPUOWN_DIR_READ;

	switch (o->state) {
	case GPUOWN_STATE_CPU:
		return GS_CPU;
	case GPUOWN_STATE_FW:
		return w && r ? GS_FW_RW : w ? GS_FW_W : GS_FW_R;
	case GPUOWN_STATE_SHARED:
		return w ? GS_SHARED_RW : GS_SHARED_R;
	case GPUOWN_STATE_GPU_ONLY:
		return GS_GPU_ONLY;
	case GPUOWN_STATE_QUARANTINED:
		return GS_QUARANTINED;
	default:
		return GS_UNMAPPED;
	}
}

/* Repaint @o's bytes (and footprint) in its current state, in both spaces. */
static void gs_paint(struct gpusan_obj *o)
{
	enum gs_state st = gs_paint_state(o);
	enum gs_state fp = st == GS_QUARANTINED ? GS_QUARANTINED : GS_FOOTPRINT;
	u64 alen = ALIGN(o->size, GS_GRANULE);

	gs_sh_paint(gs_vm_shadow(o->vm), o->va, o->size, st, 0);
	if (o->footprint > alen)
		gs_sh_paint(gs_vm_shadow(o->vm), o->va + alen,
			    o->footprint - alen, fp, 0);
	if (!o->fa)
		return;
	gs_sh_paint(gs_fw_space, o->fa, o->size, st, 0);
	if (o->footprint > alen)
		gs_sh_paint(gs_fw_space, o->fa + alen, o->footprint - alen, fp,
			    0);
}

/* Redzones the driver declared: only over unmapped granules (no neighbour). */
static void gs_paint_redzones(struct gpusan_obj *o, enum gs_state st, u32 only)
{
	u64 end = o->va + ALIGN(max(o->size, o->footprint), GS_GRANULE);
	u64 fend = o->fa + ALIGN(max(o->size, o->footprint), GS_GRANULE);
	u32 rz = ALIGN(o->redzone, GS_GRANULE);

	if (!rz)
		return;
	gs_sh_paint(gs_vm_shadow(o->vm), o->va - rz, rz, st, only);
	gs_sh_paint(gs_vm_shadow(o->vm), end, rz, st, only);
	if (o->fa) {
		gs_sh_paint(gs_fw_space, o->fa - rz, rz, st, only);
		gs_sh_paint(gs_fw_space, fend, rz, st, only);
	}
}

/* CPU mapping: poisoned exactly while the CPU must not touch it at all. */
static void gs_update_poison(struct gpusan_obj *o)
{
	bool want = false;

	if (o->cpu) {
		if (o->state == GPUOWN_STATE_FW &&
		    (o->fw_dir & GPUOWN_DIR_WRITE))
			want = true;
		if (o->state == GPUOWN_STATE_QUARANTINED &&
		    (o->flags & GPUSAN_OBJ_CPU_KEEP))
			want = true;
	}
	if (want != o->poisoned)
		gs_cpu_poison(o, want);
}

struct gpusan_obj *gpusan_obj_create(const struct gpusan_obj_desc *d)
{
	void *caller = __builtin_return_address(0);
	depot_stack_handle_t st = gs_stack(caller);
	struct gpusan_obj *o;
	unsigned long flags;

	o = kzalloc(sizeof(*o), GFP_ATOMIC | __GFP_NOWARN);
	if (!o)
		return NULL;
	o->magic = GS_MAGIC_LIVE;
	INIT_LIST_HEAD(&o->qnode);
	INIT_LIST_HEAD(&o->cnode);
	strscpy(o->name,
		d->name	    ? d->name
		: d->layout ? d->layout->name
			    : "gpu object",
		sizeof(o->name));
	o->layout = d->layout;
	o->vm = d->vm;
	o->va = d->gpu_va;
	o->fa = d->fw_addr;
	o->size = d->size ? d->size : d->layout ? d->layout->size : 0;
	/* The layout's footprint applies to objects of the layout's size. */
	o->footprint = d->layout && o->size == d->layout->size &&
				       d->layout->footprint > o->size
			       ? d->layout->footprint
			       : o->size;
	o->redzone = d->redzone;
	o->flags = d->flags;
	o->cpu = d->flags & GPUSAN_OBJ_GPU_ONLY ? NULL : d->cpu;
	o->fw_dir = d->fw_dir			     ? d->fw_dir
		    : d->layout && d->layout->fw_dir ? d->layout->fw_dir
						     : GPUOWN_DIR_RW;
	o->state = o->cpu ? GPUOWN_STATE_CPU : GPUOWN_STATE_GPU_ONLY;
	o->alloc_st = st;
	o->alloc_pid = task_pid_nr(current);

	spin_lock_irqsave(&gs_lock, flags);
	o->id = gs_next_id++;
	list_add_tail(&o->node, &gs_live);
	hlist_add_head(&o->hnode, gs_bucket(o));
	gs_mapped += o->size;
	gs_paint_redzones(o, GS_REDZONE, 1u << GS_UNMAPPED);
	gs_paint(o);
	gs_step(o, GPUOWN_OP_ALLOC, GPUOWN_STATE_RELEASED, st, caller);
	spin_unlock_irqrestore(&gs_lock, flags);
	return o;
}
EXPORT_SYMBOL_GPL(gpusan_obj_create);

/*
 * Validate a handle under gs_lock: 0 for a live object; otherwise the
 * refusal (use-after-free for a released handle, @wild for an unknown one)
 * was reported and -EINVAL is returned.
 */
static int gs_validate(struct gpusan_obj *o, enum gpuown_op op,
		       enum gpusan_class dead, enum gpusan_class wild,
		       void *caller)
{
	bool is_dead;

	if (!gs_handle_known(o, &is_dead)) {
		struct gs_report r = {.cls = wild,
				      .op = op,
				      .err = -EINVAL,
				      .handle = o,
				      .caller = caller};

		gs_report(&r);
		return -EINVAL;
	}
	if (is_dead)
		return gs_refuse(o, op, dead, -EINVAL, NULL, NULL, caller);
	return 0;
}

static bool gs_fence_reached(const struct gpusan_fence *f)
{
	unsigned int i;

	for (i = 0; i < GS_FENCE_CTX; i++)
		if (gs_fences[i].used && gs_fences[i].context == f->context)
			return gs_fences[i].seqno >= f->seqno;
	return false;
}

void gpusan_fence_signal(u64 context, u64 seqno)
{
	unsigned long flags;
	int i, free = -1;

	spin_lock_irqsave(&gs_lock, flags);
	for (i = 0; i < GS_FENCE_CTX; i++) {
		if (gs_fences[i].used && gs_fences[i].context == context) {
			if (seqno > gs_fences[i].seqno)
				gs_fences[i].seqno = seqno;
			goto out;
		}
		if (!gs_fences[i].used && free < 0)
			free = i;
	}
	/* Full: the oldest context slot is recycled (a debug tool's bound). */
	if (free < 0)
		free = (int)(context % GS_FENCE_CTX);
	gs_fences[free].used = true;
	gs_fences[free].context = context;
	gs_fences[free].seqno = seqno;
out:
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_fence_signal);

static int gs_add_hold(struct gpusan_obj *o, const struct gpusan_fence *f)
{
	unsigned int i;

	for (i = 0; i < GS_MAX_HOLDS; i++) {
		if (o->holds[i].has_fence || i >= o->holders) {
			if (i < o->holders)
				continue;
			o->holds[i].has_fence = f;
			if (f)
				o->holds[i].f = *f;
			return 0;
		}
	}
	return -ENOSPC;
}

/* Before publish/share: every strong edge must lead to a live, published
 * target. */
static int gs_check_edges(struct gpusan_obj *o, enum gpuown_op op, void *caller)
{
	unsigned int i;

	for (i = 0; i < o->nedges; i++) {
		struct gs_edge *e = &o->edges[i];

		if (e->dangling || e->target->state == GPUOWN_STATE_QUARANTINED)
			return gs_refuse(o, op, GPUSAN_PUBLISH_DANGLING,
					 -ENOLINK, e, e->target, caller);
		if (e->target->state == GPUOWN_STATE_CPU)
			return gs_refuse(o, op, GPUSAN_PUBLISH_UNPUBLISHED,
					 -EPERM, e, e->target, caller);
	}
	return 0;
}

static int gs_publish(struct gpusan_obj *o, const struct gpusan_fence *done,
		      enum gpuown_op op, void *caller)
{
	depot_stack_handle_t st;
	enum gpuown_state from;
	unsigned long flags;
	int err;

	if (!o)
		return 0;
	st = gs_stack(caller);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(o, op, GPUSAN_PUBLISH_FREED,
			  GPUSAN_ILLEGAL_TRANSITION, caller);
	if (err)
		goto out;
	from = o->state;
	if (op == GPUOWN_OP_PUBLISH && from == GPUOWN_STATE_FW) {
		err = gs_refuse(o, op, GPUSAN_PUBLISH_TWICE, -EALREADY, NULL,
				NULL, caller);
		goto out;
	}
	if ((op == GPUOWN_OP_PUBLISH && from != GPUOWN_STATE_CPU) ||
	    (op == GPUOWN_OP_FW_GET && from != GPUOWN_STATE_FW)) {
		err = gs_refuse(o, op, GPUSAN_ILLEGAL_TRANSITION, -EPERM, NULL,
				NULL, caller);
		goto out;
	}
	if (op == GPUOWN_OP_PUBLISH) {
		err = gs_check_edges(o, op, caller);
		if (err)
			goto out;
	}
	err = gs_add_hold(o, done);
	if (err)
		goto out;
	o->holders++;
	o->state = GPUOWN_STATE_FW;
	gs_paint(o);
	gs_update_poison(o);
	gs_step(o, op, from, st, caller);
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}

int gpusan_obj_publish(struct gpusan_obj *o, const struct gpusan_fence *done)
{
	return gs_publish(o, done, GPUOWN_OP_PUBLISH,
			  __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(gpusan_obj_publish);

int gpusan_obj_fw_get(struct gpusan_obj *o, const struct gpusan_fence *done)
{
	return gs_publish(o, done, GPUOWN_OP_FW_GET,
			  __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(gpusan_obj_fw_get);

int gpusan_obj_reclaim(struct gpusan_obj *o, const struct gpusan_fence *done)
{
	void *caller = __builtin_return_address(0);
	depot_stack_handle_t st;
	unsigned long flags;
	unsigned int i;
	int err;

	if (!o)
		return 0;
	st = gs_stack(caller);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(o, GPUOWN_OP_RECLAIM, GPUSAN_USE_AFTER_FREE,
			  GPUSAN_ILLEGAL_TRANSITION, caller);
	if (err)
		goto out;
	if (o->state != GPUOWN_STATE_FW) {
		err = gs_refuse(o, GPUOWN_OP_RECLAIM,
				GPUSAN_RECLAIM_NOT_PUBLISHED, -EPERM, NULL,
				NULL, caller);
		goto out;
	}
	for (i = 0; i < o->holders; i++) {
		struct gs_hold *h = &o->holds[i];

		if (h->has_fence != !!done)
			continue;
		if (done && (h->f.context != done->context ||
			     h->f.seqno != done->seqno))
			continue;
		break;
	}
	if (i == o->holders) {
		err = gs_refuse(o, GPUOWN_OP_RECLAIM,
				GPUSAN_RECLAIM_NOT_PUBLISHED, -ENOENT, NULL,
				NULL, caller);
		goto out;
	}
	if (done && !gs_fence_reached(done)) {
		err = gs_refuse(o, GPUOWN_OP_RECLAIM,
				GPUSAN_RECLAIM_BEFORE_COMPLETION, -EAGAIN, NULL,
				NULL, caller);
		goto out;
	}
	o->holds[i] = o->holds[o->holders - 1];
	o->holders--;
	if (!o->holders) {
		o->state = GPUOWN_STATE_CPU;
		gs_paint(o);
		gs_update_poison(o);
	}
	gs_step(o, GPUOWN_OP_RECLAIM, GPUOWN_STATE_FW, st, caller);
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_obj_reclaim);

int gpusan_obj_share(struct gpusan_obj *o)
{
	void *caller = __builtin_return_address(0);
	depot_stack_handle_t st;
	unsigned long flags;
	int err;

	if (!o)
		return 0;
	st = gs_stack(caller);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(o, GPUOWN_OP_SHARE, GPUSAN_PUBLISH_FREED,
			  GPUSAN_ILLEGAL_TRANSITION, caller);
	if (err)
		goto out;
	if (o->state != GPUOWN_STATE_CPU) {
		err = gs_refuse(o, GPUOWN_OP_SHARE, GPUSAN_ILLEGAL_TRANSITION,
				o->state == GPUOWN_STATE_SHARED ? -EALREADY
								: -EPERM,
				NULL, NULL, caller);
		goto out;
	}
	err = gs_check_edges(o, GPUOWN_OP_SHARE, caller);
	if (err)
		goto out;
	o->state = GPUOWN_STATE_SHARED;
	gs_paint(o);
	gs_step(o, GPUOWN_OP_SHARE, GPUOWN_STATE_CPU, st, caller);
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_obj_share);

int gpusan_obj_detach(struct gpusan_obj *o)
{
	void *caller = __builtin_return_address(0);
	depot_stack_handle_t st;
	unsigned long flags;
	int err;

	if (!o)
		return 0;
	st = gs_stack(caller);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(o, GPUOWN_OP_DETACH, GPUSAN_USE_AFTER_FREE,
			  GPUSAN_ILLEGAL_TRANSITION, caller);
	if (err)
		goto out;
	if (o->state != GPUOWN_STATE_SHARED || o->detached) {
		err = gs_refuse(o, GPUOWN_OP_DETACH, GPUSAN_ILLEGAL_TRANSITION,
				o->detached ? -EALREADY : -EPERM, NULL, NULL,
				caller);
		goto out;
	}
	o->detached = true;
	gs_step(o, GPUOWN_OP_DETACH, GPUOWN_STATE_SHARED, st, caller);
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_obj_detach);

/* A firmware-owned or shared container that still points at @o, or NULL. */
static struct gpusan_obj *gs_busy_referrer(struct gpusan_obj *o,
					   struct gs_edge **edge)
{
	struct gpusan_obj *c;
	unsigned int i;

	list_for_each_entry(c, &gs_containers, cnode) {
		if (c->state != GPUOWN_STATE_FW &&
		    c->state != GPUOWN_STATE_SHARED)
			continue;
		for (i = 0; i < c->nedges; i++)
			if (c->edges[i].target == o && !c->edges[i].dangling) {
				*edge = &c->edges[i];
				return c;
			}
	}
	return NULL;
}

/* Forget @o: its edges, its shadow, and keep its handle in the graveyard. */
static void gs_release(struct gpusan_obj *o)
{
	struct gpusan_obj *c;
	unsigned int i;

	list_del_init(&o->qnode);
	gs_qbytes -= o->size;
	/* Only granules still freed: the range may hold a new object. */
	gs_sh_paint(gs_vm_shadow(o->vm), o->va, o->footprint, GS_UNMAPPED,
		    1u << GS_QUARANTINED);
	if (o->fa)
		gs_sh_paint(gs_fw_space, o->fa, o->footprint, GS_UNMAPPED,
			    1u << GS_QUARANTINED);
	gs_paint_redzones(o, GS_UNMAPPED, 1u << GS_REDZONE);
	if (o->poisoned)
		gs_cpu_poison(o, false);
	/* Edges into it from live containers now point at nothing known. */
	list_for_each_entry(c, &gs_containers, cnode)
		for (i = 0; i < c->nedges; i++)
			if (c->edges[i].target == o)
				c->edges[i].dangling = true;
	o->state = GPUOWN_STATE_RELEASED;
	o->magic = GS_MAGIC_DEAD;
	list_move_tail(&o->node, &gs_grave);
	if (++gs_ngrave > GS_GRAVEYARD) {
		struct gpusan_obj *old =
			list_first_entry(&gs_grave, struct gpusan_obj, node);

		struct gpusan_obj *tmp;

		list_del(&old->node);
		hlist_del(&old->hnode);
		gs_ngrave--;
		/* Containers may still name it: drop those edges' targets. */
		list_for_each_entry_safe(c, tmp, &gs_containers, cnode) {
			for (i = 0; i < c->nedges; i++)
				if (c->edges[i].target == old) {
					c->edges[i] = c->edges[--c->nedges];
					i--;
				}
			gs_edges_changed(c);
		}
		kfree(old);
	}
}

static void gs_quarantine_evict(u64 budget)
{
	while (gs_qbytes > budget && !list_empty(&gs_quarantine))
		gs_release(list_first_entry(&gs_quarantine, struct gpusan_obj,
					    qnode));
}

int gpusan_obj_free(struct gpusan_obj *o)
{
	void *caller = __builtin_return_address(0);
	struct gpusan_obj *c;
	struct gs_edge *edge;
	depot_stack_handle_t st;
	enum gpuown_state from;
	unsigned long flags;
	unsigned int i;
	int err;

	if (!o)
		return 0;
	st = gs_stack(caller);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(o, GPUOWN_OP_FREE, GPUSAN_DOUBLE_FREE,
			  GPUSAN_INVALID_FREE, caller);
	if (err)
		goto out;
	from = o->state;
	if (from == GPUOWN_STATE_FW) {
		err = gs_refuse(o, GPUOWN_OP_FREE, GPUSAN_FREE_WHILE_FW_OWNED,
				-EBUSY, NULL, NULL, caller);
		goto out;
	}
	if (from == GPUOWN_STATE_SHARED && !o->detached) {
		err = gs_refuse(o, GPUOWN_OP_FREE, GPUSAN_FREE_WHILE_SHARED,
				-EBUSY, NULL, NULL, caller);
		goto out;
	}
	c = gs_busy_referrer(o, &edge);
	if (c) {
		err = gs_refuse(o, GPUOWN_OP_FREE, GPUSAN_DANGLING_AT_FREE,
				-EBUSY, edge, c, caller);
		goto out;
	}
	/* CPU-owned containers keep a dangling edge: publishing them is a bug.
	 */
	list_for_each_entry(c, &gs_containers, cnode)
		for (i = 0; i < c->nedges; i++)
			if (c->edges[i].target == o)
				c->edges[i].dangling = true;
	o->nedges = 0;
	gs_edges_changed(o);
	o->state = GPUOWN_STATE_QUARANTINED;
	o->free_st = st;
	o->free_pid = task_pid_nr(current);
	gs_mapped -= o->size;
	gs_paint(o);
	gs_update_poison(o);
	gs_step(o, GPUOWN_OP_FREE, from, st, caller);
	list_add_tail(&o->qnode, &gs_quarantine);
	gs_qbytes += o->size;
	gs_quarantine_evict((u64)READ_ONCE(quarantine_kb) << 10);
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_obj_free);

void gpusan_quarantine_drain(void)
{
	unsigned long flags;

	spin_lock_irqsave(&gs_lock, flags);
	gs_quarantine_evict(0);
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_quarantine_drain);

static int gs_store(struct gpusan_obj *c, size_t offset, struct gpusan_obj *t,
		    bool fw, void *caller)
{
	const struct gpuown_field_desc *f = NULL;
	depot_stack_handle_t st;
	struct gs_edge *e = NULL;
	unsigned long flags;
	unsigned int i;
	int err;

	if (!c)
		return 0;
	st = gs_stack(caller);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(c, GPUOWN_OP_STORE_PTR, GPUSAN_USE_AFTER_FREE,
			  GPUSAN_ILLEGAL_TRANSITION, caller);
	if (err)
		goto out;
	if (c->state == GPUOWN_STATE_FW) {
		err = gs_refuse(c, GPUOWN_OP_STORE_PTR,
				GPUSAN_CPU_WRITE_FW_OWNED, -EPERM, NULL, t,
				caller);
		goto out;
	}
	if (t) {
		err = gs_validate(t, GPUOWN_OP_STORE_PTR, GPUSAN_USE_AFTER_FREE,
				  GPUSAN_ILLEGAL_TRANSITION, caller);
		if (err)
			goto out;
	}
	if (c->layout) {
		f = gpuown_struct_field_at(c->layout, offset);
		if (!f || f->offset != offset ||
		    f->kind !=
			    (fw ? GPUOWN_FIELD_FW_PTR : GPUOWN_FIELD_GPU_PTR) ||
		    (t && f->target && t->layout &&
		     strcmp(f->target, t->layout->name))) {
			struct gs_edge bad = {.offset = offset,
					      .field = f,
					      .target = t,
					      .fw_addr = fw};

			err = gs_refuse(c, GPUOWN_OP_STORE_PTR,
					GPUSAN_PTR_TYPE_MISMATCH, -EINVAL, &bad,
					t, caller);
			goto out;
		}
	}
	for (i = 0; i < c->nedges; i++)
		if (c->edges[i].offset == offset)
			e = &c->edges[i];
	if (!t || (f && (f->flags & GPUOWN_FIELD_WEAK))) {
		if (e)
			*e = c->edges[--c->nedges];
		goto step;
	}
	if (!e) {
		if (c->nedges == GS_MAX_EDGES) {
			err = -ENOSPC;
			goto out;
		}
		e = &c->edges[c->nedges++];
	}
	e->offset = offset;
	e->fw_addr = fw;
	e->field = f;
	e->target = t;
	e->dangling = false;
step:
	gs_edges_changed(c);
	gs_step(c, t ? GPUOWN_OP_STORE_PTR : GPUOWN_OP_CLEAR_PTR, c->state, st,
		caller);
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}

int gpusan_store_ptr(struct gpusan_obj *c, size_t offset, struct gpusan_obj *t)
{
	return gs_store(c, offset, t, false, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(gpusan_store_ptr);

int gpusan_store_fw_ptr(struct gpusan_obj *c, size_t offset,
			struct gpusan_obj *t)
{
	return gs_store(c, offset, t, true, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(gpusan_store_fw_ptr);

int gpusan_clear_ptr(struct gpusan_obj *c, size_t offset)
{
	const struct gpuown_field_desc *f;
	bool fw = false;

	/* Clearing is a store of 0 into whichever kind the field is. */
	if (c && c->magic == GS_MAGIC_LIVE && c->layout) {
		f = gpuown_struct_field_at(c->layout, offset);
		fw = f && f->kind == GPUOWN_FIELD_FW_PTR;
	}
	return gs_store(c, offset, NULL, fw, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(gpusan_clear_ptr);

struct gpusan_vm *gpusan_vm_create(const char *name)
{
	struct gpusan_vm *vm = kzalloc(sizeof(*vm), GFP_ATOMIC | __GFP_NOWARN);
	unsigned long flags;

	if (!vm)
		return NULL;
	if (gs_shadow_create(&vm->sh)) {
		kfree(vm);
		return NULL;
	}
	strscpy(vm->name, name ? name : "gpu vm", sizeof(vm->name));
	INIT_LIST_HEAD(&vm->unbound);
	vm->magic = GS_MAGIC_LIVE;
	spin_lock_irqsave(&gs_lock, flags);
	list_add_tail(&vm->node, &gs_vms);
	spin_unlock_irqrestore(&gs_lock, flags);
	return vm;
}
EXPORT_SYMBOL_GPL(gpusan_vm_create);

void gpusan_vm_destroy(struct gpusan_vm *vm)
{
	struct gpusan_obj *o, *tmp;
	unsigned long flags;

	if (!vm)
		return;
	spin_lock_irqsave(&gs_lock, flags);
	/* Its quarantined objects' ranges go with it. */
	list_for_each_entry_safe(o, tmp, &gs_quarantine, qnode)
		if (o->vm == vm)
			gs_release(o);
	list_for_each_entry(o, &gs_grave, node)
		if (o->vm == vm)
			o->vm = NULL;
	list_del(&vm->node);
	vm->magic = 0;
	{
		struct gs_range *u, *un;

		list_for_each_entry_safe(u, un, &vm->unbound, node) {
			list_del(&u->node);
			kfree(u);
		}
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	gs_shadow_destroy(vm->sh);
	kfree(vm);
}
EXPORT_SYMBOL_GPL(gpusan_vm_destroy);

int gpusan_vm_map(struct gpusan_vm *vm, u64 va, u64 size,
		  struct gpusan_obj *obj, bool read_only)
{
	unsigned long flags;
	int err;

	if (!vm)
		return 0;
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_sh_paint(vm->sh, va, size, read_only ? GS_BOUND_RO : GS_BOUND,
			  0);
	if (obj && obj->magic == GS_MAGIC_LIVE)
		gs_hist_add(obj, GPUOWN_OP_BIND, obj->state, GPUSAN_NONE, 0,
			    __builtin_return_address(0));
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_vm_map);

int gpusan_vm_unmap(struct gpusan_vm *vm, u64 va, u64 size)
{
	struct gs_range *u;
	unsigned long flags;
	int err;

	if (!vm)
		return 0;
	u = kmalloc(sizeof(*u), GFP_ATOMIC | __GFP_NOWARN);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_sh_paint(vm->sh, va, size, GS_UNBOUND,
			  (1u << GS_BOUND) | (1u << GS_BOUND_RO));
	if (u) {
		u->va = va;
		u->size = size;
		list_add_tail(&u->node, &vm->unbound);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_vm_unmap);

void gpusan_vm_invalidate(struct gpusan_vm *vm)
{
	struct gpusan_vm *v = vm ? vm : &gs_fw_vm;
	struct gs_range *u, *un;
	struct gpusan_obj *o, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&gs_lock, flags);
	/* Unbound ranges are unreachable now: unmapped, reusable. */
	list_for_each_entry_safe(u, un, &v->unbound, node) {
		gs_sh_paint(v->sh, u->va, u->size, GS_UNMAPPED,
			    1u << GS_UNBOUND);
		list_del(&u->node);
		kfree(u);
	}
	/* Quarantined objects of this VM are now safe to forget. */
	list_for_each_entry_safe(o, tmp, &gs_quarantine, qnode)
		if (o->vm == vm)
			gs_release(o);
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_vm_invalidate);

u64 gpusan_shadow_used(void)
{
	return gs_shadow_allocated();
}
EXPORT_SYMBOL_GPL(gpusan_shadow_used);

u64 gpusan_mapped_bytes(void)
{
	return READ_ONCE(gs_mapped);
}
EXPORT_SYMBOL_GPL(gpusan_mapped_bytes);

u8 gpusan_shadow_peek(enum gpusan_space space, struct gpusan_vm *vm, u64 addr)
{
	return gs_sh_get(space == GPUSAN_SPACE_FW ? gs_fw_space
						  : gs_vm_shadow(vm),
			 addr);
}
EXPORT_SYMBOL_GPL(gpusan_shadow_peek);

u64 gpusan_obj_id(const struct gpusan_obj *o)
{
	return o ? o->id : 0;
}
EXPORT_SYMBOL_GPL(gpusan_obj_id);

const char *gpusan_obj_state_name(const struct gpusan_obj *o)
{
	return o ? gs_state_label(o->state) : "untracked";
}
EXPORT_SYMBOL_GPL(gpusan_obj_state_name);

/* ---- lookups for reports (under gs_lock; not on any fast path) -------- */

static bool gs_covers(u64 start, u64 len, u64 addr, u64 slack)
{
	return addr + slack >= start && addr < start + len + slack;
}

struct gpusan_obj *gs_find_cpu(unsigned long addr)
{
	struct gpusan_obj *o;

	list_for_each_entry(o, &gs_live, node)
		if (o->cpu &&
		    gs_covers((unsigned long)o->cpu, o->size, addr, 0))
			return o;
	list_for_each_entry_reverse(o, &gs_grave, node)
		if (o->cpu &&
		    gs_covers((unsigned long)o->cpu, o->size, addr, 0))
			return o;
	return NULL;
}

struct gpusan_obj *gs_find_addr(struct gpusan_vm *vm, enum gpusan_space space,
				u64 addr, u64 slack)
{
	struct gpusan_obj *o;
	struct list_head *lists[] = {&gs_live, &gs_grave};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		list_for_each_entry(o, lists[i], node) {
			if (space == GPUSAN_SPACE_FW) {
				if (o->fa &&
				    gs_covers(o->fa, o->footprint, addr, slack))
					return o;
			} else if (o->vm == vm && gs_covers(o->va, o->footprint,
							    addr, slack)) {
				return o;
			}
		}
	}
	return NULL;
}

/* ---- accesses the driver observes ------------------------------------- */

int gpusan_access(enum gpusan_agent agent, enum gpusan_space space,
		  struct gpusan_vm *vm, u64 addr, size_t size, bool write)
{
	struct gs_shadow *sh =
		space == GPUSAN_SPACE_FW ? gs_fw_space : gs_vm_shadow(vm);
	u32 ok = (1u << GS_FW_R) | (1u << GS_FW_W) | (1u << GS_FW_RW) |
		 (1u << GS_SHARED_R) | (1u << GS_SHARED_RW) |
		 (1u << GS_GPU_ONLY) | (1u << GS_FOOTPRINT) | (1u << GS_BOUND) |
		 (1u << GS_BOUND_RO);
	struct gs_report r = {.is_access = true,
			      .agent = agent,
			      .space = space,
			      .sh = sh,
			      .addr = addr,
			      .size = size,
			      .write = write,
			      .caller = __builtin_return_address(0)};
	enum gpusan_class cls = GPUSAN_NONE;
	struct gpusan_obj *o;
	unsigned long flags;
	u64 bad_va;
	u8 bad;

	if (write)
		ok &= ~((1u << GS_FW_R) | (1u << GS_SHARED_R) |
			(1u << GS_BOUND_RO));
	/* The lock-free fast path: every byte in an allowed granule. */
	if (likely(gs_sh_check(sh, addr, size, ok, &bad_va, &bad)))
		return 0;

	switch (GS_STATE(bad)) {
	case GS_UNMAPPED:
		cls = GPUSAN_WILD_ADDRESS;
		break;
	case GS_REDZONE:
		cls = GPUSAN_OUT_OF_BOUNDS;
		break;
	case GS_CPU:
		cls = agent == GPUSAN_AGENT_FW ? GPUSAN_FW_ACCESS_CPU_OWNED
					       : GPUSAN_GPU_ACCESS_CPU_OWNED;
		break;
	case GS_QUARANTINED:
		cls = GPUSAN_USE_AFTER_FREE;
		break;
	case GS_UNBOUND:
		cls = GPUSAN_STALE_MAPPING;
		break;
	case GS_FW_R:
	case GS_SHARED_R:
	case GS_BOUND_RO:
		cls = GPUSAN_WRITE_AGAINST_DIRECTION;
		break;
	default:
		/* An allowed state: the partial tail of the last granule. */
		cls = GPUSAN_OUT_OF_BOUNDS;
		break;
	}
	spin_lock_irqsave(&gs_lock, flags);
	o = gs_find_addr(vm, space, bad_va, 0);
	/* Redzones and partial tails belong to the object next to them. */
	if (!o && GS_STATE(bad) != GS_UNMAPPED)
		o = gs_find_addr(vm, space, bad_va, 4096);
	/* Past the declared firmware footprint of a struct that has one. */
	if (cls == GPUSAN_OUT_OF_BOUNDS && o && o->footprint > o->size)
		cls = GPUSAN_BEYOND_FOOTPRINT;
	r.cls = cls;
	r.obj = o;
	r.bad_addr = bad_va;
	r.granule = bad;
	gs_report(&r);
	spin_unlock_irqrestore(&gs_lock, flags);
	return -EACCES;
}
EXPORT_SYMBOL_GPL(gpusan_access);

int gpusan_cpu_access(struct gpusan_obj *o, size_t offset, size_t size,
		      bool write)
{
	void *caller = __builtin_return_address(0);
	const struct gpuown_field_desc *f;
	enum gpusan_class cls = GPUSAN_NONE;
	unsigned long flags;
	int err;

	if (!o)
		return 0;
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_validate(o, GPUOWN_OP_CPU_ACCESS, GPUSAN_USE_AFTER_FREE,
			  GPUSAN_WILD_ADDRESS, caller);
	if (err)
		goto out;
	switch (o->state) {
	case GPUOWN_STATE_FW:
		if (write)
			cls = GPUSAN_CPU_WRITE_FW_OWNED;
		else if (o->fw_dir & GPUOWN_DIR_WRITE)
			cls = GPUSAN_CPU_READ_FW_WRITES;
		break;
	case GPUOWN_STATE_GPU_ONLY:
		cls = GPUSAN_CPU_ACCESS_GPU_ONLY;
		break;
	case GPUOWN_STATE_SHARED:
		f = o->layout ? gpuown_struct_field_at(o->layout, offset)
			      : NULL;
		if (o->layout && (!f || !(f->flags & GPUOWN_FIELD_SHARED_WORD)))
			cls = GPUSAN_CPU_ACCESS_SHARED_UNDECLARED;
		break;
	default:
		break;
	}
	if (cls == GPUSAN_NONE && offset + size > o->size)
		cls = GPUSAN_OUT_OF_BOUNDS;
	if (cls != GPUSAN_NONE) {
		struct gs_report r = {.cls = cls,
				      .obj = o,
				      .is_access = true,
				      .agent = GPUSAN_AGENT_FW,
				      .space = 0,
				      .sh = gs_vm_shadow(o->vm),
				      .addr = o->va + offset,
				      .bad_addr = o->va + offset,
				      .size = size,
				      .write = write,
				      .caller = caller,
				      .op = GPUOWN_OP_CPU_ACCESS,
				      .kasan = false};

		r.granule = gs_sh_get(r.sh, r.addr);
		gs_hist_add(o, GPUOWN_OP_CPU_ACCESS, o->state, cls, -EACCES,
			    caller);
		/* agent is meaningless for the CPU: the report says "CPU". */
		r.handle = o;
		r.err = -EACCES;
		r.is_access = false;
		gs_report(&r);
		err = -EACCES;
	}
out:
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_cpu_access);

/* ---- lifecycles ----------------------------------------------------- */

/* Whether "from -> to" is one of the comma-separated pairs of @spec. */
static bool gs_lc_allows(const char *spec, const char *from, const char *to)
{
	const char *p = spec;

	while (*p) {
		const char *end = strchrnul(p, ',');
		const char *arrow = strnstr(p, "->", end - p);

		if (arrow) {
			const char *a = skip_spaces(p),
				   *b = skip_spaces(arrow + 2);
			size_t alen = arrow - a, blen = end - b;

			while (alen && isspace(a[alen - 1]))
				alen--;
			while (blen && isspace(b[blen - 1]))
				blen--;
			if (alen == strlen(from) && !strncmp(a, from, alen) &&
			    blen == strlen(to) && !strncmp(b, to, blen))
				return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

int gpusan_lc_init(struct gpusan_lc *lc, const char *name, const char *spec,
		   const void *owner)
{
	const char *a = skip_spaces(spec), *arrow = strstr(spec, "->");
	size_t len;

	lc->name = name;
	lc->spec = spec;
	lc->owner = owner;
	if (!arrow)
		return -EINVAL;
	len = arrow - a;
	while (len && isspace(a[len - 1]))
		len--;
	if (len >= sizeof(lc->state))
		return -EINVAL;
	memcpy(lc->state, a, len);
	lc->state[len] = '\0';
	return 0;
}
EXPORT_SYMBOL_GPL(gpusan_lc_init);

static int gs_lc_refuse(struct gpusan_lc *lc, enum gpusan_class cls,
			const char *to, void *caller)
{
	struct gs_report r = {.cls = cls,
			      .op = GPUOWN_OP_LIFECYCLE,
			      .err = -EPERM,
			      .lc = lc,
			      .lc_to = to,
			      .handle = lc->owner,
			      .caller = caller};
	unsigned long flags;

	spin_lock_irqsave(&gs_lock, flags);
	gs_report(&r);
	spin_unlock_irqrestore(&gs_lock, flags);
	return -EPERM;
}

int gpusan_lc_transition(struct gpusan_lc *lc, const char *to)
{
	if (!gs_lc_allows(lc->spec, lc->state, to))
		return gs_lc_refuse(lc, GPUSAN_LIFECYCLE_ILLEGAL, to,
				    __builtin_return_address(0));
	strscpy(lc->state, to, sizeof(lc->state));
	return 0;
}
EXPORT_SYMBOL_GPL(gpusan_lc_transition);

int gpusan_lc_require(struct gpusan_lc *lc, const char *state)
{
	if (strcmp(lc->state, state))
		return gs_lc_refuse(lc, GPUSAN_LIFECYCLE_NOT_PERMITTED, state,
				    __builtin_return_address(0));
	return 0;
}
EXPORT_SYMBOL_GPL(gpusan_lc_require);

/* ---- module --------------------------------------------------------- */

static int __init gpusan_init(void)
{
	int err;

	stack_depot_init();
	err = gs_shadow_create(&gs_fw_vm.sh);
	if (err)
		return err;
	err = gs_shadow_create(&gs_fw_space);
	if (err)
		goto fail_vm;
	gs_fw_vm.magic = GS_MAGIC_LIVE;
	err = gs_kasan_init();
	if (err)
		goto fail_fw;
	gs_debugfs_init();
	pr_info("gpusan: tracking GPU objects (quarantine %lu KiB)\n",
		quarantine_kb);
	return 0;
fail_fw:
	gs_shadow_destroy(gs_fw_space);
fail_vm:
	gs_shadow_destroy(gs_fw_vm.sh);
	return err;
}

static void __exit gpusan_exit(void)
{
	struct gpusan_obj *o, *tmp;

	gs_debugfs_exit();
	gs_kasan_exit();
	gpusan_quarantine_drain();
	list_for_each_entry_safe(o, tmp, &gs_live, node) {
		if (o->poisoned)
			gs_cpu_poison(o, false);
		list_del(&o->node);
		kfree(o);
	}
	list_for_each_entry_safe(o, tmp, &gs_grave, node) {
		list_del(&o->node);
		kfree(o);
	}
	gs_shadow_destroy(gs_fw_space);
	gs_shadow_destroy(gs_fw_vm.sh);
}

/*
 * Built in, gpusan must be up before the drivers that call it, and before
 * KUnit runs its built-in suites (late_initcall).
 */
subsys_initcall(gpusan_init);
module_exit(gpusan_exit);

MODULE_DESCRIPTION("gpusan: GPU object ownership sanitizer");
MODULE_LICENSE("Dual MIT/GPL");
