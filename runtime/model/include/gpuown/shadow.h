/* SPDX-License-Identifier: MIT */
/*
 * The shadow of one GPU/firmware virtual address space.
 *
 * One byte per 16-byte granule. The high nibble says what is there (and so why
 * an agent may not touch it); the low nibble is 0 for a whole granule or N for
 * a partial granule whose first N bytes belong to the object (the rest is the
 * object's tail redzone). Granule state 0x00 is "unmapped", so untouched shadow
 * pages are never materialised.
 *
 * Layout: a four-level table indexed by va >> GS_CHUNK_SHIFT (9 + 9 + 9 + 5
 * bits) of lazily allocated 4 KiB chunks, all from the host's ->zalloc, so
 * the same code serves user space and the kernel. Readers are lock-free
 * (acquire loads of the table entries, relaxed byte loads); writers must hold
 * the owning context's lock.
 *
 * Part of the portable core (runtime/model): the encoding is the one both
 * hosts share.
 */
#ifndef GPUSAN_SHADOW_H
#define GPUSAN_SHADOW_H

#include <gpuown/compat.h>

#define GS_GRANULE_SHIFT 4
#define GS_GRANULE (1u << GS_GRANULE_SHIFT)
#define GS_VA_BITS 48
#define GS_CHUNK_SHIFT 16 /* 64 KiB of VA, 4 KiB of shadow per chunk */
#define GS_CHUNK_VA (1ull << GS_CHUNK_SHIFT)
#define GS_CHUNK_BYTES (GS_CHUNK_VA >> GS_GRANULE_SHIFT)

/* Granule states (high nibble). */
enum gs_state {
	GS_UNMAPPED = 0x0,
	GS_REDZONE = 0x1,
	GS_CPU = 0x2,  /* CPU-owned */
	GS_FW_R = 0x3, /* firmware-owned, firmware reads */
	GS_FW_W = 0x4, /* firmware-owned, firmware writes */
	GS_FW_RW = 0x5,
	GS_SHARED_R = 0x6, /* shared, firmware reads only */
	GS_SHARED_RW = 0x7,
	GS_GPU_ONLY = 0x8,
	GS_QUARANTINED = 0x9, /* freed, waiting for the flush */
	GS_FOOTPRINT = 0xa,   /* beyond size, inside the layout's footprint */
	GS_BOUND = 0xb,	      /* user-VM binding */
	GS_BOUND_RO = 0xc,
	GS_UNBOUND = 0xd, /* unbound; a stale TLB entry may still reach it */
	GS_NR_STATES,
};

#define GS_BYTE(st, partial) ((uint8_t)(((st) << 4) | ((partial)&0xf)))
#define GS_STATE(b) ((enum gs_state)((b) >> 4))
#define GS_PARTIAL(b) ((unsigned)((b)&0xf))

struct gs_shadow;

int gs_shadow_create(struct gs_shadow **out);
void gs_shadow_destroy(struct gs_shadow *sh);

/* The shadow byte of the granule holding @va (lock-free). */
uint8_t gs_shadow_get(const struct gs_shadow *sh, uint64_t va);

/*
 * Paint [va, va + size) with @st: whole granules get GS_BYTE(st, 0), a tail
 * granule gets the partial count. @va must be granule aligned. When @only_over
 * is non-zero, only granules whose state bit is set in it are overwritten
 * (redzones never overwrite a neighbour). 0, -ENOMEM or -ERANGE.
 */
int gs_shadow_paint(struct gs_shadow *sh, uint64_t va, uint64_t size,
		    enum gs_state st, uint32_t only_over);

/*
 * Check [va, va + size) against @allowed (a bit per state). Returns true when
 * every byte is in an allowed granule inside its valid part; otherwise false
 * with the first bad byte's address in *bad_va and its shadow byte in *bad.
 */
bool gs_shadow_check(const struct gs_shadow *sh, uint64_t va, uint64_t size,
		     uint32_t allowed, uint64_t *bad_va, uint8_t *bad);

/* Shadow bytes allocated (chunks and tables). */
uint64_t gs_shadow_resident(const struct gs_shadow *sh);
/* Chunks allocated. */
uint64_t gs_shadow_chunks(const struct gs_shadow *sh);

const char *gs_state_name(enum gs_state st);

#endif /* GPUSAN_SHADOW_H */
