/* SPDX-License-Identifier: MIT */
/*
 * The few kernel types and helpers the kernel-shaped foreign APIs below use,
 * in the kernel's spelling. No gpuown annotation here or in the API headers:
 * the profiles (*_profile.h) add them from outside.
 */
#ifndef KSHAPE_KTYPES_H
#define KSHAPE_KTYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef u64 dma_addr_t;

#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#endif
