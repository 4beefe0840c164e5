/* SPDX-License-Identifier: MIT */
/*
 * gpuown profile for the msm a6xx GMU and HFI code of Linux 6.1
 * (drivers/gpu/drm/msm/adreno/a6xx_gmu.c, a6xx_hfi.c).
 *
 * Force-included by gpuown-check --profile after the unit's own forced
 * includes (kconfig.h, compiler_types.h). It only re-declares the driver's
 * functions with gpuown's vocabulary; every prototype matches the one in the
 * tree, so the driver's own headers, included later, add nothing and clang
 * carries the annotations to them. See docs/profiles/msm-a6xx.md.
 */
#ifndef GPUOWN_PROFILE_MSM_A6XX_H
#define GPUOWN_PROFILE_MSM_A6XX_H

#include <gpuown/annotations.h>

struct drm_device;
struct drm_gem_object;
struct msm_gem_address_space;

/*
 * A GMU buffer object: created with one reference, or ERR_PTR; the GMU's
 * objects are released with msm_gem_kernel_put() (it unmaps, unpins and
 * drops the reference, and tests IS_ERR_OR_NULL() itself) or, on the
 * allocation's own error path, by a bare drm_gem_object_put(). A failed
 * allocation leaves the ERR_PTR in bo->obj and a6xx_gmu_memory_free() hands
 * it to msm_gem_kernel_put(), which is fine (__gpuown_err_ok); anything else
 * done with an ERR_PTR before IS_ERR() is reported.
 */
struct drm_gem_object *msm_gem_new(struct drm_device *dev, u32 size,
				   u32 flags) __gpuown_alloc __gpuown_err_ptr;
void msm_gem_kernel_put(struct drm_gem_object *bo __gpuown_frees
				__gpuown_err_ok,
			struct msm_gem_address_space *aspace);
/*
 * The release of a GEM object (include/drm/drm_gem.h): drm_gem_object_put()
 * is a static inline kref_put() that calls it when the last reference goes.
 * The analyzer follows the inline put, so on the path where the count reached
 * zero the object is freed, and a second put on that path is a double free.
 */
struct kref;
void drm_gem_object_free(struct kref *kref __gpuown_frees);

/* The kernel mapping of the object (bo->virt, which the HFI queues live in). */
void *msm_gem_get_vaddr(struct drm_gem_object *obj __gpuown_addr_of)
	__gpuown_cpu_addr;
/* Pins the object into the GMU address space; the address goes out in iova. */
int msm_gem_get_and_pin_iova_range(struct drm_gem_object *obj __gpuown_uses,
				   struct msm_gem_address_space *aspace,
				   u64 *iova __gpuown_gpu_addr_out,
				   u64 range_start, u64 range_end);

#endif /* GPUOWN_PROFILE_MSM_A6XX_H */
