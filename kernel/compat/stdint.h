/* SPDX-License-Identifier: MIT */
/*
 * <stdint.h> for gpuown's portable headers and sources compiled in a kernel
 * (kbuild passes -nostdinc): the kernel's own types stand in for libc's.
 * Only gpusan's objects have this directory on their include path.
 */
#ifndef GPUSAN_COMPAT_STDINT_H
#define GPUSAN_COMPAT_STDINT_H
#include <linux/types.h>
#include <linux/stddef.h>
#endif
