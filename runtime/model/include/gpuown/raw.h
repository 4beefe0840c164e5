/* SPDX-License-Identifier: MIT */
/*
 * Raw copies and atomics on simulated device memory, shared by the core and
 * the simulator host.
 *
 * In user space the runtime tracker ASan-poisons the CPU views of objects the
 * CPU must not touch; the physical view is simulated device memory that the
 * firmware thread and the CPU race on by design (that is what gpusan checks).
 * So under sanitizers the copies are not instrumented and never call
 * memcpy/memset (which ASan intercepts); driver code's own CPU-view accesses
 * stay checked. The atomics stay visible to TSan: stamps and ring pointers
 * are how the firmware thread and the driver synchronise, and TSan must see
 * that happens-before edge. Without sanitizers, and in the kernel (where the
 * memory is real and KASAN should see it), all plain and inline.
 */
#ifndef GPUOWN_RAW_H
#define GPUOWN_RAW_H

#include <gpuown/compat.h>

#ifndef __KERNEL__
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GPUOWN_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GPUOWN_SANITIZED 1
#endif

#if !defined(GPUOWN_SANITIZED)
#define RAW_ACCESS
#define RAW_ATOMIC
#elif defined(__clang__)
#define RAW_ACCESS                                                             \
	__attribute__((no_sanitize("address", "thread"), no_builtin("memcpy"), \
		       no_builtin("memset")))
#define RAW_ATOMIC __attribute__((no_sanitize("address")))
#else
#define RAW_ACCESS                                                             \
	__attribute__((no_sanitize_address, no_sanitize_thread,                \
		       optimize("no-tree-loop-distribute-patterns")))
#define RAW_ATOMIC __attribute__((no_sanitize_address))
#endif
#endif /* !__KERNEL__ */
#ifndef RAW_ACCESS
#define RAW_ACCESS
#define RAW_ATOMIC
#endif

static inline RAW_ACCESS void raw_copy(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t w;

	for (; len >= 8; len -= 8, d += 8, s += 8) {
		__builtin_memcpy(&w, s, 8);
		__builtin_memcpy(d, &w, 8);
	}
	while (len--)
		*d++ = *s++;
}

static inline RAW_ACCESS void raw_fill(void *dst, int c, size_t len)
{
	unsigned char *d = dst;
	uint64_t w = 0x0101010101010101ull * (unsigned char)c;

	for (; len >= 8; len -= 8, d += 8)
		__builtin_memcpy(d, &w, 8);
	while (len--)
		*d++ = (unsigned char)c;
}

static inline RAW_ATOMIC uint32_t raw_load32(const void *p)
{
	return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
}

static inline RAW_ATOMIC void raw_store32(void *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p, v, __ATOMIC_RELEASE);
}

static inline RAW_ATOMIC uint64_t raw_load64(const void *p)
{
	return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

static inline RAW_ATOMIC void raw_store64(void *p, uint64_t v)
{
	__atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE);
}

#endif /* GPUOWN_RAW_H */
