/* SPDX-License-Identifier: MIT */
/*
 * Internals of the portable core, shared by runtime/model/src only. Hosts use
 * <gpuown/model.h>.
 */
#ifndef GPUOWN_CORE_H
#define GPUOWN_CORE_H

/* The core defines gpuown_cpu_begin(): no sparse wrapper macro here. */
#define GPUOWN_RUNTIME_IMPL

#include <gpuown/compat.h>
#include <gpuown/hooks.h>
#include <gpuown/host.h>
#include <gpuown/layout.h>
#include <gpuown/lifecycle.h>
#include <gpuown/model.h>
#include <gpuown/object.h>
#include <gpuown/raw.h>

static inline void core_lock(struct gpuown_host_lock *l)
{
	gpuown_host.lock(l);
}

static inline void core_unlock(struct gpuown_host_lock *l)
{
	gpuown_host.unlock(l);
}

static inline void obj_lock(struct gpuown_obj *o)
{
	gpuown_host.lock(o->lock);
}

static inline void obj_unlock(struct gpuown_obj *o)
{
	gpuown_host.unlock(o->lock);
}

static inline enum gpuown_state obj_state(const struct gpuown_obj *o)
{
	return gpuown_model_state(o);
}

static inline void obj_set_state(struct gpuown_obj *o, enum gpuown_state st)
{
	GPUOWN_STORE_REL(&o->state, (int)st);
}

#define state_freed gpuown_state_freed

/* The event-side vm of an object: NULL for the firmware VM. */
static inline struct gpuown_vm *obj_event_vm(const struct gpuown_obj *o)
{
	return o->user_vm ? o->vm : NULL;
}

/* Internal names, kept out of the kernel's global namespace. */
#define emit_obj_range gpuown_core_emit_obj_range
#define quarantine_push gpuown_core_quarantine_push
#define quarantine_evict gpuown_core_quarantine_evict
#define obj_release gpuown_core_obj_release
#define obj_unlink gpuown_core_obj_unlink
#define edges_drop_outgoing gpuown_core_edges_drop_outgoing
#define edges_busy_referrer gpuown_core_edges_busy_referrer
#define edges_mark_dangling gpuown_core_edges_mark_dangling
#define edges_check_publish gpuown_core_edges_check_publish

/* events.c */
#define ev_init gpuown_model_ev_init
#define emit_event gpuown_model_emit_event
#define emit_range gpuown_model_emit_range
#define emit_access gpuown_model_emit_access
#define obj_validate gpuown_model_validate
#define report_wild gpuown_model_report_wild
/* Report a range change of @o (object, quarantine, release). */
void emit_obj_range(struct gpuown_obj *o, enum gpuown_range_kind kind);

/* quarantine.c */
void quarantine_push(struct gpuown_model *m, struct gpuown_obj *o);
void quarantine_evict(struct gpuown_model *m);
/* Release @o: back to the host, retire the handle, report it. */
void obj_release(struct gpuown_obj *o);

/* edges.c */
void edges_drop_outgoing(struct gpuown_obj *o);
/* The first incoming strong edge from a firmware-owned / shared container. */
struct gpuown_edge *edges_busy_referrer(struct gpuown_obj *o);
void edges_mark_dangling(struct gpuown_obj *o);
/* Check a container's edges before publish / share; violation or OK. */
enum gpuown_violation edges_check_publish(struct gpuown_obj *o, bool share,
					  struct gpuown_edge **bad);

/* object.c */
void obj_unlink(struct gpuown_model *m, struct gpuown_obj *o);
#define obj_free_op gpuown_core_obj_free_op
/*
 * Free (@op FREE, sized when @sized) or put (@op PUT; the last one frees) the
 * object @h names, checking and reporting as the public entry points say.
 */
int obj_free_op(struct gpuown_obj *h, enum gpuown_op op, bool sized,
		size_t size, void *caller);

#define obj_publish_op gpuown_core_obj_publish_op
/* gpuown_obj_publish() on behalf of @caller. */
int obj_publish_op(struct gpuown_obj *h, const struct gpuown_fence *done,
		   void *caller);

/* fence.c */
#define gate_pending gpuown_core_gate_pending
#define gate_fini gpuown_core_gate_fini
/*
 * The first fence of gpuown_obj_busy_until() on @o not yet reached, or NULL;
 * fences found reached stop gating. Object lock held.
 */
const struct gpuown_fence *gate_pending(struct gpuown_obj *o);
/* Free the gate list of a released object. */
void gate_fini(struct gpuown_obj *o);
#define fence_note gpuown_core_fence_note
/* A sentence naming @f, its stamp and where it was created, for ev.note. */
void fence_note(const struct gpuown_fence *f, char *buf, size_t len);

/* coherency.c (object lock held) */
#define coh_device_check gpuown_core_coh_device_check
#define coh_cpu_wrote gpuown_core_coh_cpu_wrote
#define coh_cpu_read_check gpuown_core_coh_cpu_read_check
#define coh_shared_access gpuown_core_coh_shared_access
/* DEVICE_READ_UNSYNCED when handing @o to the device now reads stale data. */
enum gpuown_violation coh_device_check(const struct gpuown_obj *o);
/* The CPU wrote @o (a write window, a copy, a pointer store). */
void coh_cpu_wrote(struct gpuown_obj *o);
/* CPU_READ_UNSYNCED when a CPU read of @o now misses device writes. */
enum gpuown_violation coh_cpu_read_check(const struct gpuown_obj *o);
enum gpuown_violation coh_shared_access(struct gpuown_obj *o, bool write);

#endif /* GPUOWN_CORE_H */
