/* SPDX-License-Identifier: MIT */
/*
 * The portable core's data and its entry points for hosts.
 *
 * A driver sees only the public API (<gpuown/object.h>, <gpuown/hooks.h>,
 * <gpuown/lifecycle.h>); a host (the simulator, the kernel) embeds one
 * struct gpuown_model per memory system, implements <gpuown/host.h>, and
 * calls the functions below. The transitions themselves (gpuown_obj_free,
 * _publish, _fw_get, _reclaim, _share, _detach, the pointer stores, the
 * lifecycles, the CPU access windows and checked accessors) are defined by
 * the core under their public names and are the same in every host.
 *
 * Lock order (outer to inner): model->graph_lock, obj->lock, host VM locks,
 * model->q_lock, model->objs_lock, the host's handle registry. Hooks are
 * never called with any of them held, so a hook may call back into the
 * public API.
 */
#ifndef GPUOWN_MODEL_H
#define GPUOWN_MODEL_H

#include <gpuown/compat.h>
#include <gpuown/hooks.h>
#include <gpuown/host.h>
#include <gpuown/object.h>

/* A FIFO of quarantined objects, chained through q_next. */
struct gpuown_qlist {
	struct gpuown_obj *head, *tail;
};

/* One firmware hold: publish / fw_get, optionally with a fence. */
struct gpuown_hold {
	bool has_fence;
	struct gpuown_fence f;
};

/* A recorded pointer store: container.field -> target. */
struct gpuown_edge {
	struct gpuown_ptr_edge pub;
	bool dangling;
	struct gpuown_edge *out_next; /* in the container's list */
	struct gpuown_edge *in_next;  /* in the target's list (not dangling) */
};

#define GPUOWN_OBJ_MAGIC_LIVE 0x4c6a626fu /* live or quarantined */
#define GPUOWN_OBJ_MAGIC_DEAD 0x446a626fu /* released, recognised */

/*
 * An object. Its storage belongs to the host (->obj_alloc), its fields to the
 * core, except those marked "host", which ->reserve fills.
 */
struct gpuown_obj {
	uint32_t magic;	  /* atomic; GPUOWN_OBJ_MAGIC_* or 0 */
	uint32_t gy_next; /* host: free for its handle registry */
	uint64_t id;
	struct gpuown_model *model;
	struct gpuown_vm *vm;	     /* host: the VM the object lives in */
	bool user_vm;		     /* host: vm is not the firmware VM */
	void *host_priv;	     /* host: its placement (window) */
	struct gpuown_qlist *q_wait; /* host: where it waits once freed */
	struct gpuown_host_lock *lock;
	int state;	  /* atomic enum gpuown_state */
	unsigned holders; /* atomic */
	struct gpuown_hold *holds;
	unsigned cap_holds;
	bool detached;		 /* atomic */
	unsigned cpu_depth;	 /* open CPU access windows (begin/end) */
	uint64_t cpu_write_bits; /* bit i: window i was opened for writing */
	uint64_t va, size;	 /* va: host */
	uint64_t resv_start, resv_end; /* host */
	uint64_t fa;		       /* host: firmware address, 0 if none */
	char *cpu;		       /* host: CPU mapping, NULL if none */
	uint32_t mode;		       /* enum gpuown_map_mode */
	const struct gpuown_struct_desc *layout;
	uint32_t fw_dir, flags;
	char name[48];
	void *san_data; /* atomic; the tracker's per-object metadata */
	/*
	 * Sampled tracking (gpuown_hooks.sample) left this object out: its
	 * events, ranges and checked CPU accesses reach no hook unless
	 * refused. Set at allocation, never changed.
	 */
	bool san_skip;
	uint32_t redzone; /* bytes each side; the model's, or the sampler's */
	struct gpuown_edge *out, *in; /* under model->graph_lock */
	struct gpuown_obj *q_next;
	struct gpuown_obj *all_next, *all_prev; /* under model->objs_lock */
	unsigned nbinds; /* atomic; host: bindings in user VMs */
	/* atomic; host: bindings unbound whose TLB invalidate is pending */
	unsigned nstale;
	unsigned refs;	     /* atomic; 1 at alloc, 0 once freed (refs.c) */
	unsigned table_refs; /* under lock: references tables own */
	uint64_t req_size;   /* the size the driver asked for (sized free) */
	/* under lock: fences the object's free and CPU reuse wait for */
	struct gpuown_fence *busy;
	unsigned nbusy, cap_busy;
	/* under lock; GPUOWN_ALLOC_NONCOHERENT objects only (coherency.c) */
	bool cpu_dirty;	   /* CPU writes not yet synced for the device */
	bool dev_dirty;	   /* device writes not yet synced for the CPU */
	void *free_caller; /* where the free or last put was called */
	uint8_t free_op;   /* GPUOWN_OP_FREE or GPUOWN_OP_PUT */
};

/* One memory system's core state; the host embeds it. */
struct gpuown_model {
	const struct gpuown_hooks *hooks;
	uint32_t redzone;		     /* bytes each side of an object */
	uint64_t quarantine_budget;	     /* under q_lock */
	struct gpuown_host_lock *graph_lock; /* pointer edges */
	struct gpuown_host_lock *q_lock;
	struct gpuown_host_lock *objs_lock;
	/*
	 * Quarantine, under q_lock: entries reusable now (FIFO, evicted from
	 * the head while over budget), and firmware-cached ones waiting for
	 * the cache flush. Entries of other lists (a user VM's invalidate)
	 * live in the host and join q_ready via gpuown_model_quarantine_ready.
	 */
	struct gpuown_qlist q_ready;
	struct gpuown_qlist q_fw_wait;
	uint64_t q_bytes;
	struct gpuown_obj *objs; /* every object not yet released */
	size_t live;		 /* atomic */
};

/* ------------------------------------------------------------------------
 * Memory systems
 */

/* Set up @model (zeroed by the caller); 0 or -ENOMEM. */
int gpuown_model_init(struct gpuown_model *model);
/*
 * Release every object, quarantined or not, and free the core's state.
 * Returns how many objects were never freed (leaks).
 */
size_t gpuown_model_fini(struct gpuown_model *model);
/* Change the quarantine budget and evict down to it. */
void gpuown_model_set_quarantine_budget(struct gpuown_model *model,
					uint64_t bytes);
/*
 * The event @list waited for happened (firmware cache flush: &q_fw_wait; a
 * user VM's TLB invalidate: the host's list): its entries become reusable,
 * and the quarantine is evicted down to its budget.
 */
void gpuown_model_quarantine_ready(struct gpuown_model *model,
				   struct gpuown_qlist *list);

/*
 * Free the core's process- or module-wide caches (parsed lifecycles). Only
 * when no model is left and no thread is inside the core (module exit).
 */
void gpuown_model_cleanup(void);

/* ------------------------------------------------------------------------
 * Objects
 */

/*
 * Allocate an object (CPU or GPU_ONLY): checks @args, asks the host to place
 * it (->reserve with @place), fills it with the allocation pattern, reports
 * the range and the alloc event (with @caller). 0 or a negative errno.
 */
int gpuown_model_obj_alloc(struct gpuown_model *model,
			   const struct gpuown_alloc_args *args,
			   const void *place, void *caller,
			   struct gpuown_obj **out);

/*
 * Validate @handle for operation @op: 0 with *@out a live object; otherwise
 * reports it (USE_AFTER_FREE or @dead_v for a released handle, WILD_ADDRESS
 * or @wild_v for a wild one) and returns -EINVAL.
 */
int gpuown_model_validate(const void *handle, enum gpuown_op op,
			  enum gpuown_violation dead_v,
			  enum gpuown_violation wild_v, void *caller,
			  struct gpuown_obj **out);

/* Report an operation on a pointer that names no object or VM. */
void gpuown_model_report_wild(enum gpuown_op op, const void *handle,
			      enum gpuown_violation v, int err, void *caller);

static inline enum gpuown_state gpuown_model_state(const struct gpuown_obj *o)
{
	return (enum gpuown_state)GPUOWN_LOAD_ACQ(&o->state);
}

/*
 * For a tracker, about an object the core handed it (an event's or a
 * range's object, never a handle from outside): its data and holders
 * without the handle check of gpuown_obj_san_data() and
 * gpuown_obj_fw_holders(), which it would pass.
 */
static inline void *gpuown_model_san_data(const struct gpuown_obj *o)
{
	return GPUOWN_LOAD_ACQ(&o->san_data);
}

static inline unsigned gpuown_model_fw_holders(const struct gpuown_obj *o)
{
	return GPUOWN_LOAD(&o->holders);
}

static inline bool gpuown_state_freed(enum gpuown_state st)
{
	return st == GPUOWN_STATE_QUARANTINED || st == GPUOWN_STATE_RELEASED;
}

/*
 * Coherency hooks for hosts (coherency.c): may @o be handed to the device
 * now (-EBUSY and a DEVICE_READ_UNSYNCED event with @op and @caller when it
 * holds CPU writes not synced for the device)? And: the device handed @o
 * back after it may have written it (a writable binding was unbound).
 */
int gpuown_model_coherent_for_device(struct gpuown_obj *o, enum gpuown_op op,
				     void *caller);
void gpuown_model_device_wrote(struct gpuown_obj *o);
/* Whether @o was allocated GPUOWN_ALLOC_NONCOHERENT. */
bool gpuown_model_noncoherent(const struct gpuown_obj *o);
/*
 * A device (firmware or GPU) access to @o seen on the access path by a
 * tracker that checks accesses (gpusan paints non-coherent objects so that
 * their accesses reach its slow path): a read while @o holds CPU writes not
 * synced for the device returns DEVICE_READ_UNSYNCED (the tracker reports
 * the access); a write leaves @o dirty for the CPU, so a checked CPU read
 * before gpuown_sync_for_cpu() is CPU_READ_UNSYNCED. GPUOWN_OK otherwise,
 * and for coherent objects. @o must be live or quarantined.
 */
enum gpuown_violation gpuown_model_device_access(struct gpuown_obj *o,
						 bool write);

/* ------------------------------------------------------------------------
 * Events to the hooks (gpusan)
 */
void gpuown_model_ev_init(struct gpuown_event *ev, enum gpuown_op op,
			  struct gpuown_obj *obj, void *caller);
void gpuown_model_emit_event(struct gpuown_model *model,
			     const struct gpuown_event *ev);
void gpuown_model_emit_range(struct gpuown_model *model,
			     const struct gpuown_range *r);
/* -EACCES when the access hook refuses @acc, else 0. */
int gpuown_model_emit_access(struct gpuown_model *model,
			     const struct gpuown_access *acc);

#endif /* GPUOWN_MODEL_H */
