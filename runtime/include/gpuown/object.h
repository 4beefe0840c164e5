/* SPDX-License-Identifier: MIT */
/*
 * GPU objects and their ownership state machine.
 *
 *            alloc                     publish (+fence)
 *   (none) --------> CPU_OWNED  ---------------------------> FW_OWNED (holders
 * n) |  ^  |  ^                              |   ^   | |  |  |  +---- reclaim,
 * n==1, fence ----+   |   | fw_get (+fence) |  |  |        reached +---+ n+1
 *                share|  |  |detach
 *                     v  |  |
 *                    SHARED |  free (also from GPU_ONLY, SHARED once detached)
 *                           v
 *                      QUARANTINED --- fw cache flush / TLB invalidate,
 *                                      quarantine budget exceeded ---> released
 *
 * Every operation returns 0 or a negative errno and refuses illegal transitions
 * in every build; each refusal is also reported to the hooks (gpusan) with the
 * violation class, so a debug build gets a report with stacks. In short:
 * -EBUSY free while firmware-owned / shared and attached / pointed at by a
 * published container, or a transition while a CPU window is open; -EALREADY
 * publish twice, share twice, detach twice; -EPERM any other illegal
 * transition, and publish with a pointer to an unpublished object; -ENOLINK
 * publish / share with a dangling pointer; -EAGAIN reclaim before the fence;
 * -ENOENT reclaim of a hold never taken; -EINVAL a freed, stale or wild handle
 * (double / invalid free) or a bad argument. The full table, with the
 * violation each reports: docs/object-model.md.
 *
 * Handles are validated at every entry point: a wild or stale handle is
 * reported, never dereferenced. A released object's handle stays recognised
 * (state RELEASED) for a long while before its slot is reused.
 *
 * Thread safety: operations on one object are serialised internally; the
 * firmware thread and driver threads may operate concurrently.
 */
#ifndef GPUOWN_OBJECT_H
#define GPUOWN_OBJECT_H

/* Kernel-safe: the portable core (runtime/model) includes it too. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include <gpuown/annotations.h>
#include <gpuown/layout.h>
#include <gpuown/mm.h>

enum gpuown_state {
	GPUOWN_STATE_CPU, /* CPU-owned: being built, or reclaimed */
	GPUOWN_STATE_FW,  /* firmware-owned: published, in flight (holders >= 1)
			   */
	GPUOWN_STATE_SHARED,	  /* shared: declared fields only, atomically */
	GPUOWN_STATE_GPU_ONLY,	  /* no CPU mapping */
	GPUOWN_STATE_QUARANTINED, /* freed; waiting for flush / invalidate */
	GPUOWN_STATE_RELEASED,	  /* gone; only seen in hook events */
};

const char *gpuown_state_name(enum gpuown_state st);

/* Allocation flags. */
#define GPUOWN_ALLOC_NO_CPU_MAP (1u << 0) /* GPU-only object */
#define GPUOWN_ALLOC_ZERO (1u << 1) /* zero-fill (otherwise poison-filled) */
/*
 * The CPU mapping's memory type (at most one; default: write-back, coherent).
 * Write-combined and uncached mappings are coherent with the device (writes
 * reach memory without a cache flush; write-combined ones after a barrier).
 * A non-coherent mapping is cached and the device does not snoop: CPU writes
 * reach the device only after gpuown_sync_for_device(), device writes reach
 * the CPU only after gpuown_sync_for_cpu(); see "Coherency" below.
 */
#define GPUOWN_ALLOC_WC (1u << 2)
#define GPUOWN_ALLOC_UNCACHED (1u << 3)
#define GPUOWN_ALLOC_NONCOHERENT (1u << 4)

/*
 * Fill patterns, written through the physical view so a stale reader sees
 * them: new object bytes (unless GPUOWN_ALLOC_ZERO), the mapped redzone bytes
 * around an object, and an object's bytes once freed.
 */
#define GPUOWN_POISON_ALLOC 0x5a
#define GPUOWN_POISON_REDZONE 0xcc
#define GPUOWN_POISON_FREE 0x6b

struct gpuown_alloc_args {
	struct gpuown_vm *vm; /* NULL: the firmware VM (window by mode) */
	enum gpuown_map_mode mode;
	size_t size __gpuown_alloc_size; /* 0: layout->size */
	size_t align;			 /* power of two; 0: 64 */
	const struct gpuown_struct_desc
		*layout;  /* firmware struct, or NULL: raw bytes */
	uint32_t fw_dir;  /* GPUOWN_DIR_*; 0: from the layout, or RW */
	uint32_t flags;	  /* GPUOWN_ALLOC_* */
	const char *name; /* for reports; defaults to the layout's name */
};

/*
 * A completion condition: the 32-bit stamp at @offset of the shared object
 * @stamp has reached @value (wrap-around compare). Reclaiming a hold taken with
 * a fence before the fence is reached is refused.
 */
struct gpuown_fence {
	struct gpuown_obj *stamp;
	uint32_t offset;
	uint32_t value;
	/*
	 * For reports only (a fence built by gpuown_fence_make() has both): a
	 * name, and the return address of the code that created it.
	 */
	const char *name;
	void *created;
};

bool gpuown_fence_reached(const struct gpuown_fence *f __gpuown_completes)
	__gpuown_fence_reached;

/*
 * A fence on the 32-bit stamp at @offset of @stamp reaching @value, named
 * @name (may be NULL) and recording where it was created (this call's
 * caller), so a report about an operation done before it signalled says
 * which fence and whose. Equivalent to the designated initializer otherwise.
 */
struct gpuown_fence gpuown_fence_make(struct gpuown_obj *stamp, uint32_t offset,
				      uint32_t value, const char *name);

/* ------------------------------------------------------------------------
 * Lifetime
 */
int gpuown_obj_alloc(struct gpuown_mm *mm, const struct gpuown_alloc_args *args,
		     struct gpuown_obj **out __gpuown_alloc_out);
/*
 * CPU_OWNED, GPU_ONLY, or SHARED after detach -> QUARANTINED. Also refused
 * (-EBUSY) while other references than the caller's remain or a table holds
 * the object (FREE_WHILE_REFERENCED), while a user-VM binding maps it
 * (FREE_WHILE_BOUND), and before a fence given to gpuown_obj_busy_until() is
 * reached (FREE_BEFORE_COMPLETION). An object unbound whose VM's TLB is not
 * yet invalidated may be freed: its pages stay reserved by the binding until
 * the invalidate, and a GPU access through the stale translation is reported
 * (use-after-unbind).
 */
int gpuown_obj_free(struct gpuown_obj *obj __gpuown_frees);
/*
 * gpuown_obj_free() naming the size the caller believes the object has (as
 * dma_free_coherent() and free_pages() name the size or order): @size must be
 * the size given at allocation (or, for a layout without a size, the layout's
 * size, or the object's rounded size). Otherwise refused with -EINVAL,
 * FREE_SIZE_MISMATCH.
 */
int gpuown_obj_free_sized(struct gpuown_obj *obj __gpuown_frees, size_t size);

/* ------------------------------------------------------------------------
 * References
 *
 * An object starts with one reference, the allocation's. get adds one; put
 * drops one, and the last put frees the object exactly like gpuown_obj_free()
 * (with its refusals: a last put while firmware-owned is refused and the
 * reference stays). A get, put or any other use after the last put is a
 * USE_AFTER_FREE whose report's free stack is that put. A put that would drop
 * a reference a table owns (the caller gave its reference to the table, or
 * its pointer was borrowed from a lookup) is refused: REF_NOT_OWNED.
 * Tables (lookup tables, like an xarray or idr): <gpuown/table.h>.
 */
/*
 * Not annotated __gpuown_get / __gpuown_put yet: cocci/lookup_no_ref.cocci
 * replaces its *_get / *_put name patterns by the annotated roles, so these
 * two would hide a driver's own unannotated get/put functions from it.
 */
int gpuown_obj_get(struct gpuown_obj *obj);
int gpuown_obj_put(struct gpuown_obj *obj);
/* References held now (0 once freed). */
unsigned gpuown_obj_refs(const struct gpuown_obj *obj) __gpuown_state_query;

/* ------------------------------------------------------------------------
 * Completion-gated operations
 *
 * The object is in use by device work until @until is reached (like adding
 * a fence to a reservation object): until then its free (or last put) is
 * refused with -EBUSY, FREE_BEFORE_COMPLETION, and opening it for CPU writes
 * (cpu_begin(WRITE), cpu_write, pointer stores into it) is refused with
 * -EBUSY, REUSE_BEFORE_COMPLETION; both reports name the fence and where it
 * was created. (A reclaim before its hold's fence is RECLAIM_BEFORE_COMPLETION
 * and names the fence the same way.) Several fences may gate an object; each
 * stops gating once reached. -EINVAL for a fence whose stamp is not a live
 * object.
 */
int gpuown_obj_busy_until(struct gpuown_obj *obj,
			  const struct gpuown_fence *until);

/* ------------------------------------------------------------------------
 * Ownership transitions
 */
/* CPU_OWNED -> FW_OWNED(1). Refused if already firmware-owned (publish twice).
 */
int gpuown_obj_publish(struct gpuown_obj *obj __gpuown_publishes,
		       const struct gpuown_fence *done);
/* FW_OWNED(n) -> FW_OWNED(n+1): another in-flight job holds the object. */
int gpuown_obj_fw_get(struct gpuown_obj *obj __gpuown_fw_gets,
		      const struct gpuown_fence *done);
/*
 * Release the hold taken with fence @done (NULL: a hold taken without one);
 * refused if that fence is not reached. At zero holders: -> CPU_OWNED.
 */
int gpuown_obj_reclaim(struct gpuown_obj *obj __gpuown_reclaims,
		       const struct gpuown_fence *done __gpuown_completes);
/* CPU_OWNED -> SHARED. */
int gpuown_obj_share(struct gpuown_obj *obj __gpuown_shares);
/* SHARED: the firmware has detached; the object may now be freed. */
int gpuown_obj_detach(struct gpuown_obj *obj __gpuown_detaches);

/* ------------------------------------------------------------------------
 * Addresses and properties
 */
void *gpuown_obj_cpu(struct gpuown_obj *obj __gpuown_addr_of) __gpuown_cpu_addr;
gpu_addr_t gpuown_obj_gpu_va(const struct gpuown_obj *obj __gpuown_addr_of)
	__gpuown_gpu_addr_fn;
fw_addr_t gpuown_obj_fw_addr(const struct gpuown_obj *obj __gpuown_addr_of)
	__gpuown_fw_addr_fn;
size_t gpuown_obj_size(const struct gpuown_obj *obj);
const char *gpuown_obj_name(const struct gpuown_obj *obj);
const struct gpuown_struct_desc *
gpuown_obj_layout(const struct gpuown_obj *obj);
enum gpuown_state
gpuown_obj_state(const struct gpuown_obj *obj) __gpuown_state_query;
unsigned
gpuown_obj_fw_holders(const struct gpuown_obj *obj) __gpuown_state_query;
struct gpuown_mm *gpuown_obj_mm(const struct gpuown_obj *obj);
uint64_t gpuown_obj_id(const struct gpuown_obj *obj); /* unique, never reused */
/* The mapping mode, VM (firmware VM for NULL-vm allocations) and firmware
 * direction. */
enum gpuown_map_mode gpuown_obj_mode(const struct gpuown_obj *obj);
struct gpuown_vm *gpuown_obj_vm(const struct gpuown_obj *obj);
uint32_t gpuown_obj_fw_dir(const struct gpuown_obj *obj);

/* A slot for the runtime tracker's per-object data. */
void *gpuown_obj_san_data(const struct gpuown_obj *obj);
void gpuown_obj_set_san_data(struct gpuown_obj *obj, void *data);

/* ------------------------------------------------------------------------
 * CPU access through the framework's accessors (checked)
 *
 * begin/end bracket direct CPU work on the object's mapping: begin checks the
 * state permits @dir (CPU_OWNED: any; FW_OWNED: read, only if the firmware
 * never writes it; SHARED/GPU_ONLY: refused: use the shared accessors) and
 * returns the CPU address.
 */
int gpuown_cpu_begin(struct gpuown_obj *obj __gpuown_cpu_begin, uint32_t dir,
		     void **cpu);
void gpuown_cpu_end(struct gpuown_obj *obj __gpuown_cpu_end)
	__gpuown_releases(gpuown_cpu_access);
#if defined(__CHECKER__) && !defined(GPUOWN_RUNTIME_IMPL)
/* sparse: the access window is open only when begin returned 0. */
#define gpuown_cpu_begin(obj, dir, cpu)                                        \
	__gpuown_cond_acquire(gpuown_cpu_access,                               \
			      (gpuown_cpu_begin)(obj, dir, cpu))
#endif

int gpuown_cpu_read(struct gpuown_obj *obj, size_t offset, void *dst,
		    size_t len);
int gpuown_cpu_write(struct gpuown_obj *obj __gpuown_cpu_writes, size_t offset,
		     const void *src, size_t len);

/*
 * The check of gpuown_cpu_read/_write (and, on a shared object, of the shared
 * accessors for a 4- or 8-byte word) without the copy: for memory the caller
 * accesses itself (an ioremap'd aperture). 0, or the refusal's errno.
 */
int gpuown_cpu_check(struct gpuown_obj *obj, size_t offset, size_t len,
		     bool write);
/* Atomic accessors for declared shared fields (CPU side). */
int gpuown_shared_load32(struct gpuown_obj *obj, size_t offset, uint32_t *val);
int gpuown_shared_store32(struct gpuown_obj *obj __gpuown_shared_store,
			  size_t offset, uint32_t val);
int gpuown_shared_load64(struct gpuown_obj *obj, size_t offset, uint64_t *val);
int gpuown_shared_store64(struct gpuown_obj *obj __gpuown_shared_store,
			  size_t offset, uint64_t val);

/* ------------------------------------------------------------------------
 * Coherency (objects allocated with GPUOWN_ALLOC_NONCOHERENT)
 *
 * CPU writes (cpu_write, a cpu_begin(WRITE) window, pointer stores) leave the
 * object dirty for the device until gpuown_sync_for_device(); handing it to
 * the device before that (publish, share, fw_get, a user-VM bind, an address
 * handed over) is refused with -EBUSY, DEVICE_READ_UNSYNCED: the device would
 * read stale memory. The device hands an object back when its last firmware
 * hold is reclaimed (if the firmware may write it, fw_dir has WRITE) or a
 * writable binding of it is unbound: from then it is dirty for the CPU until
 * gpuown_sync_for_cpu(), and a checked CPU read (cpu_read, cpu_begin(READ))
 * before is refused with -EBUSY, CPU_READ_UNSYNCED. The checks sit at the
 * hand-over points, not on the access path, so they cost nothing per access.
 * On other objects both syncs are no-ops that return 0.
 */
int gpuown_sync_for_device(struct gpuown_obj *obj __gpuown_syncs_for_device);
int gpuown_sync_for_cpu(struct gpuown_obj *obj);

/* ------------------------------------------------------------------------
 * Addresses handed to the device through a register or a message
 *
 * A driver writes an address into a device register (a ring base, a page
 * table base, a doorbell's payload) or a firmware message. Declaring it here
 * checks it: @addr, in the address space of @kind, must be the start of a
 * live object (else WILD_ADDRESS / USE_AFTER_FREE); an address of the other
 * kind (a GPU VA where a firmware address belongs, or the reverse) is refused
 * with -EINVAL, ADDR_KIND_MISMATCH, naming the object it belongs to in its
 * real address space. The object is then handed over: a CPU-owned object is
 * published (as gpuown_obj_publish(obj, NULL); a shared, GPU-only or already
 * firmware-owned one stays as it is). *@out (optional) is the object. @via
 * names the register or message, for reports.
 */
enum gpuown_addr_kind {
	GPUOWN_ADDR_GPU_VA, /* a GPU VA of the firmware VM */
	GPUOWN_ADDR_FW,	    /* a firmware address */
};

int gpuown_hand_over_addr(struct gpuown_mm *mm, enum gpuown_addr_kind kind,
			  uint64_t addr, const char *via,
			  struct gpuown_obj **out);

/* ------------------------------------------------------------------------
 * Tracked GPU pointers
 *
 * Store @target's GPU VA (or firmware address) into @container at @offset and
 * record the edge, so the runtime can answer "who still points at this object".
 * The field's kind and target type are checked against the container's layout
 * when it has one. The container must be CPU-owned (or shared, for a pointer
 * field the CPU owns). Clearing stores 0 and drops the edge.
 */
int gpuown_store_gpu_ptr(struct gpuown_obj *container __gpuown_store_container,
			 size_t offset,
			 struct gpuown_obj *target __gpuown_store_target)
	__gpuown_stores_gpu_ptr;
int gpuown_store_fw_ptr(
	struct gpuown_obj *container __gpuown_store_container, size_t offset,
	struct gpuown_obj *target __gpuown_store_target) __gpuown_stores_fw_ptr;
int gpuown_clear_ptr(struct gpuown_obj *container __gpuown_store_clear,
		     size_t offset);

/* Typed form: GPUOWN_STORE_PTR(job_obj, struct fw_job_desc__G11_V2_1, cmdbuf,
 * cb_obj). */
#define GPUOWN_STORE_PTR(container, type, field, target)                       \
	gpuown_store_gpu_ptr((container), offsetof(type, field), (target))
#define GPUOWN_STORE_FW_PTR(container, type, field, target)                    \
	gpuown_store_fw_ptr((container), offsetof(type, field), (target))
#define GPUOWN_CLEAR_PTR(container, type, field)                               \
	gpuown_clear_ptr((container), offsetof(type, field))

struct gpuown_ptr_edge {
	struct gpuown_obj *container;
	uint32_t offset;
	const struct gpuown_field_desc
		*field; /* NULL when the container is raw */
	struct gpuown_obj *target;
	bool fw_addr; /* stored as firmware address */
};

typedef void (*gpuown_edge_fn)(const struct gpuown_ptr_edge *edge, void *arg);
/*
 * Call @fn for every recorded pointer into @target; returns the count. @fn runs
 * on a copy of the edges, with no internal lock held.
 */
unsigned gpuown_obj_for_each_referrer(struct gpuown_obj *target,
				      gpuown_edge_fn fn, void *arg);
/* Call @fn for every recorded pointer held by @container; returns the count. */
unsigned gpuown_obj_for_each_pointee(struct gpuown_obj *container,
				     gpuown_edge_fn fn, void *arg);

/* The object whose mapping covers @va in @vm (firmware VM: NULL vm), or NULL.
 */
struct gpuown_obj *gpuown_obj_lookup_va(struct gpuown_mm *mm,
					struct gpuown_vm *vm, gpu_addr_t va);

#endif /* GPUOWN_OBJECT_H */
