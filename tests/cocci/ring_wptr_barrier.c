// Write pointers published without a barrier after the entry.
#include <stddef.h>
#include <stdatomic.h>
#include <gpuown/object.h>

struct fw_ring_state {
	uint32_t wptr_0;
	uint32_t rptr_4;
};

struct ring {
	struct gpuown_obj *slots, *state;
	uint32_t wptr, nr;
	size_t wptr_off;
};

int queue(struct ring *r, struct gpuown_obj *job)
{
	int ret;

	ret = gpuown_store_gpu_ptr(r->slots, r->wptr * 8ul, job);
	if (ret)
		return ret;
	r->wptr = (r->wptr + 1) % r->nr;
	return gpuown_shared_store32(r->state, r->wptr_off, r->wptr);
}

void queue_offsetof(struct ring *r, struct gpuown_obj *job, int fence)
{
	gpuown_store_gpu_ptr(r->slots, r->wptr * 8ul, job);
	if (fence)
		atomic_thread_fence(memory_order_release);
	gpuown_shared_store32(r->state, offsetof(struct fw_ring_state, wptr_0),
			      r->wptr + 1);
}

struct msg {
	uint32_t words[4];
};

void queue_cpu(struct ring *r, const struct msg *m)
{
	struct msg *slot = gpuown_obj_cpu(r->slots);

	slot[r->wptr] = *m;
	gpuown_shared_store32(r->state, r->wptr_off, r->wptr + 1);
}
// SPDX-License-Identifier: MIT
