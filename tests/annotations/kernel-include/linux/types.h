/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for a kernel tree's <linux/types.h>, for the test that compiles
 * annotations.h the way a kernel build does (-nostdinc -D__KERNEL__): only the
 * fixed-width names the header may rely on, nothing from libc.
 */
#ifndef GPUOWN_TEST_LINUX_TYPES_H
#define GPUOWN_TEST_LINUX_TYPES_H
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef __u32 u32;
typedef __u64 u64;
#endif
