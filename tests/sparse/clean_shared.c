// SPDX-License-Identifier: MIT
#include <stddef.h>
#include <gpuown/object.h>

struct fw_ring_state {
	fw_shared_u32 wptr_0; /* shared, written by the driver only */
	fw_shared_u32 rptr_4 __gpuown_fw_writes __gpuown_fw_shared_word;
	uint32_t nr_slots_8;
	uint32_t pad_c;
	fw_shared_u64 stamp_10 __gpuown_fw_writes __gpuown_fw_shared_word;
};

/* Firmware-written words are reached by object and offset, atomically. */
static int ring_space(struct gpuown_obj *state, uint32_t wptr, uint32_t slots)
{
	uint32_t rptr;
	int ret;

	ret = gpuown_shared_load32(state, offsetof(struct fw_ring_state, rptr_4), &rptr);
	if (ret)
		return ret;
	return (int)((rptr + slots - wptr - 1) % slots);
}

static int publish_wptr(struct gpuown_obj *state, uint32_t wptr)
{
	return gpuown_shared_store32(state, offsetof(struct fw_ring_state, wptr_0), wptr);
}

static int stamp(struct gpuown_obj *state, uint64_t *v)
{
	return gpuown_shared_load64(state, offsetof(struct fw_ring_state, stamp_10), v);
}

static size_t word_sizes(void)
{
	return sizeof(fw_shared_u32) + sizeof(fw_shared_u64);
}

/* Built while CPU-owned: fields the firmware never writes are plain. */
static void init(struct fw_ring_state *s, uint32_t slots)
{
	s->wptr_0 = 0;
	s->nr_slots_8 = slots;
}

/*
 * check-name: shared words through the atomic accessors stay silent
 * check-command: run-sparse $file
 */
