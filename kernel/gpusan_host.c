// SPDX-License-Identifier: MIT
/*
 * The kernel's side of the portable core's host interface
 * (runtime/model/include/gpuown/host.h).
 *
 * - Metadata comes from kmalloc with GFP_ATOMIC: the core allocates under
 *   its locks, which are spinlocks here, since drivers call gpusan from any
 *   context.
 * - Objects live where the driver put them: ->reserve takes the driver's
 *   GPU VA, firmware address and CPU mapping (struct gs_place) instead of
 *   choosing a VA. gpusan never writes driver memory: ->fill does nothing
 *   and ->translate hands the core a scratch word for the pointer values it
 *   would store (the driver stores them itself), except for gpusan's own
 *   fence stamps.
 * - Handles: every struct gpusan_obj gpusan handed out is in a hash table;
 *   a released one stays known (a FIFO graveyard of GS_GRAVEYARD) before its
 *   storage is reused, so a stale handle is reported, never dereferenced.
 * - Stacks go to stack_depot; report text into the sink's buffer, printed
 *   by gpusan_report.c.
 */
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>

#include "gpusan_internal.h"

/* ---- metadata memory ------------------------------------------------- */

/*
 * Small metadata (locks, holds, edges, metadata and history rings) is
 * recycled through per-size free lists: under KASAN every kmalloc and kfree
 * saves a stack, which would cost more than gpusan's own work. Each chunk
 * starts with a header naming its class; larger sizes go to kmalloc.
 */
#define GS_POOL_CLASSES 5 /* 64, 128, 256, 512, 1024 bytes */
#define GS_POOL_MIN_SHIFT 6

struct gs_chunk {
	union {
		struct gs_chunk *next; /* on a free list */
		unsigned long cls;     /* in use: class, or GS_POOL_CLASSES */
	};
	unsigned long pad; /* keeps the payload 16-byte aligned */
};

static struct gs_chunk *gs_pool[GS_POOL_CLASSES];
static DEFINE_SPINLOCK(gs_pool_lock);

static unsigned int gs_pool_class(size_t size)
{
	unsigned int c = 0;

	size += sizeof(struct gs_chunk);
	while (c < GS_POOL_CLASSES && size > (1ul << (GS_POOL_MIN_SHIFT + c)))
		c++;
	return c;
}

static void *gs_host_zalloc(size_t size)
{
	unsigned int c = gs_pool_class(size);
	struct gs_chunk *h = NULL;
	unsigned long flags;
	size_t len;

	if (c < GS_POOL_CLASSES) {
		spin_lock_irqsave(&gs_pool_lock, flags);
		h = gs_pool[c];
		if (h)
			gs_pool[c] = h->next;
		spin_unlock_irqrestore(&gs_pool_lock, flags);
	}
	len = c < GS_POOL_CLASSES ? 1ul << (GS_POOL_MIN_SHIFT + c)
				  : sizeof(*h) + size;
	if (h)
		memset(h, 0, len);
	else
		h = kzalloc(len, GFP_ATOMIC | __GFP_NOWARN);
	if (!h)
		return NULL;
	h->cls = c;
	return h + 1;
}

static void gs_host_free(void *p)
{
	struct gs_chunk *h = (struct gs_chunk *)p - 1;
	unsigned long flags;
	unsigned int c;

	if (!p)
		return;
	c = h->cls;
	if (c >= GS_POOL_CLASSES) {
		kfree(h);
		return;
	}
	spin_lock_irqsave(&gs_pool_lock, flags);
	h->next = gs_pool[c];
	gs_pool[c] = h;
	spin_unlock_irqrestore(&gs_pool_lock, flags);
}

static void gs_pool_exit(void)
{
	struct gs_chunk *h;
	unsigned int c;

	for (c = 0; c < GS_POOL_CLASSES; c++)
		while ((h = gs_pool[c])) {
			gs_pool[c] = h->next;
			kfree(h);
		}
}

/* ---- locks ------------------------------------------------------------ */

struct gpuown_host_lock {
	spinlock_t lock;
	unsigned long flags; /* saved by the holder */
};

static struct gpuown_host_lock *gs_host_lock_create(void)
{
	struct gpuown_host_lock *l = gs_host_zalloc(sizeof(*l));

	if (l)
		spin_lock_init(&l->lock);
	return l;
}

static void gs_host_lock_destroy(struct gpuown_host_lock *l)
{
	gs_host_free(l);
}

static void gs_host_lock(struct gpuown_host_lock *l)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->flags = flags;
}

static void gs_host_unlock(struct gpuown_host_lock *l)
{
	spin_unlock_irqrestore(&l->lock, l->flags);
}

/* ---- handles ----------------------------------------------------------- */

#define GS_HASH_BITS 12
static struct hlist_head gs_handles[1u << GS_HASH_BITS];
static DEFINE_SPINLOCK(gs_handles_lock);
static LIST_HEAD(gs_grave);    /* retired, still recognised */
static LIST_HEAD(gs_reusable); /* retired and forgotten: storage to reuse */
static unsigned int gs_ngrave;

static struct hlist_head *gs_bucket(const void *h)
{
	return &gs_handles[hash_ptr((void *)h, GS_HASH_BITS)];
}

static struct gpuown_obj *gs_host_obj_alloc(void)
{
	struct gpusan_obj *ko = NULL;
	unsigned long flags;

	spin_lock_irqsave(&gs_handles_lock, flags);
	if (!list_empty(&gs_reusable)) {
		ko = list_first_entry(&gs_reusable, struct gpusan_obj, gnode);
		list_del(&ko->gnode);
	}
	spin_unlock_irqrestore(&gs_handles_lock, flags);
	if (ko)
		memset(ko, 0, sizeof(*ko));
	else
		ko = kzalloc(sizeof(*ko), GFP_ATOMIC | __GFP_NOWARN);
	if (!ko)
		return NULL;
	INIT_LIST_HEAD(&ko->gnode);
	spin_lock_irqsave(&gs_handles_lock, flags);
	hlist_add_head(&ko->hnode, gs_bucket(ko));
	spin_unlock_irqrestore(&gs_handles_lock, flags);
	return &ko->core;
}

static void gs_host_obj_retire(struct gpuown_obj *o)
{
	struct gpusan_obj *ko = gs_kobj(o), *old;
	unsigned long flags;

	spin_lock_irqsave(&gs_handles_lock, flags);
	if (READ_ONCE(o->magic) != GPUOWN_OBJ_MAGIC_LIVE) {
		/* Never initialised: forget it at once. */
		hlist_del(&ko->hnode);
		list_add_tail(&ko->gnode, &gs_reusable);
		goto out;
	}
	WRITE_ONCE(o->magic, GPUOWN_OBJ_MAGIC_DEAD);
	list_add_tail(&ko->gnode, &gs_grave);
	if (++gs_ngrave > GS_GRAVEYARD) {
		old = list_first_entry(&gs_grave, struct gpusan_obj, gnode);
		list_move_tail(&old->gnode, &gs_reusable);
		hlist_del(&old->hnode);
		WRITE_ONCE(old->core.magic, 0);
		gs_ngrave--;
	}
out:
	spin_unlock_irqrestore(&gs_handles_lock, flags);
}

static enum gpuown_handle_kind gs_host_handle_check(const void *h,
						    struct gpuown_obj **out)
{
	enum gpuown_handle_kind kind = GPUOWN_HANDLE_WILD;
	struct gpusan_obj *ko;
	unsigned long flags;
	u32 magic;

	*out = NULL;
	if (!h)
		return kind;
	spin_lock_irqsave(&gs_handles_lock, flags);
	hlist_for_each_entry(ko, gs_bucket(h), hnode) {
		if ((const void *)ko != h)
			continue;
		magic = READ_ONCE(ko->core.magic);
		if (magic == GPUOWN_OBJ_MAGIC_LIVE)
			kind = GPUOWN_HANDLE_LIVE;
		else if (magic == GPUOWN_OBJ_MAGIC_DEAD)
			kind = GPUOWN_HANDLE_DEAD;
		if (kind != GPUOWN_HANDLE_WILD)
			*out = &ko->core;
		break;
	}
	spin_unlock_irqrestore(&gs_handles_lock, flags);
	return kind;
}

/* One memory system in the kernel: every event goes to it. */
static void gs_host_broadcast_event(const struct gpuown_event *ev)
{
	gpuown_model_emit_event(&gs_model, ev);
}

static struct gpuown_model *gs_host_mm_model(struct gpuown_mm *mm)
{
	if (mm == (struct gpuown_mm *)&gs_model || gs_mm_registered(mm))
		return &gs_model;
	return NULL;
}

/* ---- address ranges ---------------------------------------------------- */

static int gs_host_reserve(struct gpuown_model *model, struct gpuown_obj *o,
			   const struct gpuown_alloc_args *args, u64 align,
			   const void *place)
{
	const struct gs_place *p = place;
	const struct gpusan_obj_desc *d = p->d;
	struct gpusan_obj *ko = gs_kobj(o);
	u64 rz = ALIGN(d->redzone, GS_GRANULE);

	if (!IS_ALIGNED(d->gpu_va, GS_GRANULE) ||
	    (d->fw_addr && !IS_ALIGNED(d->fw_addr, GS_GRANULE)))
		return -EINVAL;
	o->vm = p->vm;
	o->user_vm = p->vm != &gs_fw_vm;
	o->va = d->gpu_va;
	o->fa = o->user_vm ? 0 : d->fw_addr;
	o->cpu = d->flags & GPUSAN_OBJ_GPU_ONLY ? NULL : d->cpu;
	o->resv_start = o->va - rz;
	o->resv_end = o->va + ALIGN(o->size, GS_GRANULE) + rz;
	o->host_priv = NULL;
	/* User VMs: reusable once their TLB is invalidated. */
	o->q_wait = o->user_vm ? &p->vm->q_wait : NULL;
	ko->cpu_size = d->size ? d->size : d->layout ? d->layout->size : 0;
	ko->kflags = d->flags;
	ko->dev = d->dev ? d->dev : p->vm->dev;
	ko->redzone = rz;
	ko->release = d->release;
	ko->release_ctx = d->release_ctx;
	return 0;
}

/* The object left the quarantine: its memory is the driver's again. */
static void gs_host_release(struct gpuown_model *model, struct gpuown_obj *o)
{
	struct gpusan_obj *ko = gs_kobj(o);

	if (ko->release)
		ko->release(ko, ko->release_ctx);
}

static void *gs_host_translate(struct gpuown_model *model, struct gpuown_vm *vm,
			       u64 va)
{
	static u64 scratch[8];
	struct gpusan_obj *f = READ_ONCE(gs_fence_obj);
	unsigned int i;

	if (f && vm == f->core.vm && va >= f->core.va &&
	    va < f->core.va + f->core.size)
		return (char *)gs_fence_stamps + (va - f->core.va);
	/* Memory the driver declared with gpusan_vm_add_backing(). */
	for (i = 0; vm && i < GS_VM_BACKINGS; i++) {
		const struct gs_backing *b = &vm->backing[i];

		if (READ_ONCE(b->cpu) && va >= b->va && va - b->va < b->size)
			return (char *)b->cpu + (va - b->va);
	}
	/*
	 * A pointer store: the driver writes the address into its own memory;
	 * the core's copy lands here. Racy writers store garbage nobody reads.
	 */
	return &scratch[raw_smp_processor_id() % ARRAY_SIZE(scratch)];
}

static void gs_host_fill(struct gpuown_model *model, struct gpuown_vm *vm,
			 u64 va, u64 len, int c)
{
}

/* ---- stacks, threads, text --------------------------------------------- */

static gpuown_stack_t gs_host_stack_save(void *caller, unsigned int depth)
{
	unsigned long entries[GS_STACK_DEPTH + 8];
	unsigned int n, i, start = 0;

	if (depth > GS_STACK_DEPTH)
		depth = GS_STACK_DEPTH;
	n = stack_trace_save(entries, ARRAY_SIZE(entries), 1);
	/* Drop gpusan's and the core's frames: start at the caller. */
	for (i = 0; i < n; i++) {
		if (entries[i] == (unsigned long)caller) {
			start = i;
			break;
		}
	}
	if (i == n || !n) {
		/*
		 * No frame the unwinder trusts matched (UML without frame
		 * pointers): the entry point's caller alone still names the
		 * driver function.
		 */
		entries[0] = (unsigned long)caller;
		start = 0;
		n = caller ? 1 : 0;
	}
	if (!n)
		return 0;
	if (n - start > depth)
		n = start + depth;
	return stack_depot_save(entries + start, n - start,
				GFP_NOWAIT | __GFP_NOWARN);
}

static void gs_sink_printf(struct gpuown_report_sink *sink, const char *fmt,
			   ...)
{
	va_list ap;

	va_start(ap, fmt);
	gpuown_host.report_vprintf(sink, fmt, ap);
	va_end(ap);
}

static void gs_host_stack_print(struct gpuown_report_sink *sink,
				gpuown_stack_t st)
{
	unsigned long *entries;
	unsigned int i, n;

	if (!st) {
		gs_sink_printf(sink, " (stack not recorded)\n");
		return;
	}
	n = stack_depot_fetch((depot_stack_handle_t)st, &entries);
	for (i = 0; i < n; i++)
		gs_sink_printf(sink, " %pS\n", (void *)entries[i]);
}

static unsigned int gs_host_stack_frames(gpuown_stack_t st, void **pcs,
					 unsigned int max)
{
	unsigned long *entries;
	unsigned int i, n;

	if (!st)
		return 0;
	n = stack_depot_fetch((depot_stack_handle_t)st, &entries);
	for (i = 0; i < n && i < max; i++)
		pcs[i] = (void *)entries[i];
	return i;
}

static const char *gs_host_symbolize(void *pc, char *loc, size_t len)
{
	static char fn[KSYM_SYMBOL_LEN + 8];

	/* Called under gs_lock (reports), so one buffer is enough. */
	if (len)
		loc[0] = '\0';
	snprintf(fn, sizeof(fn), "%pS", pc);
	return fn;
}

static int gs_host_thread_id(void)
{
	return task_pid_nr(current);
}

static void gs_host_thread_name(char *buf, size_t len)
{
	if (len)
		strscpy(buf, current->comm, len);
}

static void gs_host_report_vprintf(struct gpuown_report_sink *sink,
				   const char *fmt, va_list ap)
{
	if (sink->len + 1 >= sink->cap)
		return;
	sink->len += vscnprintf(sink->buf + sink->len, sink->cap - sink->len,
				fmt, ap);
}

const struct gpuown_host_ops gpuown_host = {
	.zalloc = gs_host_zalloc,
	.free = gs_host_free,
	.lock_create = gs_host_lock_create,
	.lock_destroy = gs_host_lock_destroy,
	.lock = gs_host_lock,
	.unlock = gs_host_unlock,
	.obj_alloc = gs_host_obj_alloc,
	.obj_retire = gs_host_obj_retire,
	.handle_check = gs_host_handle_check,
	.broadcast_event = gs_host_broadcast_event,
	.mm_model = gs_host_mm_model,
	.reserve = gs_host_reserve,
	.release = gs_host_release,
	.translate = gs_host_translate,
	.fill = gs_host_fill,
	.cpu_poison = NULL, /* gpusan_kasan.c, which knows the state */
	.stack_save = gs_host_stack_save,
	.stack_print = gs_host_stack_print,
	.symbolize = gs_host_symbolize,
	.thread_id = gs_host_thread_id,
	.thread_name = gs_host_thread_name,
	.report_vprintf = gs_host_report_vprintf,
	.stack_frames = gs_host_stack_frames,
};

void gs_host_init(void)
{
	stack_depot_init();
}

/* Module exit, after gpuown_model_fini(): free every handle's storage. */
void gs_host_exit(void)
{
	struct gpusan_obj *ko, *tmp;
	struct hlist_node *n;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(gs_handles); b++)
		hlist_for_each_entry_safe(ko, n, &gs_handles[b], hnode)
		{
			hlist_del(&ko->hnode);
			if (list_empty(&ko->gnode))
				kfree(ko); /* live: gpusan's own objects */
		}
	list_for_each_entry_safe(ko, tmp, &gs_grave, gnode)
		kfree(ko);
	list_for_each_entry_safe(ko, tmp, &gs_reusable, gnode)
		kfree(ko);
	INIT_LIST_HEAD(&gs_grave);
	INIT_LIST_HEAD(&gs_reusable);
	gs_ngrave = 0;
	gs_pool_exit();
}

/* Every shadow gpusan keeps: the firmware VM, the firmware space, user VMs. */
u64 gs_shadow_allocated(void)
{
	struct gpuown_vm *vm;
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&gs_vms_lock, flags);
	spin_lock(&gs_lock);
	n = gs_shadow_resident(gs_fw_vm.sh) + gs_shadow_resident(gs_fw_space);
	list_for_each_entry(vm, &gs_vms, node)
		n += gs_shadow_resident(vm->sh);
	spin_unlock(&gs_lock);
	spin_unlock_irqrestore(&gs_vms_lock, flags);
	return n;
}
