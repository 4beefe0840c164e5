/* SPDX-License-Identifier: MIT */
/*
 * The only environment the portable core (runtime/model) assumes: fixed-width
 * integers, bool, size_t, errno values, the string functions and snprintf.
 * Both a Linux kernel (kbuild, -nostdinc) and a hosted C11 library provide
 * those under different headers; everything else (memory, locks, stacks,
 * printing, address translation) comes from the host through
 * <gpuown/host.h>.
 *
 * Atomics use the compiler's __atomic builtins, which gcc and clang provide
 * in both environments, so no <stdatomic.h> (absent in the kernel).
 */
#ifndef GPUOWN_COMPAT_H
#define GPUOWN_COMPAT_H

#ifdef __KERNEL__
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h> /* snprintf, vsnprintf */
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>
/* The kernel's u64 is unsigned long long on every architecture. */
#ifndef PRIx64
#define PRIx64 "llx"
#define PRIu64 "llu"
#endif
#else
#include <ctype.h>
#include <errno.h>
#include <inttypes.h> /* PRIx64, PRIu64 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* snprintf, vsnprintf: the only stdio the core uses */
#include <string.h>
#endif

#ifndef GPUOWN_ARRAY_SIZE
#define GPUOWN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Acquire / release / relaxed accessors for fields shared between threads. */
#define GPUOWN_LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define GPUOWN_STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define GPUOWN_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define GPUOWN_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define GPUOWN_FETCH_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define GPUOWN_FETCH_SUB(p, v) __atomic_fetch_sub((p), (v), __ATOMIC_SEQ_CST)

/* The public entry point's return address, for reports (both compilers). */
#define GPUOWN_CALLER() __builtin_return_address(0)

#endif /* GPUOWN_COMPAT_H */
