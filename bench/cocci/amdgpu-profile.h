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
/* A macro in amdgpu_ring.h; the rules match the call by its name. */
void amdgpu_ring_set_wptr(struct amdgpu_ring *ring __gpuown_wptr_publish);
void amdgpu_ring_commit(struct amdgpu_ring *ring __gpuown_wptr_publish);
