/* SPDX-License-Identifier: MIT */
/*
 * The interface between gpuown's portable core (runtime/model) and a host.
 *
 * The core holds what every environment shares: the ownership state machine,
 * fences and holds, pointer edges, lifecycles, the quarantine policy, the
 * shadow encoding, the violation taxonomy and report composition. It has no
 * libc or pthread dependency (see <gpuown/compat.h>). Everything that depends
 * on where objects live, how threads synchronise and where text goes is asked
 * of the host through this table:
 *
 *   - the user-space simulator (runtime/src, runtime/gpusan): memfd views,
 *     simulated page tables, pthreads, libdw stacks, stderr;
 *   - the kernel (kernel/): the driver's own buffer objects, kernel locks,
 *     stack_depot, printk.
 *
 * Exactly one host is linked into a program or a kernel: it defines
 * `gpuown_host` (below). The core never stores a pointer to another table, so
 * the same core objects serve both builds unchanged.
 *
 * Calling conventions, for every operation unless stated otherwise:
 *   - the core may call it with host locks (taken through ->lock) held, in the
 *     order of docs/object-model.md ("Thread safety"); it never calls it with
 *     a lock the host itself holds while calling into the core;
 *   - it must not call back into the core's public API;
 *   - pointers it receives stay owned by the core.
 */
#ifndef GPUOWN_HOST_H
#define GPUOWN_HOST_H

#include <gpuown/compat.h>

struct gpuown_alloc_args;
struct gpuown_event;
struct gpuown_mm;
struct gpuown_model;
struct gpuown_obj;
struct gpuown_vm;

/* A lock, defined by the host (pthread mutex, kernel mutex or spinlock). */
struct gpuown_host_lock;

/* What a pointer handed to the core as an object handle is. */
enum gpuown_handle_kind {
	GPUOWN_HANDLE_LIVE, /* an object not yet released (maybe quarantined) */
	GPUOWN_HANDLE_DEAD, /* a released object, still recognised */
	GPUOWN_HANDLE_WILD, /* never an object, or not the start of one */
};

/*
 * Where a report's text goes: the host's buffer for the report being written
 * (opaque to the core), handed back to ->report_vprintf and ->stack_print.
 */
struct gpuown_report_sink;

/*
 * A saved stack: 0 is "none". The host decides what the handle is (an index
 * into a deduplicating depot in user space, a stack_depot handle in the
 * kernel); the core only stores and passes it back.
 */
typedef uint64_t gpuown_stack_t;

struct gpuown_host_ops {
	/* -------------------------------------------------------------------
	 * Metadata memory (core bookkeeping, never object bytes).
	 */

	/*
	 * Zeroed memory of @size bytes, or NULL. May be called with host locks
	 * held (a kernel host whose locks are spinlocks allocates atomically).
	 */
	void *(*zalloc)(size_t size);
	/* Free what ->zalloc returned; NULL is a no-op. */
	void (*free)(void *p);

	/* -------------------------------------------------------------------
	 * Locks. Not recursive. The core's lock order, outer to inner: a
	 * model's graph lock, an object's lock, (host VM locks, taken by the
	 * host inside ->reserve / ->release), the quarantine lock, the object
	 * list lock, (the host's handle registry).
	 */

	/* A new unlocked lock, or NULL. */
	struct gpuown_host_lock *(*lock_create)(void);
	/* Destroy an unlocked lock; NULL is a no-op. */
	void (*lock_destroy)(struct gpuown_host_lock *lock);
	void (*lock)(struct gpuown_host_lock *lock);
	void (*unlock)(struct gpuown_host_lock *lock);

	/* -------------------------------------------------------------------
	 * Object handles. The host owns the storage of struct gpuown_obj, so
	 * it can validate a handle without dereferencing wild memory.
	 */

	/*
	 * Storage for a new object, zeroed; not yet a valid handle (the core
	 * sets o->magic once it is initialised). NULL when out of memory.
	 */
	struct gpuown_obj *(*obj_alloc)(void);
	/*
	 * The object is released (or its allocation failed): its handle must
	 * keep being recognised as GPUOWN_HANDLE_DEAD for as long as the host
	 * can afford (a FIFO graveyard), then the storage may be reused.
	 */
	void (*obj_retire)(struct gpuown_obj *obj);
	/*
	 * Classify @handle without dereferencing it unless it is the start of
	 * object storage the host handed out. Lock-free: called on every entry
	 * point. Sets *@out to the object for LIVE and DEAD, NULL for WILD.
	 */
	enum gpuown_handle_kind (*handle_check)(const void *handle,
						struct gpuown_obj **out);
	/*
	 * An event that names no memory system (a wild handle): deliver it to
	 * the hooks of every model the host knows (gpuown_model_emit_event()).
	 */
	void (*broadcast_event)(const struct gpuown_event *ev);
	/*
	 * The model of the memory system @mm names (a public handle the driver
	 * holds, e.g. in struct gpuown_lc), or NULL when @mm is not one.
	 */
	struct gpuown_model *(*mm_model)(struct gpuown_mm *mm);

	/* -------------------------------------------------------------------
	 * Address ranges.
	 */

	/*
	 * Place @obj: on entry o->size, o->mode, o->flags and o->layout are
	 * set. @place is whatever the host's own caller passed to
	 * gpuown_model_obj_alloc() (the simulator passes NULL and picks a VA;
	 * the kernel passes the addresses the driver already has). The host
	 * fills o->vm (NULL or a host VM), o->user_vm (true when o->vm is not
	 * the firmware VM), o->va, o->fa (0: no firmware address), o->cpu
	 * (NULL: no CPU mapping), o->resv_start / o->resv_end (the object plus
	 * its redzones), o->host_priv, and o->q_wait (the quarantine list the
	 * object waits on once freed, or NULL when reusable at once; see
	 * gpuown_model_quarantine_ready()). 0 or a negative errno.
	 */
	int (*reserve)(struct gpuown_model *model, struct gpuown_obj *obj,
		       const struct gpuown_alloc_args *args, uint64_t align,
		       const void *place);
	/* Give back what ->reserve took; the object is being released. */
	void (*release)(struct gpuown_model *model, struct gpuown_obj *obj);
	/*
	 * A CPU pointer to the byte at @va of @vm (as stored in o->vm), for
	 * the core's own naturally aligned 4- and 8-byte accesses (fence
	 * stamps, pointer stores), which never cross a page. NULL when @va
	 * is not mapped.
	 */
	void *(*translate)(struct gpuown_model *model, struct gpuown_vm *vm,
			   uint64_t va);
	/*
	 * Fill [va, va + len) of @vm with byte @c (allocation, redzone and
	 * free patterns), skipping unmapped pages. May do nothing when the
	 * object's memory is not the host's to write.
	 */
	void (*fill)(struct gpuown_model *model, struct gpuown_vm *vm,
		     uint64_t va, uint64_t len, int c);
	/*
	 * Make the CPU mapping [cpu, cpu + len) trap on plain CPU accesses
	 * (ASan or KASAN poisoning), or accessible again. Optional (NULL).
	 */
	void (*cpu_poison)(void *cpu, size_t len, bool poison);

	/* -------------------------------------------------------------------
	 * Stacks, threads, reports.
	 */

	/*
	 * Save the current call stack, at most @depth frames, starting at the
	 * frame that called @caller (a return address inside the stack) when
	 * it is found, so the core's own frames are dropped. 0 when none.
	 */
	gpuown_stack_t (*stack_save)(void *caller, unsigned depth);
	/* Print a saved stack into @sink, one "  #i ..." line per frame. */
	void (*stack_print)(struct gpuown_report_sink *sink,
			    gpuown_stack_t stack);
	/*
	 * Name the function of return address @pc; "file:line" (or the
	 * module and offset) into @loc. Never NULL.
	 */
	const char *(*symbolize)(void *pc, char *loc, size_t loc_len);
	/* The current thread's id, and its name into @buf (may be ""). */
	int (*thread_id)(void);
	void (*thread_name)(char *buf, size_t len);
	/* Append formatted text to the report being written into @sink. */
	void (*report_vprintf)(struct gpuown_report_sink *sink, const char *fmt,
			       va_list ap);
	/*
	 * Optional (NULL): copy the return addresses of saved stack @stack,
	 * innermost first, into @pcs (at most @max); the number copied. Lets
	 * reports skip wrapper frames (gs_wrap_*, san.h) in saved stacks.
	 */
	unsigned (*stack_frames)(gpuown_stack_t stack, void **pcs,
				 unsigned max);
};

/* The host linked into this program or kernel defines it. */
extern const struct gpuown_host_ops gpuown_host;

#endif /* GPUOWN_HOST_H */
