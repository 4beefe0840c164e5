/* SPDX-License-Identifier: MIT */
/*
 * Hooks from the object model to the runtime tracker (gpusan).
 *
 * The object model calls these at every operation, access and range change.
 * Without hooks installed it still refuses illegal transitions with an error
 * code; with gpusan installed each refusal and each bad access becomes a
 * KASAN-style report. Hook functions must be thread-safe; on_access is on the
 * hot path of every firmware / GPU / checked CPU access.
 */
#ifndef GPUOWN_HOOKS_H
#define GPUOWN_HOOKS_H

/* Kernel-safe: the portable core (runtime/model) includes it too. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include <gpuown/object.h>

/*
 * Bug classes the object model detects itself (ownership-level): one row
 * each in <gpuown/violations.def>, which names and describes them.
 */
enum gpuown_violation {
	GPUOWN_OK = 0,
#define GPUOWN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	GPUOWN_V_##id,
#include <gpuown/violations.def>
	GPUOWN_V_NR,
};

/* The class's name in violations.def ("double-free"); "ok" for GPUOWN_OK. */
const char *gpuown_violation_name(enum gpuown_violation v);

enum gpuown_op {
	GPUOWN_OP_ALLOC,
	GPUOWN_OP_FREE,
	GPUOWN_OP_RELEASE, /* left quarantine; address range reusable */
	GPUOWN_OP_PUBLISH,
	GPUOWN_OP_FW_GET,
	GPUOWN_OP_RECLAIM,
	GPUOWN_OP_SHARE,
	GPUOWN_OP_DETACH,
	GPUOWN_OP_CPU_BEGIN,
	GPUOWN_OP_CPU_END,
	GPUOWN_OP_STORE_PTR,
	GPUOWN_OP_CLEAR_PTR,
	GPUOWN_OP_BIND,
	GPUOWN_OP_UNBIND,
	GPUOWN_OP_LIFECYCLE,
	/* A checked CPU accessor (cpu_read/write, shared load/store); reported
	 * only when refused. */
	GPUOWN_OP_CPU_ACCESS,
	/* gpuown_mm_destroy(): the last event of a memory system, or (with a
	 * violation, to every other one) a second destroy. */
	GPUOWN_OP_MM_DESTROY,
	/* A firmware / GPU access refused before translation (a wild VM). */
	GPUOWN_OP_GPU_ACCESS,
	/* gpuown_vm_destroy() of a VM that is not live: destroyed twice. */
	GPUOWN_OP_VM_DESTROY,
	GPUOWN_OP_GET,	  /* gpuown_obj_get(), or a referenced table lookup */
	GPUOWN_OP_PUT,	  /* gpuown_obj_put(); the last one frees */
	GPUOWN_OP_INSERT, /* a table takes over a reference */
	GPUOWN_OP_REMOVE, /* a table hands its reference back */
	GPUOWN_OP_BUSY,	  /* gpuown_obj_busy_until(): gated by a fence */
	GPUOWN_OP_SYNC,	  /* gpuown_sync_for_device() / _for_cpu() */
	/* gpuown_hand_over_addr(): an address given to the device */
	GPUOWN_OP_HAND_OVER,
	GPUOWN_OP_NR,
};

const char *gpuown_op_name(enum gpuown_op op);

struct gpuown_event {
	enum gpuown_op op;
	struct gpuown_obj *obj; /* may be NULL for a wild free */
	enum gpuown_state from, to;
	unsigned holders; /* firmware holders after the op */
	int err;	  /* 0, or the negative errno returned */
	enum gpuown_violation violation;
	const void *wild; /* the bad handle / address for WILD / INVALID */
	/* STORE_PTR / CLEAR_PTR / DANGLING: the edge concerned. */
	const struct gpuown_ptr_edge *edge;
	/* BIND / UNBIND */
	struct gpuown_vm *vm;
	uint64_t va, size;
	/* LIFECYCLE */
	const char *lc_name, *lc_from, *lc_to;
	const void *lc_owner; /* the driver object given to gpuown_lc_init() */
	void *caller;	      /* return address of the public entry point */
	/*
	 * The fence a completion-gated operation waited for (reclaim, free,
	 * reuse before completion), or NULL.
	 */
	const struct gpuown_fence *fence;
	/* GET / PUT / INSERT / REMOVE: references after the operation. */
	unsigned refs;
	/*
	 * One sentence for the report about a refusal, composed by the object
	 * model (the fence not reached and where it was created, the put that
	 * freed the object, the object a wrong-kind address belongs to), or
	 * NULL. Valid during the hook call only.
	 */
	const char *note;
};

enum gpuown_agent {
	GPUOWN_AGENT_CPU,
	GPUOWN_AGENT_FW,
	GPUOWN_AGENT_GPU,
};

enum gpuown_space {
	GPUOWN_SPACE_GPU_VA,
	GPUOWN_SPACE_FW,
	GPUOWN_SPACE_CPU, /* checked CPU accessor; addr is the GPU VA of the
			     byte */
};

struct gpuown_access {
	enum gpuown_agent agent;
	enum gpuown_space space;
	struct gpuown_vm *vm; /* GPU_VA: the VM; FW: NULL */
	uint64_t addr;	      /* in @space */
	uint64_t va; /* the firmware-VM/GPU VA it translated to (0 if none) */
	size_t size;
	bool write;
	bool atomic;
	/*
	 * The page table refuses this write (a read-only mapping): the access
	 * fails with -EACCES whatever the hook returns; the hook reports it.
	 */
	bool ro_fault;
	struct gpuown_obj *obj; /* the object at the address, if any */
	void *caller;
};

/*
 * Range events let the tracker keep a shadow of each address space: a range
 * becomes an object, a redzone, unmapped, quarantined or reusable.
 */
enum gpuown_range_kind {
	GPUOWN_RANGE_OBJECT, /* object mapped at va..va+size (redzone around) */
	GPUOWN_RANGE_QUARANTINE, /* object freed: range quarantined */
	GPUOWN_RANGE_RELEASE,	 /* range reusable (unmapped) */
	GPUOWN_RANGE_BIND,	 /* user-VM binding added */
	GPUOWN_RANGE_UNBIND, /* user-VM binding removed (TLB may still hold it)
			      */
	GPUOWN_RANGE_INVALIDATED, /* unbound range made reusable by a TLB
				     invalidate */
};

struct gpuown_range {
	enum gpuown_range_kind kind;
	struct gpuown_vm *vm;
	uint64_t va, size; /* object bytes, excluding redzones */
	uint32_t redzone;
	fw_addr_t fw_addr; /* firmware address of va, 0 if none */
	struct gpuown_obj *obj;
};

struct gs_shadow;

struct gpuown_hooks {
	void *ctx;
	/* After every operation, with its outcome. */
	void (*on_event)(void *ctx, const struct gpuown_event *ev);
	/* Before every firmware/GPU/checked-CPU access; non-zero refuses it. */
	int (*on_access)(void *ctx, const struct gpuown_access *acc);
	/*
	 * Optional (NULL): the shadow of the firmware VM (<gpuown/shadow.h>)
	 * and, by [write][atomic], the granule states a firmware access may
	 * touch. The access path checks a translated firmware access against
	 * them inline, as KASAN's compiler instrumentation inlines its check,
	 * and calls on_access only when that check is not sure.
	 */
	const struct gs_shadow *fw_shadow;
	uint32_t fw_allowed[2][2];
	/*
	 * Optional: the same for GPU accesses, by [write]. A host that keeps
	 * a shadow per VM (the simulator: gpuown_sim_vm_set_shadow()) checks
	 * a translated GPU access against that VM's shadow inline; a VM with
	 * no shadow calls on_access, unless @sampled.
	 */
	bool gpu_inline;
	uint32_t gpu_allowed[2];
	/*
	 * Optional (NULL): sampled tracking, the way KFENCE samples
	 * allocations. Asked once per allocation, before its address is
	 * chosen: true tracks the object, which then gets a redzone of at
	 * least @sample_redzone bytes and every hook; false leaves it out:
	 * the memory system's own redzone, and no on_event, on_range or
	 * checked-CPU on_access for it except refusals (events with a
	 * violation). With @sampled, an access the inline check cannot place
	 * in a shadow (a VM no tracked object ever used) is not reported.
	 */
	bool (*sample)(void *ctx);
	uint32_t sample_redzone;
	bool sampled;
	/* On every address-range change. */
	void (*on_range)(void *ctx, const struct gpuown_range *r);
};

#endif /* GPUOWN_HOOKS_H */
