// SPDX-License-Identifier: MIT
/*
 * The shadow of one GPU or firmware address space in kernel memory: the
 * interface and encoding of runtime/gpusan/src/shadow.h (one byte per 16-byte
 * granule, high nibble the state, low nibble a partial count), so a shadow
 * dump reads the same in dmesg as in user space.
 *
 * User space reserves a flat directory with MAP_NORESERVE; the kernel cannot
 * reserve 2 GiB of pointers, so the 48-bit space is a three-level radix tree
 * (11 + 11 + 10 bits) over 4 KiB chunks that each shadow 64 KiB of VA. Every
 * level is allocated on first paint (GFP_ATOMIC: painters hold gs_lock) and
 * never freed before the shadow is: untouched VA costs nothing, and readers
 * walk it without a lock (acquire loads of published pointers).
 * Firmware addresses are sign-extended 48-bit values; their low 48 bits index
 * the tree.
 */
#include <linux/atomic.h>
#include <linux/slab.h>

#include "gpusan_internal.h"

#define CH_VA_SHIFT 16 /* 64 KiB of VA per chunk */
#define CH_BYTES (1u << (CH_VA_SHIFT - GS_GRANULE_SHIFT))
#define L2_BITS 10
#define L1_BITS 11
#define L0_BITS 11
#define VA_MASK ((1ull << GS_VA_BITS) - 1)

struct gs_l2 {
	u8 *chunk[1u << L2_BITS];
};

struct gs_l1 {
	struct gs_l2 *l2[1u << L1_BITS];
};

struct gs_shadow {
	struct gs_l1 *l1[1u << L0_BITS];
};

static atomic64_t gs_allocated = ATOMIC64_INIT(0);

static unsigned int idx0(u64 va)
{
	return (va >> (CH_VA_SHIFT + L2_BITS + L1_BITS)) &
	       ((1u << L0_BITS) - 1);
}

static unsigned int idx1(u64 va)
{
	return (va >> (CH_VA_SHIFT + L2_BITS)) & ((1u << L1_BITS) - 1);
}

static unsigned int idx2(u64 va)
{
	return (va >> CH_VA_SHIFT) & ((1u << L2_BITS) - 1);
}

static void *gs_zalloc(size_t size)
{
	void *p = kzalloc(size, GFP_ATOMIC | __GFP_NOWARN);

	if (p)
		atomic64_add(size, &gs_allocated);
	return p;
}

static void gs_zfree(void *p, size_t size)
{
	if (!p)
		return;
	atomic64_sub(size, &gs_allocated);
	kfree(p);
}

int gs_shadow_create(struct gs_shadow **out)
{
	*out = gs_zalloc(sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void gs_shadow_destroy(struct gs_shadow *sh)
{
	unsigned int i, j, k;

	if (!sh)
		return;
	for (i = 0; i < ARRAY_SIZE(sh->l1); i++) {
		struct gs_l1 *l1 = sh->l1[i];

		if (!l1)
			continue;
		for (j = 0; j < ARRAY_SIZE(l1->l2); j++) {
			struct gs_l2 *l2 = l1->l2[j];

			if (!l2)
				continue;
			for (k = 0; k < ARRAY_SIZE(l2->chunk); k++)
				gs_zfree(l2->chunk[k], CH_BYTES);
			gs_zfree(l2, sizeof(*l2));
		}
		gs_zfree(l1, sizeof(*l1));
	}
	gs_zfree(sh, sizeof(*sh));
}

/* The chunk holding @va, or NULL; allocated on demand when @make. */
static u8 *chunk_of(const struct gs_shadow *csh, u64 va, bool make)
{
	struct gs_shadow *sh = (struct gs_shadow *)csh;
	struct gs_l1 *l1;
	struct gs_l2 *l2;
	u8 *ch;

	va &= VA_MASK;
	l1 = smp_load_acquire(&sh->l1[idx0(va)]);
	if (!l1) {
		if (!make)
			return NULL;
		l1 = gs_zalloc(sizeof(*l1));
		if (!l1)
			return NULL;
		smp_store_release(&sh->l1[idx0(va)], l1);
	}
	l2 = smp_load_acquire(&l1->l2[idx1(va)]);
	if (!l2) {
		if (!make)
			return NULL;
		l2 = gs_zalloc(sizeof(*l2));
		if (!l2)
			return NULL;
		smp_store_release(&l1->l2[idx1(va)], l2);
	}
	ch = smp_load_acquire(&l2->chunk[idx2(va)]);
	if (!ch && make) {
		ch = gs_zalloc(CH_BYTES);
		if (ch)
			smp_store_release(&l2->chunk[idx2(va)], ch);
	}
	return ch;
}

static unsigned int byte_idx(u64 va)
{
	return ((va & VA_MASK) >> GS_GRANULE_SHIFT) & (CH_BYTES - 1);
}

uint8_t gs_shadow_get(const struct gs_shadow *sh, uint64_t va)
{
	const u8 *ch = chunk_of(sh, va, false);

	return ch ? READ_ONCE(ch[byte_idx(va)]) : 0;
}

int gs_shadow_paint(struct gs_shadow *sh, uint64_t va, uint64_t size,
		    enum gs_state st, uint32_t only_over)
{
	u64 end = va + size, g;

	if (va & (GS_GRANULE - 1))
		return -ERANGE;
	if (end < va)
		return -ERANGE;
	for (g = va; g < end; g += GS_GRANULE) {
		u64 left = end - g;
		u8 b = GS_BYTE(st, left < GS_GRANULE ? left : 0);
		u8 *ch, old;

		/* Unmapped never allocates: untouched chunks stay absent. */
		ch = chunk_of(sh, g, st != GS_UNMAPPED);
		if (!ch) {
			if (st == GS_UNMAPPED)
				continue;
			return -ENOMEM;
		}
		old = ch[byte_idx(g)];
		if (only_over && !(only_over & (1u << GS_STATE(old))))
			continue;
		if (old != b)
			WRITE_ONCE(ch[byte_idx(g)], b);
	}
	return 0;
}

bool gs_shadow_check(const struct gs_shadow *sh, uint64_t va, uint64_t size,
		     uint32_t allowed, uint64_t *bad_va, uint8_t *bad)
{
	u64 end = va + size, a = va;

	while (a < end) {
		u8 b = gs_shadow_get(sh, a);
		u64 gend = (a | (GS_GRANULE - 1)) + 1;
		unsigned int in = a & (GS_GRANULE - 1);

		if (!(allowed & (1u << GS_STATE(b))) ||
		    (GS_PARTIAL(b) && in >= GS_PARTIAL(b))) {
			*bad_va = a;
			*bad = b;
			return false;
		}
		if (GS_PARTIAL(b) && end > a - in + GS_PARTIAL(b)) {
			*bad_va = a - in + GS_PARTIAL(b);
			*bad = b;
			return false;
		}
		a = gend;
	}
	return true;
}

uint64_t gs_shadow_resident(const struct gs_shadow *sh)
{
	return atomic64_read(&gs_allocated);
}

u64 gs_shadow_allocated(void)
{
	return atomic64_read(&gs_allocated);
}

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
	[GS_FOOTPRINT] = "firmware footprint",
	[GS_BOUND] = "bound",
	[GS_BOUND_RO] = "bound (read-only)",
	[GS_UNBOUND] = "unbound, TLB not invalidated",
};

const char *gs_state_name(enum gs_state st)
{
	return st < GS_NR_STATES ? gs_state_names[st] : "?";
}
