/* SPDX-License-Identifier: MIT */
/*
 * A kernel-shaped foreign API, declared the way a Linux 6.1 GPU driver sees
 * it: error pointers, kref, GEM objects, DMA fences, an xarray, and the
 * object APIs of msm, i915's GuC code, amdgpu and panfrost. Reduced and
 * written for these tests; nothing here knows gpuown. The analyzer is brought
 * to it through a profile (lifetime_profile.h, force-included ahead of the
 * unit), exactly as gpuown-check --profile does for a real tree.
 *
 * The static inlines have the kernel's shapes (a NULL test, then kref_put()
 * with a release function called through a pointer), so a put is invisible
 * to the analyzer unless its annotation says what it does.
 */
#ifndef KSHAPE_LIFETIME_H
#define KSHAPE_LIFETIME_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef _Bool bool;
typedef unsigned long size_t;
#define true 1
#define false 0
#define NULL ((void *)0)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ENOMEM 12
#define EINVAL 22
#define ETIMEDOUT 110
#define ERESTARTSYS 512

/* ---- linux/err.h */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

static inline int PTR_ERR_OR_ZERO(const void *ptr)
{
	if (IS_ERR(ptr))
		return PTR_ERR(ptr);
	return 0;
}

/* ---- linux/kref.h: the count is opaque (an atomic in the kernel) */
struct kref {
	int refcount;
};

int kref_dec_and_test(struct kref *kref);
void kref_inc(struct kref *kref);

static inline void kref_get(struct kref *kref)
{
	kref_inc(kref);
}

static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (kref_dec_and_test(kref)) {
		release(kref);
		return 1;
	}
	return 0;
}

/* ---- drm/drm_gem.h */
struct drm_device;
struct drm_file;

struct drm_gem_object {
	struct kref refcount;
	size_t size;
	u32 name;
};

void drm_gem_object_free(struct kref *kref);

static inline void drm_gem_object_get(struct drm_gem_object *obj)
{
	kref_get(&obj->refcount);
}

static inline void drm_gem_object_put(struct drm_gem_object *obj)
{
	if (obj)
		kref_put(&obj->refcount, drm_gem_object_free);
}

struct drm_gem_object *drm_gem_object_lookup(struct drm_file *filp, u32 handle);

/* ---- linux/dma-fence.h */
#define MAX_SCHEDULE_TIMEOUT 0x7fffffffffffffffL

struct dma_fence {
	struct kref refcount;
	u64 seqno;
};

void dma_fence_release(struct kref *kref);
long dma_fence_wait_timeout(struct dma_fence *fence, bool intr, long timeout);

static inline struct dma_fence *dma_fence_get(struct dma_fence *fence)
{
	if (fence)
		kref_get(&fence->refcount);
	return fence;
}

static inline void dma_fence_put(struct dma_fence *fence)
{
	if (fence)
		kref_put(&fence->refcount, dma_fence_release);
}

static inline long dma_fence_wait(struct dma_fence *fence, bool intr)
{
	long ret = dma_fence_wait_timeout(fence, intr, MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
}

/* ---- linux/xarray.h and linux/idr.h */
struct xarray {
	void *head;
};
struct xa_limit {
	u32 max, min;
};
#define xa_limit_32b ((struct xa_limit){ .max = 0xffffffff, .min = 0 })
typedef unsigned int gfp_t;
#define GFP_KERNEL 0u

int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
	     gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void *xa_load(struct xarray *xa, unsigned long index);

struct idr {
	void *root;
};
int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
void *idr_find(const struct idr *idr, unsigned long id);
void *idr_remove(struct idr *idr, unsigned long id);

/* ---- msm (drm/msm/msm_gem.h) */
struct msm_gem_address_space;
#define MSM_BO_WC 0x00010000u

struct drm_gem_object *msm_gem_new(struct drm_device *dev, u32 size, u32 flags);
int msm_gem_get_and_pin_iova_range(struct drm_gem_object *obj,
				   struct msm_gem_address_space *aspace,
				   u64 *iova, u64 range_start, u64 range_end);
void *msm_gem_get_vaddr(struct drm_gem_object *obj);
void msm_gem_put_vaddr(struct drm_gem_object *obj);
void msm_gem_kernel_put(struct drm_gem_object *bo,
			struct msm_gem_address_space *aspace);
void msm_gmu_write_iova(struct msm_gem_address_space *aspace, u64 iova);

/* ---- i915 (i915_vma.h, gem/i915_gem_object.h, gt/uc/intel_guc.h) */
struct intel_guc;
struct drm_i915_gem_object {
	struct drm_gem_object base;
	u32 flags;
};
struct i915_vma {
	struct drm_i915_gem_object *obj;
	u64 size;
};
enum i915_map_type { I915_MAP_WB = 0, I915_MAP_WC };
#define I915_VMA_RELEASE_MAP (1u << 0)

struct i915_vma *intel_guc_allocate_vma(struct intel_guc *guc, u32 size);
int intel_guc_allocate_and_map_vma(struct intel_guc *guc, u32 size,
				   struct i915_vma **out_vma, void **out_vaddr);
void i915_vma_unpin_and_release(struct i915_vma **p_vma, unsigned int flags);
u32 intel_guc_ggtt_offset(struct intel_guc *guc, struct i915_vma *vma);
void *i915_gem_object_pin_map_unlocked(struct drm_i915_gem_object *obj,
				       enum i915_map_type type);
void intel_guc_send_ptr(struct intel_guc *guc, u32 offset);

static inline void i915_gem_object_put(struct drm_i915_gem_object *obj)
{
	drm_gem_object_put(&obj->base);
}

/* The GuC's command transport: the vma sits first in the struct. */
struct intel_guc_ct {
	struct i915_vma *vma;
	bool enabled;
	u32 *cmds;
};

/* ---- amdgpu (amdgpu_object.h) */
struct amdgpu_device;
struct amdgpu_bo {
	struct drm_gem_object base;
	u64 flags;
};
#define AMDGPU_GEM_DOMAIN_VRAM 0x4u

int amdgpu_bo_create_kernel(struct amdgpu_device *adev, unsigned long size,
			    int align, u32 domain, struct amdgpu_bo **bo_ptr,
			    u64 *gpu_addr, void **cpu_addr);
void amdgpu_bo_free_kernel(struct amdgpu_bo **bo, u64 *gpu_addr,
			   void **cpu_addr);
struct amdgpu_bo *amdgpu_bo_ref(struct amdgpu_bo *bo);
void amdgpu_bo_unref(struct amdgpu_bo **bo);
void amdgpu_ring_emit_addr(struct amdgpu_device *adev, u64 gpu_addr);

/* ---- panfrost (panfrost_gem.h) */
struct panfrost_file_priv;
struct panfrost_gem_object {
	struct drm_gem_object base;
};
struct panfrost_gem_mapping {
	struct kref refcount;
	struct panfrost_gem_object *obj;
	u64 mmnode_start;
};

struct panfrost_gem_mapping *
panfrost_gem_mapping_get(struct panfrost_gem_object *bo,
			 struct panfrost_file_priv *priv);
void panfrost_gem_mapping_put(struct panfrost_gem_mapping *mapping);

#endif
