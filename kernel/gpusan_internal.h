/* SPDX-License-Identifier: MIT */
/*
 * gpusan's kernel host, internals shared by its source files.
 *
 * The ownership state machine, pointer edges, lifecycles, quarantine policy,
 * shadow encoding, per-object metadata, classification and report text are
 * the portable core's (runtime/model, compiled here through the wrappers
 * in core/). This
 * host provides what depends on the kernel:
 *
 *   gpusan_host.c    struct gpuown_host_ops: spinlocks, kmalloc'd metadata,
 *                    the handle registry, placement at the driver's own
 *                    addresses, stack_depot stacks, report text into a buffer
 *   gpusan_main.c    the driver API of <gpusan/gpusan.h> over the core, the
 *                    hooks (metadata, shadow painting, the access check),
 *                    fences, VMs, the module
 *   gpusan_report.c  printing in KASAN's shape: multi-shot, panic_on_warn,
 *                    the test hook, the explanation inside a KASAN report
 *   gpusan_kasan.c   KASAN poisoning of CPU mappings, the error_report hook
 *   gpusan_debugfs.c /sys/kernel/debug/gpusan/objects
 *
 * Locks: the core's (host spinlocks, interrupts off) are outer; gs_lock, which
 * guards the metadata, shadows and report buffer, is taken only in the hooks
 * and the host's own entry points, never around a call into the core's
 * public API; the handle registry's lock is innermost.
 */
#ifndef GPUSAN_INTERNAL_H
#define GPUSAN_INTERNAL_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <gpusan/gpusan.h>

#include <gpuown/gpusan.h>
#include <gpuown/hooks.h>
#include <gpuown/layout.h>
#include <gpuown/model.h>
#include <gpuown/san.h>
#include <gpuown/shadow.h>

#define GS_HISTORY 16	  /* operations kept per object */
#define GS_STACK_DEPTH 16 /* frames per saved stack */
#define GS_GRAVEYARD 256  /* released objects whose handles stay known */

extern spinlock_t gs_lock, gs_vms_lock;

#define GS_VM_BACKINGS 8

/*
 * A GPU VM of the kernel host: the firmware's own (gs_fw_vm) or a user VM.
 * The core knows it only as an opaque struct gpuown_vm.
 */
struct gpuown_vm {
	u32 magic;
	u32 id;
	struct list_head node;	    /* gs_vms */
	struct list_head unbound;   /* struct gs_range: awaiting invalidate */
	struct list_head binds;	    /* struct gs_bind: objects mapped in it */
	const void *dev;	    /* its device (gpusan_vm_create_ext()) */
	u32 flags;		    /* GPUSAN_VM_* */
	struct gpuown_qlist q_wait; /* freed objects awaiting invalidate */
	char name[32];
	struct gs_shadow *sh;
	/* gpusan_vm_add_backing(): where the core's own accesses land. */
	struct gs_backing {
		u64 va, size;
		void *cpu;
	} backing[GS_VM_BACKINGS];
};

/* The handle a driver holds: also what the core calls struct gpuown_obj. */
struct gpusan_obj {
	struct gpuown_obj core;	 /* first: the handles are the same pointer */
	struct hlist_node hnode; /* the handle registry */
	struct list_head gnode;	 /* graveyard or free list once retired */
	size_t cpu_size;	 /* bytes of the driver's CPU mapping */
	u32 kflags;		 /* GPUSAN_OBJ_* */
	u32 redzone;
	bool internal;	 /* gpusan's own (the fence stamps) */
	const void *dev; /* its device, or NULL (gpusan_obj_desc.dev) */
	void (*release)(struct gpusan_obj *obj, void *ctx); /* the driver's */
	void *release_ctx;
};

struct gpusan_vm {
	struct gpuown_vm v;
};

#define GS_VM_MAGIC 0x67737676

/* A range unmapped from a VM whose TLB invalidate has not come yet. */
struct gs_range {
	struct list_head node;
	u64 va, size;
};

/*
 * An object mapped in a user VM (gpusan_vm_map()): counted in the core's
 * o->nbinds while mapped (and, unless the VM has GPUSAN_VM_DEFERS_RELEASE,
 * until the TLB invalidate after its unmap), so its free is refused
 * (FREE_WHILE_BOUND); and in o->nstale from the unmap to the invalidate.
 * Under gs_lock.
 */
struct gs_bind {
	struct list_head node;
	u64 va, size;
	struct gpusan_obj *obj;
	u64 obj_id; /* once unbound, @obj may be freed and its storage reused */
	bool read_only, unbound;
};

/* What gpusan_obj_create() passes to the host's ->reserve. */
struct gs_place {
	const struct gpusan_obj_desc *d;
	struct gpuown_vm *vm;
};

extern struct gpuown_model gs_model;
extern struct gpuown_vm gs_fw_vm;
/* Firmware addresses: a mirror of the firmware-VM shadow at fw addresses. */
extern struct gs_shadow *gs_fw_space;
extern struct list_head gs_vms;
extern struct gs_meta gs_live; /* list head of live metadata */

/*
 * The shadow covers 48-bit addresses; firmware addresses are sign-extended,
 * so their low 48 bits index the firmware space.
 */
#define GS_ADDR_MASK ((1ull << GS_VA_BITS) - 1)

static inline struct gpusan_obj *gs_kobj(struct gpuown_obj *o)
{
	return container_of(o, struct gpusan_obj, core);
}

/* gpusan_host.c */
void gs_host_init(void);
void gs_host_exit(void);
/* Shadow bytes allocated, all shadows (takes gs_lock). */
u64 gs_shadow_allocated(void);

/* A report sink: the text of the report being written (under gs_lock). */
struct gpuown_report_sink {
	char *buf;
	size_t len, cap;
};

/* gpusan_report.c, under gs_lock */
bool gs_report_begin(struct gs_report *rep, enum gpusan_class cls, void *caller,
		     bool kasan);
void gs_report_end(struct gs_report *rep, bool kasan);
/* Print gpusan's half of a KASAN report on @addr (from the hook). */
void gs_explain_kasan(unsigned long addr);
extern bool gs_multi_shot;
extern unsigned int gs_stack_depth; /* gpusan.stack_depth */

/* gpusan_main.c: the fence stamps (one 32-bit word per context) and their
 * object, the one the core's fences name.
 */
extern u32 gs_fence_stamps[];
extern struct gpusan_obj *gs_fence_obj;

/* gpusan_main.c: whether @mm was registered by gpusan_mm_register(). */
bool gs_mm_registered(const void *mm);

/* gpusan_main.c, under gs_lock */
struct gs_meta *gs_meta_by_cpu(unsigned long addr);
/* The graveyard of released metadata, newest last. */
struct gs_meta *gs_grave_meta(unsigned int i);

/* gpusan_kasan.c */
int gs_kasan_init(void);
void gs_kasan_exit(void);
/* Make the CPU mapping of @m match its state (KASAN), under gs_lock. */
void gs_cpu_poison_update(struct gs_meta *m, struct gpusan_obj *ko);
void gs_cpu_poison_set(struct gs_meta *m, size_t cpu_size, bool poison);
extern atomic_t gs_kasan_reports;

/* gpusan_debugfs.c */
void gs_debugfs_init(void);
void gs_debugfs_exit(void);

#endif /* GPUSAN_INTERNAL_H */
