// SPDX-License-Identifier: MIT
/*
 * gpusan shadow: a lazily populated four-level table of 1 KiB blocks of
 * granule state bytes, uniform blocks stored in the table entry (encoding
 * and layout in <gpuown/shadow.h>). All memory comes from the host.
 */
#include <gpuown/host.h>
#include <gpuown/shadow.h>

#define GS_GRANULES_PER_CHUNK (GS_CHUNK_BYTES)
/*
 * Four levels over the 38-bit block index (va >> 10), 10 + 10 + 10 + 8
 * bits: 8 KiB tables above 2 KiB leaves (256 blocks, 256 KiB of VA). The
 * root lives in struct gs_shadow.
 */
#define GS_LEVELS 4
static const unsigned gs_shift[GS_LEVELS] = {28, 18, 8, 0};
static const unsigned gs_bits[GS_LEVELS] = {10, 10, 10, 8};

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

static void gs_table_free(void **t, unsigned level)
{
	unsigned i;

	if (level + 1 == GS_LEVELS)
		return; /* leaf entries point into slabs */
	for (i = 0; i < (1u << gs_bits[level]); i++) {
		if (!t[i])
			continue;
		gs_table_free(t[i], level + 1);
		gpuown_host.free(t[i]);
	}
}

void gs_shadow_destroy(struct gs_shadow *sh)
{
	uint8_t *slab, *next;

	if (!sh)
		return;
	gs_table_free(sh->root, 0);
	for (slab = sh->slab; slab; slab = next) {
		memcpy(&next, slab, sizeof(next));
		gpuown_host.free(slab);
	}
	gpuown_host.free(sh);
}

/* One level of the walk: the entry of @ci in table @t, or NULL. */
#define GS_STEP(t, l)                                                          \
	__atomic_load_n(&((void *const *)(t))[(ci >> gs_shift[l]) &            \
					      ((1u << gs_bits[l]) - 1)],       \
			__ATOMIC_ACQUIRE)

/* The leaf table of block @ci, or NULL. Unrolled. */
static inline struct gs_leaf *gs_leaf_of(const struct gs_shadow *sh,
					 uint64_t ci)
{
	void *p = GS_STEP(sh->root, 0);

	if (p)
		p = GS_STEP(p, 1);
	if (p)
		p = GS_STEP(p, 2);
	return p;
}

uintptr_t gs_shadow_entry_walk(const struct gs_shadow *sh, uint64_t ci)
{
	struct gs_leaf *l = gs_leaf_of(sh, ci);

	if (!l)
		return 0;
	/* Leaves live as long as the shadow: any thread may keep one. */
	if (__atomic_load_n(&sh->hint, __ATOMIC_RELAXED) != l)
		__atomic_store_n(&((struct gs_shadow *)sh)->hint, l,
				 __ATOMIC_RELEASE);
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

/*
 * The leaf table of block @ci; tables are allocated on the way when @alloc,
 * else NULL when one is missing. Writers hold the lock.
 */
static struct gs_leaf *gs_leaf_get(struct gs_shadow *sh, uint64_t ci,
				   bool alloc)
{
	void **t = sh->root, **slot;
	size_t size;
	unsigned l;

	for (l = 0; l + 1 < GS_LEVELS; l++) {
		slot = &t[(ci >> gs_shift[l]) & ((1u << gs_bits[l]) - 1)];
		if (!*slot) {
			if (!alloc)
				return NULL;
			size = l + 2 < GS_LEVELS
				       ? sizeof(void *) << gs_bits[l + 1]
				       : sizeof(struct gs_leaf);
			t = gpuown_host.zalloc(size);
			if (!t)
				return NULL;
			if (l + 2 == GS_LEVELS)
				((struct gs_leaf *)t)->key =
					(ci >> GS_LEAF_BITS) + 1;
			sh->table_bytes += size;
			/* Readers see NULL or a zeroed, complete table. */
			__atomic_store_n(slot, (void *)t, __ATOMIC_RELEASE);
		}
		t = *slot;
	}
	return (struct gs_leaf *)t;
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

static bool gs_range_ok(uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	return end >= va && !(end > (1ull << GS_VA_BITS));
}

/* Paint granules [g0, g1] of block @b (the filter applies per granule). */
static void gs_paint_block(uint8_t *b, unsigned g0, unsigned g1, uint8_t whole,
			   uint8_t tail_byte, bool tail_here,
			   uint32_t only_over)
{
	unsigned g;

	if (!only_over) {
		/* Unfiltered (an object's body): stores only. */
		for (g = g0; g < g1; g++)
			__atomic_store_n(&b[g], whole, __ATOMIC_RELAXED);
		__atomic_store_n(&b[g1], tail_here ? tail_byte : whole,
				 __ATOMIC_RELAXED);
		return;
	}
	for (g = g0; g <= g1; g++) {
		uint8_t want = (tail_here && g == g1) ? tail_byte : whole;
		uint8_t cur = __atomic_load_n(&b[g], __ATOMIC_RELAXED);

		if (!(only_over & (1u << GS_STATE(cur))))
			continue;
		if (cur != want)
			__atomic_store_n(&b[g], want, __ATOMIC_RELAXED);
	}
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
	struct gs_leaf *leaf;
	uint64_t leaf_key;

	if (va & (GS_GRANULE - 1))
		return -EINVAL;
	if (!size)
		return 0;
	if (!gs_range_ok(va, size))
		return -ERANGE;
	last = (end - 1) >> GS_GRANULE_SHIFT;
	/* Consecutive blocks share a leaf (256 KiB of VA): walk once. */
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
		slot = &leaf->e[ci & ((1u << GS_LEAF_BITS) - 1)];
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
		if (full) {
			if (cur != whole)
				__atomic_store_n(slot,
						 whole ? GS_UNIFORM(whole) : 0,
						 __ATOMIC_RELEASE);
			continue;
		}
		if (cur == whole && !tail_here)
			continue;
		/* Part of it changes: store the block, complete, then publish.
		 */
		b = gs_block_new(sh, cur);
		if (!b)
			return -ENOMEM;
		gs_paint_block(b, g0, g1, whole, tail_byte, tail_here, 0);
		__atomic_store_n(slot, (uintptr_t)b, __ATOMIC_RELEASE);
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
