/* SPDX-License-Identifier: MIT */
/* gpusan internals shared by its source files. */
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

#include <gpuown/shadow.h>
#include "stack.h"

#define GS_GRAVEYARD 1024 /* released objects remembered for late accesses */

/* One ownership transition (or refused operation) of an object. */
struct gs_hist {
	uint64_t seq;
	void *caller;
	int tid;
	int err;
	unsigned holders;
	uint8_t op, from, to, violation;
};

/* What gpusan knows about one object; survives the object for a while. */
struct gs_meta {
	struct gs_meta *next,
		*prev;		/* ctx->live, or unlinked in the graveyard */
	struct gs_meta *hnext;	/* ctx->hash chain (live only) */
	struct gpuown_obj *obj; /* NULL once released */
	uint64_t id;
	char name[48];
	const struct gpuown_struct_desc *layout;
	struct gpuown_vm *vm;
	struct gs_shadow *sh;
	uint64_t va, size, footprint;
	uint32_t redzone;
	uint64_t fw_addr;
	char *cpu;
	uint32_t fw_dir;
	enum gpuown_state state;
	unsigned holders;
	bool mapped; /* the OBJECT range was seen */
	bool released;
	bool poisoned; /* CPU view ASan-poisoned */
	bool has_free, has_last;
	struct gs_stack alloc_st, free_st, last_st;
	uint8_t last_op;
	struct gs_hist *hist;
	unsigned hist_cap;
	uint64_t nhist; /* transitions recorded (the ring keeps the last few) */
};

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
	struct gs_meta **hash;	 /* obj pointer -> live meta */
	unsigned hash_size, nlive;
	struct gs_meta *grave[GS_GRAVEYARD]; /* ring of released objects */
	unsigned grave_head;
	uint64_t seq;
};

/* gpusan.c */
struct gs_shadow *gs_ctx_shadow(struct gs_ctx *ctx, struct gpuown_vm *vm);
/* The object (live, quarantined or released) nearest @va in @vm. */
struct gs_meta *gs_meta_at(struct gs_ctx *ctx, struct gpuown_vm *vm,
			   uint64_t va, bool *inside);
struct gs_meta *gs_meta_of(struct gs_ctx *ctx, const struct gpuown_obj *obj);
void gs_for_each_ctx(void (*fn)(struct gs_ctx *ctx, void *arg), void *arg);

/* report.c */
struct gs_report {
	struct gpusan_report pub;
	FILE *f;
	char *buf;
	size_t len;
	char fn[128];
	char loc[256];
};
/* Start a report (under the report lock); false when suppressed. */
bool gs_report_begin(struct gs_ctx *ctx, struct gs_report *rep,
		     enum gpusan_class cls, void *caller);
/* Print the call trace of the current thread from @caller's frame. */
void gs_report_current_stack(struct gs_ctx *ctx, struct gs_report *rep,
			     void *caller);
void gs_report_object(struct gs_ctx *ctx, struct gs_report *rep,
		      const struct gs_meta *m, const char *title);
void gs_report_location(struct gs_report *rep, const struct gs_meta *m,
			uint64_t va);
void gs_report_stacks(struct gs_report *rep, const struct gs_meta *m);
void gs_report_history(struct gs_report *rep, const struct gs_meta *m);
void gs_report_shadow(struct gs_report *rep, const struct gs_shadow *sh,
		      uint64_t va, const char *space);
/* Write, call the callback, release the report lock; may halt. */
void gs_report_end(struct gs_ctx *ctx, struct gs_report *rep);
/* Field description "name (u32, offset 0x40)" of @off in @layout, or NULL. */
const char *gs_field_desc(const struct gpuown_struct_desc *layout, uint64_t off,
			  char *buf, size_t len,
			  const struct gpuown_field_desc **out);
const char *gs_field_type(const struct gpuown_field_desc *fd, char *buf,
			  size_t len);
void gs_report_lock(void);
void gs_report_unlock(void);
void gs_report_set_opts_global(const struct gpusan_options *opts);

/* asan.c */
bool gs_asan_active(void);
void gs_asan_poison(struct gs_meta *m, bool poison);
void gs_asan_install(void);

#endif /* GPUSAN_INT_H */
