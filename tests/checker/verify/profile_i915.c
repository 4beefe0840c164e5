// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=core.builtin,gpuown.Lifetime,gpuown.Ownership
/*
 * The shipped i915 GuC profile (profiles/i915-guc.h), unchanged, on the
 * shapes of Linux 6.1's gt/uc code, reduced and declared here after the
 * profile as the kernel's headers come after it in a real unit:
 *   - a vma holds the reference on its GEM object, so a map pinned on
 *     vma->obj dies with the vma (__gpuown_releases_inner(obj));
 *   - an H2G message over the CT carrying a GGTT offset hands the object to
 *     the GuC (__gpuown_publishes_addr on intel_guc_ct_send(), reached
 *     through the static inline intel_guc_send());
 *   - the hwconfig request over MMIO lends the buffer for the call only.
 * Each positive case has a silent twin.
 */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;
typedef _Bool bool;

#include "../../../profiles/i915-guc.h"

#define NULL ((void *)0)
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x)                                                        \
	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
#define ENOMEM 12

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

struct kref {
	int refcount;
};
struct drm_gem_object {
	struct kref refcount;
	size_t size;
};
struct drm_i915_gem_object {
	struct drm_gem_object base;
	u32 flags;
};
struct i915_vma {
	struct drm_i915_gem_object *obj;
	u64 node_start;
	u64 size;
};
enum i915_map_type { I915_MAP_WB = 0, I915_MAP_WC };
#define I915_VMA_RELEASE_MAP (1u << 0)

struct intel_guc_ct {
	struct i915_vma *vma;
};
struct intel_guc_slpc {
	struct i915_vma *vma;
	u32 *vaddr;
};
struct intel_guc {
	struct intel_guc_ct ct;
	struct intel_guc_slpc slpc;
};

/* The SLPC code reaches the GuC with container_of() on its own struct, so
 * &guc->ct and slpc->vaddr are parts of one object for the analyzer. */
static inline struct intel_guc *slpc_to_guc(struct intel_guc_slpc *slpc)
{
	return (struct intel_guc *)((char *)slpc -
				    __builtin_offsetof(struct intel_guc, slpc));
}

struct i915_vma *intel_guc_allocate_vma(struct intel_guc *guc, u32 size);
int intel_guc_allocate_and_map_vma(struct intel_guc *guc, u32 size,
				   struct i915_vma **out_vma, void **out_vaddr);
void i915_vma_unpin_and_release(struct i915_vma **p_vma, unsigned int flags);
void *i915_gem_object_pin_map_unlocked(struct drm_i915_gem_object *obj,
				       enum i915_map_type type);
int intel_guc_ct_send(struct intel_guc_ct *ct, const u32 *action, u32 len,
		      u32 *response_buf, u32 response_buf_size, u32 flags);
int intel_guc_send_mmio(struct intel_guc *guc, const u32 *action, u32 len,
			u32 *response_buf, u32 response_buf_size);

/* As in the kernel: the offset is lower_32_bits() of the node's start, so
 * the address the analyzer records is a masked expression. */
#define lower_32_bits(n) ((u32)((n)&0xffffffff))

static inline u32 intel_guc_ggtt_offset(struct intel_guc *guc,
					struct i915_vma *vma)
{
	u32 offset = lower_32_bits(vma->node_start);

	return offset;
}

static inline int intel_guc_send(struct intel_guc *guc, const u32 *action,
				 u32 len)
{
	return intel_guc_ct_send(&guc->ct, action, len, NULL, 0, 0);
}

/* ---- 1. a map pinned on vma->obj, read after the vma's release */
u32 p1(struct intel_guc *guc)
{
	struct i915_vma *vma = intel_guc_allocate_vma(guc, 4096);
	u32 *map;

	if (IS_ERR(vma))
		return 0;
	map = i915_gem_object_pin_map_unlocked(vma->obj, I915_MAP_WB);
	if (IS_ERR(map)) {
		i915_vma_unpin_and_release(&vma, 0);
		return 0;
	}
	i915_vma_unpin_and_release(&vma, I915_VMA_RELEASE_MAP);
	return map[0]; // expected-warning{{Read of a GPU object through its CPU address after a put that may have dropped its last reference}}
}

u32 n1(struct intel_guc *guc)
{
	struct i915_vma *vma = intel_guc_allocate_vma(guc, 4096);
	u32 *map, v;

	if (IS_ERR(vma))
		return 0;
	map = i915_gem_object_pin_map_unlocked(vma->obj, I915_MAP_WB);
	if (IS_ERR(map)) {
		i915_vma_unpin_and_release(&vma, 0);
		return 0;
	}
	v = map[0]; // no-warning
	i915_vma_unpin_and_release(&vma, I915_VMA_RELEASE_MAP);
	return v;
}

/* The shape of intel_guc_allocate_and_map_vma(): the error code of a map
 * that failed is read after the release. */
int n1b(struct intel_guc *guc, struct i915_vma **out_vma, void **out_vaddr)
{
	struct i915_vma *vma;
	void *vaddr;

	vma = intel_guc_allocate_vma(guc, 4096);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	vaddr = i915_gem_object_pin_map_unlocked(vma->obj, I915_MAP_WB);
	if (IS_ERR(vaddr)) {
		i915_vma_unpin_and_release(&vma, 0);
		return PTR_ERR(vaddr); // no-warning
	}
	*out_vma = vma;
	*out_vaddr = vaddr;
	return 0;
}

/* ---- 2. SLPC's shared data: its offset sent over the CT hands it over,
 * so a CPU write to it afterwards is reported */
int p2(struct intel_guc_slpc *slpc)
{
	struct intel_guc *guc = slpc_to_guc(slpc);
	u32 action[2];
	int ret;

	ret = intel_guc_allocate_and_map_vma(guc, 4096, &slpc->vma,
					     (void **)&slpc->vaddr);
	if (ret)
		return ret;
	action[0] = 0x3003;
	action[1] = intel_guc_ggtt_offset(guc, slpc->vma);
	ret = intel_guc_send(guc, action, 2);
	if (ret)
		return ret;
	memset(slpc->vaddr, 0, 64); // expected-warning{{CPU write to a GPU object while the firmware owns it (by memset)}}
	return 0;
}

int n2(struct intel_guc_slpc *slpc)
{
	struct intel_guc *guc = slpc_to_guc(slpc);
	u32 action[2];
	int ret;

	ret = intel_guc_allocate_and_map_vma(guc, 4096, &slpc->vma,
					     (void **)&slpc->vaddr);
	if (ret)
		return ret;
	memset(slpc->vaddr, 0, 64); // no-warning: before the hand-over
	action[0] = 0x3003;
	action[1] = intel_guc_ggtt_offset(guc, slpc->vma);
	return intel_guc_send(guc, action, 2);
}

/* ---- 3. the hwconfig table: the GuC fills the buffer during an MMIO
 * request and keeps nothing, so reading it and releasing it are fine */
int n3(struct intel_guc *guc, void *dst, u32 size)
{
	struct i915_vma *vma;
	void *vaddr;
	u32 action[3];
	int ret;

	ret = intel_guc_allocate_and_map_vma(guc, size, &vma, &vaddr);
	if (ret)
		return ret;
	action[0] = 0x4100;
	action[1] = intel_guc_ggtt_offset(guc, vma);
	action[2] = size;
	ret = intel_guc_send_mmio(guc, action, 3, NULL, 0);
	if (ret >= 0)
		memcpy(dst, vaddr, size); // no-warning
	i915_vma_unpin_and_release(&vma, I915_VMA_RELEASE_MAP); // no-warning
	return ret;
}
