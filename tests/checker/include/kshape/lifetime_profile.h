/* SPDX-License-Identifier: MIT */
/*
 * gpuown profile for the kernel-shaped API of lifetime.h: force-included
 * ahead of the unit (-include), so every annotated declaration comes before
 * the API's own declarations and definitions, which stay unchanged. Static
 * inlines are redeclared here, annotated, before their definitions.
 */
#ifndef KSHAPE_LIFETIME_PROFILE_H
#define KSHAPE_LIFETIME_PROFILE_H

#include <gpuown/annotations.h>

struct drm_device;
struct drm_file;
struct drm_gem_object;
struct dma_fence;
struct xarray;
struct xa_limit;
struct idr;
struct msm_gem_address_space;
struct intel_guc;
struct i915_vma;
struct drm_i915_gem_object;
struct amdgpu_device;
struct amdgpu_bo;
struct panfrost_gem_object;
struct panfrost_gem_mapping;
struct panfrost_file_priv;
enum i915_map_type; /* clang accepts the forward declaration */

/* GEM references. */
static inline void drm_gem_object_get(struct drm_gem_object *obj __gpuown_get);
static inline void drm_gem_object_put(struct drm_gem_object *obj __gpuown_put);
struct drm_gem_object *drm_gem_object_lookup(struct drm_file *filp,
					     unsigned int handle)
	__gpuown_lookup_get;

/* Fences: references and waits. */
static inline struct dma_fence *dma_fence_get(struct dma_fence *fence
					      __gpuown_get);
static inline void dma_fence_put(struct dma_fence *fence __gpuown_put);
static inline long dma_fence_wait(struct dma_fence *fence __gpuown_completes,
				  _Bool intr) __gpuown_wait;
long dma_fence_wait_timeout(struct dma_fence *fence __gpuown_completes,
			    _Bool intr, long timeout) __gpuown_wait_timeout;

/* Containers take over a reference and hand it back. */
int xa_alloc(struct xarray *xa, unsigned int *id, void *entry __gpuown_insert,
	     struct xa_limit limit, unsigned int gfp);
void *xa_erase(struct xarray *xa, unsigned long index) __gpuown_remove;
int idr_alloc(struct idr *idr, void *ptr __gpuown_insert, int start, int end,
	      unsigned int gfp);
void *idr_find(const struct idr *idr, unsigned long id) __gpuown_lookup;

/* msm: ERR_PTR allocation, iova through an out-parameter, a CPU mapping. */
struct drm_gem_object *msm_gem_new(struct drm_device *dev, unsigned int size,
				   unsigned int flags)
	__gpuown_alloc __gpuown_err_ptr;
int msm_gem_get_and_pin_iova_range(struct drm_gem_object *obj __gpuown_addr_of,
				   struct msm_gem_address_space *aspace,
				   unsigned long long *iova __gpuown_gpu_addr_out,
				   unsigned long long range_start,
				   unsigned long long range_end);
void *msm_gem_get_vaddr(struct drm_gem_object *obj __gpuown_addr_of)
	__gpuown_cpu_addr __gpuown_err_ptr;
/* NULL- and ERR_PTR-safe put. */
void msm_gem_kernel_put(struct drm_gem_object *bo __gpuown_put __gpuown_err_ok,
			struct msm_gem_address_space *aspace);

/* i915: handle-pointer release, GGTT offsets, pinned maps. */
struct i915_vma *intel_guc_allocate_vma(struct intel_guc *guc,
					unsigned int size)
	__gpuown_alloc __gpuown_err_ptr;
int intel_guc_allocate_and_map_vma(struct intel_guc *guc, unsigned int size,
				   struct i915_vma **out_vma __gpuown_alloc_out,
				   void **out_vaddr __gpuown_cpu_addr_out);
/* Releasing the vma also puts the GEM object it holds (vma->obj). */
void i915_vma_unpin_and_release(struct i915_vma **p_vma __gpuown_unref
				__gpuown_releases_inner(obj),
				unsigned int flags);
unsigned int intel_guc_ggtt_offset(struct intel_guc *guc,
				   struct i915_vma *vma __gpuown_addr_of)
	__gpuown_fw_addr_fn;
static inline void
i915_gem_object_put(struct drm_i915_gem_object *obj __gpuown_put);
void *i915_gem_object_pin_map_unlocked(struct drm_i915_gem_object *obj
				       __gpuown_addr_of,
				       enum i915_map_type type)
	__gpuown_cpu_addr __gpuown_err_ptr;

/* amdgpu: out-parameter allocation with its addresses; unref clears. */
int amdgpu_bo_create_kernel(struct amdgpu_device *adev, unsigned long size,
			    int align, unsigned int domain,
			    struct amdgpu_bo **bo_ptr __gpuown_alloc_out,
			    unsigned long long *gpu_addr __gpuown_gpu_addr_out,
			    void **cpu_addr __gpuown_cpu_addr_out);
void amdgpu_bo_free_kernel(struct amdgpu_bo **bo __gpuown_frees,
			   unsigned long long *gpu_addr, void **cpu_addr);
struct amdgpu_bo *amdgpu_bo_ref(struct amdgpu_bo *bo __gpuown_get);
void amdgpu_bo_unref(struct amdgpu_bo **bo __gpuown_unref __gpuown_put);

/* panfrost: a lookup that returns a new reference. */
struct panfrost_gem_mapping *
panfrost_gem_mapping_get(struct panfrost_gem_object *bo,
			 struct panfrost_file_priv *priv) __gpuown_lookup_get;
void panfrost_gem_mapping_put(struct panfrost_gem_mapping *mapping
			      __gpuown_put);

#endif
