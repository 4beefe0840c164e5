/* SPDX-License-Identifier: MIT */
/*
 * The hand-kept part of spatch's macro file: names that are not annotations.
 * gpuown-check writes the macro file spatch gets from annotations.h itself
 * (every annotation macro, defined away) followed by this file: the
 * firmware-struct instantiation macros, so per-variant code reads as the names
 * it stands for, and <sys/queue.h>'s list macros.
 */

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
