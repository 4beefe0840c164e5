/* SPDX-License-Identifier: MIT */
/*
 * gpusan's user-space host, shared by its source files:
 *
 *   context.c  contexts, metadata lookup, the event and range hooks,
 *              attach / detach, refused-operation reports
 *   check.c    the access hook: lock-free shadow check, slow path
 *   report.c   printing: one report at a time, stderr or report_file,
 *              the test callback, halt_on_error
 *   asan.c     ASan: its report callback appends gpusan's explanation
 *   stack.c    frame-pointer stacks, a deduplicating stack depot, libdw
 *   options.c  GPUSAN_OPTIONS
 *
 * Metadata, shadow, classification and report text are the portable core's
 * (<gpuown/san.h>, runtime/model/src/san_*.c).
 */
#ifndef GPUSAN_INT_H
#define GPUSAN_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gpuown/gpusan.h>
#include <gpuown/hooks.h>
#include <gpuown/layout.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>
#include <gpuown/san.h>
#include <gpuown/shadow.h>

#include "stack.h"

#define GS_GRAVEYARD 1024 /* released objects remembered for late accesses */

struct gs_vmshadow {
	struct gs_vmshadow *next;
	struct gpuown_vm *vm;
	struct gs_shadow *sh;
};

struct gs_ctx {
	struct gs_ctx *next; /* all attached contexts */
	struct gpuown_mm *mm;
	bool mm_gone; /* atomic; the memory system was destroyed */
	struct gpuown_hooks hooks;
	struct gpusan_options opts;
	pthread_mutex_t lock; /* shadow writes, metadata */
	struct gpuown_vm *fw_vm;
	struct gs_shadow *fw_sh;
	struct gs_vmshadow *vms; /* user VMs; prepended atomically */
	struct gs_meta live;	 /* list head */
	unsigned nlive;
	/* The live object of the last slow access (check.c), under lock. */
	struct gs_meta *last_meta;
	struct gs_meta *grave[GS_GRAVEYARD]; /* ring of released objects */
	unsigned grave_head;
	uint64_t seq;
	/* Sampled mode (opts.sample > 1): only 1 object in opts.sample gets
	 * metadata and shadow; unmapped granules are then not a bug. */
	bool sampling;
	uint32_t unmapped_ok; /* 1u << GS_UNMAPPED when sampling, else 0 */
	/* gs_fast | unmapped_ok by [agent][write][atomic]; [3]: none. */
	uint32_t allowed[4][2][2];
	uint64_t sample_seed;
	uint64_t sample_below; /* hash below this: tracked (UINT64_MAX / N) */
	uint64_t nallocs;      /* atomic: allocations seen, for the choice */
};

/* Track the object being allocated (always, unless sampling)? */
bool gs_sample_next(struct gs_ctx *ctx);

/* context.c */
struct gs_shadow *gs_ctx_shadow(struct gs_ctx *ctx, struct gpuown_vm *vm);
/* A live (or quarantined) object's metadata: its san_data slot. */
struct gs_meta *gs_meta_live(struct gs_ctx *ctx, const struct gpuown_obj *obj);
/* The object (live, quarantined or released) nearest @va in @vm. */
struct gs_meta *gs_meta_at(struct gs_ctx *ctx, struct gpuown_vm *vm,
			   uint64_t va, bool *inside);
/* Live metadata, else the newest released one (stale handles). */
struct gs_meta *gs_meta_of(struct gs_ctx *ctx, const struct gpuown_obj *obj);
void gs_for_each_ctx(void (*fn)(struct gs_ctx *ctx, void *arg), void *arg);

/* check.c */
int gs_on_access(void *ctx, const struct gpuown_access *acc);

/* report.c: begin (false when suppressed) and end a report. */
bool gs_report_begin(struct gs_ctx *ctx, struct gs_report *rep,
		     enum gpusan_class cls, void *caller);
/*
 * The same, with @st a saved stack holding @caller (wrapper frames are
 * skipped in it rather than in the current stack). Leaks are reported even
 * after a first report without multi_shot, like LeakSanitizer's.
 */
bool gs_report_begin_st(struct gs_ctx *ctx, struct gs_report *rep,
			enum gpusan_class cls, void *caller, gpuown_stack_t st);
/*
 * With the dot_dir option: write the ownership graph around @center (its
 * referrers, their referrers, its pointees) as DOT into a new file there
 * and name the file in the report. Between begin and end.
 */
void gs_report_dot(struct gs_ctx *ctx, struct gs_report *rep,
		   struct gs_meta *center);
/* A line outside any report (a summary), where reports go. */
void gs_report_note(struct gs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write, call the callback, release the report lock; may halt. */
void gs_report_end(struct gs_ctx *ctx, struct gs_report *rep);
void gs_report_lock(void);
void gs_report_unlock(void);

/* asan.c */
bool gs_asan_active(void);
void gs_asan_install(void);

#endif /* GPUSAN_INT_H */
