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
 * Layout: the block number va >> GS_CHUNK_SHIFT splits into a leaf key and
 * 6 bits. Leaves (64 entries, 64 KiB of VA) are found through a hash index
 * of their keys, the last one used through a hint. A leaf entry describes
 * one 1 KiB block of VA (64 granules): 0 (all unmapped), a uniform byte
 * (every granule alike: an object's interior, a run of redzone; no
 * storage), or a pointer to 64 shadow bytes carved from 4 KiB slabs.
 * Uniform blocks are what keep the whole shadow, index and leaves
 * included, under 1/16 of the mapped bytes. All memory comes from the host's
 * ->zalloc, so the same code serves user space and the kernel. Readers are
 * lock-free (acquire loads of the index and leaf entries, relaxed byte loads);
 * writers must hold the owning context's lock. A block, once stored, is
 * never freed before the shadow (a lock-free reader may be reading it).
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
#define GS_CHUNK_SHIFT 10 /* 1 KiB of VA, 64 shadow bytes per block */
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
	/*
	 * A non-coherent object the device may reach (its body in the
	 * firmware VM, its bindings in user VMs): no agent's fast mask has
	 * it, so every access takes the slow path, which checks the syncs
	 * and then the state the object is really in.
	 */
	GS_NONCOH = 0xe,
	GS_NR_STATES,
};

#define GS_BYTE(st, partial) ((uint8_t)(((st) << 4) | ((partial)&0xf)))
#define GS_STATE(b) ((enum gs_state)((b) >> 4))
#define GS_PARTIAL(b) ((unsigned)((b)&0xf))

/* A leaf: 64 block entries (64 KiB of VA) and the key it covers. */
#define GS_LEAF_BITS 6
struct gs_leaf {
	uint64_t key;			 /* (block index >> GS_LEAF_BITS) + 1 */
	uintptr_t e[1u << GS_LEAF_BITS]; /* atomic */
};

/* Public for the inline fast check below; fields are shadow.c's. */
struct gs_index;
struct gs_shadow {
	struct gs_index *index; /* atomic: the leaves by key */
	/* The leaf of the last lookup (a hint: any thread may replace it). */
	struct gs_leaf *hint;
	uint64_t nr_chunks, table_bytes, slab_bytes;
	uint8_t *slab; /* the slab being carved; its block 0 links the list */
	unsigned slab_used;
	/*
	 * Leaf entries other than 0 (atomic; writers hold the lock). Zero:
	 * every granule is unmapped, which sampled mode's access path admits
	 * without a lookup (gs_shadow_empty()).
	 */
	uint64_t nonzero;
};

/* Nothing painted but unmapped (lock-free; a racing paint may be missed). */
static inline __attribute__((__always_inline__)) bool
gs_shadow_empty(const struct gs_shadow *sh)
{
	return !__atomic_load_n(&sh->nonzero, __ATOMIC_ACQUIRE);
}

/* Leaf entries: 0, a block pointer (low bit 0), or a uniform byte. */
#define GS_UNIFORM(b) (((uintptr_t)(b) << 8) | 1)
#define GS_IS_PTR(e) ((e) && !((e)&1))
#define GS_UNIFORM_BYTE(e) ((uint8_t)((e) >> 8))

/* The leaf entry of block @ci, walking the table (and updating the hint). */
uintptr_t gs_shadow_entry_walk(const struct gs_shadow *sh, uint64_t ci);
/* The leaf of block @ci or NULL (none: all unmapped), updating the hint. */
const struct gs_leaf *gs_shadow_leaf_walk(const struct gs_shadow *sh,
					  uint64_t ci);

static inline __attribute__((__always_inline__)) uintptr_t
gs_shadow_entry(const struct gs_shadow *sh, uint64_t ci)
{
	const struct gs_leaf *l = __atomic_load_n(&sh->hint, __ATOMIC_ACQUIRE);

	if (l && l->key == (ci >> GS_LEAF_BITS) + 1)
		return __atomic_load_n(&l->e[ci & ((1u << GS_LEAF_BITS) - 1)],
				       __ATOMIC_ACQUIRE);
	return gs_shadow_entry_walk(sh, ci);
}

/* Four granule bytes read at once (4-byte aligned inside a block). */
typedef uint32_t gs_u32_alias __attribute__((may_alias));

/* The granules [g, last] of one stored block @b: whole and allowed? */
static inline __attribute__((__always_inline__)) bool
gs_block_check_fast(const uint8_t *b, uint64_t g, uint64_t last,
		    uint32_t allowed)
{
	uint8_t x;

	if (last - g == 3 && !(g & 3)) {
		/* A 64-byte access on a 64-byte boundary: one load. */
		uint32_t w = __atomic_load_n((const gs_u32_alias *)&b[g & 63],
					     __ATOMIC_RELAXED);

		x = (uint8_t)w;
		return w == x * 0x01010101u && !GS_PARTIAL(x) &&
		       ((allowed >> GS_STATE(x)) & 1);
	}
	for (; g <= last; g++) {
		x = __atomic_load_n(&b[g & 63], __ATOMIC_RELAXED);
		if (GS_PARTIAL(x) || !((allowed >> GS_STATE(x)) & 1))
			return false;
	}
	return true;
}

/* One block's part of an access, given its leaf entry @e. */
static inline __attribute__((__always_inline__)) bool
gs_e_check_fast(uintptr_t e, uint64_t g, uint64_t last, uint32_t allowed)
{
	if (!GS_IS_PTR(e))
		return (allowed >> GS_STATE(e ? GS_UNIFORM_BYTE(e) : 0)) & 1;
	return gs_block_check_fast((const uint8_t *)e, g, last, allowed);
}

/* One block's part of an access: the entry of block @g >> 6 checked. */
static inline __attribute__((__always_inline__)) bool
gs_entry_check_fast(const struct gs_shadow *sh, uint64_t g, uint64_t last,
		    uint32_t allowed)
{
	return gs_e_check_fast(gs_shadow_entry(sh, g >> 6), g, last, allowed);
}

/*
 * An access across block boundaries (up to GS_FAST_BLOCKS blocks): out of
 * line, still no hook call. The leaf is looked up once for the blocks it
 * holds, and a missing leaf (never painted: unmapped) once for all of its
 * blocks. The attributes are spelled __noinline__/__unused__: the kernel
 * defines `noinline` as a macro.
 */
#define GS_FAST_BLOCKS 64
static __attribute__((__noinline__, __unused__)) bool
gs_shadow_check_fast2(const struct gs_shadow *sh, uint64_t g, uint64_t last,
		      uint32_t allowed)
{
	const uint64_t lmask = (1u << GS_LEAF_BITS) - 1;

	for (;;) {
		uint64_t ci = g >> 6;
		/* The last granule of this access in this leaf. */
		uint64_t stop = ((ci | lmask) << 6) | 63;
		const struct gs_leaf *l =
			__atomic_load_n(&sh->hint, __ATOMIC_ACQUIRE);

		if (stop > last)
			stop = last;
		if (!l || l->key != (ci >> GS_LEAF_BITS) + 1)
			l = gs_shadow_leaf_walk(sh, ci);
		if (!l) {
			if (!(allowed & 1)) /* unmapped */
				return false;
		} else {
			for (; (g | 63) < stop; g = (g | 63) + 1)
				if (!gs_e_check_fast(
					    __atomic_load_n(
						    &l->e[(g >> 6) & lmask],
						    __ATOMIC_ACQUIRE),
					    g, g | 63, allowed))
					return false;
			if (!gs_e_check_fast(
				    __atomic_load_n(&l->e[(g >> 6) & lmask],
						    __ATOMIC_ACQUIRE),
				    g, stop, allowed))
				return false;
		}
		if (stop == last)
			return true;
		g = stop + 1;
	}
}

/*
 * The access path's check, inline: true when [va, va + size) lies in at
 * most GS_FAST_BLOCKS blocks (64 KiB) and every granule is whole and in a
 * state of @allowed.
 * False means "not sure": call gs_shadow_check() for the exact answer.
 */
static inline __attribute__((__always_inline__)) bool
gs_shadow_check_fast(const struct gs_shadow *sh, uint64_t va, uint64_t size,
		     uint32_t allowed)
{
	uint64_t g = va >> GS_GRANULE_SHIFT;
	uint64_t last = (va + size - 1) >> GS_GRANULE_SHIFT;

	if (!size || (va >> GS_VA_BITS) || last < g)
		return false;
	if ((g >> 6) == (last >> 6))
		return gs_entry_check_fast(sh, g, last, allowed);
	if ((last >> 6) - (g >> 6) < GS_FAST_BLOCKS)
		return gs_shadow_check_fast2(sh, g, last, allowed);
	return false;
}

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
/* Blocks stored (non-uniform 1 KiB blocks of VA). */
uint64_t gs_shadow_chunks(const struct gs_shadow *sh);

const char *gs_state_name(enum gs_state st);

#endif /* GPUSAN_SHADOW_H */
