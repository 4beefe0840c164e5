/* SPDX-License-Identifier: MIT */
/*
 * Macro file for spatch (--macro-file): the gpuown annotation vocabulary and
 * the firmware-struct instantiation macros, defined so that Coccinelle parses
 * annotated code as plain C. Attributes vanish; FW_T() and friends become the
 * names they stand for, which is all a syntactic rule needs.
 */

/* Address spaces and sparse-only attributes. */
#define __gpu
#define __fw
#define __gpuown_bitwise
#define __gpuown_force
#define __gpuown_acquires(x)
#define __gpuown_releases(x)
#define __gpuown_must_hold(x)
#define GPUOWN_ANNOTATE(s)

/* Typed GPU and firmware pointers. */
#define gpu_ptr(tag) struct gpu_ptr__ ## tag
#define gpu_weak_ptr(tag) struct gpu_weak_ptr__ ## tag
#define fw_ptr(tag) struct fw_ptr__ ## tag
#define fw_weak_ptr(tag) struct fw_weak_ptr__ ## tag
#define GPUOWN_DECLARE_PTRS(tag)

/* Ownership classes and field annotations. */
#define __gpuown_cpu_owned
#define __gpuown_fw_owned(dir)
#define __gpuown_shared(dir)
#define __gpuown_gpu_only
#define __gpuown_fw_writes
#define __gpuown_gpu_addr(tag)
#define __gpuown_fw_addr(tag)
#define __gpuown_versioned(pred)
#define __gpuown_fw_struct(name, variant, footprint)

/* Function and parameter annotations. */
#define __gpuown_alloc
#define __gpuown_alloc_out
#define __gpuown_frees
#define __gpuown_publishes
#define __gpuown_fw_gets
#define __gpuown_reclaims
#define __gpuown_shares
#define __gpuown_detaches
#define __gpuown_completes
#define __gpuown_cpu_addr
#define __gpuown_gpu_addr_fn
#define __gpuown_fw_addr_fn
#define __gpuown_addr_of
#define __gpuown_cpu_begin
#define __gpuown_cpu_end
#define __gpuown_uses
#define __gpuown_requires(st)
#define __gpuown_store_container
#define __gpuown_store_target
#define __gpuown_store_clear
#define __gpuown_unmaps

/* Driver-declared lifecycles. */
#define __gpuown_transition(lc, from, to)
#define __gpuown_in_state(lc, st)
#define __gpuown_lifecycle_init(lc)
#define GPUOWN_LIFECYCLE(lc, transitions) \
	const struct gpuown_lifecycle gpuown_lifecycle_ ## lc = { 0 }

/* Versioned code: the per-variant names, seen once. */
#define FW_T(name) struct name
#define FW_C(name) name
#define FW_E(name) name
#define FW_FN(fn) fn
