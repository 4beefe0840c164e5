/* SPDX-License-Identifier: MIT */
/*
 * gpuown profile for amdgpu's buffer objects, MES, PSP, firmware (ucode) BOs
 * and rings in Linux 6.1 (drivers/gpu/drm/amd/amdgpu/). Force-included by
 * gpuown-check --profile after the unit's forced includes; every prototype
 * matches the tree's. See docs/profiles/amdgpu.md.
 */
#ifndef GPUOWN_PROFILE_AMDGPU_H
#define GPUOWN_PROFILE_AMDGPU_H

#include <gpuown/annotations.h>

struct amdgpu_device;
struct amdgpu_bo;
struct amdgpu_bo_param;

/* Every BO: 0 and the new object in *bo_ptr, or -errno. */
int amdgpu_bo_create(struct amdgpu_device *adev, struct amdgpu_bo_param *bp,
		     struct amdgpu_bo **bo_ptr __gpuown_alloc_out);

/*
 * The firmware's BOs (MES, PSP rings and command buffers, ucode images):
 * created pinned and mapped; *gpu_addr is what goes to the firmware,
 * *cpu_addr the kernel mapping.
 */
int amdgpu_bo_create_kernel(struct amdgpu_device *adev, unsigned long size,
			    int align, u32 domain,
			    struct amdgpu_bo **bo_ptr __gpuown_alloc_out,
			    u64 *gpu_addr __gpuown_gpu_addr_out,
			    void **cpu_addr __gpuown_cpu_addr_out);

/*
 * Frees through the handle: unpins, unmaps and drops the BO, then sets *bo,
 * *gpu_addr and *cpu_addr to NULL/0 (a second call is harmless).
 */
void amdgpu_bo_free_kernel(struct amdgpu_bo **bo __gpuown_unref, u64 *gpu_addr,
			   void **cpu_addr);
/* Drops the caller's BO reference and clears the handle. */
void amdgpu_bo_unref(struct amdgpu_bo **bo __gpuown_unref);

/* The CPU mapping of a BO (valid while the BO lives and stays mapped). */
void *amdgpu_bo_kptr(struct amdgpu_bo *bo __gpuown_addr_of) __gpuown_cpu_addr;

#endif /* GPUOWN_PROFILE_AMDGPU_H */
