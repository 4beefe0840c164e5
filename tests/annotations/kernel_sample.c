// SPDX-License-Identifier: MIT
/*
 * annotations.h in a kernel build: no libc header is reachable (-nostdinc),
 * the widths come from <linux/types.h>, and a profile that uses the vocabulary
 * compiles before any compiler_types.h-style header was seen.
 */
#include <gpuown/annotations.h>

struct kbo;

struct kbo *kbo_create(u32 size) __gpuown_alloc;
void kbo_put(struct kbo *bo __gpuown_frees);

struct kring {
	u64 base __gpuown_gpu_addr(kring);
	fw_shared_u32 rptr __gpuown_fw_writes;
};

gpu_addr_t kring_base(const struct kring *r)
{
	return (gpu_addr_t)r->base;
}
