// SPDX-License-Identifier: MIT
/*
 * Backing pages and raw copies through the physical view.
 *
 * The runtime tracker poisons the CPU view of objects the CPU must not touch
 * (ASan manual poisoning). The firmware and the runtime itself go through the
 * physical view, a second mapping of the same memfd, with the raw copy
 * helpers of internal.h.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int phys_alloc(struct gpuown_mm *mm, uint64_t *off)
{
	uint32_t pg;

	pthread_mutex_lock(&mm->page_lock);
	if (!mm->nfree_pages) {
		pthread_mutex_unlock(&mm->page_lock);
		return -ENOMEM;
	}
	pg = mm->free_pages[--mm->nfree_pages];
	mm->page_refs[pg] = 1;
	pthread_mutex_unlock(&mm->page_lock);
	*off = (uint64_t)pg << PG_SHIFT;
	atomic_fetch_add(&mm->mapped, PG_SIZE);
	return 0;
}

void phys_get(struct gpuown_mm *mm, uint64_t off)
{
	pthread_mutex_lock(&mm->page_lock);
	mm->page_refs[off >> PG_SHIFT]++;
	pthread_mutex_unlock(&mm->page_lock);
}

void phys_put(struct gpuown_mm *mm, uint64_t off)
{
	uint32_t pg = (uint32_t)(off >> PG_SHIFT);
	bool freed = false;

	pthread_mutex_lock(&mm->page_lock);
	if (mm->page_refs[pg] && --mm->page_refs[pg] == 0) {
		mm->free_pages[mm->nfree_pages++] = pg;
		freed = true;
	}
	pthread_mutex_unlock(&mm->page_lock);
	if (freed)
		atomic_fetch_sub(&mm->mapped, PG_SIZE);
}

char *vm_phys_ptr(struct gpuown_vm *vm, uint64_t va)
{
	uint64_t pte = pt_lookup(vm->pt, va);

	if (!(pte & PTE_VALID))
		return NULL;
	return vm->mm->phys + PTE_ADDR(pte) + (va & PT_MASK);
}

/* Walk [va, va+len) page by page; unmapped pages are skipped. */
static void vm_phys_walk(struct gpuown_vm *vm, uint64_t va, uint64_t len,
			 void *buf, const void *src, int fill)
{
	uint64_t done = 0, chunk;
	char *p;

	while (done < len) {
		chunk = PT_SIZE - ((va + done) & PT_MASK);
		if (chunk > len - done)
			chunk = len - done;
		p = vm_phys_ptr(vm, va + done);
		if (p && buf)
			raw_copy((char *)buf + done, p, chunk);
		else if (p && src)
			raw_copy(p, (const char *)src + done, chunk);
		else if (p)
			raw_fill(p, fill, chunk);
		done += chunk;
	}
}

void vm_phys_fill(struct gpuown_vm *vm, uint64_t va, uint64_t len, int c)
{
	vm_phys_walk(vm, va, len, NULL, NULL, c);
}
