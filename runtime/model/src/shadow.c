// SPDX-License-Identifier: MIT
/*
 * gpusan shadow: a lazily populated five-level table of 1 KiB blocks of
 * granule state bytes, uniform blocks stored in the table entry (encoding
 * and layout in <gpuown/shadow.h>). All memory comes from the host.
 */
#include <gpuown/host.h>
#include <gpuown/shadow.h>

#define GS_GRANULES_PER_CHUNK (GS_CHUNK_BYTES)
/*
 * The leaves are found through a hash of their key (open addressing,
 * linear probing) instead of a radix table: a shadow covers a few sparse
 * ranges (a VM's bindings, sampled mode's pools, the windows in use), and
 * a radix table over 48 bits needs four tables above each one. The index
 * doubles when half full; the old index stays until the shadow is
 * destroyed, since a lock-free reader may still probe it (it holds every
 * leaf that existed when it was replaced).
 */
struct gs_index {
	struct gs_index *older;
	unsigned shift;		/* 64 - log2(slots) */
	unsigned n;		/* leaves in it */
	struct gs_leaf *slot[]; /* atomic */
};

#define GS_INDEX_MIN_BITS 5

static inline unsigned gs_hash(uint64_t key, unsigned shift)
{
	return (unsigned)((key * 0x9e3779b97f4a7c15ull) >> shift);
}

/* Blocks come from 4 KiB slabs, the first block of each linking the list. */
#define GS_SLAB_BYTES 4096u
#define GS_SLAB_BLOCKS (GS_SLAB_BYTES / GS_CHUNK_BYTES)

static const char *const gs_state_names[GS_NR_STATES] = {
	[GS_UNMAPPED] = "unmapped",
	[GS_REDZONE] = "redzone",
	[GS_CPU] = "cpu-owned",
	[GS_FW_R] = "firmware-owned (firmware reads)",
	[GS_FW_W] = "firmware-owned (firmware writes)",
	[GS_FW_RW] = "firmware-owned (firmware reads and writes)",
	[GS_SHARED_R] = "shared (firmware reads)",
	[GS_SHARED_RW] = "shared (firmware reads and writes)",
	[GS_GPU_ONLY] = "gpu-only",
	[GS_QUARANTINED] = "freed (quarantined)",
	[GS_FOOTPRINT] = "firmware footprint beyond the object size",
	[GS_BOUND] = "bound in a user VM",
	[GS_BOUND_RO] = "bound read-only in a user VM",
	[GS_UNBOUND] = "unbound (TLB not yet invalidated)",
	[GS_NONCOH] = "non-coherent (accesses check the syncs)",
};

const char *gs_state_name(enum gs_state st)
{
	if ((unsigned)st >= GS_NR_STATES || !gs_state_names[st])
		return "invalid";
	return gs_state_names[st];
}

int gs_shadow_create(struct gs_shadow **out)
{
	struct gs_shadow *sh = gpuown_host.zalloc(sizeof(*sh));

	if (!sh)
		return -ENOMEM;
	*out = sh;
	return 0;
}

void gs_shadow_destroy(struct gs_shadow *sh)
{
	struct gs_index *ix, *older;
	uint8_t *slab, *next;
	unsigned i;

	if (!sh)
		return;
	ix = sh->index;
	if (ix) {
		/* The newest index holds every leaf. */
		for (i = 0; i < (1u << (64 - ix->shift)); i++)
			if (ix->slot[i])
				gpuown_host.free(ix->slot[i]);
	}
	for (; ix; ix = older) {
		older = ix->older;
		gpuown_host.free(ix);
	}
	for (slab = sh->slab; slab; slab = next) {
		memcpy(&next, slab, sizeof(next));
		gpuown_host.free(slab);
	}
	gpuown_host.free(sh);
}

/* The leaf of key @key in @ix, or NULL (lock-free). */
static inline struct gs_leaf *gs_index_find(const struct gs_index *ix,
					    uint64_t key)
{
	unsigned mask, i;
	struct gs_leaf *l;

	if (!ix)
		return NULL;
	mask = (1u << (64 - ix->shift)) - 1;
	for (i = gs_hash(key, ix->shift);; i = (i + 1) & mask) {
		l = __atomic_load_n(&ix->slot[i], __ATOMIC_ACQUIRE);
		if (!l || l->key == key)
			return l;
	}
}

static inline struct gs_leaf *gs_leaf_of(const struct gs_shadow *sh,
					 uint64_t ci)
{
	return gs_index_find(__atomic_load_n(&sh->index, __ATOMIC_ACQUIRE),
			     (ci >> GS_LEAF_BITS) + 1);
}

const struct gs_leaf *gs_shadow_leaf_walk(const struct gs_shadow *sh,
					  uint64_t ci)
{
	struct gs_leaf *l = gs_leaf_of(sh, ci);

	if (!l)
		return NULL;
	/* Leaves live as long as the shadow: any thread may keep one. */
	if (__atomic_load_n(&sh->hint, __ATOMIC_RELAXED) != l)
		__atomic_store_n(&((struct gs_shadow *)sh)->hint, l,
				 __ATOMIC_RELEASE);
	return l;
}

uintptr_t gs_shadow_entry_walk(const struct gs_shadow *sh, uint64_t ci)
{
	const struct gs_leaf *l = gs_shadow_leaf_walk(sh, ci);

	if (!l)
		return 0;
	return __atomic_load_n(&l->e[ci & ((1u << GS_LEAF_BITS) - 1)],
			       __ATOMIC_ACQUIRE);
}

static inline uintptr_t gs_entry(const struct gs_shadow *sh, uint64_t ci)
{
	return gs_shadow_entry(sh, ci);
}

uint8_t gs_shadow_get(const struct gs_shadow *sh, uint64_t va)
{
	uint64_t g = va >> GS_GRANULE_SHIFT;
	uintptr_t e;

	if (va >> GS_VA_BITS)
		return GS_BYTE(GS_UNMAPPED, 0);
	e = gs_entry(sh, g / GS_GRANULES_PER_CHUNK);
	if (!GS_IS_PTR(e))
		return e ? GS_UNIFORM_BYTE(e) : GS_BYTE(GS_UNMAPPED, 0);
	return __atomic_load_n(&((const uint8_t *)e)[g % GS_GRANULES_PER_CHUNK],
			       __ATOMIC_RELAXED);
}

/* Put @l in @ix (writers hold the lock; there is a free slot). */
static void gs_index_put(struct gs_index *ix, struct gs_leaf *l)
{
	unsigned mask = (1u << (64 - ix->shift)) - 1, i;

	for (i = gs_hash(l->key, ix->shift); ix->slot[i]; i = (i + 1) & mask)
		;
	__atomic_store_n(&ix->slot[i], l, __ATOMIC_RELEASE);
	ix->n++;
}

/* Room for one more leaf at most half full: a new index, published. */
static int gs_index_grow(struct gs_shadow *sh)
{
	struct gs_index *old = sh->index, *ix;
	unsigned bits = GS_INDEX_MIN_BITS, i;
	size_t size;

	if (old && (old->n + 1) * 2 <= (1u << (64 - old->shift)))
		return 0;
	if (old)
		bits = 64 - old->shift + 1;
	size = sizeof(*ix) + (sizeof(ix->slot[0]) << bits);
	ix = gpuown_host.zalloc(size);
	if (!ix)
		return -ENOMEM;
	ix->shift = 64 - bits;
	ix->older = old;
	if (old)
		for (i = 0; i < (1u << (64 - old->shift)); i++)
			if (old->slot[i])
				gs_index_put(ix, old->slot[i]);
	sh->table_bytes += size;
	/* Readers see the old index or the complete new one. */
	__atomic_store_n(&sh->index, ix, __ATOMIC_RELEASE);
	return 0;
}

/*
 * The leaf of block @ci; allocated when missing and @alloc, else NULL.
 * Writers hold the lock.
 */
static struct gs_leaf *gs_leaf_get(struct gs_shadow *sh, uint64_t ci,
				   bool alloc)
{
	uint64_t key = (ci >> GS_LEAF_BITS) + 1;
	struct gs_leaf *l = gs_index_find(sh->index, key);

	if (l || !alloc)
		return l;
	if (gs_index_grow(sh))
		return NULL;
	l = gpuown_host.zalloc(sizeof(*l));
	if (!l)
		return NULL;
	l->key = key;
	sh->table_bytes += sizeof(*l);
	/* Readers see no leaf or a zeroed, complete one. */
	gs_index_put(sh->index, l);
	return l;
}

/* A new block holding @fill everywhere, from the current slab. */
static uint8_t *gs_block_new(struct gs_shadow *sh, uint8_t fill)
{
	uint8_t *b;

	if (!sh->slab || sh->slab_used == GS_SLAB_BLOCKS) {
		b = gpuown_host.zalloc(GS_SLAB_BYTES);
		if (!b)
			return NULL;
		memcpy(b, &sh->slab, sizeof(sh->slab));
		sh->slab = b;
		sh->slab_used = 1; /* block 0 links the slabs */
		sh->slab_bytes += GS_SLAB_BYTES;
	}
	b = sh->slab + (size_t)sh->slab_used++ * GS_CHUNK_BYTES;
	memset(b, fill, GS_CHUNK_BYTES);
	sh->nr_chunks++;
	return b;
}

/*
 * Leaf entries that are not 0 (a stored block counts for good, whatever
 * its bytes): zero means nothing in the shadow is anything but unmapped.
 */
static void gs_count_entry(struct gs_shadow *sh, uintptr_t old, uintptr_t e)
{
	if (!old == !e)
		return;
	__atomic_store_n(&sh->nonzero, sh->nonzero + (e ? 1 : -1),
			 __ATOMIC_RELEASE);
}

static bool gs_range_ok(uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	return end >= va && !(end > (1ull << GS_VA_BITS));
}

/* Eight granule bytes at once (8-byte aligned inside a block). */
typedef uint64_t gs_u64_alias __attribute__((may_alias));
#define GS_BYTES8(x) ((uint64_t)(x)*0x0101010101010101ull)

/* One granule: @want unless the filter keeps what is there. */
static inline void gs_paint_one(uint8_t *b, unsigned g, uint8_t want,
				uint32_t only_over)
{
	uint8_t cur = __atomic_load_n(&b[g], __ATOMIC_RELAXED);

	if (only_over && !(only_over & (1u << GS_STATE(cur))))
		return;
	if (cur != want)
		__atomic_store_n(&b[g], want, __ATOMIC_RELAXED);
}

/*
 * Paint granules [g0, g1] of block @b (the filter applies per granule).
 * Eight at a time where they are aligned: a run of one state (an object's
 * interior, a redzone) is tested and stored as one word.
 */
static void gs_paint_block(uint8_t *b, unsigned g0, unsigned g1, uint8_t whole,
			   uint8_t tail_byte, bool tail_here,
			   uint32_t only_over)
{
	unsigned g = g0, end = tail_here ? g1 : g1 + 1, k;
	uint64_t w8 = GS_BYTES8(whole), cur;
	uint8_t c0;

	while (g < end) {
		if ((g & 7) || g + 8 > end) {
			gs_paint_one(b, g++, whole, only_over);
			continue;
		}
		cur = __atomic_load_n((gs_u64_alias *)&b[g], __ATOMIC_RELAXED);
		c0 = (uint8_t)cur;
		if (cur != w8 && cur == GS_BYTES8(c0) &&
		    (!only_over || (only_over & (1u << GS_STATE(c0)))))
			__atomic_store_n((gs_u64_alias *)&b[g], w8,
					 __ATOMIC_RELAXED);
		else if (cur != w8 && cur != GS_BYTES8(c0))
			for (k = g; k < g + 8; k++)
				gs_paint_one(b, k, whole, only_over);
		g += 8;
	}
	if (tail_here)
		gs_paint_one(b, g1, tail_byte, only_over);
}

int gs_shadow_paint(struct gs_shadow *sh, uint64_t va, uint64_t size,
		    enum gs_state st, uint32_t only_over)
{
	uint64_t end = va + size, g, last;
	unsigned tail = end & (GS_GRANULE - 1);
	uint8_t whole = GS_BYTE(st, 0);
	/* Unmapped has no partial granules: 0x00 is all of it. */
	uint8_t tail_byte = st == GS_UNMAPPED ? 0 : GS_BYTE(st, tail);
	/* Whether this paint can turn unmapped granules into something. */
	bool grows = st != GS_UNMAPPED &&
		     (!only_over || (only_over & (1u << GS_UNMAPPED)));
	const uint64_t lmask = (1u << GS_LEAF_BITS) - 1;
	struct gs_leaf *leaf;
	uint64_t leaf_key;

	if (va & (GS_GRANULE - 1))
		return -EINVAL;
	if (!size)
		return 0;
	if (!gs_range_ok(va, size))
		return -ERANGE;
	last = (end - 1) >> GS_GRANULE_SHIFT;
	/* Consecutive blocks share a leaf (64 KiB of VA): look it up once. */
	leaf = NULL;
	leaf_key = 0;
	for (g = va >> GS_GRANULE_SHIFT; g <= last;) {
		uint64_t ci = g / GS_GRANULES_PER_CHUNK;
		uint64_t base = ci * GS_GRANULES_PER_CHUNK;
		uint64_t stop = base + GS_GRANULES_PER_CHUNK - 1;
		unsigned g0 = (unsigned)(g - base), g1;
		bool tail_here, full;
		uintptr_t *slot, e;
		uint8_t cur, *b;

		if (stop > last)
			stop = last;
		g1 = (unsigned)(stop - base);
		g = stop + 1;
		tail_here = tail && stop == last;
		full = g0 == 0 && g1 == GS_GRANULES_PER_CHUNK - 1 && !tail_here;
		if (!leaf || leaf_key != (ci >> GS_LEAF_BITS) + 1) {
			leaf = gs_leaf_get(sh, ci, grows);
			if (!leaf) {
				if (grows)
					return -ENOMEM;
				/* No table: all unmapped, nothing to do. */
				continue;
			}
			leaf_key = (ci >> GS_LEAF_BITS) + 1;
		}
		if (full) {
			/* The whole blocks from here to the paint's or the
			 * leaf's end, in one tight loop. */
			uint64_t lastfull = tail ? last - 1 : last;
			uint64_t stop_ci =
				(lastfull + 1) / GS_GRANULES_PER_CHUNK;
			uintptr_t want = whole ? GS_UNIFORM(whole) : 0;
			long filled = 0; /* change of the non-zero entries */

			if (stop_ci > (ci | lmask) + 1)
				stop_ci = (ci | lmask) + 1;
			for (; ci < stop_ci; ci++) {
				slot = &leaf->e[ci & lmask];
				e = __atomic_load_n(slot, __ATOMIC_RELAXED);
				if (GS_IS_PTR(e)) {
					gs_paint_block(
						(uint8_t *)e, 0,
						GS_GRANULES_PER_CHUNK - 1,
						whole, 0, false, only_over);
					continue;
				}
				cur = e ? GS_UNIFORM_BYTE(e) : 0;
				if (e == want ||
				    (only_over &&
				     !(only_over & (1u << GS_STATE(cur)))))
					continue;
				__atomic_store_n(slot, want, __ATOMIC_RELEASE);
				filled += (long)!e - (long)!want;
			}
			if (filled)
				__atomic_store_n(&sh->nonzero,
						 sh->nonzero + (uint64_t)filled,
						 __ATOMIC_RELEASE);
			g = ci * GS_GRANULES_PER_CHUNK;
			continue;
		}
		slot = &leaf->e[ci & lmask];
		e = __atomic_load_n(slot, __ATOMIC_RELAXED);
		if (GS_IS_PTR(e)) {
			gs_paint_block((uint8_t *)e, g0, g1, whole, tail_byte,
				       tail_here, only_over);
			continue;
		}
		/* A uniform block: one state, so the filter is all or none. */
		cur = e ? GS_UNIFORM_BYTE(e) : GS_BYTE(GS_UNMAPPED, 0);
		if (only_over && !(only_over & (1u << GS_STATE(cur))))
			continue;
		if (cur == whole && !tail_here)
			continue;
		/* Part of it changes: store the block, complete, then publish.
		 */
		b = gs_block_new(sh, cur);
		if (!b)
			return -ENOMEM;
		gs_paint_block(b, g0, g1, whole, tail_byte, tail_here, 0);
		__atomic_store_n(slot, (uintptr_t)b, __ATOMIC_RELEASE);
		gs_count_entry(sh, e, (uintptr_t)b);
	}
	return 0;
}

static bool gs_bad(uint64_t va, uint64_t at, uint8_t b, uint64_t *bad_va,
		   uint8_t *bad)
{
	*bad_va = at > va ? at : va;
	*bad = b;
	return false;
}

bool gs_shadow_check(const struct gs_shadow *sh, uint64_t va, uint64_t size,
		     uint32_t allowed, uint64_t *bad_va, uint8_t *bad)
{
	uint64_t end = va + size, g, last;

	if (!size)
		return true;
	if (!gs_range_ok(va, size))
		return gs_bad(va, va, GS_BYTE(GS_UNMAPPED, 0), bad_va, bad);
	last = (end - 1) >> GS_GRANULE_SHIFT;
	g = va >> GS_GRANULE_SHIFT;
	while (g <= last) {
		uint64_t ci = g / GS_GRANULES_PER_CHUNK;
		uint64_t stop = (ci + 1) * GS_GRANULES_PER_CHUNK - 1;
		uintptr_t e = gs_entry(sh, ci);
		const uint8_t *chunk;

		if (stop > last)
			stop = last;
		if (!GS_IS_PTR(e)) {
			/* Uniform (or never painted): whole granules, one
			 * state. */
			uint8_t b = e ? GS_UNIFORM_BYTE(e) : 0;

			if (!(allowed & (1u << GS_STATE(b))))
				return gs_bad(va, g << GS_GRANULE_SHIFT, b,
					      bad_va, bad);
			g = stop + 1;
			continue;
		}
		chunk = (const uint8_t *)e;
		for (; g <= stop; g++) {
			uint8_t b = __atomic_load_n(
				&chunk[g % GS_GRANULES_PER_CHUNK],
				__ATOMIC_RELAXED);
			uint64_t valid_end;

			if (!(allowed & (1u << GS_STATE(b))))
				return gs_bad(va, g << GS_GRANULE_SHIFT, b,
					      bad_va, bad);
			if (!GS_PARTIAL(b))
				continue;
			valid_end = (g << GS_GRANULE_SHIFT) + GS_PARTIAL(b);
			if (end > valid_end)
				return gs_bad(va, valid_end, b, bad_va, bad);
		}
	}
	return true;
}

uint64_t gs_shadow_resident(const struct gs_shadow *sh)
{
	return sizeof(*sh) + sh->slab_bytes + sh->table_bytes;
}

uint64_t gs_shadow_chunks(const struct gs_shadow *sh)
{
	return sh->nr_chunks;
}
