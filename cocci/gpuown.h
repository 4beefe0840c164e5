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
#define __gpuown_fw_shared_word
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

/*
 * Versioned code: the per-variant names, seen once. The token paste matters:
 * spatch expands a macro whose body pastes, and leaves a plain `fn` body as
 * an unparsable call, so a versioned function `FW_FN(f)` is seen as
 * `f__variant`.
 */
#define FW_T(name) struct name ## __variant
#define FW_C(name) name ## __variant
#define FW_E(name) name ## __variant
#define FW_ENUM(name) enum name ## __variant
#define FW_FN(fn) fn ## __variant
#define FW_DESC(name) (&fw_desc__ ## name ## __variant)

/* <sys/queue.h>, which drivers outside the kernel use for lists. */
#define LIST_HEAD(name, type) struct name { struct type *lh_first; }
#define LIST_ENTRY(type) struct { struct type *le_next; struct type **le_prev; }
#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#define STAILQ_HEAD(name, type) struct name { struct type *stqh_first; struct type **stqh_last; }
#define STAILQ_ENTRY(type) struct { struct type *stqe_next; }
#define SLIST_HEAD(name, type) struct name { struct type *slh_first; }
#define SLIST_ENTRY(type) struct { struct type *sle_next; }
#define LIST_FOREACH(var, head, field) for ((var) = (head)->lh_first; (var); (var) = (var)->field.le_next)
#define TAILQ_FOREACH(var, head, field) for ((var) = (head)->tqh_first; (var); (var) = (var)->field.tqe_next)
#define TAILQ_FOREACH_SAFE(var, head, field, tvar) for ((var) = (head)->tqh_first; (var) && ((tvar) = (var)->field.tqe_next, 1); (var) = (tvar))
#define STAILQ_FOREACH(var, head, field) for ((var) = (head)->stqh_first; (var); (var) = (var)->field.stqe_next)
#define SLIST_FOREACH(var, head, field) for ((var) = (head)->slh_first; (var); (var) = (var)->field.sle_next)
