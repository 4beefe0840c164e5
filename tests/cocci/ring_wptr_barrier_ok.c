// Entry, barrier, write pointer; and write-pointer stores with no entry.
#include <stddef.h>
#include <stdatomic.h>
#include <gpuown/object.h>

struct fw_ring_state {
	uint32_t wptr_0;
	uint32_t rptr_4;
};

struct ring {
	struct gpuown_obj *slots, *state;
	uint32_t wptr, rptr, nr;
	size_t wptr_off, rptr_off;
};

int queue(struct ring *r, struct gpuown_obj *job)
{
	int ret;

	ret = gpuown_store_gpu_ptr(r->slots, r->wptr * 8ul, job);
	if (ret)
		return ret;
	atomic_thread_fence(memory_order_release);
	r->wptr = (r->wptr + 1) % r->nr;
	return gpuown_shared_store32(r->state, r->wptr_off, r->wptr);
}

void reset(struct ring *r)
{
	gpuown_shared_store32(r->state, offsetof(struct fw_ring_state, wptr_0), 0);
}

/* Consuming a firmware-produced ring: the read pointer needs no barrier here. */
void consume(struct ring *r, struct gpuown_obj *job)
{
	gpuown_store_gpu_ptr(r->slots, 0, job);
	gpuown_shared_store32(r->state, r->rptr_off, r->rptr + 1);
}

struct msg {
	uint32_t words[4];
};

void queue_cpu(struct ring *r, const struct msg *m)
{
	struct msg *slot = gpuown_obj_cpu(r->slots);

	slot[r->wptr] = *m;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gpuown_shared_store32(r->state, r->wptr_off, r->wptr + 1);
}
// SPDX-License-Identifier: MIT
