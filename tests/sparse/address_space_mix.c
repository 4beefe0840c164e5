// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/* A GPU-mapped and a firmware-mapped pointer are not CPU pointers. */
static void *to_cpu(int __gpu *g)
{
	return g;
}

static int __gpu *from_cpu(int *p)
{
	return p;
}

static void gpu_to_fw(int __gpu *g, int __fw **out)
{
	*out = g;
}

/*
 * check-name: GPU and firmware address spaces do not mix with CPU pointers
 * check-command: run-sparse $file
 *
 * check-error-start
address_space_mix.c:7:16: warning: incorrect type in return expression (different address spaces)
address_space_mix.c:7:16:    expected void *
address_space_mix.c:7:16:    got int [noderef] __gpu *g
address_space_mix.c:12:16: warning: incorrect type in return expression (different address spaces)
address_space_mix.c:12:16:    expected int [noderef] __gpu *
address_space_mix.c:12:16:    got int *p
address_space_mix.c:17:14: warning: incorrect type in assignment (different address spaces)
address_space_mix.c:17:14:    expected int [noderef] __fw *
address_space_mix.c:17:14:    got int [noderef] __gpu *g
 * check-error-end
 */
