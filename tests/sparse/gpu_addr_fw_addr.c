// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/*
 * GPU virtual addresses and firmware addresses are two address spaces: one
 * is never used where the other belongs.
 */
static fw_addr_t as_fw(gpu_addr_t va)
{
	return va;
}

static void store_va(gpu_addr_t *dst, fw_addr_t fa)
{
	*dst = fa;
}

static int same(gpu_addr_t va, fw_addr_t fa)
{
	return va == fa;
}

/*
 * check-name: GPU address mixed with a firmware address
 * check-command: run-sparse $file
 *
 * check-error-start
gpu_addr_fw_addr.c:10:16: warning: incorrect type in return expression (different base types)
gpu_addr_fw_addr.c:10:16:    expected restricted fw_addr_t
gpu_addr_fw_addr.c:10:16:    got restricted gpu_addr_t [usertype] va
gpu_addr_fw_addr.c:15:14: warning: incorrect type in assignment (different base types)
gpu_addr_fw_addr.c:15:14:    expected restricted gpu_addr_t [usertype]
gpu_addr_fw_addr.c:15:14:    got restricted fw_addr_t [usertype] fa
gpu_addr_fw_addr.c:20:16: warning: restricted gpu_addr_t degrades to integer
gpu_addr_fw_addr.c:20:22: warning: restricted fw_addr_t degrades to integer
 * check-error-end
 */
