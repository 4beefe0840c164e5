/* SPDX-License-Identifier: MIT */
/*
 * <stdlib.h> for the reference driver compiled in a kernel: its allocations
 * (device, contexts, jobs, the workload's buffers) come from kvmalloc, in
 * process context; kvfree() takes either kind of memory.
 */
#ifndef SIMGPU_COMPAT_STDLIB_H
#define SIMGPU_COMPAT_STDLIB_H

#include <linux/slab.h>
#include <linux/mm.h>

static inline void *malloc(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static inline void *calloc(size_t n, size_t size)
{
	return kvcalloc(n, size, GFP_KERNEL);
}

static inline void free(void *p)
{
	kvfree(p);
}

#endif /* SIMGPU_COMPAT_STDLIB_H */
