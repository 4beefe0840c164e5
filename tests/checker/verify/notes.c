// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown -analyzer-output=text
/*
 * Path notes: each report tells the story of the object it is about, and
 * only that object: every note the analyzer prints is expected here.
 */
#include <gpuown/lifecycle.h>
#include <gpuown/object.h>

#include "foreign.h"

struct fw_buf {
	uint32_t w[4];
};
GPUOWN_DECLARE_PTRS(fw_buf);

struct fw_job {
	uint32_t magic;
	gpu_ptr(fw_buf) buf;
};

static struct gpuown_obj *keep;

struct job_slot {
	gpu_addr_t va;
};

/* Lifetime: the story of a use after free through the CPU address. */
void uaf(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 64); // expected-note{{GPU object allocated by 'my_bo_create'}}
	uint32_t *w = my_bo_vmap(bo); // expected-note{{CPU address of the GPU object taken by 'my_bo_vmap'}}
	my_bo_put(bo); // expected-note{{GPU object freed by 'my_bo_put'}}
	w[0] = 1; // expected-warning{{Write of a freed GPU object through its CPU address}} expected-note{{Write of a freed GPU object through its CPU address}}
}

/* Lifetime: a leak on an error path. */
int leak(struct my_dev *dev, struct my_bo **out)
{
	struct my_bo *a = my_bo_create(dev, 64); // expected-note{{GPU object allocated by 'my_bo_create'}}
	struct my_bo *b = my_bo_create(dev, 64);
	if (!b) // expected-note{{Assuming 'b' is null}} expected-note{{Taking true branch}}
		return -1; // expected-warning{{GPU object allocated by 'my_bo_create' is leaked: not freed on this path}} expected-note{{GPU object allocated by 'my_bo_create' is leaked: not freed on this path}}
	*out = b;
	my_bo_put(a);
	return 0;
}

/* Ownership: a write after publish. */
void write_after_publish(struct gpuown_obj *o)
{
	struct fw_job *j = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL); // expected-note{{GPU object published to the firmware here}}
	j->magic = 0; // expected-warning{{CPU write to a GPU object while the firmware owns it}} expected-note{{CPU write to a GPU object while the firmware owns it}}
}

/* Ownership: a lifecycle transition. */
GPUOWN_LIFECYCLE(ctx, "created -> live, live -> dying, dying -> dead");
struct ctx {
	int id;
};
void ctx_start(struct ctx *c __gpuown_transition(ctx, created, live));
void ctx_kill(struct ctx *c __gpuown_transition(ctx, live, dying));
void ctx_submit(struct ctx *c __gpuown_in_state(ctx, live));

void submit_after_kill(struct ctx *c)
{
	ctx_start(c); // expected-note{{Lifecycle 'ctx' enters state 'live' here}}
	ctx_kill(c); // expected-note{{Lifecycle 'ctx' enters state 'dying' here}}
	ctx_submit(c); // expected-warning{{'ctx_submit' is not permitted in state 'dying' of lifecycle 'ctx' (needs 'live')}} expected-note{{'ctx_submit' is not permitted in state 'dying' of lifecycle 'ctx' (needs 'live')}}
}

/* DanglingGpuPointer: freed while a published job points at it. */
void dangling(struct gpuown_obj *job, struct gpuown_obj *buf)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->buf.va = gpuown_obj_gpu_va(buf); // expected-note{{GPU pointer to the object stored into 'j->buf.va' here}}
	gpuown_obj_publish(buf, NULL);
	gpuown_obj_publish(job, NULL);
	gpuown_obj_reclaim(buf, NULL);
	gpuown_obj_free(buf); // expected-warning{{GPU object freed while 'j->buf.va' still holds a GPU pointer to it}} expected-note{{GPU object freed while 'j->buf.va' still holds a GPU pointer to it}}
}

/* Lifetime: an address taken is not part of a double-free story. */
void double_free(struct my_dev *dev, struct job_slot *slot)
{
	struct my_bo *bo = my_bo_create(dev, 64); // expected-note{{GPU object allocated by 'my_bo_create'}}
	slot->va = my_bo_gpu_va(bo);
	my_bo_put(bo); // expected-note{{GPU object freed by 'my_bo_put'}}
	my_bo_put(bo); // expected-warning{{GPU object freed twice}} expected-note{{GPU object freed twice}}
}

/* Ownership: a hand-over by address is part of the story. */
int send_addr(fw_addr_t a __gpuown_publishes_addr);

void handover(struct my_bo *bo)
{
	uint32_t *p = my_bo_vmap(bo);
	send_addr(my_bo_fw_va(bo)); // expected-note{{GPU object handed to the firmware by address here}}
	p[0] = 1; // expected-warning{{CPU write to a GPU object while the firmware owns it}} expected-note{{CPU write to a GPU object while the firmware owns it}}
}

/* Mapping: the unmap that left the translation live. */
void vm_unmap_bo(struct my_bo *bo __gpuown_vm_unmaps);
void tlb_flush(void) __gpuown_tlb_invalidates;

void unmap_free(struct my_bo *bo)
{
	vm_unmap_bo(bo); // expected-note{{GPU object unmapped here; its translation stays live until a TLB invalidate}}
	my_bo_put(bo); // expected-warning{{Free of a GPU object whose unmapped translation may still be live in the GPU TLB (no invalidate since the unmap)}} expected-note{{Free of a GPU object whose unmapped translation may still be live in the GPU TLB (no invalidate since the unmap)}}
}

/* Coherency: the write that made the object dirty. */
void *my_bo_vmap_cached(struct my_bo *bo __gpuown_addr_of) __gpuown_cpu_addr
	__gpuown_mapping(noncoherent);

void nc_submit(struct my_bo *bo)
{
	uint32_t *p = my_bo_vmap_cached(bo);
	p[0] = 1; // expected-note{{CPU write through the non-coherent mapping here}}
	my_bo_submit(bo); // expected-warning{{GPU object handed to the device after a CPU write through a non-coherent mapping, without a sync for the device}} expected-note{{GPU object handed to the device after a CPU write through a non-coherent mapping, without a sync for the device}}
}
