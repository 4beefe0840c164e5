// SPDX-License-Identifier: MIT
/*
 * gpusan shadow: a lazily populated three-level table of granule state bytes
 * (encoding in <gpuown/shadow.h>). All memory comes from the host.
 */
#include <gpuown/host.h>
#include <gpuown/shadow.h>

#define GS_GRANULES_PER_CHUNK (GS_CHUNK_BYTES)
#define GS_L0 (1u << GS_L0_BITS)
#define GS_L1 (1u << GS_L1_BITS)
#define GS_L2 (1u << GS_L2_BITS)

struct gs_l2 {
	uint8_t *chunk[GS_L2]; /* atomic */
};

struct gs_l1 {
	struct gs_l2 *l2[GS_L1]; /* atomic */
};

struct gs_shadow {
	struct gs_l1 *l0[GS_L0]; /* atomic */
	uint64_t nr_chunks, nr_tables;
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

void gs_shadow_destroy(struct gs_shadow *sh)
{
	unsigned i, j, k;

	if (!sh)
		return;
	for (i = 0; i < GS_L0; i++) {
		struct gs_l1 *l1 = sh->l0[i];

		for (j = 0; l1 && j < GS_L1; j++) {
			struct gs_l2 *l2 = l1->l2[j];

			for (k = 0; l2 && k < GS_L2; k++)
				gpuown_host.free(l2->chunk[k]);
			gpuown_host.free(l2);
		}
		gpuown_host.free(l1);
	}
	gpuown_host.free(sh);
}

static const uint8_t *gs_chunk(const struct gs_shadow *sh, uint64_t ci)
{
	const struct gs_l1 *l1;
	const struct gs_l2 *l2;

	l1 = __atomic_load_n(&sh->l0[ci >> (GS_L1_BITS + GS_L2_BITS)],
			     __ATOMIC_ACQUIRE);
	if (!l1)
		return NULL;
	l2 = __atomic_load_n(&l1->l2[(ci >> GS_L2_BITS) & (GS_L1 - 1)],
			     __ATOMIC_ACQUIRE);
	if (!l2)
		return NULL;
	return __atomic_load_n(&l2->chunk[ci & (GS_L2 - 1)], __ATOMIC_ACQUIRE);
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

/* A table entry, allocated on first use. Writers hold the context lock. */
static void *gs_slot_get(struct gs_shadow *sh, void **slot, size_t size,
			 bool chunk)
{
	void *p = *slot;

	if (p)
		return p;
	p = gpuown_host.zalloc(size);
	if (!p)
		return NULL;
	if (chunk)
		sh->nr_chunks++;
	else
		sh->nr_tables++;
	/* Readers see either NULL (unmapped) or a zeroed, complete entry. */
	__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	return p;
}

static uint8_t *gs_chunk_get_or_alloc(struct gs_shadow *sh, uint64_t ci)
{
	struct gs_l1 *l1;
	struct gs_l2 *l2;

	l1 = gs_slot_get(sh, (void **)&sh->l0[ci >> (GS_L1_BITS + GS_L2_BITS)],
			 sizeof(*l1), false);
	if (!l1)
		return NULL;
	l2 = gs_slot_get(sh, (void **)&l1->l2[(ci >> GS_L2_BITS) & (GS_L1 - 1)],
			 sizeof(*l2), false);
	if (!l2)
		return NULL;
	return gs_slot_get(sh, (void **)&l2->chunk[ci & (GS_L2 - 1)],
			   GS_CHUNK_BYTES, true);
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
			chunk = gs_chunk_get_or_alloc(sh, ci);
			if (!chunk)
				return -ENOMEM;
			cur_ci = ci;
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

		if (!chunk)
			return gs_bad(va, g << GS_GRANULE_SHIFT, 0, bad_va,
				      bad);
		if (stop > last)
			stop = last;
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
	return sizeof(*sh) + sh->nr_chunks * GS_CHUNK_BYTES +
	       sh->nr_tables * sizeof(struct gs_l1);
}

uint64_t gs_shadow_chunks(const struct gs_shadow *sh)
{
	return sh->nr_chunks;
}
