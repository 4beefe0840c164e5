// SPDX-License-Identifier: MIT
#include <gpuown/object.h>

/* A GPU address used as a CPU pointer, and a CPU address as a GPU address. */
static void mix(struct gpuown_obj *obj, uint64_t *slot)
{
	gpu_addr_t va = gpuown_obj_gpu_va(obj);
	void *cpu = gpuown_obj_cpu(obj);

	*slot = va;
	va = (uint64_t)cpu;
	(void)va;
}

/* A pointer into the GPU's address space handed out as a CPU pointer. */
static void *as_cpu(void __gpu *mapping)
{
	return mapping;
}

/*
 * check-name: sparse sees the annotations: address-space and GPU-address mixes are reported
 * check-command: run-sparse $file
 *
 * check-error-start
sparse_mix.c:10:15: warning: incorrect type in assignment (different base types)
sparse_mix.c:10:15:    expected unsigned long [usertype]
sparse_mix.c:10:15:    got restricted gpu_addr_t [usertype] va
sparse_mix.c:11:12: warning: incorrect type in assignment (different base types)
sparse_mix.c:11:12:    expected restricted gpu_addr_t [usertype] va
sparse_mix.c:11:12:    got unsigned long [usertype]
sparse_mix.c:18:16: warning: incorrect type in return expression (different address spaces)
sparse_mix.c:18:16:    expected void *
sparse_mix.c:18:16:    got void [noderef] __gpu *mapping
 * check-error-end
 */
