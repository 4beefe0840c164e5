// SPDX-License-Identifier: MIT
/*
 * gpusan shadow: a lazily populated three-level table of granule state bytes
 * (encoding in <gpuown/shadow.h>). All memory comes from the host.
 */
#include <gpuown/host.h>
#include <gpuown/shadow.h>

#define GS_GRANULES_PER_CHUNK (GS_CHUNK_BYTES)
/*
 * Four levels over the 32-bit chunk index, 9 + 9 + 9 + 5 bits: 4 KiB tables
 * and a 256-byte last level (32 chunks, 2 MiB of VA), so a compact mapping
 * costs about 12 KiB of tables and a lookup four dependent loads.
 */
#define GS_LEVELS 4
static const unsigned gs_shift[GS_LEVELS] = {23, 14, 5, 0};
static const unsigned gs_bits[GS_LEVELS] = {9, 9, 9, 5};

struct gs_shadow {
	void *root[1u << 9]; /* atomic entries */
	uint64_t nr_chunks, table_bytes;
};

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

	for (i = 0; i < (1u << gs_bits[level]); i++) {
		if (!t[i])
			continue;
		if (level + 1 < GS_LEVELS)
			gs_table_free(t[i], level + 1);
		gpuown_host.free(t[i]);
	}
}

void gs_shadow_destroy(struct gs_shadow *sh)
{
	if (!sh)
		return;
	gs_table_free(sh->root, 0);
	gpuown_host.free(sh);
}

/* One level of the walk: the entry of @ci in table @t, or NULL. */
#define GS_STEP(t, l)                                                          \
	__atomic_load_n(&((void *const *)(t))[(ci >> gs_shift[l]) &            \
					      ((1u << gs_bits[l]) - 1)],       \
			__ATOMIC_ACQUIRE)

/* Unrolled: the access path's only loads besides the shadow bytes. */
static inline const uint8_t *gs_chunk(const struct gs_shadow *sh, uint64_t ci)
{
	void *p = GS_STEP(sh->root, 0);

	if (p)
		p = GS_STEP(p, 1);
	if (p)
		p = GS_STEP(p, 2);
	if (p)
		p = GS_STEP(p, 3);
	return p;
}

uint8_t gs_shadow_get(const struct gs_shadow *sh, uint64_t va)
{
	const uint8_t *chunk;
	uint64_t g = va >> GS_GRANULE_SHIFT;

	if (va >> GS_VA_BITS)
		return GS_BYTE(GS_UNMAPPED, 0);
	chunk = gs_chunk(sh, g / GS_GRANULES_PER_CHUNK);
	if (!chunk)
		return GS_BYTE(GS_UNMAPPED, 0);
	return __atomic_load_n(&chunk[g % GS_GRANULES_PER_CHUNK],
			       __ATOMIC_RELAXED);
}

/* The chunk of @ci, allocating tables on the way. Writers hold the lock. */
static uint8_t *gs_chunk_get_or_alloc(struct gs_shadow *sh, uint64_t ci)
{
	void **t = sh->root, **slot;
	size_t size;
	unsigned l;

	for (l = 0; l < GS_LEVELS; l++) {
		slot = &t[(ci >> gs_shift[l]) & ((1u << gs_bits[l]) - 1)];
		if (!*slot) {
			size = l + 1 < GS_LEVELS
				       ? sizeof(void *) << gs_bits[l + 1]
				       : GS_CHUNK_BYTES;
			t = gpuown_host.zalloc(size);
			if (!t)
				return NULL;
			if (l + 1 < GS_LEVELS)
				sh->table_bytes += size;
			else
				sh->nr_chunks++;
			/* Readers see NULL or a zeroed, complete entry. */
			__atomic_store_n(slot, (void *)t, __ATOMIC_RELEASE);
		}
		t = *slot;
	}
	return (uint8_t *)t;
}

static bool gs_range_ok(uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	return end >= va && !(end > (1ull << GS_VA_BITS));
}

/*
 * Paint eight granules with one store when they can be treated alike: no
 * filter, or all eight hold the same byte and the filter admits it.
 */
static bool gs_paint_word(uint8_t *slot, uint8_t b, uint32_t only_over)
{
	uint64_t *w = (uint64_t *)(void *)slot;
	uint64_t want = 0x0101010101010101ull * b;
	uint64_t cur = __atomic_load_n(w, __ATOMIC_RELAXED);
	uint8_t b0 = (uint8_t)cur;

	if (only_over) {
		if (cur != 0x0101010101010101ull * b0)
			return false;
		if (!(only_over & (1u << GS_STATE(b0))))
			return true; /* all eight are to be kept */
	}
	if (cur != want)
		__atomic_store_n(w, want, __ATOMIC_RELAXED);
	return true;
}

int gs_shadow_paint(struct gs_shadow *sh, uint64_t va, uint64_t size,
		    enum gs_state st, uint32_t only_over)
{
	uint64_t end = va + size, g, last, full_last;
	unsigned tail = end & (GS_GRANULE - 1);
	uint8_t *chunk = NULL;
	uint64_t cur_ci = ~0ull;

	if (va & (GS_GRANULE - 1))
		return -EINVAL;
	if (!size)
		return 0;
	if (!gs_range_ok(va, size))
		return -ERANGE;
	last = (end - 1) >> GS_GRANULE_SHIFT;
	full_last = tail ? last - 1 : last;
	for (g = va >> GS_GRANULE_SHIFT; g <= last; g++) {
		uint64_t ci = g / GS_GRANULES_PER_CHUNK;
		uint8_t *slot, want;

		if (ci != cur_ci) {
			cur_ci = ci;
			/* An absent chunk is all unmapped: materialise it only
			 * when this paint changes unmapped granules. */
			if (st == GS_UNMAPPED ||
			    (only_over && !(only_over & 1u << GS_UNMAPPED))) {
				chunk = (uint8_t *)gs_chunk(sh, ci);
				if (!chunk) {
					g = (ci + 1) * GS_GRANULES_PER_CHUNK -
					    1;
					continue;
				}
			} else {
				chunk = gs_chunk_get_or_alloc(sh, ci);
				if (!chunk)
					return -ENOMEM;
			}
		}
		slot = &chunk[g % GS_GRANULES_PER_CHUNK];
		/* Eight whole granules at a time (chunks hold a multiple of 8).
		 */
		if (!(g % 8) && g + 7 <= full_last &&
		    gs_paint_word(slot, GS_BYTE(st, 0), only_over)) {
			g += 7;
			continue;
		}
		if (only_over &&
		    !(only_over & (1u << GS_STATE(__atomic_load_n(
					   slot, __ATOMIC_RELAXED)))))
			continue;
		want = GS_BYTE(st, (g == last) ? tail : 0);
		/* Skip the store when nothing changes: keeps zero pages shared.
		 */
		if (__atomic_load_n(slot, __ATOMIC_RELAXED) != want)
			__atomic_store_n(slot, want, __ATOMIC_RELAXED);
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
		const uint8_t *chunk = gs_chunk(sh, ci);

		if (stop > last)
			stop = last;
		if (!chunk) {
			/* Never painted: all unmapped. */
			if (!(allowed & 1u << GS_UNMAPPED))
				return gs_bad(va, g << GS_GRANULE_SHIFT, 0,
					      bad_va, bad);
			g = stop + 1;
			continue;
		}
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
	return sizeof(*sh) + sh->nr_chunks * GS_CHUNK_BYTES + sh->table_bytes;
}

uint64_t gs_shadow_chunks(const struct gs_shadow *sh)
{
	return sh->nr_chunks;
}
