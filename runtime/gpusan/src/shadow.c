// SPDX-License-Identifier: MIT
/* gpusan shadow: a lazily populated two-level map of granule state bytes. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shadow.h"

#define GS_GRANULES_PER_CHUNK (GS_CHUNK_BYTES)
#define GS_DIR_BYTES (GS_DIR_ENTRIES * sizeof(uint8_t *))

struct gs_shadow {
	uint8_t **dir;	  /* GS_DIR_ENTRIES chunk pointers, NORESERVE */
	uint8_t **chunks; /* every allocated chunk, for destroy and stats */
	size_t nr_chunks, cap_chunks;
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
	struct gs_shadow *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return -ENOMEM;
	/* Reserved, not committed: only directory pages that get a chunk are.
	 */
	sh->dir = mmap(NULL, GS_DIR_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sh->dir == MAP_FAILED) {
		free(sh);
		return -ENOMEM;
	}
	*out = sh;
	return 0;
}

void gs_shadow_destroy(struct gs_shadow *sh)
{
	size_t i;

	if (!sh)
		return;
	for (i = 0; i < sh->nr_chunks; i++)
		munmap(sh->chunks[i], GS_CHUNK_BYTES);
	free(sh->chunks);
	munmap(sh->dir, GS_DIR_BYTES);
	free(sh);
}

static const uint8_t *gs_chunk(const struct gs_shadow *sh, uint64_t ci)
{
	return __atomic_load_n(&sh->dir[ci], __ATOMIC_ACQUIRE);
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

static uint8_t *gs_chunk_get_or_alloc(struct gs_shadow *sh, uint64_t ci)
{
	uint8_t *chunk = sh->dir[ci];
	uint8_t **grown;

	if (chunk)
		return chunk;
	if (sh->nr_chunks == sh->cap_chunks) {
		size_t cap = sh->cap_chunks ? sh->cap_chunks * 2 : 16;

		grown = realloc(sh->chunks, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		sh->chunks = grown;
		sh->cap_chunks = cap;
	}
	chunk = mmap(NULL, GS_CHUNK_BYTES, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (chunk == MAP_FAILED)
		return NULL;
	sh->chunks[sh->nr_chunks++] = chunk;
	/* Readers see either NULL (unmapped) or a zeroed, complete chunk. */
	__atomic_store_n(&sh->dir[ci], chunk, __ATOMIC_RELEASE);
	return chunk;
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

static uint64_t gs_resident_pages(void *addr, size_t len)
{
	long psz = sysconf(_SC_PAGESIZE);
	size_t n = (len + psz - 1) / psz, i;
	unsigned char *vec = malloc(n);
	uint64_t resident = 0;

	if (!vec)
		return 0;
	if (mincore(addr, len, vec) == 0) {
		for (i = 0; i < n; i++)
			resident += vec[i] & 1;
	}
	free(vec);
	return resident * psz;
}

uint64_t gs_shadow_resident(const struct gs_shadow *sh)
{
	uint64_t bytes = gs_resident_pages(sh->dir, GS_DIR_BYTES);
	size_t i;

	for (i = 0; i < sh->nr_chunks; i++)
		bytes += gs_resident_pages(sh->chunks[i], GS_CHUNK_BYTES);
	return bytes;
}

uint64_t gs_shadow_chunks(const struct gs_shadow *sh)
{
	return sh->nr_chunks;
}
