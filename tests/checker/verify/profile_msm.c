// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=core.builtin,gpuown.Lifetime
/*
 * The shipped msm a6xx profile (profiles/msm-a6xx.h), unchanged, on the
 * shape of a6xx_gmu_memory_alloc() / a6xx_gmu_memory_free() in Linux 6.1,
 * reduced and declared after the profile as the kernel's headers come after
 * it in a real unit. msm_gem_new() returns ERR_PTR on failure
 * (__gpuown_err_ptr) and msm_gem_kernel_put() tests IS_ERR_OR_NULL() itself
 * (__gpuown_err_ok): the error pointer a failed allocation leaves in bo->obj
 * may reach it, and the double put on the pin failure path is still found.
 */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;
typedef _Bool bool;

#include "../../../profiles/msm-a6xx.h"

#define NULL ((void *)0)
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x)                                                        \
	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

struct kref {
	int refcount;
};

int kref_dec_and_test(struct kref *kref);

static inline int kref_put(struct kref *kref,
			   void (*release)(struct kref *kref))
{
	if (kref_dec_and_test(kref)) {
		release(kref);
		return 1;
	}
	return 0;
}

struct drm_device;
struct drm_gem_object {
	struct kref refcount;
	size_t size;
};

void drm_gem_object_free(struct kref *kref);

static inline void drm_gem_object_put(struct drm_gem_object *obj)
{
	if (obj)
		kref_put(&obj->refcount, drm_gem_object_free);
}

struct drm_gem_object *msm_gem_new(struct drm_device *dev, u32 size, u32 flags);
void msm_gem_kernel_put(struct drm_gem_object *bo,
			struct msm_gem_address_space *aspace);
int msm_gem_get_and_pin_iova_range(struct drm_gem_object *obj,
				   struct msm_gem_address_space *aspace,
				   u64 *iova, u64 range_start, u64 range_end);

struct a6xx_gmu_bo {
	struct drm_gem_object *obj;
	size_t size;
	u64 iova;
};

struct a6xx_gmu {
	struct msm_gem_address_space *aspace;
	struct a6xx_gmu_bo hfi;
};

/* ---- 1. the pin failure puts bo->obj and leaves it set (or clears it) */
static int gmu_memory_alloc(struct drm_device *dev, struct a6xx_gmu *gmu,
			    struct a6xx_gmu_bo *bo, int clear)
{
	int ret;

	bo->obj = msm_gem_new(dev, 4096, 0);
	if (IS_ERR(bo->obj))
		return PTR_ERR(bo->obj);
	ret = msm_gem_get_and_pin_iova_range(bo->obj, gmu->aspace, &bo->iova, 0,
					     1);
	if (ret) {
		drm_gem_object_put(bo->obj);
		if (clear)
			bo->obj = NULL;
		return ret;
	}
	return 0;
}

int p1(struct drm_device *dev, struct a6xx_gmu *gmu)
{
	int ret;

	gmu->hfi.obj = NULL;
	ret = gmu_memory_alloc(dev, gmu, &gmu->hfi, 0);
	if (ret)
		msm_gem_kernel_put(gmu->hfi.obj, gmu->aspace); // expected-warning{{GPU object freed twice}}
	return ret;
}

/* The ERR_PTR of a failed allocation reaches the put: it accepts it. */
int n1(struct drm_device *dev, struct a6xx_gmu *gmu)
{
	int ret;

	gmu->hfi.obj = NULL;
	ret = gmu_memory_alloc(dev, gmu, &gmu->hfi, 1);
	if (ret)
		msm_gem_kernel_put(gmu->hfi.obj, gmu->aspace); // no-warning
	return ret;
}

/* ---- 2. the new object used before its IS_ERR() test */
int p2(struct drm_device *dev, struct a6xx_gmu_bo *bo)
{
	bo->obj = msm_gem_new(dev, 4096, 0);
	bo->size = bo->obj->size; // expected-warning{{Dereference of a possible error pointer returned by 'msm_gem_new' (test it with IS_ERR)}}
	if (IS_ERR(bo->obj))
		return PTR_ERR(bo->obj);
	return 0;
}

int n2(struct drm_device *dev, struct a6xx_gmu_bo *bo)
{
	bo->obj = msm_gem_new(dev, 4096, 0);
	if (IS_ERR(bo->obj))
		return PTR_ERR(bo->obj);
	bo->size = bo->obj->size; // no-warning
	return 0;
}
