/* SPDX-License-Identifier: MIT */
/*
 * gpusan in the kernel: the calls a driver adds to its buffer-object code.
 *
 * A driver tells gpusan about each GPU object it creates (kernel CPU mapping,
 * GPU VA, firmware address, size, firmware-struct layout) and about each
 * ownership step it takes: published to the firmware, reclaimed after its
 * fence, shared, detached, freed; GPU addresses it stores into other objects;
 * VM map, unmap and TLB invalidate; fences signalled; lifecycle transitions;
 * and the firmware/GPU accesses it observes (doorbell, fault address). gpusan
 * checks each step against the ownership model, keeps a shadow of the GPU and
 * firmware address spaces, poisons the CPU mapping of objects the CPU must not
 * touch through KASAN, and reports every violation in KASAN's shape:
 *
 *   BUG: GPUSAN: free-while-firmware-owned in my_bo_free+0x4c/0x90
 *
 * Without CONFIG_GPUSAN every call is an empty inline and every handle NULL,
 * so the calls stay in the driver's source at no cost. With it, a call on a
 * NULL handle (an object gpusan could not track, e.g. out of memory) does
 * nothing. Calls that check return 0 or the negative errno of the refusal
 * (which was reported); drivers of a debug build usually ignore it, the
 * KUnit suites check it.
 *
 * Context: every call may be made from process or atomic context (gpusan
 * allocates with GFP_ATOMIC and takes one spinlock with interrupts off).
 *
 * See docs/kernel-build.md for a worked example.
 */
#ifndef GPUSAN_KERNEL_GPUSAN_H
#define GPUSAN_KERNEL_GPUSAN_H

#include <linux/types.h>

/*
 * The portable core's public vocabulary (runtime/include): its lifecycle
 * instance, and the transitions the inlines below call.
 */
#include <gpuown/lifecycle.h>
#include <gpuown/object.h>
#include <gpuown/table.h>

struct gpuown_struct_desc; /* firmware-struct layout (fwgen output) */
struct gpusan_obj;
struct gpusan_vm;

/* gpusan_obj_desc.flags */
#define GPUSAN_OBJ_GPU_ONLY (1u << 0) /* no CPU mapping (cpu is NULL) */
/*
 * The CPU mapping stays valid after the object is freed (a sub-allocated
 * heap, a BO cache): gpusan keeps it KASAN-poisoned while the object is in
 * gpusan's quarantine. Without it gpusan hands the mapping back to KASAN at
 * free, since the driver is about to kfree/vunmap it.
 */
#define GPUSAN_OBJ_CPU_KEEP (1u << 1)
/*
 * The CPU mapping is cached and the device does not snoop it
 * (dma_alloc_noncoherent(), streaming DMA): CPU writes the driver declares
 * (gpusan_cpu_access() with @write, pointer stores) reach the device only
 * after gpusan_sync_for_device(), device writes reach the CPU only after
 * gpusan_sync_for_cpu() (the calls next to dma_sync_single_for_*()).
 */
#define GPUSAN_OBJ_NONCOHERENT (1u << 2)

/* The firmware's access direction (same values as GPUOWN_DIR_*). */
#define GPUSAN_DIR_READ 1u
#define GPUSAN_DIR_WRITE 2u
#define GPUSAN_DIR_RW 3u

/* What the driver knows about a new object. */
struct gpusan_obj_desc {
	const char *name; /* for reports; defaults to the layout's name */
	void *cpu;	  /* kernel CPU mapping (kmalloc, vmap, page_address) */
	u64 gpu_va;	  /* GPU VA in @vm */
	struct gpusan_vm *vm; /* NULL: the firmware's own VM */
	u64 fw_addr; /* firmware address; 0: not visible to the firmware */
	size_t size;
	const struct gpuown_struct_desc *layout; /* or NULL: raw bytes */
	u32 fw_dir;  /* GPUSAN_DIR_*; 0: from the layout, or RW */
	u32 flags;   /* GPUSAN_OBJ_* */
	u32 redzone; /* unused GPU VA bytes the driver keeps on each side */
	/*
	 * The device whose memory this is (its struct device, or any cookie
	 * naming one memory system); NULL: @vm's device, or none. Mapping
	 * the object into a VM of another device is foreign-object.
	 */
	const void *dev;
	/*
	 * Optional: called once gpusan forgets the object (it left the
	 * quarantine after gpusan_obj_free()), in atomic context: from then
	 * on the driver may reuse its memory and addresses. A driver that
	 * sub-allocates a heap (GPUSAN_OBJ_CPU_KEEP) returns the range here.
	 */
	void (*release)(struct gpusan_obj *obj, void *ctx);
	void *release_ctx;
};

/*
 * A completion point: job @seqno of fence context @context. Reclaiming a hold
 * taken with a fence before gpusan_fence_signal() reached it is a bug.
 */
struct gpusan_fence {
	u64 context;
	u64 seqno;
};

/* Who made an access the driver observed. */
enum gpusan_agent {
	GPUSAN_AGENT_FW,
	GPUSAN_AGENT_GPU,
};

/* Which address an observed access used. */
enum gpusan_space {
	GPUSAN_SPACE_GPU_VA, /* a GPU VA of @vm (NULL: the firmware VM) */
	GPUSAN_SPACE_FW,     /* a firmware address */
};

/*
 * A driver-declared lifecycle (GPUOWN_LIFECYCLE in annotations.h), embedded
 * in the driver's object: "created -> live, live -> dead"; the first state
 * named is the initial one. @state mirrors the current state's name; the
 * rest is the portable core's instance (<gpuown/lifecycle.h>).
 */
struct gpusan_lc {
	const char *name;
	const char *spec;
	const void *owner; /* the driver object, for reports */
	char state[32];
	struct gpuown_lifecycle decl;
	struct gpuown_lc core;
};

#if IS_ENABLED(CONFIG_GPUSAN)

/*
 * Most calls are the portable core's own transitions (runtime/model,
 * <gpuown/object.h>), which gpusan.ko exports, inlined here so that the
 * return address the core records for reports and histories is the
 * driver's function, not a gpusan wrapper. A NULL handle (an object gpusan
 * could not track) is skipped before the core sees it.
 */
/* gpusan.ko's side of the inlines below; not for drivers. */
struct gpuown_obj *gpusan__obj(struct gpusan_obj *obj);
struct gpusan_obj *gpusan__handle(struct gpuown_obj *obj);
struct gpuown_mm *gpusan__mm(void);
const struct gpuown_fence *gpusan__fence(const struct gpusan_fence *f,
					 struct gpuown_fence *buf);
struct gpusan_obj *gpusan__obj_create(const struct gpusan_obj_desc *desc,
				      void *caller);
int gpusan__access(enum gpusan_agent agent, enum gpusan_space space,
		   struct gpusan_vm *vm, u64 addr, size_t size, bool write,
		   void *caller);
int gpusan__lc_sync(struct gpusan_lc *lc, int err);

/* A new object, CPU-owned (GPU-only with GPUSAN_OBJ_GPU_ONLY); NULL on OOM. */
#define gpusan_obj_create(desc) gpusan__obj_create((desc), (void *)_THIS_IP_)

/* CPU-owned -> firmware-owned (one hold, released by the reclaim of @done). */
static __always_inline int gpusan_obj_publish(struct gpusan_obj *obj,
					      const struct gpusan_fence *done)
{
	struct gpuown_fence f;

	return obj ? gpuown_obj_publish(gpusan__obj(obj),
					gpusan__fence(done, &f))
		   : 0;
}

/* Firmware-owned: one more in-flight job holds the object until @done. */
static __always_inline int gpusan_obj_fw_get(struct gpusan_obj *obj,
					     const struct gpusan_fence *done)
{
	struct gpuown_fence f;

	return obj ? gpuown_obj_fw_get(gpusan__obj(obj),
				       gpusan__fence(done, &f))
		   : 0;
}

/* Release the hold of @done (NULL: taken without); the last one -> CPU. */
static __always_inline int gpusan_obj_reclaim(struct gpusan_obj *obj,
					      const struct gpusan_fence *done)
{
	struct gpuown_fence f;

	return obj ? gpuown_obj_reclaim(gpusan__obj(obj),
					gpusan__fence(done, &f))
		   : 0;
}

/* CPU-owned -> shared (rings, stamps): declared shared words only. */
static __always_inline int gpusan_obj_share(struct gpusan_obj *obj)
{
	return obj ? gpuown_obj_share(gpusan__obj(obj)) : 0;
}

/* Shared: the firmware let go of it; it may now be freed. */
static __always_inline int gpusan_obj_detach(struct gpusan_obj *obj)
{
	return obj ? gpuown_obj_detach(gpusan__obj(obj)) : 0;
}

/* -> freed (quarantined). Call before the memory goes back to its allocator. */
static __always_inline int gpusan_obj_free(struct gpusan_obj *obj)
{
	return obj ? gpuown_obj_free(gpusan__obj(obj)) : 0;
}

/*
 * gpusan_obj_free() naming the size the driver believes the object has (as
 * dma_free_coherent() does): a size other than the allocation's is refused,
 * free-size-mismatch.
 */
static __always_inline int gpusan_obj_free_sized(struct gpusan_obj *obj,
						 size_t size)
{
	return obj ? gpuown_obj_free_sized(gpusan__obj(obj), size) : 0;
}

/*
 * References, next to the driver's kref_get()/kref_put() of the BO: an
 * object starts with one (its creation's); the last put frees it as
 * gpusan_obj_free() does. A free while other references remain (or a table
 * holds one) is free-while-referenced; a put of a reference a table owns is
 * reference-not-owned.
 */
static __always_inline int gpusan_obj_get(struct gpusan_obj *obj)
{
	return obj ? gpuown_obj_get(gpusan__obj(obj)) : 0;
}

static __always_inline int gpusan_obj_put(struct gpusan_obj *obj)
{
	return obj ? gpuown_obj_put(gpusan__obj(obj)) : 0;
}

/*
 * The object is in use by device work until @until signals (next to
 * dma_resv_add_fence()): a free or last put before is free-before-completion,
 * a CPU write the driver declares (gpusan_cpu_access() with @write, a pointer
 * store into it) is reuse-before-completion.
 */
static __always_inline int
gpusan_obj_busy_until(struct gpusan_obj *obj, const struct gpusan_fence *until)
{
	struct gpuown_fence f;

	return obj && until ? gpuown_obj_busy_until(gpusan__obj(obj),
						    gpusan__fence(until, &f))
			    : 0;
}

/*
 * GPUSAN_OBJ_NONCOHERENT objects: the CPU's writes were written back for the
 * device (dma_sync_*_for_device()), or the device's writes made visible to
 * the CPU (dma_sync_*_for_cpu()). Handing an object with unsynced CPU writes
 * to the device (publish, share, fw_get, gpusan_vm_map(), an address handed
 * over) is device-read-unsynced; a checked CPU read of device writes not
 * synced for the CPU (gpusan_cpu_access(), after a reclaim of an object the
 * firmware writes or an unmap of a writable mapping) is cpu-read-unsynced.
 * No-ops on other objects.
 */
static __always_inline int gpusan_sync_for_device(struct gpusan_obj *obj)
{
	return obj ? gpuown_sync_for_device(gpusan__obj(obj)) : 0;
}

static __always_inline int gpusan_sync_for_cpu(struct gpusan_obj *obj)
{
	return obj ? gpuown_sync_for_cpu(gpusan__obj(obj)) : 0;
}

/*
 * The driver wrote @addr, a GPU VA of the firmware VM (@kind
 * GPUSAN_SPACE_GPU_VA) or a firmware address (GPUSAN_SPACE_FW), into a
 * device register or a firmware message named @via ("RING_BASE"): @addr must
 * be inside a live object of that kind of address, which is then handed
 * over (a CPU-owned object is published, as gpusan_obj_publish(obj, NULL)).
 * An address of the other kind is refused, address-kind-mismatch, naming
 * the object it belongs to; one of no object is wild-address. *@out
 * (optional) is the object.
 */
static __always_inline int gpusan_hand_over_addr(enum gpusan_space kind,
						 u64 addr, const char *via,
						 struct gpusan_obj **out)
{
	struct gpuown_obj *o = NULL;
	int err = gpuown_hand_over_addr(
		gpusan__mm(),
		kind == GPUSAN_SPACE_FW ? GPUOWN_ADDR_FW : GPUOWN_ADDR_GPU_VA,
		addr, via, &o);

	if (out)
		*out = o ? gpusan__handle(o) : NULL;
	return err;
}

/*
 * A lookup table that owns references (the driver's xarray or idr of BOs),
 * called next to xa_store()/xa_load()/xa_erase(): insert takes over the
 * caller's reference, lookup lends the object without one (never to be
 * put), lookup_get returns a new reference, remove hands the table's
 * reference back. NULL from create when out of memory; every call then
 * does nothing. destroy: -EBUSY while the table holds objects.
 */
static __always_inline struct gpuown_table *
gpusan_table_create(const char *name)
{
	struct gpuown_table *t = NULL;

	return gpuown_table_create(gpusan__mm(), name, &t) ? NULL : t;
}

static __always_inline int gpusan_table_destroy(struct gpuown_table *t)
{
	return t ? gpuown_table_destroy(t) : 0;
}

static __always_inline int gpusan_table_insert(struct gpuown_table *t, u64 key,
					       struct gpusan_obj *obj)
{
	return t && obj ? gpuown_table_insert(t, key, gpusan__obj(obj)) : 0;
}

static __always_inline struct gpusan_obj *
gpusan_table_lookup(struct gpuown_table *t, u64 key)
{
	struct gpuown_obj *o = t ? gpuown_table_lookup(t, key) : NULL;

	return o ? gpusan__handle(o) : NULL;
}

static __always_inline struct gpusan_obj *
gpusan_table_lookup_get(struct gpuown_table *t, u64 key)
{
	struct gpuown_obj *o = t ? gpuown_table_lookup_get(t, key) : NULL;

	return o ? gpusan__handle(o) : NULL;
}

static __always_inline struct gpusan_obj *
gpusan_table_remove(struct gpuown_table *t, u64 key)
{
	struct gpuown_obj *o = t ? gpuown_table_remove(t, key) : NULL;

	return o ? gpusan__handle(o) : NULL;
}

/*
 * The driver stored @target's GPU VA (or, _fw_, firmware address) at @offset
 * of @container; a NULL @target, or gpusan_clear_ptr(), drops the edge.
 * Checked against the container's layout (field kind, pointed-to struct)
 * and its state. gpusan never writes the driver's memory: the driver stores
 * the address itself.
 */
static __always_inline int gpusan_store_ptr(struct gpusan_obj *container,
					    size_t offset,
					    struct gpusan_obj *target)
{
	if (!container)
		return 0;
	if (!target)
		return gpuown_clear_ptr(gpusan__obj(container), offset);
	return gpuown_store_gpu_ptr(gpusan__obj(container), offset,
				    gpusan__obj(target));
}

static __always_inline int gpusan_store_fw_ptr(struct gpusan_obj *container,
					       size_t offset,
					       struct gpusan_obj *target)
{
	if (!container)
		return 0;
	if (!target)
		return gpuown_clear_ptr(gpusan__obj(container), offset);
	return gpuown_store_fw_ptr(gpusan__obj(container), offset,
				   gpusan__obj(target));
}

static __always_inline int gpusan_clear_ptr(struct gpusan_obj *container,
					    size_t offset)
{
	return container ? gpuown_clear_ptr(gpusan__obj(container), offset) : 0;
}

/*
 * gpusan_vm_create_ext() flags. GPUSAN_VM_DEFERS_RELEASE: the driver's VM
 * code keeps an unmapped range's pages until the TLB invalidate
 * (gpusan_vm_invalidate()), as drivers that free pages only after the TLB
 * flush do. A free after the unmap is then allowed before the invalidate;
 * without the flag it is free-while-bound, since the pages would go back to
 * the allocator while the GPU's TLB may still reach them.
 */
#define GPUSAN_VM_DEFERS_RELEASE (1u << 0)

/* A user GPU VM, with its own shadow: gpusan_vm_create_ext(name, NULL, 0). */
struct gpusan_vm *gpusan_vm_create(const char *name);
/*
 * A user GPU VM of device @dev (see gpusan_obj_desc.dev; NULL: none named),
 * with GPUSAN_VM_* @flags. NULL when out of memory.
 */
struct gpusan_vm *gpusan_vm_create_ext(const char *name, const void *dev,
				       u32 flags);
/*
 * Objects of the VM still alive (never freed) are reported, leak, one by
 * one: a VM goes away with its last user, and so should its objects.
 */
void gpusan_vm_destroy(struct gpusan_vm *vm);
/*
 * [va, va + size) of @vm now maps @obj (read-only when @read_only): from
 * now until the unmap (until the invalidate after it, unless the VM has
 * GPUSAN_VM_DEFERS_RELEASE), gpusan_obj_free() of @obj is refused,
 * free-while-bound. Refused: a freed @obj (use-after-free), one of another
 * device (foreign-object), a non-coherent one with CPU writes not synced for
 * the device (device-read-unsynced). 0 or the refusal's errno.
 */
int gpusan_vm_map(struct gpusan_vm *vm, u64 va, u64 size,
		  struct gpusan_obj *obj, bool read_only);
/*
 * Unmapped; the GPU's TLB may still hold it until gpusan_vm_invalidate().
 * The bindings inside the range are stale until then: a GPU access through
 * them is use-after-unbind, and their objects may be freed only after the
 * invalidate, or at once in a GPUSAN_VM_DEFERS_RELEASE VM. A writable
 * binding hands a non-coherent object back dirty for the CPU.
 */
int gpusan_vm_unmap(struct gpusan_vm *vm, u64 va, u64 size);
/* The TLB of @vm (NULL: the firmware's) was invalidated / cache flushed. */
void gpusan_vm_invalidate(struct gpusan_vm *vm);

/*
 * [@va, @va + @size) of @vm (NULL: the firmware VM) is backed by memory the
 * CPU reaches linearly at @cpu (a carveout, a vmap of the backing pages; not
 * a KASAN-poisoned mapping). The portable core's own accesses to objects
 * there then land in it: the GPU addresses it stores (gpuown_store_gpu_ptr()),
 * the shared words it loads and stores (gpuown_shared_load32() ...) and the
 * fence stamps it reads. Without one, gpusan never writes driver memory (the
 * driver stores addresses itself). Up to 8 ranges per VM; -ENOSPC beyond,
 * -EEXIST when one overlaps. Remove it before the memory goes away.
 */
int gpusan_vm_add_backing(struct gpusan_vm *vm, u64 va, u64 size, void *cpu);
void gpusan_vm_remove_backing(struct gpusan_vm *vm, u64 va);

/*
 * A memory-system handle the driver passes to the portable core
 * (gpuown_lc_init(), gpuown_hand_over_addr()) names gpusan's model while
 * registered. -ENOSPC when 8 are registered.
 */
int gpusan_mm_register(const void *mm);
void gpusan_mm_unregister(const void *mm);

/*
 * Switch gpusan's tracking off and on (benchmarks compare the two). Off, the
 * portable core still runs the ownership model the driver calls (states,
 * holds, edges, quarantine), but gpusan records, paints, poisons, checks and
 * reports nothing. Only while no tracked object is alive; drains the
 * quarantine. Returns the old value.
 */
bool gpusan_set_enabled(bool on);

/* Fence @context reached @seqno (call from the completion interrupt). */
void gpusan_fence_signal(u64 context, u64 seqno);

/*
 * The firmware or GPU accesses (or faulted at) @addr: checked against the
 * shadow. 0, or -EACCES after a report.
 */
#define gpusan_access(agent, space, vm, addr, size, write)                     \
	gpusan__access((agent), (space), (vm), (addr), (size), (write),        \
		       (void *)_THIS_IP_)

/*
 * The driver's own CPU accessor touches [offset, offset + size) of @obj: the
 * check for memory KASAN cannot poison (ioremap, write-combined apertures).
 */
static __always_inline int gpusan_cpu_access(struct gpusan_obj *obj,
					     size_t offset, size_t size,
					     bool write)
{
	/* A refusal (reported) is -EACCES, as for gpusan_access(). */
	if (!obj || !gpuown_cpu_check(gpusan__obj(obj), offset, size, write))
		return 0;
	return -EACCES;
}

int gpusan_lc_init(struct gpusan_lc *lc, const char *name, const char *spec,
		   const void *owner);
/* Move to @to; -EPERM (reported) if "from -> to" is not declared. */
static __always_inline int gpusan_lc_transition(struct gpusan_lc *lc,
						const char *to)
{
	return gpusan__lc_sync(lc, gpuown_lc_transition(&lc->core, to));
}

/* 0 if in state @state, else -EPERM (reported). */
static __always_inline int gpusan_lc_require(struct gpusan_lc *lc,
					     const char *state)
{
	return gpuown_lc_require(&lc->core, state);
}

/* ---- for tests and tools ---------------------------------------------- */

/* What one report is about, handed to the report hook. */
struct gpusan_kreport {
	const char *class_name; /* "double-free", ... */
	const char *text;	/* the whole report, as printed */
	u64 obj_id;		/* 0 when no object is known */
	bool kasan;		/* an explanation appended to a KASAN report */
};

typedef void (*gpusan_report_hook_fn)(const struct gpusan_kreport *r,
				      void *ctx);
/* Called for every report, printed or not, under gpusan's lock. */
void gpusan_set_report_hook(gpusan_report_hook_fn fn, void *ctx);
/* Print every report (not only the first), as kasan_multi_shot; old value. */
bool gpusan_set_multi_shot(bool on);
/* Reports so far (gpusan's own), and KASAN reports seen by the hook. */
unsigned int gpusan_report_count(void);
unsigned int gpusan_kasan_report_count(void);
/* Release every quarantined object now. */
void gpusan_quarantine_drain(void);
/* The shadow byte of @addr in @space (see docs/gpusan.md for the encoding). */
u8 gpusan_shadow_peek(enum gpusan_space space, struct gpusan_vm *vm, u64 addr);
/* Shadow bytes allocated, and GPU bytes mapped by live objects. */
u64 gpusan_shadow_used(void);
u64 gpusan_mapped_bytes(void);
/* The object's id (unique, never reused) and ownership state name. */
u64 gpusan_obj_id(const struct gpusan_obj *obj);
const char *gpusan_obj_state_name(const struct gpusan_obj *obj);

#else /* !CONFIG_GPUSAN */

static inline struct gpusan_obj *
gpusan_obj_create(const struct gpusan_obj_desc *desc)
{
	return NULL;
}
static inline int gpusan_obj_publish(struct gpusan_obj *obj,
				     const struct gpusan_fence *done)
{
	return 0;
}
static inline int gpusan_obj_fw_get(struct gpusan_obj *obj,
				    const struct gpusan_fence *done)
{
	return 0;
}
static inline int gpusan_obj_reclaim(struct gpusan_obj *obj,
				     const struct gpusan_fence *done)
{
	return 0;
}
static inline int gpusan_obj_share(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_obj_detach(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_obj_free(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_obj_free_sized(struct gpusan_obj *obj, size_t size)
{
	return 0;
}
static inline int gpusan_obj_get(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_obj_put(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_obj_busy_until(struct gpusan_obj *obj,
					const struct gpusan_fence *until)
{
	return 0;
}
static inline int gpusan_sync_for_device(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_sync_for_cpu(struct gpusan_obj *obj)
{
	return 0;
}
static inline int gpusan_hand_over_addr(enum gpusan_space kind, u64 addr,
					const char *via,
					struct gpusan_obj **out)
{
	if (out)
		*out = NULL;
	return 0;
}
static inline struct gpuown_table *gpusan_table_create(const char *name)
{
	return NULL;
}
static inline int gpusan_table_destroy(struct gpuown_table *t)
{
	return 0;
}
static inline int gpusan_table_insert(struct gpuown_table *t, u64 key,
				      struct gpusan_obj *obj)
{
	return 0;
}
static inline struct gpusan_obj *gpusan_table_lookup(struct gpuown_table *t,
						     u64 key)
{
	return NULL;
}
static inline struct gpusan_obj *gpusan_table_lookup_get(struct gpuown_table *t,
							 u64 key)
{
	return NULL;
}
static inline struct gpusan_obj *gpusan_table_remove(struct gpuown_table *t,
						     u64 key)
{
	return NULL;
}
static inline int gpusan_store_ptr(struct gpusan_obj *container, size_t offset,
				   struct gpusan_obj *target)
{
	return 0;
}
static inline int gpusan_store_fw_ptr(struct gpusan_obj *container,
				      size_t offset, struct gpusan_obj *target)
{
	return 0;
}
static inline int gpusan_clear_ptr(struct gpusan_obj *container, size_t offset)
{
	return 0;
}
static inline struct gpusan_vm *gpusan_vm_create(const char *name)
{
	return NULL;
}
static inline struct gpusan_vm *gpusan_vm_create_ext(const char *name,
						     const void *dev, u32 flags)
{
	return NULL;
}
static inline void gpusan_vm_destroy(struct gpusan_vm *vm)
{
}
static inline int gpusan_vm_map(struct gpusan_vm *vm, u64 va, u64 size,
				struct gpusan_obj *obj, bool read_only)
{
	return 0;
}
static inline int gpusan_vm_unmap(struct gpusan_vm *vm, u64 va, u64 size)
{
	return 0;
}
static inline void gpusan_vm_invalidate(struct gpusan_vm *vm)
{
}
static inline void gpusan_fence_signal(u64 context, u64 seqno)
{
}
static inline int gpusan_vm_add_backing(struct gpusan_vm *vm, u64 va, u64 size,
					void *cpu)
{
	return 0;
}
static inline void gpusan_vm_remove_backing(struct gpusan_vm *vm, u64 va)
{
}
static inline int gpusan_mm_register(const void *mm)
{
	return 0;
}
static inline void gpusan_mm_unregister(const void *mm)
{
}
static inline int gpusan_access(enum gpusan_agent agent,
				enum gpusan_space space, struct gpusan_vm *vm,
				u64 addr, size_t size, bool write)
{
	return 0;
}
static inline int gpusan_cpu_access(struct gpusan_obj *obj, size_t offset,
				    size_t size, bool write)
{
	return 0;
}
static inline int gpusan_lc_init(struct gpusan_lc *lc, const char *name,
				 const char *spec, const void *owner)
{
	return 0;
}
static inline int gpusan_lc_transition(struct gpusan_lc *lc, const char *to)
{
	return 0;
}
static inline int gpusan_lc_require(struct gpusan_lc *lc, const char *state)
{
	return 0;
}

#endif /* CONFIG_GPUSAN */

#endif /* GPUSAN_KERNEL_GPUSAN_H */
