// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/* A GPU address is not an integer: no arithmetic, no plain conversions. */
static gpu_addr_t next_page(gpu_addr_t va)
{
	return va + 0x4000;
}

static gpu_addr_t from_int(uint64_t raw)
{
	gpu_addr_t va = raw;

	return va;
}

static uint64_t to_int(gpu_addr_t va)
{
	return va;
}

static int is_page_aligned(gpu_addr_t va)
{
	return (va & 0x3fff) == 0;
}

/*
 * check-name: GPU address mixed with plain integers
 * check-command: run-sparse $file
 *
 * check-error-start
gpu_addr_int.c:7:16: warning: restricted gpu_addr_t degrades to integer
gpu_addr_int.c:7:19: warning: incorrect type in return expression (different base types)
gpu_addr_int.c:7:19:    expected restricted gpu_addr_t
gpu_addr_int.c:7:19:    got unsigned long
gpu_addr_int.c:12:25: warning: incorrect type in initializer (different base types)
gpu_addr_int.c:12:25:    expected restricted gpu_addr_t [usertype] va
gpu_addr_int.c:12:25:    got unsigned long [usertype] raw
gpu_addr_int.c:19:16: warning: incorrect type in return expression (different base types)
gpu_addr_int.c:19:16:    expected unsigned long
gpu_addr_int.c:19:16:    got restricted gpu_addr_t [usertype] va
gpu_addr_int.c:24:17: warning: restricted gpu_addr_t degrades to integer
 * check-error-end
 */
