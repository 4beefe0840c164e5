// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/*
 * Page counts in the GPU MMU's pages and in the CPU's pages: a GPU that maps
 * 4 KiB pages on a 64 KiB-page CPU counts the same buffer 16 times over. A
 * count in one unit never stands in for the other, nor for a byte size.
 */
struct kamd_gart_bind {
	gpu_pages_t npages;
	__gpuown_u64 bytes;
};

int kamd_ttm_populate(cpu_pages_t npages);

/* The CPU's page count bound as GPU pages. */
static void kamd_bind_all(struct kamd_gart_bind *b, cpu_pages_t n)
{
	b->npages = n;
}

/* A GPU page count handed to the CPU-page allocator. */
static int kamd_populate(struct kamd_gart_bind *b)
{
	return kamd_ttm_populate(b->npages);
}

/* Pages counted as bytes. */
static void kamd_size(struct kamd_gart_bind *b)
{
	b->bytes = b->npages;
}

/*
 * check-name: GPU pages, CPU pages and bytes do not mix
 * check-command: run-sparse $file
 *
 * check-error-start
kernel_units.c:19:19: warning: incorrect type in assignment (different base types)
kernel_units.c:19:19:    expected restricted gpu_pages_t [usertype] npages
kernel_units.c:19:19:    got restricted cpu_pages_t [usertype] n
kernel_units.c:25:35: warning: incorrect type in argument 1 (different base types)
kernel_units.c:25:35:    expected restricted cpu_pages_t [usertype] npages
kernel_units.c:25:35:    got restricted gpu_pages_t [usertype] npages
kernel_units.c:31:18: warning: incorrect type in assignment (different base types)
kernel_units.c:31:18:    expected unsigned long [usertype] bytes
kernel_units.c:31:18:    got restricted gpu_pages_t [usertype] npages
 * check-error-end
 */
