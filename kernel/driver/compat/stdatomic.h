/* SPDX-License-Identifier: MIT */
/*
 * <stdatomic.h> for the reference driver compiled in a kernel: the C11
 * operations it uses, on the compiler's __atomic builtins (as the portable
 * core's <gpuown/compat.h> does), which gcc and clang provide in both
 * environments. Counters are plain integers accessed only through them.
 */
#ifndef SIMGPU_COMPAT_STDATOMIC_H
#define SIMGPU_COMPAT_STDATOMIC_H

#include <linux/types.h>

typedef u64 atomic_uint_fast64_t;

#define memory_order_relaxed __ATOMIC_RELAXED
#define memory_order_acquire __ATOMIC_ACQUIRE
#define memory_order_release __ATOMIC_RELEASE
#define memory_order_acq_rel __ATOMIC_ACQ_REL
#define memory_order_seq_cst __ATOMIC_SEQ_CST

#define atomic_load(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define atomic_store(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetch_add_explicit(p, v, mo) __atomic_fetch_add((p), (v), (mo))
#define atomic_thread_fence(mo) __atomic_thread_fence(mo)

#endif /* SIMGPU_COMPAT_STDATOMIC_H */
