// SPDX-License-Identifier: MIT
/*
 * Page tables: a three-level radix over 48-bit VAs with 4 KiB entries (a
 * 16 KiB page is four of them).
 *
 * Readers (every firmware / GPU access) walk it with acquire loads and no
 * lock; writers hold the VM lock. Intermediate tables are never freed before
 * the VM is destroyed, so a reader racing an unmap sees either the old entry
 * or zero, never freed memory.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

#define L1_MASK ((1u << PT_L1_BITS) - 1)
#define L2_MASK ((1u << PT_L2_BITS) - 1)

struct pt *pt_create(void)
{
	return calloc(1, sizeof(struct pt));
}

void pt_destroy(struct pt *pt)
{
	unsigned i, j;
	struct pt_mid *mid;

	if (!pt)
		return;
	for (i = 0; i < (1u << PT_L0_BITS); i++) {
		mid = atomic_load_explicit(&pt->mid[i], memory_order_relaxed);
		if (!mid)
			continue;
		for (j = 0; j < (1u << PT_L1_BITS); j++)
			free(atomic_load_explicit(&mid->leaf[j],
						  memory_order_relaxed));
		free(mid);
	}
	free(pt);
}

static struct pt_leaf *pt_leaf_get(struct pt *pt, uint64_t pn, bool create)
{
	struct pt_mid *mid;
	struct pt_leaf *leaf;
	_Atomic(struct pt_mid *) *mslot =
		&pt->mid[pn >> (PT_L1_BITS + PT_L2_BITS)];
	_Atomic(struct pt_leaf *) *lslot;

	mid = atomic_load_explicit(mslot, memory_order_relaxed);
	if (!mid) {
		if (!create)
			return NULL;
		mid = calloc(1, sizeof(*mid));
		if (!mid)
			return NULL;
		atomic_store_explicit(mslot, mid, memory_order_release);
	}
	lslot = &mid->leaf[(pn >> PT_L2_BITS) & L1_MASK];
	leaf = atomic_load_explicit(lslot, memory_order_relaxed);
	if (!leaf) {
		if (!create)
			return NULL;
		leaf = calloc(1, sizeof(*leaf));
		if (!leaf)
			return NULL;
		atomic_store_explicit(lslot, leaf, memory_order_release);
	}
	return leaf;
}

int pt_set(struct pt *pt, uint64_t va, uint64_t pte)
{
	uint64_t pn = va >> PT_SHIFT;
	struct pt_leaf *leaf;

	if (va >= VA_LIMIT)
		return -EINVAL;
	leaf = pt_leaf_get(pt, pn, true);
	if (!leaf)
		return -ENOMEM;
	atomic_store_explicit(&leaf->pte[pn & L2_MASK], pte,
			      memory_order_release);
	return 0;
}

void pt_clear(struct pt *pt, uint64_t va)
{
	uint64_t pn = va >> PT_SHIFT;
	struct pt_leaf *leaf;

	if (va >= VA_LIMIT)
		return;
	leaf = pt_leaf_get(pt, pn, false);
	if (leaf)
		atomic_store_explicit(&leaf->pte[pn & L2_MASK], 0,
				      memory_order_release);
}

int pt_set_page(struct pt *pt, uint64_t va, uint64_t pte)
{
	uint64_t i;
	int err;

	/* The four entries share a leaf: only the first may need memory. */
	for (i = 0; i < PT_PER_PG; i++) {
		err = pt_set(pt, va + i * PT_SIZE, pte + i * PT_SIZE);
		if (err)
			return err;
	}
	return 0;
}

void pt_clear_page(struct pt *pt, uint64_t va)
{
	uint64_t i;

	for (i = 0; i < PT_PER_PG; i++)
		pt_clear(pt, va + i * PT_SIZE);
}
