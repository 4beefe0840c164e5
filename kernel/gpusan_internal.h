/* SPDX-License-Identifier: MIT */
/*
 * gpusan's kernel host, internals shared by its source files.
 *
 * One spinlock (gs_lock, interrupts off) guards every object, edge, fence,
 * VM and shadow write: driver calls come from any context and are short.
 * Reports are composed under it, so the object they describe cannot change
 * while it is printed.
 */
#ifndef GPUSAN_INTERNAL_H
#define GPUSAN_INTERNAL_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/stackdepot.h>
#include <linux/types.h>

#include <gpusan/gpusan.h>

/* gpuown's taxonomy and layouts, shared with user space. */
#include <gpuown/gpusan.h>
#include <gpuown/hooks.h>
#include <gpuown/layout.h>

#include <gpuown/host.h>
#include <gpuown/shadow.h>

#define GS_HIST 16 /* operations kept per object */
#define GS_STACK_DEPTH 16
#define GS_MAX_EDGES 16	 /* tracked pointers held by one container */
#define GS_GRAVEYARD 256 /* released objects whose handles stay known */

extern spinlock_t gs_lock;

struct gs_hist {
	u8 op, from, to;
	u8 cls; /* enum gpusan_class of a refusal, 0 when legal */
	int err;
	unsigned int holders;
	pid_t pid;
	void *caller;
};

struct gs_edge {
	u32 offset;
	bool fw_addr;
	const struct gpuown_field_desc *field;
	struct gpusan_obj *target;
	bool dangling; /* target freed while this edge stayed */
};

struct gs_hold {
	bool has_fence;
	struct gpusan_fence f;
};

#define GS_MAX_HOLDS 8

struct gpusan_obj {
	u32 magic;
	struct list_head node;	 /* gs_live or the graveyard */
	struct list_head qnode;	 /* gs_quarantine */
	struct list_head cnode;	 /* gs_containers while it holds edges */
	struct hlist_node hnode; /* gs_handles: every handle still known */
	u64 id;
	char name[48];
	const struct gpuown_struct_desc *layout;
	struct gpusan_vm *vm;
	u64 va, size, footprint, fa;
	u32 redzone;
	void *cpu;
	u32 fw_dir, flags;
	enum gpuown_state state;
	bool detached;
	bool poisoned; /* CPU mapping KASAN-poisoned by gpusan */
	unsigned int holders;
	struct gs_hold holds[GS_MAX_HOLDS];
	struct gs_edge edges[GS_MAX_EDGES];
	unsigned int nedges;
	depot_stack_handle_t alloc_st, free_st, last_st;
	pid_t alloc_pid, free_pid, last_pid;
	u8 last_op;
	struct gs_hist hist[GS_HIST];
	u64 nhist;
};

#define GS_MAGIC_LIVE 0x6773616e /* live or quarantined */
#define GS_MAGIC_DEAD 0x67736164 /* released; handle still known */

struct gs_shadow;

/* A range unmapped from a VM whose TLB invalidate has not come yet. */
struct gs_range {
	struct list_head node;
	u64 va, size;
};

struct gpusan_vm {
	u32 magic;
	struct list_head node;
	struct list_head unbound; /* struct gs_range */
	char name[32];
	struct gs_shadow *sh;
};

/* The firmware VM's GPU VAs, and the firmware address space. */
extern struct gpusan_vm gs_fw_vm;
extern struct gs_shadow *gs_fw_space;
extern struct list_head gs_live, gs_vms;

/*
 * The shadow is the core's (runtime/model/src/shadow.c, <gpuown/shadow.h>).
 * It covers 48-bit addresses; firmware addresses are sign-extended, so their
 * low 48 bits index the firmware space (user VAs are below 2^48 anyway).
 */
#define GS_ADDR_MASK ((1ull << GS_VA_BITS) - 1)

static inline u8 gs_sh_get(const struct gs_shadow *sh, u64 a)
{
	return gs_shadow_get(sh, a & GS_ADDR_MASK);
}

static inline int gs_sh_paint(struct gs_shadow *sh, u64 a, u64 size,
			      enum gs_state st, u32 only_over)
{
	return gs_shadow_paint(sh, a & GS_ADDR_MASK, size, st, only_over);
}

static inline bool gs_sh_check(const struct gs_shadow *sh, u64 a, u64 size,
			       u32 allowed, u64 *bad_va, u8 *bad)
{
	bool ok = gs_shadow_check(sh, a & GS_ADDR_MASK, size, allowed, bad_va,
				  bad);

	/* Back into the caller's address space. */
	if (!ok)
		*bad_va |= a & ~GS_ADDR_MASK;
	return ok;
}

/* gpusan_host.c: shadow bytes allocated, all shadows (takes gs_lock). */
u64 gs_shadow_allocated(void);

/* gpusan_report.c */
struct gs_report {
	enum gpusan_class cls;
	struct gpusan_obj *obj, *other;
	const struct gs_edge *edge;
	/* operations */
	enum gpuown_op op;
	int err;
	const void *handle;
	/* accesses */
	bool is_access;
	enum gpusan_agent agent;
	enum gpusan_space space;
	struct gs_shadow *sh;
	u64 addr, bad_addr;
	size_t size;
	bool write;
	u8 granule;
	/* lifecycles */
	const struct gpusan_lc *lc;
	const char *lc_to;
	/* a KASAN trap explained */
	bool kasan;
	void *caller;
};

const char *gs_state_label(enum gpuown_state st);
void gs_report(const struct gs_report *r);
/* Print gpusan's half of a KASAN report on @addr (from the hook). */
void gs_explain_kasan(unsigned long addr);
extern bool gs_multi_shot;

/* gpusan_kasan.c */
int gs_kasan_init(void);
void gs_kasan_exit(void);
void gs_cpu_poison(struct gpusan_obj *o, bool poison);
extern atomic_t gs_kasan_reports;

/* gpusan_debugfs.c */
void gs_debugfs_init(void);
void gs_debugfs_exit(void);

/* gpusan_main.c */
struct gpusan_obj *gs_find_cpu(unsigned long addr);
struct gpusan_obj *gs_find_addr(struct gpusan_vm *vm, enum gpusan_space space,
				u64 addr, u64 slack);
const char *gs_op_name(enum gpuown_op op);

#endif /* GPUSAN_INTERNAL_H */
