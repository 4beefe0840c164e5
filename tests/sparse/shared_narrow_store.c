// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/* A driver-produced ring's state: the firmware writes the read pointer. */
struct fw_ring_state {
	uint32_t wptr_0;
	fw_shared_u32 rptr_4 __gpuown_fw_writes __gpuown_fw_shared_word;
	fw_shared_u64 stamp_8 __gpuown_fw_writes __gpuown_fw_shared_word;
};

/* Half a word: the firmware may see a torn value. */
static void reset_low_half(struct fw_ring_state *s)
{
	*(uint16_t *)&s->rptr_4 = 0;
}

/* A 32-bit store into a 64-bit firmware-written word. */
static void reset_stamp(struct fw_ring_state *s, uint32_t v)
{
	*(uint32_t *)&s->stamp_8 = v;
}

static void store_short(struct fw_ring_state *s, uint16_t v)
{
	s->rptr_4 = v;
}

/*
 * check-name: narrow store to a firmware-written shared word
 * check-command: run-sparse $file
 *
 * check-error-start
shared_narrow_store.c:14:11: warning: cast from restricted fw_shared_u32 [noderef] *
shared_narrow_store.c:20:11: warning: cast from restricted fw_shared_u64 [noderef] *
shared_narrow_store.c:25:19: warning: incorrect type in assignment (different base types)
shared_narrow_store.c:25:19:    expected restricted fw_shared_u32 [noderef] [usertype] rptr_4
shared_narrow_store.c:25:19:    got unsigned short [usertype] v
 * check-error-end
 */
