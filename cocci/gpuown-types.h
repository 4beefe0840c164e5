/* SPDX-License-Identifier: MIT */
/*
 * Types for spatch (--include): the integer typedefs of <stdint.h> and
 * <stddef.h> and gpuown's address types. Rules run without parsing the real
 * headers (kernel convention, --no-includes), so without these spatch reads
 * `(uintptr_t)&buf` as a bitwise and, and loses the cast.
 */
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef _Bool bool;

typedef uint64_t gpu_addr_t;
typedef uint64_t fw_addr_t;
typedef uint32_t fw_shared_u32;
typedef uint64_t fw_shared_u64;
