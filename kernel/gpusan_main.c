// SPDX-License-Identifier: MIT
/*
 * gpusan's kernel host: the driver API of <gpusan/gpusan.h> over the
 * portable core (runtime/model), and the core's hooks.
 *
 * The ownership transitions are the core's own functions (the header inlines
 * calls to them); this file creates objects at the addresses the driver
 * already has, turns kernel fences (context, seqno) into the core's fence
 * stamps, keeps VMs and their unbound ranges, and implements the hooks the
 * way gpusan's user-space host does (runtime/gpusan/src/context.c and
 * check.c): per-object metadata (<gpuown/san.h>) recorded from events, the
 * shadow painted from each object's state, the lock-free access check and,
 * on a failure, classification and a report composed by the core.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <gpuown/fault.h>

#include "gpusan_internal.h"

#define B(s) (1u << (s))

DEFINE_SPINLOCK(gs_lock);
/*
 * User VMs. Its own lock, since draining their quarantine lists calls into
 * the core, whose release hooks take gs_lock: gs_vms_lock, then gs_lock.
 */
DEFINE_SPINLOCK(gs_vms_lock);
LIST_HEAD(gs_vms);
struct gpuown_model gs_model;
struct gpuown_vm gs_fw_vm = {
	.name = "firmware vm",
	.unbound = LIST_HEAD_INIT(gs_fw_vm.unbound),
	.binds = LIST_HEAD_INIT(gs_fw_vm.binds),
};
struct gs_shadow *gs_fw_space;
struct gs_meta gs_live = {.next = &gs_live, .prev = &gs_live};
static struct gs_meta *gs_grave[GS_GRAVEYARD]; /* ring of released ones */
static unsigned int gs_grave_head;
static u64 gs_seq, gs_mapped;
static u32 gs_next_vm_id = 1;

static struct gpuown_hooks gs_hooks;

/* Frames per saved stack; 0 records none (the cheapest debug build). */
unsigned int gs_stack_depth = GS_STACK_DEPTH;

static int gs_set_stack_depth(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v > GS_STACK_DEPTH)
		return -ERANGE;
	WRITE_ONCE(gs_stack_depth, v);
	return 0;
}

static const struct kernel_param_ops gs_stack_depth_ops = {
	.set = gs_set_stack_depth,
	.get = param_get_uint,
};
module_param_cb(stack_depth, &gs_stack_depth_ops, &gs_stack_depth, 0644);
MODULE_PARM_DESC(stack_depth, "frames per allocation / free / transition "
			      "stack, 0..16 (0: none)");

static unsigned long quarantine_kb = 1024;

static int gs_set_quarantine_kb(const char *val, const struct kernel_param *kp)
{
	int err = param_set_ulong(val, kp);

	if (!err && gs_model.q_lock)
		gpuown_model_set_quarantine_budget(&gs_model,
						   (u64)quarantine_kb << 10);
	return err;
}

static const struct kernel_param_ops gs_quarantine_ops = {
	.set = gs_set_quarantine_kb,
	.get = param_get_ulong,
};
module_param_cb(quarantine_kb, &gs_quarantine_ops, &quarantine_kb, 0644);
MODULE_PARM_DESC(quarantine_kb, "KiB of freed GPU objects kept poisoned before "
				"their ranges are forgotten");

/* ---- metadata (under gs_lock) ------------------------------------------ */

static struct gs_meta *gs_meta_live(const struct gpuown_obj *o)
{
	return o ? READ_ONCE(o->san_data) : NULL;
}

struct gs_meta *gs_grave_meta(unsigned int i)
{
	return i < GS_GRAVEYARD
		       ? gs_grave[(gs_grave_head + GS_GRAVEYARD - 1 - i) %
				  GS_GRAVEYARD]
		       : NULL;
}

/* Live metadata, else the newest released one (a stale handle). */
static struct gs_meta *gs_meta_of(const struct gpuown_obj *o)
{
	struct gpuown_obj *live;
	struct gs_meta *m;
	unsigned int i;

	if (!o)
		return NULL;
	if (gpuown_host.handle_check(o, &live) == GPUOWN_HANDLE_LIVE)
		return gs_meta_live(live);
	for (i = 0; i < GS_GRAVEYARD; i++) {
		m = gs_grave_meta(i);
		if (m && m->old_obj == (const void *)o)
			return m;
	}
	return NULL;
}

static struct gs_meta *gs_meta_get(struct gpuown_obj *o)
{
	struct gs_meta *m = gs_meta_live(o);

	if (m)
		return m;
	m = gs_meta_create(o, GS_HISTORY);
	if (!m)
		return NULL;
	m->next = gs_live.next;
	m->prev = &gs_live;
	gs_live.next->prev = m;
	gs_live.next = m;
	WRITE_ONCE(o->san_data, m);
	return m;
}

static void gs_meta_retire(struct gs_meta *m)
{
	struct gs_meta **slot = &gs_grave[gs_grave_head];

	if (m->obj)
		WRITE_ONCE(m->obj->san_data, NULL);
	m->prev->next = m->next;
	m->next->prev = m->prev;
	m->next = m->prev = NULL;
	gs_meta_bury(m);
	gs_meta_destroy(*slot);
	*slot = m;
	gs_grave_head = (gs_grave_head + 1) % GS_GRAVEYARD;
}

static struct gs_shadow *gs_vm_shadow(struct gpuown_vm *vm)
{
	return (vm ? vm : &gs_fw_vm)->sh;
}

static bool gs_meta_covers(const struct gs_meta *m, const struct gs_shadow *sh,
			   u64 va, u64 slack)
{
	u64 lo = m->va > slack ? m->va - slack : 0;

	return m->mapped && m->sh == sh && va >= lo &&
	       va < m->va + m->footprint + slack;
}

static u64 gs_meta_dist(const struct gs_meta *m, u64 va)
{
	u64 end = m->va + m->footprint;

	if (va < m->va)
		return m->va - va;
	return va >= end ? va - end + 1 : 0;
}

/* The object (live or released) at or nearest @va of @sh. */
static struct gs_meta *gs_meta_at(const struct gs_shadow *sh, u64 va)
{
	struct gs_meta *m, *best = NULL;
	u64 best_d = U64_MAX;
	unsigned int i;

	for (m = gs_live.next; m != &gs_live; m = m->next)
		if (gs_meta_covers(m, sh, va, 4096) &&
		    gs_meta_dist(m, va) < best_d) {
			best = m;
			best_d = gs_meta_dist(m, va);
		}
	/* Newest first: a released range may have been reused since. */
	for (i = 0; i < GS_GRAVEYARD && best_d; i++) {
		m = gs_grave_meta(i);
		if (m && gs_meta_covers(m, sh, va, 0)) {
			best = m;
			best_d = 0;
		}
	}
	return best;
}

/* The firmware-VM object whose firmware range holds (or is next to) @fa. */
static struct gs_meta *gs_meta_by_fw(u64 fa)
{
	struct gs_meta *m, *best = NULL;
	u64 d, best_d = U64_MAX;
	unsigned int i;

	for (m = gs_live.next; m != &gs_live; m = m->next) {
		if (!m->fw_addr || !m->mapped)
			continue;
		d = fa < m->fw_addr ? m->fw_addr - fa
		    : fa >= m->fw_addr + m->footprint
			    ? fa - (m->fw_addr + m->footprint) + 1
			    : 0;
		if (d <= 4096 && d < best_d) {
			best = m;
			best_d = d;
		}
	}
	for (i = 0; i < GS_GRAVEYARD && best_d; i++) {
		m = gs_grave_meta(i);
		if (m && m->fw_addr && fa >= m->fw_addr &&
		    fa < m->fw_addr + m->footprint) {
			best = m;
			best_d = 0;
		}
	}
	return best;
}

struct gs_meta *gs_meta_by_cpu(unsigned long addr)
{
	struct gs_meta *m;
	unsigned int i;

	for (m = gs_live.next; m != &gs_live; m = m->next)
		if (m->cpu && addr >= (unsigned long)m->cpu &&
		    addr < (unsigned long)m->cpu + m->size)
			return m;
	for (i = 0; i < GS_GRAVEYARD; i++) {
		m = gs_grave_meta(i);
		if (m && m->cpu && addr >= (unsigned long)m->cpu &&
		    addr < (unsigned long)m->cpu + m->size)
			return m;
	}
	return NULL;
}

/*
 * The firmware address space mirrors the firmware VM's shadow of each
 * object (fa <-> va): copied granule by granule after every repaint, so the
 * firmware's accesses are checked without a lock too. Redzones never
 * overwrite a neighbour.
 */
static void gs_fw_mirror(const struct gs_meta *m, u64 rz)
{
	u64 lo = m->va - rz, hi = m->va + ALIGN(m->footprint, GS_GRANULE) + rz;
	u64 va;

	if (!m->fw_addr || m->vm)
		return;
	for (va = lo; va < hi; va += GS_GRANULE) {
		u8 b = gs_shadow_get(m->sh, va);
		u64 fa = (m->fw_addr + (va - m->va)) & GS_ADDR_MASK;
		enum gs_state st = GS_STATE(b);

		gs_shadow_paint(gs_fw_space, fa,
				GS_PARTIAL(b) ? GS_PARTIAL(b) : GS_GRANULE, st,
				st == GS_REDZONE || st == GS_UNMAPPED
					? B(GS_UNMAPPED) | B(GS_REDZONE)
					: 0);
	}
}

static void gs_repaint(struct gs_meta *m, struct gpusan_obj *ko)
{
	gs_meta_paint(m, false);
	gs_fw_mirror(m, ko ? ko->redzone : m->redzone);
	if (ko)
		gs_cpu_poison_update(m, ko);
}

/* ---- hooks -----------------------------------------------------------------
 */

struct gs_referrers {
	const struct gpuown_ptr_edge *skip;
	struct gpuown_ptr_edge e[GS_MAX_REFERRERS];
	unsigned int n, more;
};

static void gs_collect_referrer(const struct gpuown_ptr_edge *e, void *arg)
{
	struct gs_referrers *r = arg;
	enum gpuown_state st = gpuown_obj_state(e->container);

	if (st != GPUOWN_STATE_FW && st != GPUOWN_STATE_SHARED)
		return;
	if (r->skip && e->container == r->skip->container &&
	    e->offset == r->skip->offset)
		return;
	if (r->n < GS_MAX_REFERRERS)
		r->e[r->n++] = *e;
	else
		r->more++;
}

static void gs_edge_info(struct gs_edge_info *ei,
			 const struct gpuown_ptr_edge *e)
{
	ei->e = *e;
	ei->c = gs_meta_of(e->container);
	ei->t = gs_meta_of(e->target);
}

static void gs_report_event(const struct gpuown_event *ev,
			    enum gpusan_class cls)
{
	struct gs_referrers refs = {.skip = ev->edge};
	struct gs_event_info in = {.ev = ev};
	struct gs_report rep;
	unsigned long flags;
	unsigned int i;

	/* Outside gs_lock: the walk takes the core's graph lock. */
	if (cls == GPUSAN_DANGLING_AT_FREE && ev->obj)
		gpuown_obj_for_each_referrer(ev->obj, gs_collect_referrer,
					     &refs);
	spin_lock_irqsave(&gs_lock, flags);
	in.m = gs_meta_of(ev->obj);
	if (ev->edge) {
		gs_edge_info(&in.edge, ev->edge);
		in.other = ev->edge->target == ev->obj ? in.edge.c : in.edge.t;
	}
	for (i = 0; i < refs.n; i++)
		gs_edge_info(&in.refs[i], &refs.e[i]);
	in.nrefs = refs.n;
	in.more_refs = refs.more;
	if (gs_report_begin(&rep, cls, ev->caller, false)) {
		gs_compose_event(&rep, &in);
		gs_report_end(&rep, false);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
}

static void gs_on_event(void *ctx, const struct gpuown_event *ev)
{
	struct gs_meta *m = NULL;
	unsigned long flags;

	spin_lock_irqsave(&gs_lock, flags);
	if (ev->obj && !gs_kobj(ev->obj)->internal) {
		if (ev->op == GPUOWN_OP_ALLOC && !ev->err)
			m = gs_meta_get(ev->obj);
		else
			m = gs_meta_live(ev->obj);
	}
	if (m) {
		gs_meta_record(m, ev, ++gs_seq, READ_ONCE(gs_stack_depth));
		if (!ev->err && ev->op != GPUOWN_OP_RELEASE && m->obj) {
			gs_meta_refresh(m);
			gs_repaint(m, gs_kobj(m->obj));
		}
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	if (ev->violation)
		gs_report_event(ev, (enum gpusan_class)ev->violation);
}

static void gs_range_object(const struct gpuown_range *r)
{
	struct gpusan_obj *ko = gs_kobj(r->obj);
	struct gs_meta *m = gs_meta_get(r->obj);

	if (!m)
		return;
	m->vm = r->vm;
	if (r->vm) {
		strscpy(m->vm_name, r->vm->name, sizeof(m->vm_name));
		m->vm_id = r->vm->id;
	}
	m->sh = gs_vm_shadow(r->vm);
	m->va = r->va;
	m->size = r->size;
	m->footprint = r->size;
	m->redzone = ko->redzone;
	m->fw_addr = gpuown_fw_addr_to_u64(r->fw_addr);
	m->cpu = r->obj->cpu;
	m->state = gpuown_obj_state(r->obj);
	m->mapped = true;
	gs_mapped += r->size;
	gs_repaint(m, ko);
}

static void gs_range_release(const struct gpuown_range *r)
{
	struct gs_meta *m = gs_meta_live(r->obj);
	struct gs_shadow *sh = gs_vm_shadow(r->vm);
	u64 len = m && m->footprint > r->size ? m->footprint : r->size;
	u64 rz = ALIGN(gs_kobj(r->obj)->redzone, GS_GRANULE);

	/* Only granules still freed: the range may hold a new object. */
	gs_shadow_paint(sh, r->va, len, GS_UNMAPPED, B(GS_QUARANTINED));
	gs_shadow_paint(sh, r->va - rz, rz, GS_UNMAPPED, B(GS_REDZONE));
	gs_shadow_paint(sh, r->va + ALIGN(len, GS_GRANULE), rz, GS_UNMAPPED,
			B(GS_REDZONE));
	if (m && m->fw_addr && !r->vm) {
		u64 fa = m->fw_addr & GS_ADDR_MASK;

		gs_shadow_paint(gs_fw_space, fa, len, GS_UNMAPPED,
				B(GS_QUARANTINED));
		gs_shadow_paint(gs_fw_space, fa - rz, rz, GS_UNMAPPED,
				B(GS_REDZONE));
		gs_shadow_paint(gs_fw_space, fa + ALIGN(len, GS_GRANULE), rz,
				GS_UNMAPPED, B(GS_REDZONE));
	}
	if (!m || m->released)
		return;
	if (m->poisoned)
		gs_cpu_poison_set(m, gs_kobj(r->obj)->cpu_size, false);
	gs_meta_retire(m);
}

static void gs_on_range(void *ctx, const struct gpuown_range *r)
{
	unsigned long flags;
	struct gs_meta *m;

	if (!r->obj || gs_kobj(r->obj)->internal)
		return;
	spin_lock_irqsave(&gs_lock, flags);
	switch (r->kind) {
	case GPUOWN_RANGE_OBJECT:
		gs_range_object(r);
		break;
	case GPUOWN_RANGE_QUARANTINE:
		m = gs_meta_live(r->obj);
		gs_mapped -= r->size;
		if (m && !m->released) {
			m->state = GPUOWN_STATE_QUARANTINED;
			gs_repaint(m, gs_kobj(r->obj));
		}
		break;
	case GPUOWN_RANGE_RELEASE:
		gs_range_release(r);
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&gs_lock, flags);
}

static struct gs_meta *gs_access_meta(const struct gpuown_access *acc,
				      const struct gs_shadow *sh, u64 va)
{
	struct gs_meta *m = gs_meta_live(acc->obj);

	if (m && m->mapped && va >= m->va && va < m->va + m->footprint)
		return m;
	return gs_meta_at(sh, va);
}

/*
 * The object a non-coherent granule (GS_NONCOH) at @bad_va of @sh is: its
 * body (*@m, *@real its state), or a binding of the access's VM (*@real
 * bound or bound read-only, *@via_binding true). NULL when neither.
 * gs_lock held.
 */
static struct gpuown_obj *gs_noncoh_obj(const struct gpuown_access *acc,
					struct gs_shadow *sh, u64 bad_va,
					struct gs_meta **m, enum gs_state *real,
					bool *via_binding)
{
	struct gpuown_vm *vm = acc->space == GPUOWN_SPACE_FW ? NULL : acc->vm;
	struct gs_bind *b;

	*via_binding = false;
	*m = gs_access_meta(acc, sh, bad_va);
	if (*m && (*m)->obj && (*m)->sh == sh && bad_va >= (*m)->va &&
	    bad_va < (*m)->va + (*m)->footprint) {
		*real = gs_meta_body_state(*m);
		return (*m)->obj;
	}
	if (!vm)
		return NULL;
	list_for_each_entry(b, &vm->binds, node) {
		if (b->unbound || bad_va < b->va || bad_va - b->va >= b->size)
			continue;
		*m = gs_meta_live(&b->obj->core);
		*real = b->read_only ? GS_BOUND_RO : GS_BOUND;
		*via_binding = true;
		return &b->obj->core;
	}
	return NULL;
}

/*
 * A non-coherent object's granule (painted GS_NONCOH so that every device
 * access comes here): a device read of CPU writes not synced for the device
 * is reported, device-read-unsynced; a device write leaves the object dirty
 * for the CPU. Otherwise *@bad becomes the state the object is really in and
 * true means the whole access is admitted. Takes gs_lock itself: the core's
 * object lock (gpuown_model_device_access()) is outside it.
 */
static bool gs_access_noncoh(const struct gpuown_access *acc,
			     struct gs_shadow *sh, u64 va, u32 allowed,
			     u64 *bad_va, u8 *bad, int *ret)
{
	struct gs_access_info in = {.acc = acc, .sh = sh, .va = va};
	enum gs_state real = GS_UNMAPPED;
	enum gpuown_violation v = GPUOWN_OK;
	struct gpuown_obj *o;
	struct gs_report rep;
	struct gs_meta *m;
	unsigned long flags;
	bool ok;

	*ret = 0;
	spin_lock_irqsave(&gs_lock, flags);
	o = gs_noncoh_obj(acc, sh, *bad_va, &m, &real, &in.via_binding);
	spin_unlock_irqrestore(&gs_lock, flags);
	if (o && acc->agent != GPUOWN_AGENT_CPU)
		v = gpuown_model_device_access(o, acc->write);
	spin_lock_irqsave(&gs_lock, flags);
	if (v) {
		/* Looked up again: the object may have moved on meanwhile. */
		gs_noncoh_obj(acc, sh, *bad_va, &m, &real, &in.via_binding);
		in.bad_va = *bad_va;
		in.bad = *bad;
		in.m = m;
		in.note = "non-coherent: the CPU wrote it after the last "
			  "gpusan_sync_for_device(), the device reads stale "
			  "memory";
		if (gs_report_begin(&rep, GPUSAN_DEVICE_READ_UNSYNCED,
				    acc->caller, false)) {
			gs_compose_access(&rep, &in);
			gs_report_end(&rep, false);
		}
		spin_unlock_irqrestore(&gs_lock, flags);
		*ret = -EACCES;
		return true;
	}
	*bad = GS_BYTE(real, GS_PARTIAL(*bad));
	ok = (allowed & B(real)) &&
	     gs_shadow_check(sh, va, acc->size, allowed | B(GS_NONCOH), bad_va,
			     bad);
	spin_unlock_irqrestore(&gs_lock, flags);
	return ok;
}

static noinline int gs_access_slow(const struct gpuown_access *acc,
				   struct gs_shadow *sh, u64 va, u64 bad_va,
				   u8 bad)
{
	u32 allowed = gs_fast[acc->agent][acc->write][acc->atomic];
	struct gs_access_info in = {.acc = acc};
	enum gpusan_class cls;
	struct gs_report rep;
	struct gs_meta *m;
	unsigned long flags;
	enum gs_state st;
	int ret;

	if (sh && GS_STATE(bad) == GS_NONCOH) {
		if (gs_access_noncoh(acc, sh, va, allowed, &bad_va, &bad, &ret))
			return ret;
		/* Its granules are the object's real state from here on. */
		allowed |= B(GS_NONCOH);
	}
	spin_lock_irqsave(&gs_lock, flags);
	m = sh ? gs_access_meta(acc, sh, bad_va) : NULL;
	/* Field-level rules may admit the state of the granule that failed. */
	if (sh && m && !GS_PARTIAL(bad)) {
		st = gs_refine(acc, m, GS_STATE(bad), va);
		if (st != GS_NR_STATES &&
		    gs_shadow_check(sh, va, acc->size, allowed | B(st), &bad_va,
				    &bad)) {
			spin_unlock_irqrestore(&gs_lock, flags);
			return 0;
		}
		m = gs_access_meta(acc, sh, bad_va);
	}
	cls = sh ? gs_classify(acc, m, bad, bad_va) : GPUSAN_WILD_ADDRESS;
	in.sh = sh;
	in.va = va;
	in.bad_va = bad_va;
	in.bad = bad;
	in.m = m;
	if (gs_report_begin(&rep, cls, acc->caller, false)) {
		gs_compose_access(&rep, &in);
		gs_report_end(&rep, false);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	return -EACCES;
}

static int gs_on_access(void *ctx, const struct gpuown_access *acc)
{
	struct gpuown_access tr;
	struct gs_shadow *sh;
	u64 bad_va = 0, va;
	unsigned long flags;
	struct gs_meta *m;
	u8 bad = 0;

	if (acc->agent > GPUOWN_AGENT_GPU)
		return 0;
	if (acc->space != GPUOWN_SPACE_FW) {
		sh = gs_vm_shadow(acc->vm);
		if (gs_shadow_check(
			    sh, acc->addr, acc->size ? acc->size : 1,
			    gs_fast[acc->agent][acc->write][acc->atomic],
			    &bad_va, &bad))
			return 0;
		return gs_access_slow(acc, sh, acc->addr, bad_va, bad);
	}
	/* Firmware addresses: the mirror first, lock-free. */
	if (gs_shadow_check(gs_fw_space, acc->addr & GS_ADDR_MASK,
			    acc->size ? acc->size : 1,
			    gs_fast[acc->agent][acc->write][acc->atomic],
			    &bad_va, &bad))
		return 0;
	/* Translate to the firmware VM's VA of the object there, if any. */
	tr = *acc;
	spin_lock_irqsave(&gs_lock, flags);
	m = gs_meta_by_fw(acc->addr);
	va = m ? m->va + (acc->addr - m->fw_addr) : 0;
	spin_unlock_irqrestore(&gs_lock, flags);
	tr.va = va;
	if (!m)
		return gs_access_slow(&tr, NULL, 0, 0, bad);
	sh = gs_vm_shadow(NULL);
	if (gs_shadow_check(sh, va, acc->size ? acc->size : 1,
			    gs_fast[acc->agent][acc->write][acc->atomic],
			    &bad_va, &bad))
		return 0;
	return gs_access_slow(&tr, sh, va, bad_va, bad);
}

/* ---- objects ------------------------------------------------------------- */

struct gpuown_obj *gpusan__obj(struct gpusan_obj *obj)
{
	return &obj->core;
}
EXPORT_SYMBOL_GPL(gpusan__obj);

struct gpusan_obj *gpusan__handle(struct gpuown_obj *obj)
{
	return gs_kobj(obj);
}
EXPORT_SYMBOL_GPL(gpusan__handle);

/* The memory system the core's calls name: gpusan's one model. */
struct gpuown_mm *gpusan__mm(void)
{
	return (struct gpuown_mm *)&gs_model;
}
EXPORT_SYMBOL_GPL(gpusan__mm);

struct gpusan_obj *gpusan__obj_create(const struct gpusan_obj_desc *d,
				      void *caller)
{
	struct gpuown_alloc_args a = {
		.size = d->size,
		.align = GS_GRANULE,
		.layout = d->layout,
		.fw_dir = d->fw_dir,
		.name = d->name,
	};
	struct gs_place p = {.d = d, .vm = d->vm ? &d->vm->v : &gs_fw_vm};
	struct gpuown_obj *o;

	if (d->flags & GPUSAN_OBJ_GPU_ONLY || !d->cpu)
		a.flags |= GPUOWN_ALLOC_NO_CPU_MAP;
	if (d->flags & GPUSAN_OBJ_NONCOHERENT)
		a.flags |= GPUOWN_ALLOC_NONCOHERENT;
	if (gpuown_model_obj_alloc(&gs_model, &a, &p, caller, &o))
		return NULL;
	return gs_kobj(o);
}
EXPORT_SYMBOL_GPL(gpusan__obj_create);

u64 gpusan_obj_id(const struct gpusan_obj *o)
{
	return o ? gpuown_obj_id(&o->core) : 0;
}
EXPORT_SYMBOL_GPL(gpusan_obj_id);

const char *gpusan_obj_state_name(const struct gpusan_obj *o)
{
	struct gpuown_obj *c;

	if (!o)
		return "untracked";
	if (gpuown_host.handle_check(o, &c) == GPUOWN_HANDLE_WILD)
		return "unknown";
	return gpuown_state_name(gpuown_model_state(c));
}
EXPORT_SYMBOL_GPL(gpusan_obj_state_name);

void gpusan_quarantine_drain(void)
{
	struct gpuown_vm *vm;
	unsigned long flags;

	spin_lock_irqsave(&gs_vms_lock, flags);
	list_for_each_entry(vm, &gs_vms, node)
		gpuown_model_quarantine_ready(&gs_model, &vm->q_wait);
	spin_unlock_irqrestore(&gs_vms_lock, flags);
	gpuown_model_set_quarantine_budget(&gs_model, 0);
	gpuown_model_set_quarantine_budget(&gs_model,
					   (u64)READ_ONCE(quarantine_kb) << 10);
}
EXPORT_SYMBOL_GPL(gpusan_quarantine_drain);

/* ---- fences ----------------------------------------------------------------
 *
 * The core's fences are 32-bit stamps in a shared object; a kernel fence is
 * (context, seqno). gpusan keeps one stamp per fence context in an object
 * of its own (not tracked by the hooks), and a kernel fence becomes "the
 * stamp of its context reached seqno" (wrap-around compare on the low 32
 * bits).
 */
#define GS_FENCE_CTX 64
u32 gs_fence_stamps[GS_FENCE_CTX];
struct gpusan_obj *gs_fence_obj;
static u64 gs_fence_ctx[GS_FENCE_CTX];
static bool gs_fence_used[GS_FENCE_CTX];
/* The fences' names in reports: "context 0x..." of their slot. */
static char gs_fence_names[GS_FENCE_CTX][32];

/* The stamp slot of @context, claimed if new (gs_lock). */
static unsigned int gs_fence_slot(u64 context)
{
	unsigned int i, free = GS_FENCE_CTX;

	for (i = 0; i < GS_FENCE_CTX; i++) {
		if (gs_fence_used[i] && gs_fence_ctx[i] == context)
			return i;
		if (!gs_fence_used[i] && free == GS_FENCE_CTX)
			free = i;
	}
	/* Full: a context slot is recycled (a debug tool's bound). */
	if (free == GS_FENCE_CTX)
		free = context % GS_FENCE_CTX;
	gs_fence_used[free] = true;
	gs_fence_ctx[free] = context;
	snprintf(gs_fence_names[free], sizeof(gs_fence_names[free]),
		 "context 0x%llx", (unsigned long long)context);
	WRITE_ONCE(gs_fence_stamps[free], 0);
	return free;
}

const struct gpuown_fence *gpusan__fence(const struct gpusan_fence *f,
					 struct gpuown_fence *buf)
{
	unsigned long flags;
	unsigned int i;

	if (!f)
		return NULL;
	memset(buf, 0, sizeof(*buf));
	spin_lock_irqsave(&gs_lock, flags);
	i = gs_fence_slot(f->context);
	buf->stamp = &gs_fence_obj->core;
	buf->offset = i * sizeof(u32);
	buf->value = (u32)f->seqno;
	buf->name = gs_fence_names[i];
	spin_unlock_irqrestore(&gs_lock, flags);
	/*
	 * Called from the header's inlines: where the driver handed gpusan
	 * the fence (publish, reclaim, busy-until), which reports name.
	 */
	buf->created = __builtin_return_address(0);
	return buf;
}
EXPORT_SYMBOL_GPL(gpusan__fence);

void gpusan_fence_signal(u64 context, u64 seqno)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gs_lock, flags);
	i = gs_fence_slot(context);
	if ((s32)((u32)seqno - READ_ONCE(gs_fence_stamps[i])) > 0) {
		/* Pairs with the core's acquire load of the stamp (a reclaim).
		 */
		smp_store_release(&gs_fence_stamps[i], (u32)seqno);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_fence_signal);

/* ---- VMs ------------------------------------------------------------------
 */

struct gpusan_vm *gpusan_vm_create(const char *name)
{
	return gpusan_vm_create_ext(name, NULL, 0);
}
EXPORT_SYMBOL_GPL(gpusan_vm_create);

struct gpusan_vm *gpusan_vm_create_ext(const char *name, const void *dev,
				       u32 vm_flags)
{
	struct gpusan_vm *vm = kzalloc(sizeof(*vm), GFP_ATOMIC | __GFP_NOWARN);
	unsigned long flags;

	if (!vm)
		return NULL;
	if (gs_shadow_create(&vm->v.sh)) {
		kfree(vm);
		return NULL;
	}
	strscpy(vm->v.name, name ? name : "gpu vm", sizeof(vm->v.name));
	INIT_LIST_HEAD(&vm->v.unbound);
	INIT_LIST_HEAD(&vm->v.binds);
	vm->v.dev = dev;
	vm->v.flags = vm_flags;
	vm->v.magic = GS_VM_MAGIC;
	spin_lock_irqsave(&gs_vms_lock, flags);
	vm->v.id = gs_next_vm_id++;
	list_add_tail(&vm->v.node, &gs_vms);
	spin_unlock_irqrestore(&gs_vms_lock, flags);
	return vm;
}
EXPORT_SYMBOL_GPL(gpusan_vm_create_ext);

/* An object the VM's destroy finds never freed: a leak (gs_lock held). */
static void gs_report_leak(struct gs_meta *m, void *caller)
{
	struct gs_report rep;

	if (gs_report_begin(&rep, GPUSAN_LEAK, m->alloc_caller, false)) {
		gs_compose_leak(&rep, m, caller);
		gs_report_end(&rep, false);
	}
}

/*
 * An unbound binding's translations are gone (gs_lock held): the object,
 * unless freed and released since (its storage may hold another by now),
 * no longer counts it as stale.
 */
static void gs_bind_end_stale(struct gs_bind *b)
{
	struct gpuown_obj *live;

	if (gpuown_host.handle_check(&b->obj->core, &live) ==
		    GPUOWN_HANDLE_LIVE &&
	    live == &b->obj->core && gpuown_obj_id(live) == b->obj_id)
		__atomic_fetch_sub(&live->nstale, 1, __ATOMIC_RELAXED);
}

/* Whether @b still counts in its object's nbinds (gs_lock held). */
static bool gs_bind_counted(const struct gpuown_vm *v, const struct gs_bind *b)
{
	return !b->unbound || !(v->flags & GPUSAN_VM_DEFERS_RELEASE);
}

/* Bindings of a VM going away end with it (gs_lock held). */
static void gs_vm_drop_binds(struct gpuown_vm *v)
{
	struct gs_bind *b, *bn;

	list_for_each_entry_safe(b, bn, &v->binds, node) {
		/* A counted binding's object cannot be freed: it is live. */
		if (b->unbound)
			gs_bind_end_stale(b);
		if (gs_bind_counted(v, b))
			__atomic_fetch_sub(&b->obj->core.nbinds, 1,
					   __ATOMIC_RELAXED);
		list_del(&b->node);
		kfree(b);
	}
}

void gpusan_vm_destroy(struct gpusan_vm *vm)
{
	void *caller = (void *)_RET_IP_;
	struct gs_range *u, *un;
	unsigned long flags;
	struct gs_meta *m;
	unsigned int i;

	if (!vm)
		return;
	/* Its quarantined objects' ranges go with it. */
	spin_lock_irqsave(&gs_vms_lock, flags);
	list_del(&vm->v.node);
	spin_unlock_irqrestore(&gs_vms_lock, flags);
	gpuown_model_quarantine_ready(&gs_model, &vm->v.q_wait);
	gpusan_quarantine_drain();
	spin_lock_irqsave(&gs_lock, flags);
	/*
	 * Objects still in it were never freed: leaks. They keep no pointer to
	 * its shadow, and wait for no invalidate of it once freed.
	 */
	for (m = gs_live.next; m != &gs_live; m = m->next) {
		if (m->vm != &vm->v)
			continue;
		if (m->obj && !gpuown_state_freed(m->state))
			gs_report_leak(m, caller);
		if (m->obj)
			WRITE_ONCE(m->obj->q_wait, NULL);
		m->vm = NULL;
		m->sh = NULL;
		m->mapped = false;
	}
	gs_vm_drop_binds(&vm->v);
	for (i = 0; i < GS_GRAVEYARD; i++) {
		m = gs_grave_meta(i);
		if (m && m->vm == &vm->v) {
			m->vm = NULL;
			m->sh = NULL;
			m->mapped = false;
		}
	}
	vm->v.magic = 0;
	list_for_each_entry_safe(u, un, &vm->v.unbound, node) {
		list_del(&u->node);
		kfree(u);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	gs_shadow_destroy(vm->v.sh);
	kfree(vm);
}
EXPORT_SYMBOL_GPL(gpusan_vm_destroy);

/* A refused or completed bind / unbind, to the hooks (no lock held). */
static void gs_bind_event(enum gpuown_op op, struct gpuown_obj *o,
			  struct gpusan_vm *vm, u64 va, u64 size, int err,
			  enum gpuown_violation v, const char *note,
			  void *caller)
{
	struct gpuown_event ev;

	gpuown_model_ev_init(&ev, op, o, caller);
	ev.vm = &vm->v;
	ev.va = va;
	ev.size = size;
	ev.err = err;
	ev.violation = v;
	ev.note = note;
	gpuown_model_emit_event(&gs_model, &ev);
}

int gpusan_vm_map(struct gpusan_vm *vm, u64 va, u64 size,
		  struct gpusan_obj *obj, bool read_only)
{
	void *caller = (void *)_RET_IP_;
	struct gpuown_obj *o = NULL;
	struct gs_bind *b = NULL;
	unsigned long flags;
	char note[160];
	int err;

	if (!vm)
		return 0;
	if (obj) {
		err = gpuown_model_validate(obj, GPUOWN_OP_BIND, 0, 0, caller,
					    &o);
		if (err)
			return err;
		if (gpuown_state_freed(gpuown_model_state(o))) {
			gs_bind_event(GPUOWN_OP_BIND, o, vm, va, size, -EINVAL,
				      GPUOWN_V_USE_AFTER_FREE, NULL, caller);
			return -EINVAL;
		}
		/* Another device's pages: this GPU cannot reach them. */
		if (obj->dev && vm->v.dev && obj->dev != vm->v.dev) {
			snprintf(note, sizeof(note),
				 "The object is memory of device %p; vm %s "
				 "(id %u) at 0x%llx is device %p's, which "
				 "cannot reach it",
				 obj->dev, vm->v.name, vm->v.id,
				 (unsigned long long)va, vm->v.dev);
			gs_bind_event(GPUOWN_OP_BIND, o, vm, va, size, -EINVAL,
				      GPUOWN_V_FOREIGN_OBJECT, note, caller);
			return -EINVAL;
		}
		/* The GPU reads it from now on: CPU writes must be synced. */
		if (gpuown_model_coherent_for_device(o, GPUOWN_OP_BIND, caller))
			return -EBUSY;
		b = kzalloc(sizeof(*b), GFP_ATOMIC | __GFP_NOWARN);
	}
	spin_lock_irqsave(&gs_lock, flags);
	/* A non-coherent object's binding: each GPU access checks the syncs. */
	err = gs_shadow_paint(vm->v.sh, va, size,
			      o && gpuown_model_noncoherent(o) ? GS_NONCOH
			      : read_only		       ? GS_BOUND_RO
							       : GS_BOUND,
			      0);
	/* Without memory for the binding, its free is not checked. */
	if (!err && b) {
		b->va = va;
		b->size = size;
		b->obj = obj;
		b->obj_id = gpuown_obj_id(o);
		b->read_only = read_only;
		list_add_tail(&b->node, &vm->v.binds);
		__atomic_fetch_add(&o->nbinds, 1, __ATOMIC_RELAXED);
		b = NULL;
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	kfree(b);
	if (o)
		gs_bind_event(GPUOWN_OP_BIND, o, vm, va, size, err, GPUOWN_OK,
			      NULL, caller);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_vm_map);

#define GS_UNBIND_EVENTS 16

int gpusan_vm_unmap(struct gpusan_vm *vm, u64 va, u64 size)
{
	void *caller = (void *)_RET_IP_;
	struct gpuown_obj *done[GS_UNBIND_EVENTS];
	unsigned int n = 0, i;
	struct gs_range *u;
	struct gs_bind *b;
	unsigned long flags;
	int err;

	if (!vm)
		return 0;
	u = kmalloc(sizeof(*u), GFP_ATOMIC | __GFP_NOWARN);
	spin_lock_irqsave(&gs_lock, flags);
	err = gs_shadow_paint(vm->v.sh, va, size, GS_UNBOUND,
			      B(GS_BOUND) | B(GS_BOUND_RO) | B(GS_NONCOH));
	if (u) {
		u->va = va;
		u->size = size;
		list_add_tail(&u->node, &vm->v.unbound);
	}
	/* Bindings inside the range: stale until the invalidate. */
	list_for_each_entry(b, &vm->v.binds, node) {
		if (b->unbound || b->va < va || b->va + b->size > va + size)
			continue;
		b->unbound = true;
		__atomic_fetch_add(&b->obj->core.nstale, 1, __ATOMIC_RELAXED);
		/* Free to go now only if the pages wait for the invalidate. */
		if (!gs_bind_counted(&vm->v, b))
			__atomic_fetch_sub(&b->obj->core.nbinds, 1,
					   __ATOMIC_RELAXED);
		/* The GPU may have written it through this binding. */
		if (!b->read_only)
			gpuown_model_device_wrote(&b->obj->core);
		if (n < GS_UNBIND_EVENTS)
			done[n++] = &b->obj->core;
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	for (i = 0; i < n; i++)
		gs_bind_event(GPUOWN_OP_UNBIND, done[i], vm, va, size, 0,
			      GPUOWN_OK, NULL, caller);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_vm_unmap);

void gpusan_vm_invalidate(struct gpusan_vm *vm)
{
	struct gpuown_vm *v = vm ? &vm->v : &gs_fw_vm;
	struct gs_range *u, *un;
	struct gs_bind *b, *bn;
	unsigned long flags;

	spin_lock_irqsave(&gs_lock, flags);
	/* Unbound ranges are unreachable now: unmapped, reusable. */
	list_for_each_entry_safe(u, un, &v->unbound, node) {
		gs_shadow_paint(v->sh, u->va, u->size, GS_UNMAPPED,
				B(GS_UNBOUND));
		list_del(&u->node);
		kfree(u);
	}
	/* Stale bindings are gone with the translations. */
	list_for_each_entry_safe(b, bn, &v->binds, node) {
		if (!b->unbound)
			continue;
		gs_bind_end_stale(b);
		if (gs_bind_counted(v, b))
			__atomic_fetch_sub(&b->obj->core.nbinds, 1,
					   __ATOMIC_RELAXED);
		list_del(&b->node);
		kfree(b);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	/* Freed objects of this VM may now leave the quarantine. */
	gpuown_model_quarantine_ready(&gs_model, &v->q_wait);
}
EXPORT_SYMBOL_GPL(gpusan_vm_invalidate);

int gpusan_vm_add_backing(struct gpusan_vm *vm, u64 va, u64 size, void *cpu)
{
	struct gpuown_vm *v = vm ? &vm->v : &gs_fw_vm;
	struct gs_backing *free = NULL, *b;
	unsigned long flags;
	int err = 0;

	if (!cpu || !size || va + size < va)
		return -EINVAL;
	spin_lock_irqsave(&gs_lock, flags);
	for (b = v->backing; b < v->backing + GS_VM_BACKINGS; b++) {
		if (!b->cpu) {
			free = free ?: b;
			continue;
		}
		if (va < b->va + b->size && b->va < va + size)
			err = -EEXIST;
	}
	if (!err && !free)
		err = -ENOSPC;
	if (!err) {
		free->va = va;
		free->size = size;
		/* Published last: the core's lookup is lock-free. */
		smp_store_release(&free->cpu, cpu);
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_vm_add_backing);

void gpusan_vm_remove_backing(struct gpusan_vm *vm, u64 va)
{
	struct gpuown_vm *v = vm ? &vm->v : &gs_fw_vm;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gs_lock, flags);
	for (i = 0; i < GS_VM_BACKINGS; i++)
		if (v->backing[i].cpu && v->backing[i].va == va)
			WRITE_ONCE(v->backing[i].cpu, NULL);
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_vm_remove_backing);

/* ---- memory systems and the switch ------------------------------------- */

#define GS_MMS 8
static const void *gs_mms[GS_MMS];

bool gs_mm_registered(const void *mm)
{
	unsigned int i;

	for (i = 0; mm && i < GS_MMS; i++)
		if (READ_ONCE(gs_mms[i]) == mm)
			return true;
	return false;
}

int gpusan_mm_register(const void *mm)
{
	unsigned long flags;
	unsigned int i;
	int err = -ENOSPC;

	spin_lock_irqsave(&gs_lock, flags);
	for (i = 0; i < GS_MMS && err; i++) {
		if (!gs_mms[i]) {
			WRITE_ONCE(gs_mms[i], mm);
			err = 0;
		}
	}
	spin_unlock_irqrestore(&gs_lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(gpusan_mm_register);

void gpusan_mm_unregister(const void *mm)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&gs_lock, flags);
	for (i = 0; i < GS_MMS; i++)
		if (gs_mms[i] == mm)
			WRITE_ONCE(gs_mms[i], NULL);
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_mm_unregister);

bool gpusan_set_enabled(bool on)
{
	bool was = READ_ONCE(gs_model.hooks) != NULL;

	if (on == was)
		return was;
	gpusan_quarantine_drain();
	WRITE_ONCE(gs_model.hooks, on ? &gs_hooks : NULL);
	return was;
}
EXPORT_SYMBOL_GPL(gpusan_set_enabled);

/* ---- accesses the driver observes -----------------------------------------
 */

int gpusan__access(enum gpusan_agent agent, enum gpusan_space space,
		   struct gpusan_vm *vm, u64 addr, size_t size, bool write,
		   void *caller)
{
	struct gpuown_access acc = {
		.agent = agent == GPUSAN_AGENT_FW ? GPUOWN_AGENT_FW
						  : GPUOWN_AGENT_GPU,
		.space = space == GPUSAN_SPACE_FW ? GPUOWN_SPACE_FW
						  : GPUOWN_SPACE_GPU_VA,
		.vm = space == GPUSAN_SPACE_FW || !vm ? NULL : &vm->v,
		.addr = addr,
		.va = space == GPUSAN_SPACE_FW ? 0 : addr,
		.size = size,
		.write = write,
		.caller = caller,
	};

	return gpuown_model_emit_access(&gs_model, &acc);
}
EXPORT_SYMBOL_GPL(gpusan__access);

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
	if (space == GPUSAN_SPACE_FW)
		return gs_shadow_get(gs_fw_space, addr & GS_ADDR_MASK);
	return gs_shadow_get(vm ? vm->v.sh : gs_fw_vm.sh, addr);
}
EXPORT_SYMBOL_GPL(gpusan_shadow_peek);

/* ---- lifecycles ------------------------------------------------------------
 */

int gpusan_lc_init(struct gpusan_lc *lc, const char *name, const char *spec,
		   const void *owner)
{
	int err;

	lc->name = name;
	lc->spec = spec;
	lc->owner = owner;
	lc->state[0] = '\0';
	lc->decl.name = name;
	lc->decl.spec = spec;
	err = gpuown_lc_init(&lc->core, &lc->decl,
			     (struct gpuown_mm *)&gs_model, (void *)owner);
	return gpusan__lc_sync(lc, err);
}
EXPORT_SYMBOL_GPL(gpusan_lc_init);

int gpusan__lc_sync(struct gpusan_lc *lc, int err)
{
	const char *st = gpuown_lc_state(&lc->core);

	if (st)
		strscpy(lc->state, st, sizeof(lc->state));
	return err;
}
EXPORT_SYMBOL_GPL(gpusan__lc_sync);

/* The core's transitions, called from the inlines of <gpusan/gpusan.h>. */
EXPORT_SYMBOL_GPL(gpuown_obj_free);
EXPORT_SYMBOL_GPL(gpuown_obj_publish);
EXPORT_SYMBOL_GPL(gpuown_obj_fw_get);
EXPORT_SYMBOL_GPL(gpuown_obj_reclaim);
EXPORT_SYMBOL_GPL(gpuown_obj_share);
EXPORT_SYMBOL_GPL(gpuown_obj_detach);
EXPORT_SYMBOL_GPL(gpuown_store_gpu_ptr);
EXPORT_SYMBOL_GPL(gpuown_store_fw_ptr);
EXPORT_SYMBOL_GPL(gpuown_clear_ptr);
EXPORT_SYMBOL_GPL(gpuown_cpu_check);
EXPORT_SYMBOL_GPL(gpuown_lc_transition);
EXPORT_SYMBOL_GPL(gpuown_lc_require);
/*
 * The rest of the core's driver-facing API (<gpuown/object.h>, fence.h,
 * layout.h, fault.h), for drivers written against the portable vocabulary
 * itself, such as the reference driver (kernel/driver).
 */
EXPORT_SYMBOL_GPL(gpuown_lc_init);
EXPORT_SYMBOL_GPL(gpuown_lc_state);
EXPORT_SYMBOL_GPL(gpuown_obj_state);
EXPORT_SYMBOL_GPL(gpuown_obj_name);
EXPORT_SYMBOL_GPL(gpuown_obj_size);
EXPORT_SYMBOL_GPL(gpuown_obj_gpu_va);
EXPORT_SYMBOL_GPL(gpuown_obj_fw_addr);
EXPORT_SYMBOL_GPL(gpuown_obj_cpu);
EXPORT_SYMBOL_GPL(gpuown_cpu_begin);
EXPORT_SYMBOL_GPL(gpuown_cpu_end);
EXPORT_SYMBOL_GPL(gpuown_cpu_read);
EXPORT_SYMBOL_GPL(gpuown_cpu_write);
EXPORT_SYMBOL_GPL(gpuown_shared_load32);
EXPORT_SYMBOL_GPL(gpuown_shared_store32);
EXPORT_SYMBOL_GPL(gpuown_shared_load64);
EXPORT_SYMBOL_GPL(gpuown_shared_store64);
EXPORT_SYMBOL_GPL(gpuown_fence_make);
EXPORT_SYMBOL_GPL(gpuown_fence_reached);
EXPORT_SYMBOL_GPL(gpuown_hand_over_addr);
EXPORT_SYMBOL_GPL(gpuown_variant_select);
EXPORT_SYMBOL_GPL(gpuown_fault_should_fail);
/* The kernel idioms' calls (references, tables, fences, sync, sized free). */
EXPORT_SYMBOL_GPL(gpuown_obj_get);
EXPORT_SYMBOL_GPL(gpuown_obj_put);
EXPORT_SYMBOL_GPL(gpuown_obj_refs);
EXPORT_SYMBOL_GPL(gpuown_obj_free_sized);
EXPORT_SYMBOL_GPL(gpuown_obj_busy_until);
EXPORT_SYMBOL_GPL(gpuown_sync_for_device);
EXPORT_SYMBOL_GPL(gpuown_sync_for_cpu);
EXPORT_SYMBOL_GPL(gpuown_table_create);
EXPORT_SYMBOL_GPL(gpuown_table_destroy);
EXPORT_SYMBOL_GPL(gpuown_table_insert);
EXPORT_SYMBOL_GPL(gpuown_table_lookup);
EXPORT_SYMBOL_GPL(gpuown_table_lookup_get);
EXPORT_SYMBOL_GPL(gpuown_table_remove);
EXPORT_SYMBOL_GPL(gpuown_table_count);

/* ---- module
 * ------------------------------------------------------------------ */

static int gs_fence_obj_create(void)
{
	struct gpusan_obj_desc d = {
		.name = "gpusan fence stamps",
		.cpu = gs_fence_stamps,
		.size = sizeof(gs_fence_stamps),
		/* Out of every driver's range: the top of the 48-bit VA. */
		.gpu_va = GS_ADDR_MASK + 1 - PAGE_SIZE,
	};
	struct gpuown_alloc_args a = {
		.size = d.size, .align = GS_GRANULE, .name = d.name};
	struct gs_place p = {.d = &d, .vm = &gs_fw_vm};
	struct gpuown_obj *o;
	int err;

	/* Before the hooks are installed: gpusan does not track it. */
	err = gpuown_model_obj_alloc(&gs_model, &a, &p, NULL, &o);
	if (err)
		return err;
	gs_kobj(o)->internal = true;
	WRITE_ONCE(gs_fence_obj, gs_kobj(o));
	return 0;
}

static int __init gpusan_init(void)
{
	int err;

	gs_host_init();
	err = gs_shadow_create(&gs_fw_vm.sh);
	if (err)
		return err;
	err = gs_shadow_create(&gs_fw_space);
	if (err)
		goto fail_vm;
	gs_fw_vm.magic = GS_VM_MAGIC;
	err = gpuown_model_init(&gs_model);
	if (err)
		goto fail_fw;
	gs_model.quarantine_budget = (u64)quarantine_kb << 10;
	err = gs_fence_obj_create();
	if (err)
		goto fail_model;
	gs_hooks.on_event = gs_on_event;
	gs_hooks.on_range = gs_on_range;
	gs_hooks.on_access = gs_on_access;
	WRITE_ONCE(gs_model.hooks, &gs_hooks);
	err = gs_kasan_init();
	if (err)
		goto fail_model;
	gs_debugfs_init();
	pr_info("gpusan: tracking GPU objects (quarantine %lu KiB)\n",
		quarantine_kb);
	return 0;
fail_model:
	WRITE_ONCE(gs_model.hooks, NULL);
	gpuown_model_fini(&gs_model);
fail_fw:
	gs_shadow_destroy(gs_fw_space);
fail_vm:
	gs_shadow_destroy(gs_fw_vm.sh);
	gs_host_exit();
	return err;
}

static void __exit gpusan_exit(void)
{
	struct gs_meta *m, *mn;
	unsigned int i;

	gs_debugfs_exit();
	gs_kasan_exit();
	WRITE_ONCE(gs_model.hooks, NULL);
	for (m = gs_live.next; m != &gs_live; m = mn) {
		mn = m->next;
		if (m->poisoned && m->obj)
			gs_cpu_poison_set(m, gs_kobj(m->obj)->cpu_size, false);
		if (m->obj)
			WRITE_ONCE(m->obj->san_data, NULL);
		gs_meta_destroy(m);
	}
	for (i = 0; i < GS_GRAVEYARD; i++)
		gs_meta_destroy(gs_grave[i]);
	gpuown_model_fini(&gs_model);
	gpuown_model_cleanup();
	gs_shadow_destroy(gs_fw_space);
	gs_shadow_destroy(gs_fw_vm.sh);
	/* Last: every core allocation above goes back through the host. */
	gs_host_exit();
}

/*
 * Built in, gpusan must be up before the drivers that call it, and before
 * KUnit runs its built-in suites (late_initcall).
 */
subsys_initcall(gpusan_init);
module_exit(gpusan_exit);

MODULE_DESCRIPTION("gpusan: GPU object ownership sanitizer");
MODULE_LICENSE("Dual MIT/GPL");
