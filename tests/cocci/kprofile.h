/* SPDX-License-Identifier: MIT */
/*
 * A profile for the kernel-shaped Coccinelle tests (the idiom rules): the
 * reference counts, handle-pointer frees, fence waits, VM unmaps and TLB
 * flushes, mappings and address hand-overs of a reduced amdgpu-, i915- and
 * msm-shaped driver API, annotated. The tests' code declares the same
 * functions without annotations, as a kernel header would; the rules learn
 * every name from here.
 */
#include <gpuown/annotations.h>

struct drm_gem_object;
struct dma_fence;
struct i915_vma;
struct intel_guc;
struct kamd_dev;
struct kamd_bo;

typedef unsigned int u32;
typedef unsigned long long u64;

/* References (kref-based). */
void drm_gem_object_get(struct drm_gem_object *obj __gpuown_get);
void drm_gem_object_put(struct drm_gem_object *obj __gpuown_put);
struct dma_fence *dma_fence_get(struct dma_fence *fence __gpuown_get);
void dma_fence_put(struct dma_fence *fence __gpuown_put);
struct drm_gem_object *drm_gem_object_lookup(void *filp, u32 handle)
	__gpuown_lookup_get;

/* Frees and puts through a pointer to the handle. */
void i915_vma_unpin_and_release(struct i915_vma **p_vma __gpuown_unref,
				unsigned int flags);
void kamd_bo_unref(struct kamd_bo **bo __gpuown_unref __gpuown_put);
void kamd_bo_free_kernel(struct kamd_bo **bo __gpuown_frees, u64 *gpu_addr,
			 void **cpu_addr);

/* Fence waits, and a free gated by a fence. */
long dma_fence_wait(struct dma_fence *fence __gpuown_completes,
		    _Bool intr) __gpuown_wait;
long dma_fence_wait_timeout(struct dma_fence *fence __gpuown_completes,
			    _Bool intr, long timeout) __gpuown_wait_timeout;
void kamd_bo_free(struct kamd_bo *bo __gpuown_frees);
void kamd_bo_release_after(struct kamd_bo *bo __gpuown_reclaims,
			   struct dma_fence *fence __gpuown_completes);

/* Allocation and GPU VM mappings, unmaps and the TLB flush. */
int kamd_bo_create(struct kamd_dev *adev, u64 size __gpuown_alloc_size,
		   struct kamd_bo **bo __gpuown_alloc_out);
int kamd_vm_bo_map(struct kamd_dev *adev, struct kamd_bo *bo __gpuown_maps,
		   u64 saddr, u64 size __gpuown_map_size);
int kamd_vm_bo_unmap(struct kamd_dev *adev,
		     struct kamd_bo *bo __gpuown_vm_unmaps, u64 saddr);
void kamd_gmc_flush_gpu_tlb(struct kamd_dev *adev, u32 vmid,
			    u32 hub) __gpuown_tlb_invalidates;

/* CPU mappings of different kinds, the sync, the hand-over. */
void *kamd_bo_kmap_cached(struct kamd_bo *bo __gpuown_addr_of)
	__gpuown_cpu_addr __gpuown_mapping(noncoherent);
void *kamd_bo_kptr(struct kamd_bo *bo __gpuown_addr_of) __gpuown_cpu_addr
	__gpuown_mapping(wc);
void kamd_bo_flush_for_device(struct kamd_bo *bo __gpuown_syncs_for_device);
int kamd_ring_submit(struct kamd_dev *adev,
		     struct kamd_bo *ib __gpuown_publishes);

/* Handing over by address: a GGTT offset in a firmware message. */
u32 intel_guc_ggtt_offset(struct intel_guc *guc,
			  struct i915_vma *vma __gpuown_addr_of)
	__gpuown_fw_addr_fn;
void *kguc_vma_vaddr(struct i915_vma *vma __gpuown_addr_of) __gpuown_cpu_addr;
int intel_guc_send_addr(struct intel_guc *guc, u32 action,
			u32 offset __gpuown_publishes_addr);
