/* SPDX-License-Identifier: MIT */
/*
 * A profile of amdgpu's buffer-object API (Linux 6.1, amdgpu_object.h and
 * amdgpu_ring.h), for bench-cocci: the function names gpuown's Coccinelle
 * rules look for in drivers/gpu/drm/amd/amdgpu. Self-contained (no kernel
 * headers), so it needs no compile database.
 */
#include <stdint.h>

#include <gpuown/annotations.h>

struct amdgpu_device;
struct amdgpu_bo;
struct amdgpu_bo_param;
struct amdgpu_ring;

int amdgpu_bo_create(struct amdgpu_device *adev, struct amdgpu_bo_param *bp,
		     struct amdgpu_bo **bo_ptr __gpuown_alloc_out);
int amdgpu_bo_create_reserved(struct amdgpu_device *adev, unsigned long size,
			      int align, uint32_t domain,
			      struct amdgpu_bo **bo_ptr __gpuown_alloc_out,
			      uint64_t *gpu_addr, void **cpu_addr);
int amdgpu_bo_create_kernel(struct amdgpu_device *adev, unsigned long size,
			    int align, uint32_t domain,
			    struct amdgpu_bo **bo_ptr __gpuown_alloc_out,
			    uint64_t *gpu_addr, void **cpu_addr);
void amdgpu_bo_free_kernel(struct amdgpu_bo **bo __gpuown_frees,
			   uint64_t *gpu_addr, void **cpu_addr);
void amdgpu_bo_unref(struct amdgpu_bo **bo __gpuown_frees);
struct amdgpu_bo *amdgpu_bo_ref(struct amdgpu_bo *bo __gpuown_get);
void *amdgpu_bo_kptr(struct amdgpu_bo *bo __gpuown_addr_of) __gpuown_cpu_addr;
int amdgpu_bo_kmap(struct amdgpu_bo *bo __gpuown_cpu_begin, void **ptr);
void amdgpu_bo_kunmap(struct amdgpu_bo *bo __gpuown_cpu_end);
uint64_t amdgpu_bo_gpu_offset(struct amdgpu_bo *bo __gpuown_addr_of)
	__gpuown_gpu_addr_fn;
/*
 * The kernel idioms amdgpu uses, for the idiom rules: references (DRM GEM
 * objects, fences), fence waits, GPU VM map/unmap and the TLB flush (a macro
 * in amdgpu_gmc.h). amdgpu has no non-coherent CPU mapping helper and no
 * address sink of its own in this profile: sync_for_device and
 * write_after_handover have no names here and skip every file.
 */
struct drm_gem_object;
struct dma_fence;
struct amdgpu_bo_va;
void drm_gem_object_get(struct drm_gem_object *obj __gpuown_get);
void drm_gem_object_put(struct drm_gem_object *obj __gpuown_put);
struct drm_gem_object *
drm_gem_object_lookup(void *filp, uint32_t handle) __gpuown_lookup_get;
struct dma_fence *dma_fence_get(struct dma_fence *fence __gpuown_get);
void dma_fence_put(struct dma_fence *fence __gpuown_put);
long dma_fence_wait(struct dma_fence *fence __gpuown_completes,
		    _Bool intr) __gpuown_wait;
long dma_fence_wait_timeout(struct dma_fence *fence __gpuown_completes,
			    _Bool intr, long timeout) __gpuown_wait_timeout;
int amdgpu_vm_bo_map(struct amdgpu_device *adev,
		     struct amdgpu_bo_va *bo_va __gpuown_maps, uint64_t saddr,
		     uint64_t offset, uint64_t size __gpuown_map_size,
		     uint64_t flags);
int amdgpu_vm_bo_unmap(struct amdgpu_device *adev,
		       struct amdgpu_bo_va *bo_va __gpuown_vm_unmaps,
		       uint64_t saddr);
void amdgpu_gmc_flush_gpu_tlb(struct amdgpu_device *adev, uint32_t vmid,
			      uint32_t vmhub,
			      uint32_t flush_type) __gpuown_tlb_invalidates;
/* A macro in amdgpu_ring.h; the rules match the call by its name. */
void amdgpu_ring_set_wptr(struct amdgpu_ring *ring __gpuown_wptr_publish);
void amdgpu_ring_commit(struct amdgpu_ring *ring __gpuown_wptr_publish);
