/* SPDX-License-Identifier: MIT */
/*
 * The reference driver's internals. docs/driver.md describes the design; this
 * header is the map: which object owns which GPU objects, and which helper
 * moves them through the ownership model.
 *
 * Locking: dev->lock protects every driver structure. The firmware runs on its
 * own thread and shares nothing with the driver but GPU memory (through the
 * object model's atomic accessors) and the device's doorbell / IRQ.
 */
#ifndef SIMGPU_DRV_PRIV_H
#define SIMGPU_DRV_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <gpuown/annotations.h>
#include <gpuown/fault.h>
#include <gpuown/lifecycle.h>
#include <gpuown/object.h>
#include <simgpu/drv.h>
#include <simgpu/hw.h>

/*
 * printf-style format checking, spelled as in the kernel: Coccinelle knows
 * this name, and cannot parse an attribute with arguments after a declarator.
 */
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

/* Upper bound over every variant's FW_MAX_CONTEXTS. */
#define DRV_MAX_SLOTS 32
#define DRV_JOB_BUCKETS 1024
/* Firmware-cached objects freed before the driver asks for a cache flush. */
#define DRV_FLUSH_THRESHOLD 512
/* How long a wait for the firmware may take before it is declared hung. */
#define DRV_FW_TIMEOUT_MS 10000
/* Teardown retries a failed destroy request or wait this many times. */
#define DRV_TEARDOWN_TRIES 3

/* The firmware structs the driver allocates, by role. */
enum drv_layout {
	DRV_L_INIT_DATA,
	DRV_L_RING_STATE,
	DRV_L_EVRING_STATE,
	DRV_L_CMD_RING,
	DRV_L_CTRL_MSG,
	DRV_L_CTRL_RING,
	DRV_L_FLUSH_REQ,
	DRV_L_EVENT_RING,
	DRV_L_LOG_RING,
	DRV_L_STAMP_AREA,
	DRV_L_VM_DESC,
	DRV_L_CHANNEL_STATE,
	DRV_L_CONTEXT_DESC,
	DRV_L_CONTEXT_TABLE,
	DRV_L_CMDBUF,
	DRV_L_JOB_RESULT,
	DRV_L_JOB_DESC,
	DRV_L_NR,
};

/* Variant-independent kinds of control message and event. */
enum drv_msg {
	DRV_MSG_NOP,
	DRV_MSG_CREATE_CONTEXT,
	DRV_MSG_SET_PRIORITY,
	DRV_MSG_DESTROY_CONTEXT,
	DRV_MSG_CACHE_FLUSH,
	DRV_MSG_TLB_INVALIDATE,
};

enum drv_event_kind {
	DRV_EVT_NONE,
	DRV_EVT_JOB_DONE,
	DRV_EVT_LOG,
	DRV_EVT_FAULT,
	DRV_EVT_CONTEXT_DESTROYED,
	DRV_EVT_CACHE_FLUSHED,
	DRV_EVT_TLB_INVALIDATED,
	DRV_EVT_UNKNOWN,
};

struct drv_event {
	enum drv_event_kind kind;
	uint32_t slot, seq, stamp;
	int status; /* as simgpu_job_info.status */
	uint64_t addr;
};

struct simgpu_dev;
struct simgpu_ctx;
struct simgpu_job;

struct drv_ctrl_args {
	enum drv_msg type;
	uint32_t seq, slot, arg;
	struct gpuown_obj *ctx_desc; /* CREATE_CONTEXT */
	struct gpuown_obj *flush;    /* CACHE_FLUSH, TLB_INVALIDATE */
};

/*
 * What differs between firmware variants, instantiated once per variant from
 * drv_versioned.h. Everything that knows a struct layout is behind this table.
 */
struct drv_variant_ops {
	const char *name;
	const struct gpuown_struct_desc *layout[DRV_L_NR];
	uint32_t ring_slots, ctrl_slots, event_slots, log_slots;
	uint32_t stamp_slots, max_contexts, cmdbuf_slots;
	bool has_xor, has_priority;
	/* Offsets of the shared fields the driver reads and writes. */
	size_t ring_wptr, ring_rptr, evring_wptr, evring_rptr;
	size_t cmd_ring_slot0, ctrl_ring_slot0, stamp0, ctx_table_slot0;

	int (*init_ring_state)(struct gpuown_obj *state, uint32_t nr_slots);
	int (*init_evring_state)(struct gpuown_obj *state, uint32_t nr_slots);
	int (*build_init_data)(struct simgpu_dev *dev);
	int (*build_vm_desc)(struct simgpu_ctx *ctx);
	int (*build_ctx_desc)(struct simgpu_ctx *ctx);
	int (*build_ctrl_msg)(struct gpuown_obj *msg,
			      const struct drv_ctrl_args *a);
	int (*build_flush_req)(struct gpuown_obj *req, uint32_t tlb,
			       uint32_t asid);
	int (*build_job)(struct simgpu_job *job, const struct simgpu_submit *s);
	int (*read_result)(struct simgpu_job *job);
	int (*read_event)(struct simgpu_dev *dev, uint32_t idx,
			  struct drv_event *ev);
};

const struct drv_variant_ops *drv_variant_ops(int index);

/* A control message in flight: reclaimed once stamp slot 0 reaches seq. */
struct drv_ctrl {
	TAILQ_ENTRY(drv_ctrl) link;
	enum drv_msg type;
	uint32_t seq, ring_idx;
	struct gpuown_obj *msg, *flush;
	struct gpuown_fence done;
	struct simgpu_ctx *ctx; /* referenced, for context messages and TLB */
};

/* VA slot states of a context's buffer window. */
enum drv_va_state {
	DRV_VA_FREE,
	DRV_VA_BOUND,
	DRV_VA_STALE,	     /* unbound; the GPU's TLB may still hold it */
	DRV_VA_INVALIDATING, /* a TLB invalidate covering it is in flight */
};

struct simgpu_ctx {
	struct simgpu_dev *dev;
	struct gpuown_lc lc; /* gpuown_lifecycle_context */
	unsigned refs;	     /* table + lookups + in-flight jobs and messages */
	uint32_t handle, slot, asid, priority;
	bool destroy_unsent; /* destroy requested, message not yet posted */
	struct gpuown_vm *vm;
	/* fw(read) */
	struct gpuown_obj *desc, *vm_desc;
	/* shared */
	struct gpuown_obj *ring, *ring_state, *channel;
	uint32_t wptr;
	TAILQ_HEAD(, simgpu_job) inflight; /* submission order */
	uint32_t nr_inflight;
	/* Buffer VA window: fixed-size slots, reused only after a TLB flush. */
	uint64_t va_base, va_slot_size;
	uint32_t nr_va, va_stale;
	uint8_t *va_state;
	bool tlb_pending;
};

struct simgpu_job {
	LIST_ENTRY(simgpu_job) hash;
	TAILQ_ENTRY(simgpu_job) link;
	struct simgpu_dev *dev;
	struct simgpu_ctx *ctx; /* referenced while in flight */
	uint64_t handle;
	unsigned refs; /* user handle + lookups + in flight */
	uint32_t slot, stamp, ring_idx, seq;
	uint32_t dep_slot, dep_value;
	bool inflight, done;
	int status;
	uint32_t checksum, dep_seen, cmds_run;
	uint64_t fault_addr;
	uint32_t in_size, out_size;
	uint32_t in_va_slot, out_va_slot;
	uint64_t in_va, out_va;
	uint32_t flags;
	struct gpuown_fence done_fence;
	/* fw(read) while in flight */
	struct gpuown_obj *desc, *cmdbuf;
	/* fw(write) while in flight */
	struct gpuown_obj *result;
	/* job buffers, bound into the context VM while in flight */
	struct gpuown_obj *in, *out;
};

LIST_HEAD(drv_job_bucket, simgpu_job);

struct simgpu_dev {
	pthread_mutex_t lock;
	struct gpuown_mm *mm;
	struct simgpu_hw *hw;
	bool gpusan;
	int variant_index;
	const struct gpuown_variant_desc *variant;
	const struct drv_variant_ops *ops;
	uint32_t max_buffer_size;

	/* The firmware interface, allocated at probe. */
	struct gpuown_obj *init_data; /* fw(read) */
	struct gpuown_obj *ctrl_state, *ctrl_ring, *event_state, *event_ring;
	struct gpuown_obj *stamps, *ctx_table, *log_state,
		*log_ring; /* shared */

	uint32_t ctrl_wptr, ctrl_seq, event_rptr, log_rptr;
	TAILQ_HEAD(, drv_ctrl) ctrl_pending;
	uint32_t nr_ctrl_pending;

	struct simgpu_ctx *slots[DRV_MAX_SLOTS];
	uint32_t slot_stamp[DRV_MAX_SLOTS + 1]; /* last value, per stamp slot */
	uint32_t next_ctx_handle;
	uint64_t next_job_handle;
	struct drv_job_bucket jobs[DRV_JOB_BUCKETS];
	uint64_t nr_jobs_inflight;

	uint32_t garbage; /* fw-cached objects freed since the last flush */
	bool flush_pending;
	/*
	 * A cache flush request that could not be posted (its errno), until
	 * simgpu_wait_idle() returns it.
	 */
	int flush_err;
	struct simgpu_stats stats;
};

/* ---- objects (drv_core.c) ---- */
int drv_obj_alloc(struct simgpu_dev *dev, enum drv_layout layout,
		  enum gpuown_map_mode mode, size_t size,
		  struct gpuown_obj **out __gpuown_alloc_out);
int drv_buf_alloc(struct simgpu_dev *dev, size_t size, const char *name,
		  struct gpuown_obj **out __gpuown_alloc_out);
void drv_obj_free(struct simgpu_dev *dev,
		  struct gpuown_obj *obj __gpuown_frees);
/* Allocate a struct the firmware shares (rings, states, stamps), initialised
 * and already shared: the out parameter receives a SHARED object. */
int drv_shared_alloc(
	struct simgpu_dev *dev, enum drv_layout layout, uint32_t nr_slots,
	struct gpuown_obj **out __gpuown_alloc_out __gpuown_shares);
/* Detach (the firmware no longer uses it) and free a shared object. */
void drv_shared_free(struct simgpu_dev *dev,
		     struct gpuown_obj *obj __gpuown_detaches __gpuown_frees);

/* Reclaim a firmware-owned object once @done is reached, then free it. */
void drv_obj_reclaim_free(struct simgpu_dev *dev,
			  struct gpuown_obj *obj __gpuown_reclaims
				  __gpuown_frees,
			  const struct gpuown_fence *done __gpuown_completes);
void drv_warn(struct simgpu_dev *dev, const char *fmt, ...) __printf(2, 3);

/* ---- control ring and events (drv_core.c) ---- */
int drv_ctrl_send(struct simgpu_dev *dev, enum drv_msg type,
		  struct simgpu_ctx *ctx, uint32_t arg);
/* Process events, retire what completed; never sleeps. */
void drv_process(struct simgpu_dev *dev);
/* Drain the firmware's event ring (faults name their job's address). */
void drv_process_events(struct simgpu_dev *dev);
/* Sleep until the firmware raises an interrupt (drops dev->lock). */
int drv_wait_irq(struct simgpu_dev *dev, uint64_t seen);
/* Process and sleep until @cond holds, at most @timeout_ms. */
int drv_wait(struct simgpu_dev *dev, bool (*cond)(struct simgpu_dev *, void *),
	     void *arg, unsigned timeout_ms);
void drv_flush_if_needed(struct simgpu_dev *dev);

/* ---- contexts (drv_context.c) ---- */
struct simgpu_ctx *simgpu_ctx_lookup(struct simgpu_dev *dev,
				     uint32_t handle) __gpuown_lookup_get;
void simgpu_ctx_put(struct simgpu_ctx *ctx __gpuown_put);
struct simgpu_ctx *drv_ctx_get(struct simgpu_ctx *ctx __gpuown_get);
bool drv_ctx_is_live(const struct simgpu_ctx *ctx);
int drv_ctx_send_destroy(struct simgpu_ctx *ctx);
int drv_ctx_request_destroy(struct simgpu_ctx *ctx)
	__gpuown_transition(context, live, destroy_requested);
void drv_ctx_destroyed(struct simgpu_ctx *ctx)
	__gpuown_transition(context, destroy_requested, destroyed);
void drv_ctx_tlb_invalidated(struct simgpu_ctx *ctx);
int drv_va_alloc(struct simgpu_ctx *ctx, uint32_t *slot);
void drv_va_release(struct simgpu_ctx *ctx, uint32_t slot);
uint64_t drv_va_of(const struct simgpu_ctx *ctx, uint32_t slot);

/* ---- jobs (drv_job.c) ---- */
struct simgpu_job *simgpu_job_lookup(struct simgpu_dev *dev,
				     uint64_t handle) __gpuown_lookup_get;
void simgpu_job_put(struct simgpu_job *job __gpuown_put);
/* Retire every in-flight job of @ctx whose stamp was reached. */
void drv_ctx_retire(struct simgpu_ctx *ctx);
void drv_job_fault(struct simgpu_dev *dev, const struct drv_event *ev);
/* Teardown: drop every user handle. */
void drv_jobs_release_all(struct simgpu_dev *dev);

#endif /* SIMGPU_DRV_PRIV_H */
