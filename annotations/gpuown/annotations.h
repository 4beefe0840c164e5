/* SPDX-License-Identifier: MIT */
/*
 * gpuown annotation vocabulary: the one source of truth every gpuown layer
 * reads.
 *
 * A driver marks its objects, addresses and functions with the macros below.
 * Each macro expands differently per consumer:
 *
 *   - clang (the analyzer plugin, checker/): annotate("gpuown_...") attributes,
 *     which clang 14 keeps on functions, parameters, fields, records and
 *     variables. The strings are the plugin's whole interface: the plugin
 *     has no hard-coded function names, so a driver that puts these macros on
 *     its own allocate/free/publish functions is checked without touching
 *     the plugin.
 *   - sparse (__CHECKER__): named address spaces with noderef, bitwise address
 *     types and context annotations for CPU-access windows.
 *   - gcc: nothing, or only attributes gcc understands.
 *   - Coccinelle: gpuown-check writes spatch's macro file from this header
 *     (every macro defined away), and lists the annotated functions with
 *     their roles for the rules (docs/coccinelle.md).
 *
 * Annotation strings have the form "gpuown_<what>" or "gpuown_<what>:<arg>".
 * The full table, and which layer checks which rule, is in docs/annotations.md.
 */
#ifndef GPUOWN_ANNOTATIONS_H
#define GPUOWN_ANNOTATIONS_H

/*
 * Kernel-ready: in a kernel tree (__KERNEL__) the only include is
 * <linux/types.h>, because -nostdinc refuses libc headers; nothing below uses
 * a macro of compiler_types.h, so a profile may be force-included before or
 * after it. Elsewhere <stdint.h> gives the same widths.
 */
#ifdef __KERNEL__
#include <linux/types.h>
typedef __u32 __gpuown_u32;
typedef __u64 __gpuown_u64;
#else
#include <stdint.h>
typedef uint32_t __gpuown_u32;
typedef uint64_t __gpuown_u64;
#endif

#if defined(__clang__) && !defined(__CHECKER__)
#define GPUOWN_ANNOTATE(s) __attribute__((annotate(s)))
#else
#define GPUOWN_ANNOTATE(s)
#endif

/* ------------------------------------------------------------------------
 * Address spaces (sparse)
 *
 * Pointers whose value is an address in another agent's address space, e.g. the
 * firmware's translated view of a page. The CPU must never dereference them.
 * Under plain compilers they are ordinary pointers; typed GPU/firmware
 * addresses (below) are the main defence and are not dereferenceable anywhere.
 */
#ifdef __CHECKER__
#define __gpu __attribute__((noderef, address_space(__gpu)))
#define __fw __attribute__((noderef, address_space(__fw)))
#define __gpuown_bitwise __attribute__((bitwise))
#define __gpuown_force __attribute__((force))
#define __gpuown_acquires(x) __attribute__((context(x, 0, 1)))
#define __gpuown_releases(x) __attribute__((context(x, 1, 0)))
#define __gpuown_must_hold(x) __attribute__((context(x, 1, 1)))
/*
 * @call returns 0 when it acquired @x, an error otherwise: sparse counts the
 * context on the success path only, so `ret = f(); if (ret) return ret;` is
 * balanced. Wrap the function in a same-named macro under __CHECKER__.
 */
#define __gpuown_cond_acquire(x, call)                                         \
	({                                                                     \
		int __gpuown_ret = (call);                                     \
		if (!__gpuown_ret)                                             \
			__context__(x, 1);                                     \
		__gpuown_ret;                                                  \
	})
#else
#define __gpu
#define __fw
#define __gpuown_bitwise
#define __gpuown_force
#define __gpuown_acquires(x)
#define __gpuown_releases(x)
#define __gpuown_must_hold(x)
#define __gpuown_cond_acquire(x, call) (call)
#endif

/*
 * Raw address values. Bitwise under sparse: a GPU address cannot be mixed with
 * a plain integer, with a firmware address, or with a CPU page count without a
 * __gpuown_force cast, which only the runtime's conversion API contains.
 */
typedef __gpuown_u64 __gpuown_bitwise gpu_addr_t;
typedef __gpuown_u64 __gpuown_bitwise fw_addr_t;

/*
 * The kernel idioms' address kinds and units, as sparse types for a driver
 * that adopts them (the analyzer checks the same facts from
 * __gpuown_addr_kind and __gpuown_units on plain integers):
 *   fw_off32_t      a 32-bit firmware address or GGTT offset (a u32 in an
 *                   H2G message)
 *   gpuown_phys_t   a CPU physical or bus address (what dma_addr_t holds)
 *   gpu_pages_t     a count of the GPU MMU's pages
 *   cpu_pages_t     a count of the CPU's pages (PAGE_SIZE)
 * Each is bitwise: mixing one with another kind, a unit with another unit,
 * or either with a plain integer needs a __gpuown_force cast, which belongs
 * in the one helper that converts.
 */
typedef __gpuown_u32 __gpuown_bitwise fw_off32_t;
typedef __gpuown_u64 __gpuown_bitwise gpuown_phys_t;
typedef __gpuown_u64 __gpuown_bitwise gpu_pages_t;
typedef __gpuown_u64 __gpuown_bitwise cpu_pages_t;

/*
 * Firmware-written fields of shared structs (rings' read pointers, stamps).
 * Bitwise under sparse so a plain integer or narrow store is flagged; a word
 * the firmware writes is also __gpuown_fw_shared_word (noderef), so any plain
 * load or store of it is. The runtime's gpuown_shared_load32()/store32()
 * accessors (object + offset) are the way in.
 */
typedef __gpuown_u32 __gpuown_bitwise fw_shared_u32;
typedef __gpuown_u64 __gpuown_bitwise fw_shared_u64;

/* ------------------------------------------------------------------------
 * Typed GPU and firmware pointers
 *
 * A GPU pointer is a one-member struct holding the GPU virtual address of an
 * object whose firmware struct is @tag. Being a struct, it cannot be
 * dereferenced, converted to an integer, assigned from a CPU pointer or from a
 * pointer to another struct type: each of these is a compile error under any
 * C compiler. Strong pointers keep their target alive (the checkers and gpusan
 * report a free of the target while the container lives); weak pointers are
 * the explicit escape hatch for back references and are not tracked.
 *
 * GPUOWN_DECLARE_PTRS(tag) declares the four types for one struct name; the
 * firmware-struct generator emits it for every versioned struct.
 */
#define gpu_ptr(tag) struct gpu_ptr__##tag
#define gpu_weak_ptr(tag) struct gpu_weak_ptr__##tag
#define fw_ptr(tag) struct fw_ptr__##tag
#define fw_weak_ptr(tag) struct fw_weak_ptr__##tag

#define GPUOWN_DECLARE_PTRS(tag)                                               \
	gpu_ptr(tag)                                                           \
	{                                                                      \
		gpu_addr_t va;                                                 \
	}                                                                      \
	GPUOWN_ANNOTATE("gpuown_gpu_ptr:" #tag);                               \
	gpu_weak_ptr(tag)                                                      \
	{                                                                      \
		gpu_addr_t va;                                                 \
	}                                                                      \
	GPUOWN_ANNOTATE("gpuown_gpu_weak_ptr:" #tag);                          \
	fw_ptr(tag)                                                            \
	{                                                                      \
		fw_addr_t fa;                                                  \
	}                                                                      \
	GPUOWN_ANNOTATE("gpuown_fw_ptr:" #tag);                                \
	fw_weak_ptr(tag)                                                       \
	{                                                                      \
		fw_addr_t fa;                                                  \
	}                                                                      \
	GPUOWN_ANNOTATE("gpuown_fw_weak_ptr:" #tag)

/* Null is explicit: a zero-initialised pointer is null, and so is this. */
#define GPU_PTR_NULL(tag) ((gpu_ptr(tag)){0})
#define FW_PTR_NULL(tag) ((fw_ptr(tag)){0})
#define gpu_ptr_is_null(p) ((p).va == 0)
#define fw_ptr_is_null(p) ((p).fa == 0)

/* ------------------------------------------------------------------------
 * Ownership classes of objects and firmware structs
 *
 * Put on a struct definition (or a typedef'd object handle) to say who owns
 * instances once they are live. The direction says what the firmware may do.
 */
#define __gpuown_cpu_owned GPUOWN_ANNOTATE("gpuown_class:cpu")
#define __gpuown_fw_owned(dir) GPUOWN_ANNOTATE("gpuown_class:fw:" #dir)
#define __gpuown_shared(dir) GPUOWN_ANNOTATE("gpuown_class:shared:" #dir)
#define __gpuown_gpu_only GPUOWN_ANNOTATE("gpuown_class:gpu_only")
/* dir is one of: read, write, rw (the firmware's view). */

/* A field of a shared struct that the firmware writes (CPU reads it
 * atomically). */
#define __gpuown_fw_writes GPUOWN_ANNOTATE("gpuown_fw_writes")
/*
 * The generator adds this to a firmware-written fw_shared_u32/u64 field: a
 * word the firmware may write at any time. sparse: noderef, so a plain load
 * or store of it (not through the atomic accessors) is reported.
 */
#ifdef __CHECKER__
#define __gpuown_fw_shared_word __attribute__((noderef))
#else
#define __gpuown_fw_shared_word
#endif
/* A field holding a GPU / firmware address of a struct of type @tag. */
#define __gpuown_gpu_addr(tag) GPUOWN_ANNOTATE("gpuown_gpu_addr:" #tag)
#define __gpuown_fw_addr(tag) GPUOWN_ANNOTATE("gpuown_fw_addr:" #tag)
/* A field that exists only in the variants where @pred holds
 * (generator-emitted). */
#define __gpuown_versioned(pred) GPUOWN_ANNOTATE("gpuown_versioned:" pred)
/* A firmware struct: name, variant, firmware footprint in bytes. */
#define __gpuown_fw_struct(name, variant, footprint)                           \
	GPUOWN_ANNOTATE("gpuown_fw_struct:" name ":" variant ":" #footprint)

/* ------------------------------------------------------------------------
 * Function annotations: the ownership model's operations
 *
 * Return-value annotations go on the function; parameter annotations on the
 * parameter. An "object handle" is whatever the driver uses to name one GPU
 * object (struct gpuown_obj * here; struct amdgpu_bo * in amdgpu, ...).
 */
/* Returns a new CPU-owned object handle (or NULL / ERR_PTR on failure). */
#define __gpuown_alloc GPUOWN_ANNOTATE("gpuown_alloc")
/* Parameter: pointer to a handle that receives a new object on success (returns
 * 0). */
#define __gpuown_alloc_out GPUOWN_ANNOTATE("gpuown_alloc_out")
/* Parameter: the object is freed (quarantined until the flush). */
#define __gpuown_frees GPUOWN_ANNOTATE("gpuown_free")
/* Parameter: CPU-owned -> firmware-owned (one more in-flight holder). */
#define __gpuown_publishes GPUOWN_ANNOTATE("gpuown_publish")
/* Parameter: firmware-owned -> +1 holder (another in-flight job). */
#define __gpuown_fw_gets GPUOWN_ANNOTATE("gpuown_fw_get")
/* Parameter: one firmware holder released; CPU-owned again at zero. */
#define __gpuown_reclaims GPUOWN_ANNOTATE("gpuown_reclaim")
/* Parameter: CPU-owned -> shared (rings, stamps, channel state). */
#define __gpuown_shares GPUOWN_ANNOTATE("gpuown_share")
/* Parameter: shared object detached by the firmware (may now be freed). */
#define __gpuown_detaches GPUOWN_ANNOTATE("gpuown_detach")
/* Parameter: the firmware completion (stamp/fence) that makes reclaim legal. */
#define __gpuown_completes GPUOWN_ANNOTATE("gpuown_complete")
/* Function: returns the CPU address of the object parameter marked
 * __gpuown_addr_of. */
#define __gpuown_cpu_addr GPUOWN_ANNOTATE("gpuown_cpu_addr")
/* Function: returns the GPU address of the object parameter marked
 * __gpuown_addr_of. */
#define __gpuown_gpu_addr_fn GPUOWN_ANNOTATE("gpuown_gpu_addr_fn")
#define __gpuown_fw_addr_fn GPUOWN_ANNOTATE("gpuown_fw_addr_fn")
#define __gpuown_addr_of GPUOWN_ANNOTATE("gpuown_addr_of")
/* Parameter: CPU access window begins / ends on this object. */
#define __gpuown_cpu_begin GPUOWN_ANNOTATE("gpuown_cpu_begin")
#define __gpuown_cpu_end GPUOWN_ANNOTATE("gpuown_cpu_end")
/* Parameter: the object is only used (read), ownership unchanged. */
#define __gpuown_uses GPUOWN_ANNOTATE("gpuown_use")
/* Parameter: must be in ownership state @st: cpu, fw, shared, gpu_only, live.
 */
#define __gpuown_requires(st) GPUOWN_ANNOTATE("gpuown_requires:" #st)
/*
 * Pointer store: container parameter, offset/field, target parameter.
 * The function stores the target's GPU address into the container (tracked).
 */
#define __gpuown_store_container GPUOWN_ANNOTATE("gpuown_store_container")
#define __gpuown_store_target GPUOWN_ANNOTATE("gpuown_store_target")
/*
 * Function: the store (container, offset, target) writes the target's GPU
 * address (__gpuown_stores_gpu_ptr) or firmware address
 * (__gpuown_stores_fw_ptr). The Coccinelle patches that replace a raw store
 * (`d->f.va = addr(o)`) insert a call of the profile's function of that
 * kind: STORE(container, offsetof(typeof(*d), f), target).
 */
#define __gpuown_stores_gpu_ptr GPUOWN_ANNOTATE("gpuown_stores_gpu_ptr")
#define __gpuown_stores_fw_ptr GPUOWN_ANNOTATE("gpuown_stores_fw_ptr")
/* Parameter: the container's pointer field at the given offset is cleared. */
#define __gpuown_store_clear GPUOWN_ANNOTATE("gpuown_store_clear")
/* Function: unmaps the object parameter marked __gpuown_frees-like (VM unbind).
 */
#define __gpuown_unmaps GPUOWN_ANNOTATE("gpuown_unmap")
/*
 * Parameter (or field of an argument struct, e.g. alloc args): the size in
 * bytes of the object being allocated. Lets the analyzer compare it with a
 * firmware struct's footprint and bound GPU address arithmetic.
 */
#define __gpuown_alloc_size GPUOWN_ANNOTATE("gpuown_alloc_size")
/*
 * Function: returns non-zero once the completion passed in its parameter marked
 * __gpuown_completes is reached (e.g. gpuown_fence_reached). A reclaim on a
 * path where it returned 0 is reported.
 */
#define __gpuown_fence_reached GPUOWN_ANNOTATE("gpuown_fence_reached")
/*
 * Function or variable: tests which firmware/GPU variant is running. A
 * versioned field read under a condition that uses it counts as checked.
 */
#define __gpuown_variant_check GPUOWN_ANNOTATE("gpuown_variant_check")
/*
 * Function: returns what the run time knows about the ownership state of its
 * object parameter (gpuown_obj_state, gpuown_obj_fw_holders). Code that
 * branches on the answer knows more than the analyzer, which then forgets the
 * state it had inferred for that object.
 */
#define __gpuown_state_query GPUOWN_ANNOTATE("gpuown_state_query")

/*
 * Barriers, ring write pointers, CPU writes: roles a syntactic rule needs
 * to know by name (references: __gpuown_get, __gpuown_put,
 * __gpuown_lookup_get below). gpuown-check lists every annotated function
 * with its roles (the plugin's gpuown-roles action) and hands the names to the
 * Coccinelle rules, so these macros on a driver's own functions are all it
 * takes to bring them under the rules.
 */
/* Function: a write barrier (earlier stores are seen before later ones). */
#define __gpuown_barrier GPUOWN_ANNOTATE("gpuown_barrier")
/*
 * Parameter: the ring whose write pointer the function hands to the firmware
 * (a doorbell, a wptr register or shared word): the firmware may read every
 * entry written before it.
 */
#define __gpuown_wptr_publish GPUOWN_ANNOTATE("gpuown_wptr_publish")
/*
 * Parameter: the object one of whose firmware-shared words the function
 * stores (gpuown_shared_store32()); the offset says which word.
 */
#define __gpuown_shared_store GPUOWN_ANNOTATE("gpuown_shared_store")
/* Parameter: the CPU writes into this object through the function. */
#define __gpuown_cpu_writes GPUOWN_ANNOTATE("gpuown_cpu_write")
/* Function: makes a GPU or firmware address out of a plain integer. */
#define __gpuown_addr_from_int GPUOWN_ANNOTATE("gpuown_addr_from_int")

/* ------------------------------------------------------------------------
 * Kernel lifetime idioms: error pointers, reference counts, handle frees,
 * containers, fence waits and addresses handed out through parameters.
 *
 * Under clang each is one annotate("gpuown_<role>") string; under sparse and
 * gcc it is empty; Coccinelle's macro file defines it away. A function that
 * carries any gpuown annotation is taken at its annotations' word by the
 * analyzer even when its body is visible (a static inline put, a helper in
 * the same file): the body is not inlined into its callers, so what the
 * annotation says is what happens. Put the profile's redeclaration before the
 * definition (clang drops attributes added after a definition).
 */
/*
 * Function: returns a valid pointer or ERR_PTR(-errno), never NULL on
 * failure (msm_gem_new, i915_gem_object_pin_map). The caller must test the
 * result with IS_ERR() (or IS_ERR_OR_NULL / PTR_ERR_OR_ZERO) before using
 * it; on the error branch nothing was allocated, so returning is no leak.
 */
#define __gpuown_err_ptr GPUOWN_ANNOTATE("gpuown_err_ptr")
/*
 * Parameter: takes one more reference on the object (kref_get,
 * drm_gem_object_get, dma_fence_get). A function returning a pointer of the
 * parameter's type returns the object itself (dma_fence_get(f) == f).
 */
#define __gpuown_get GPUOWN_ANNOTATE("gpuown_get")
/*
 * Parameter: drops one reference (kref_put, drm_gem_object_put,
 * dma_fence_put); NULL is accepted. When the dropped reference may have been
 * the last one the object may be gone: any later use is reported, as is a put
 * of a reference this code never held (a borrowed lookup, a reference handed
 * to a container).
 */
#define __gpuown_put GPUOWN_ANNOTATE("gpuown_put")
/*
 * Parameter: a pointer to the handle (struct amdgpu_bo **, struct i915_vma **).
 * The object the handle names is released (freed, or put when the parameter
 * is also __gpuown_put) and the handle is NULL afterwards, so a second call
 * is harmless (amdgpu_bo_unref(&bo), i915_vma_unpin_and_release(&vma, 0)).
 * A __gpuown_frees parameter whose type is a pointer to a pointer means the
 * same.
 */
#define __gpuown_unref GPUOWN_ANNOTATE("gpuown_unref")
/*
 * Parameter: NULL and ERR_PTR() values are accepted and ignored (the function
 * tests IS_ERR_OR_NULL() itself: msm_gem_kernel_put). Without it, an
 * ERR_PTR() that reaches an annotated parameter, a put or free included,
 * before IS_ERR() ruled it out is reported.
 */
#define __gpuown_err_ok GPUOWN_ANNOTATE("gpuown_err_ok")
/*
 * An object reached through another (i915's vma->obj): the outer object
 * holds a reference on the inner one, and releasing the outer one drops it.
 *
 * Field: the object this pointer field names is held by the struct the
 * field sits in; any free of the struct, or a put that may drop its last
 * reference, or a release through a pointer to its handle, also puts the
 * object the field names.
 *   struct my_vma { struct my_bo *bo __gpuown_inner; ... };
 * Parameter of a release (__gpuown_frees, __gpuown_put, __gpuown_unref): the
 * same for the field @field of the released object, for structs a profile
 * cannot annotate (a kernel struct is incomplete where a profile is read):
 *   void i915_vma_unpin_and_release(struct i915_vma **p_vma __gpuown_unref
 *				      __gpuown_releases_inner(obj),
 *				      unsigned int flags);
 * A pointer read from the field before the release (obj = vma->obj), and
 * every address of that object (its pinned CPU map), are then used after a
 * put that may have dropped the last reference; a reference the path took
 * itself (i915_gem_object_get(vma->obj)) keeps the inner object alive.
 */
#define __gpuown_inner GPUOWN_ANNOTATE("gpuown_inner")
#define __gpuown_releases_inner(field) GPUOWN_ANNOTATE("gpuown_inner:" #field)
/* Function: returns a borrowed pointer: no reference is taken (idr_find). */
#define __gpuown_lookup GPUOWN_ANNOTATE("gpuown_lookup")
/*
 * Function: returns a new reference (or NULL / ERR_PTR) the caller must put
 * (drm_gem_object_lookup, i915_gem_object_lookup).
 */
#define __gpuown_lookup_get GPUOWN_ANNOTATE("gpuown_lookup_get")
/*
 * Parameter: a container (table, list, xarray, idr) takes over the caller's
 * reference when the call succeeds (returns >= 0, or void): xa_alloc,
 * idr_alloc, a driver's list_add wrapper. The caller must not put it after.
 */
#define __gpuown_insert GPUOWN_ANNOTATE("gpuown_insert")
/*
 * Function: removes an object from a container and hands its reference back
 * to the caller, who must put or free it (xa_erase, idr_remove).
 * Parameter: the object is taken out of its container and the container's
 * reference passes to the function; with __gpuown_put on the same parameter
 * the function drops that reference itself (list_del() then kref_put() of
 * the list's reference), so the caller's own reference is untouched.
 */
#define __gpuown_remove GPUOWN_ANNOTATE("gpuown_remove")
/*
 * Function: waits for the fence in its __gpuown_completes parameter (the
 * first parameter when none is marked). __gpuown_wait returns 0 once it
 * signalled and a negative errno on a signal or timeout (dma_fence_wait);
 * __gpuown_wait_timeout returns > 0 (the time left) once it signalled, 0 on
 * timeout, a negative errno on a signal (dma_fence_wait_timeout). A call with
 * a __gpuown_completes parameter (a free, reclaim or reuse gated by that
 * fence) on a path where the wait failed is reported.
 */
#define __gpuown_wait GPUOWN_ANNOTATE("gpuown_wait")
#define __gpuown_wait_timeout GPUOWN_ANNOTATE("gpuown_wait_timeout")
/*
 * Parameter: receives the GPU / firmware / CPU address of the object (the
 * __gpuown_addr_of parameter, else the __gpuown_alloc_out object, else the
 * first parameter): msm_gem_get_and_pin_iova(obj, aspace, &iova),
 * amdgpu_bo_create_kernel(..., &bo, &gpu_addr, &cpu_ptr). The address is the
 * object's for use-after-free purposes.
 */
#define __gpuown_gpu_addr_out GPUOWN_ANNOTATE("gpuown_gpu_addr_out")
#define __gpuown_fw_addr_out GPUOWN_ANNOTATE("gpuown_fw_addr_out")
#define __gpuown_cpu_addr_out GPUOWN_ANNOTATE("gpuown_cpu_addr_out")

/* ------------------------------------------------------------------------
 * Driver-declared lifecycles
 *
 * GPUOWN_LIFECYCLE(name, "s0 -> s1, s1 -> s2, ...") declares the states of one
 * kind of driver object (a channel, a context, a VM binding) and its legal
 * transitions; the first state is the initial one. It defines a
 * `const struct gpuown_lifecycle gpuown_lifecycle_<name>` for the runtime
 * (runtime/include/gpuown/lifecycle.h) and carries the same string for the
 * analyzer. Functions then say what they do to a parameter:
 *
 *   __gpuown_transition(context, live, destroy_requested)
 *   __gpuown_in_state(context, live)        operation permitted only in 'live'
 *   __gpuown_lifecycle_init(context)        parameter/return starts in state 0
 */
#define __gpuown_transition(lc, from, to)                                      \
	GPUOWN_ANNOTATE("gpuown_transition:" #lc ":" #from "->" #to)
#define __gpuown_in_state(lc, st)                                              \
	GPUOWN_ANNOTATE("gpuown_in_state:" #lc ":" #st)
#define __gpuown_lifecycle_init(lc)                                            \
	GPUOWN_ANNOTATE("gpuown_lifecycle_init:" #lc)

#define GPUOWN_LIFECYCLE(lc, transitions)                                      \
	const struct gpuown_lifecycle gpuown_lifecycle_##lc GPUOWN_ANNOTATE(   \
		"gpuown_lifecycle:" #lc ":" transitions) = {                   \
		.name = #lc,                                                   \
		.spec = transitions,                                           \
	}

/*
 * Lifecycles as drivers write them.
 *
 *   __gpuown_transition(ct, enabled|stopped, disabled)  legal from either state
 *   __gpuown_transition_any(ct, stopped)    legal in every state (idempotent
 *                                           stop): the object ends in 'stopped'
 *   __gpuown_in_state(ct, enabled|stopped)  permitted in either state
 *
 * An int-returning function changes the state only where it returned 0: a
 * failed enable leaves the object where it was.
 */
#define __gpuown_transition_any(lc, to)                                        \
	GPUOWN_ANNOTATE("gpuown_transition:" #lc ":*->" #to)
/*
 * Parameter or struct field: the object a function is handed starts in state
 * @st of lifecycle @lc (a context handed to a submit path is 'enabled').
 */
#define __gpuown_lc_state(lc, st)                                              \
	GPUOWN_ANNOTATE("gpuown_lc_state:" #lc ":" #st)
/*
 * Field of a lifecycle object: the GPU object it points to is kept alive by
 * the firmware while the container is in one of @states ("a|b"): freeing it
 * then is reported (a channel's ring while the channel is enabled).
 */
#define __gpuown_holds(lc, states)                                             \
	GPUOWN_ANNOTATE("gpuown_holds:" #lc ":" #states)
/*
 * GPUOWN_LIFECYCLE_DECLARE(lc, spec) in a header: the same lifecycle seen by
 * every translation unit that includes it (an extern declaration only; one
 * unit still defines it with GPUOWN_LIFECYCLE for the runtime).
 */
#define GPUOWN_LIFECYCLE_DECLARE(lc, transitions)                              \
	extern const struct gpuown_lifecycle gpuown_lifecycle_##lc             \
		GPUOWN_ANNOTATE("gpuown_lifecycle:" #lc ":" transitions)

/* ------------------------------------------------------------------------
 * Handing an object over by address
 *
 * Drivers give an object to the firmware by writing its GPU or firmware
 * address into a message, a ring entry or a register. On a parameter (an
 * address, or a pointer to a message buffer of addresses) or on a descriptor
 * field, __gpuown_publishes_addr makes every object whose address reaches it
 * firmware-owned from that point, as __gpuown_publishes does for a handle.
 * An int-returning send publishes only where it returned 0.
 */
#define __gpuown_publishes_addr GPUOWN_ANNOTATE("gpuown_publish_addr")
/*
 * Parameter or field that takes an address of one kind: gpu (a GPU VM
 * address), fw (a firmware / GGTT address, also a u32 offset), phys (a CPU
 * physical or bus address: dma_addr_t, a page-table base register). An
 * address of another kind reaching it is reported.
 */
#define __gpuown_addr_kind(kind) GPUOWN_ANNOTATE("gpuown_addr_kind:" #kind)
/* Function: returns the CPU physical / bus address of its object parameter. */
#define __gpuown_phys_addr_fn GPUOWN_ANNOTATE("gpuown_phys_addr_fn")
/*
 * Parameter, field or function result counted in a unit: gpu_pages (the
 * GPU MMU's page), cpu_pages (PAGE_SIZE) or bytes. A count of one unit
 * reaching a slot of another is reported.
 */
#define __gpuown_units(u) GPUOWN_ANNOTATE("gpuown_units:" #u)

/* ------------------------------------------------------------------------
 * Mappings, TLB invalidation and coherency
 *
 * __gpuown_maps / __gpuown_map_size: parameters of a map into a GPU VM (the
 * object, the length in bytes); a range longer than the object is reported.
 * __gpuown_vm_unmaps: the object's range is unmapped, but its translation
 * stays live in the GPU's TLB until a function marked
 * __gpuown_tlb_invalidates runs: freeing the object before that, or never
 * invalidating on the path, is reported.
 */
#define __gpuown_maps GPUOWN_ANNOTATE("gpuown_map")
#define __gpuown_map_size GPUOWN_ANNOTATE("gpuown_map_size")
#define __gpuown_vm_unmaps GPUOWN_ANNOTATE("gpuown_vm_unmap")
#define __gpuown_tlb_invalidates GPUOWN_ANNOTATE("gpuown_tlb_invalidate")
/*
 * Function returning an object or its CPU address: the CPU mapping is of kind
 * @kind: wb (cached, coherent), wc (write-combined), uncached, noncoherent
 * (cached, the device does not snoop). A CPU write through a noncoherent
 * mapping must be followed by a call with a __gpuown_syncs_for_device
 * parameter (dma_sync_*_for_device, the driver's clflush) before the object
 * is handed to the device.
 */
#define __gpuown_mapping(kind) GPUOWN_ANNOTATE("gpuown_mapping:" #kind)
#define __gpuown_syncs_for_device GPUOWN_ANNOTATE("gpuown_sync_for_device")

/* ------------------------------------------------------------------------
 * Facts about structs the driver (or the kernel) already declares
 *
 * A profile cannot redeclare a kernel struct to annotate its fields. These
 * attach annotations to an existing struct or field from outside:
 *
 *   GPUOWN_FIELD_FACT(intel_guc_ct, desc_offset, __gpuown_fw_addr(ct_desc));
 *   GPUOWN_FIELD_FACT(guc_ads, status, __gpuown_fw_writes);
 *   GPUOWN_STRUCT_FACT(guc_ads_v70, __gpuown_fw_struct("guc_ads", "v70", 512));
 *   GPUOWN_FIELD_FACT(intel_uc_fw, major_ver, __gpuown_variant_check);
 *
 * Each expands to an extern declaration (never defined, never used) that
 * names the struct and field and carries the annotations; the struct must be
 * complete where the fact is written.
 */
#define GPUOWN_FIELD_FACT(rec, field, ...)                                     \
	extern __typeof__(((struct rec *)0)->field)                            \
		gpuown_field_fact__##rec##__##field GPUOWN_ANNOTATE(           \
			"gpuown_fact_field:" #rec ":" #field) __VA_ARGS__
#define GPUOWN_STRUCT_FACT(rec, ...)                                           \
	extern struct rec gpuown_struct_fact__##rec GPUOWN_ANNOTATE(           \
		"gpuown_fact_struct:" #rec) __VA_ARGS__

#endif /* GPUOWN_ANNOTATIONS_H */
