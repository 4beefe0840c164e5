// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=core.builtin,gpuown.Lifetime -include kshape/lifetime_profile.h
/*
 * gpuown.Lifetime on kernel idioms: a driver written against the kernel-shaped
 * API of kshape/lifetime.h, unchanged, with the gpuown profile force-included. The
 * cases are reduced from the shapes of msm's a6xx GMU, i915's GuC, amdgpu and
 * panfrost in Linux 6.1. Each positive case (kNN) has a negative twin (nNN).
 */
#include "kshape/lifetime.h"

#include <string.h>

struct a6xx_gmu_bo {
	struct drm_gem_object *obj;
	void *virt;
	size_t size;
	u64 iova;
};

struct a6xx_gmu {
	struct msm_gem_address_space *aspace;
	struct a6xx_gmu_bo hfi;
	struct a6xx_gmu_bo debug;
};

/* ---- 1. ERR_PTR allocation: the IS_ERR branch allocated nothing */
int k01(struct drm_device *dev, struct a6xx_gmu *gmu)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);
	u64 iova;

	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (msm_gem_get_and_pin_iova_range(obj, gmu->aspace, &iova, 0, 1))
		return -EINVAL; // expected-warning{{GPU object allocated by 'msm_gem_new' is leaked: not freed on this path}}
	drm_gem_object_put(obj);
	return 0;
}

int n01(struct drm_device *dev, struct a6xx_gmu *gmu)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);
	u64 iova;
	int ret;

	if (IS_ERR(obj))
		return PTR_ERR(obj); // no-warning
	ret = msm_gem_get_and_pin_iova_range(obj, gmu->aspace, &iova, 0, 1);
	drm_gem_object_put(obj);
	return ret;
}

/* ---- 2. IS_ERR_OR_NULL and PTR_ERR_OR_ZERO say the same */
int k02(struct intel_guc *guc)
{
	struct i915_vma *vma = intel_guc_allocate_vma(guc, 4096);
	int err = PTR_ERR_OR_ZERO(vma); // expected-warning{{GPU object allocated by 'intel_guc_allocate_vma' is leaked: not freed on this path}}

	if (err)
		return err;
	return 0;
}

int n02(struct intel_guc *guc)
{
	struct i915_vma *vma = intel_guc_allocate_vma(guc, 4096);

	if (IS_ERR_OR_NULL(vma))
		return -ENOMEM; // no-warning
	i915_vma_unpin_and_release(&vma, 0);
	return 0;
}

/* ---- 3. an error pointer tested against NULL only, then used */
size_t k03(struct drm_device *dev)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);
	size_t size;

	if (!obj)
		return 0;
	size = obj->size; // expected-warning{{Dereference of a possible error pointer returned by 'msm_gem_new' (test it with IS_ERR)}}
	drm_gem_object_put(obj);
	return size;
}

size_t n03(struct drm_device *dev)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);
	size_t size;

	if (IS_ERR(obj))
		return 0;
	size = obj->size; // no-warning
	drm_gem_object_put(obj);
	return size;
}

/* ---- 4. msm a6xx GMU: the put on the pin failure leaves bo->obj set, and
 * the probe's error path puts it again through memory_free. */
static int gmu_memory_alloc(struct drm_device *dev, struct a6xx_gmu *gmu,
			    struct a6xx_gmu_bo *bo, int clear)
{
	int ret;

	bo->obj = msm_gem_new(dev, 4096, MSM_BO_WC);
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
	bo->virt = msm_gem_get_vaddr(bo->obj);
	return 0;
}

static void gmu_memory_free(struct a6xx_gmu *gmu)
{
	msm_gem_kernel_put(gmu->hfi.obj, gmu->aspace); // expected-warning{{GPU object put after its last reference was dropped}}
	msm_gem_kernel_put(gmu->debug.obj, gmu->aspace);
}

int k04(struct drm_device *dev, struct a6xx_gmu *gmu)
{
	int ret;

	gmu->hfi.obj = NULL;
	gmu->debug.obj = NULL;
	ret = gmu_memory_alloc(dev, gmu, &gmu->hfi, 0);
	if (ret)
		goto err;
	return 0;
err:
	gmu_memory_free(gmu);
	return ret;
}

int n04(struct drm_device *dev, struct a6xx_gmu *gmu)
{
	int ret;

	gmu->hfi.obj = NULL;
	gmu->debug.obj = NULL;
	ret = gmu_memory_alloc(dev, gmu, &gmu->hfi, 1);
	if (ret)
		goto err;
	return 0;
err:
	gmu_memory_free(gmu); // no-warning
	return ret;
}

/* ---- 5. the annotated static inline put acts as a put */
size_t k05(struct drm_device *dev)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);

	if (IS_ERR(obj))
		return 0;
	drm_gem_object_put(obj);
	return obj->size; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

size_t n05(struct drm_gem_object *obj)
{
	size_t size;

	drm_gem_object_get(obj);
	drm_gem_object_put(obj);
	size = obj->size; // no-warning
	return size;
}

/* ---- 6. a reference dropped twice */
void k06(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
	drm_gem_object_put(obj);
	drm_gem_object_put(obj);
	drm_gem_object_put(obj); // expected-warning{{GPU object put after its last reference was dropped}}
}

void n06(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
	drm_gem_object_get(obj);
	drm_gem_object_put(obj);
	drm_gem_object_put(obj); // no-warning
}

/* ---- 7. a put in a function that only borrowed the object, then a use */
u32 k07(struct drm_gem_object *obj)
{
	drm_gem_object_put(obj);
	return obj->name; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

u32 n07(struct drm_gem_object *obj)
{
	u32 name = obj->name; // no-warning
	drm_gem_object_put(obj);
	return name;
}

/* ---- 8. lookups: a new reference must be put; a borrowed one must not */
u32 k08(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return 0;
	return obj->name; // expected-warning{{Reference to a GPU object taken by 'drm_gem_object_lookup' is leaked: not put on this path}}
}

u32 n08(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);
	u32 name;

	if (!obj)
		return 0;
	name = obj->name;
	drm_gem_object_put(obj); // no-warning
	return name;
}

void k08b(struct idr *handles, unsigned long id)
{
	struct drm_gem_object *obj = idr_find(handles, id);

	if (obj)
		drm_gem_object_put(obj); // expected-warning{{Put of a GPU object borrowed from 'idr_find' without a reference of its own}}
}

void n08b(struct idr *handles, unsigned long id)
{
	struct drm_gem_object *obj = idr_find(handles, id);

	if (!obj)
		return;
	drm_gem_object_get(obj);
	drm_gem_object_put(obj); // no-warning
}

/* ---- 9. panfrost: a mapping lookup returns a reference */
u64 k09(struct panfrost_gem_object *bo, struct panfrost_file_priv *priv)
{
	struct panfrost_gem_mapping *m = panfrost_gem_mapping_get(bo, priv);

	if (!m)
		return 0;
	panfrost_gem_mapping_put(m);
	return m->mmnode_start; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

u64 n09(struct panfrost_gem_object *bo, struct panfrost_file_priv *priv)
{
	struct panfrost_gem_mapping *m = panfrost_gem_mapping_get(bo, priv);
	u64 start;

	if (!m)
		return 0;
	start = m->mmnode_start; // no-warning
	panfrost_gem_mapping_put(m);
	return start;
}

/* ---- 10. a container takes over the reference on insert */
int k10(struct xarray *xa, struct drm_device *dev, u32 *id)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);
	int ret;

	if (IS_ERR(obj))
		return PTR_ERR(obj);
	ret = xa_alloc(xa, id, obj, xa_limit_32b, GFP_KERNEL);
	if (ret)
		return ret; // expected-warning{{GPU object allocated by 'msm_gem_new' is leaked: not freed on this path}}
	drm_gem_object_put(obj); // expected-warning{{Put of a GPU object whose reference was handed to 'xa_alloc' (the container owns it now)}}
	return 0;
}

int n10(struct xarray *xa, struct drm_device *dev, u32 *id)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);
	int ret;

	if (IS_ERR(obj))
		return PTR_ERR(obj);
	ret = xa_alloc(xa, id, obj, xa_limit_32b, GFP_KERNEL);
	if (ret)
		drm_gem_object_put(obj); // no-warning
	return ret;
}

/* ---- 11. ... and hands it back on remove */
void k11(struct xarray *xa, unsigned long id)
{
	struct drm_gem_object *obj = xa_erase(xa, id);

	if (!obj)
		return;
	obj->name = 0;
} // expected-warning{{GPU object removed by 'xa_erase' is leaked: its reference is not put on this path}}

void n11(struct xarray *xa, unsigned long id)
{
	struct drm_gem_object *obj = xa_erase(xa, id);

	drm_gem_object_put(obj); // no-warning
}

/* ---- 12. amdgpu: unref through the handle clears it; a second unref is
 * harmless, a use through another copy of the handle is not. */
u64 k12(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo, *alias;
	u64 gpu;

	if (amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM, &bo,
				    &gpu, NULL))
		return 0;
	alias = bo;
	amdgpu_bo_unref(&bo);
	return alias->flags; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

void n12(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo;
	u64 gpu;

	if (amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM, &bo,
				    &gpu, NULL))
		return;
	amdgpu_bo_unref(&bo);
	amdgpu_bo_unref(&bo); // no-warning
}

/* ---- 13. i915 GuC CT: the vma sits at offset 0 of the ct; releasing
 * &ct->vma releases the vma, never the ct. */
int k13(struct intel_guc *guc, struct intel_guc_ct *ct)
{
	struct i915_vma *vma;
	void *blob;
	int err = intel_guc_allocate_and_map_vma(guc, 4096, &ct->vma, &blob);

	if (err)
		return err;
	vma = ct->vma;
	i915_vma_unpin_and_release(&ct->vma, I915_VMA_RELEASE_MAP);
	return (int)vma->size; // expected-warning{{Read of a freed GPU object through its handle}}
}

int n13(struct intel_guc *guc, struct intel_guc_ct *ct)
{
	void *blob;
	int err = intel_guc_allocate_and_map_vma(guc, 4096, &ct->vma, &blob);

	if (err)
		return err;
	i915_vma_unpin_and_release(&ct->vma, I915_VMA_RELEASE_MAP);
	i915_vma_unpin_and_release(&ct->vma, 0); // no-warning
	ct->enabled = false;                      // no-warning
	return ct->enabled;
}

/* ---- 14. the CPU map handed out through an out-parameter dies with the
 * object */
void k14(struct intel_guc *guc, struct intel_guc_ct *ct)
{
	u32 *cmds;

	if (intel_guc_allocate_and_map_vma(guc, 4096, &ct->vma, (void **)&cmds))
		return;
	i915_vma_unpin_and_release(&ct->vma, I915_VMA_RELEASE_MAP);
	cmds[0] = 0; // expected-warning{{Write of a freed GPU object through its CPU address}}
}

void n14(struct intel_guc *guc, struct intel_guc_ct *ct)
{
	u32 *cmds;

	if (intel_guc_allocate_and_map_vma(guc, 4096, &ct->vma, (void **)&cmds))
		return;
	cmds[0] = 0; // no-warning
	i915_vma_unpin_and_release(&ct->vma, I915_VMA_RELEASE_MAP);
}

/* ---- 15. msm: the iova returned through &bo->iova dies with the object */
void k15(struct a6xx_gmu *gmu, struct drm_gem_object *obj)
{
	u64 iova;

	drm_gem_object_get(obj);
	if (msm_gem_get_and_pin_iova_range(obj, gmu->aspace, &iova, 0, 1)) {
		drm_gem_object_put(obj);
		return;
	}
	drm_gem_object_put(obj);
	drm_gem_object_put(obj);
	msm_gmu_write_iova(gmu->aspace, iova); // expected-warning{{Use of a GPU object through its GPU address after a put that may have dropped its last reference (passed to 'msm_gmu_write_iova')}}
}

void n15(struct a6xx_gmu *gmu, struct drm_gem_object *obj)
{
	u64 iova;

	drm_gem_object_get(obj);
	if (msm_gem_get_and_pin_iova_range(obj, gmu->aspace, &iova, 0, 1)) {
		drm_gem_object_put(obj);
		return;
	}
	msm_gmu_write_iova(gmu->aspace, iova); // no-warning
	drm_gem_object_put(obj);
}

/* ---- 16. amdgpu: the kernel BO's CPU pointer after free_kernel */
void k16(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo;
	u64 gpu;
	u32 *cpu, *ring;

	if (amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM, &bo,
				    &gpu, (void **)&cpu))
		return;
	ring = cpu;
	amdgpu_bo_free_kernel(&bo, &gpu, (void **)&cpu);
	ring[0] = 0; // expected-warning{{Write of a freed GPU object through its CPU address}}
}

void n16(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo;
	u64 gpu;
	u32 *cpu;

	if (amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM, &bo,
				    &gpu, (void **)&cpu))
		return;
	cpu[0] = 0; // no-warning
	amdgpu_bo_free_kernel(&bo, &gpu, (void **)&cpu);
	amdgpu_bo_free_kernel(&bo, &gpu, (void **)&cpu); // no-warning
}

/* ---- 17. a pinned map (ERR_PTR or the CPU address) after the put */
void k17(struct drm_i915_gem_object *obj)
{
	u32 *map = i915_gem_object_pin_map_unlocked(obj, I915_MAP_WB);

	if (IS_ERR(map))
		return;
	i915_gem_object_put(obj);
	map[1] = 0; // expected-warning{{Write of a GPU object through its CPU address after a put that may have dropped its last reference}}
}

void n17(struct drm_i915_gem_object *obj)
{
	u32 *map = i915_gem_object_pin_map_unlocked(obj, I915_MAP_WB);

	if (IS_ERR(map))
		return;
	map[1] = 0; // no-warning
	i915_gem_object_put(obj);
}

void k17b(struct drm_i915_gem_object *obj)
{
	u32 *map = i915_gem_object_pin_map_unlocked(obj, I915_MAP_WB);

	map[0] = 1; // expected-warning{{Dereference of a possible error pointer returned by 'i915_gem_object_pin_map_unlocked' (test it with IS_ERR)}}
}

/* ---- 18. fence references: dma_fence_get returns its argument */
u64 k18(struct dma_fence *in)
{
	struct dma_fence *f = dma_fence_get(in);

	dma_fence_put(f);
	dma_fence_put(in);
	return in->seqno; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

u64 n18(struct dma_fence *in)
{
	struct dma_fence *f = dma_fence_get(in);
	u64 seqno = f->seqno;

	dma_fence_put(f); // no-warning
	return seqno + in->seqno;
}

/* ---- 19. NULL-safe puts and frees */
void n19(struct drm_gem_object *obj)
{
	drm_gem_object_put(NULL);
	drm_gem_object_put(NULL);
	if (!obj) {
		drm_gem_object_put(obj);
		drm_gem_object_put(obj); // no-warning
	}
}

/* ---- 20. completion-gated free: the driver's own helper names the fence
 * that must have signalled; dma_fence_wait() returns 0 or -errno. */
struct drv_ring;
void drv_job_free_bo(struct amdgpu_bo *bo __gpuown_frees,
		     struct dma_fence *done __gpuown_completes);
void drv_ring_reuse(struct drv_ring *ring,
		    struct dma_fence *last __gpuown_completes);

long k20(struct amdgpu_bo *bo, struct dma_fence *done)
{
	long ret = dma_fence_wait(done, true);

	if (ret) {
		drv_job_free_bo(bo, done); // expected-warning{{'drv_job_free_bo' called although the wait for its fence failed on this path ('dma_fence_wait' returned an error)}}
		return ret;
	}
	drv_job_free_bo(bo, done);
	return 0;
}

long n20(struct amdgpu_bo *bo, struct dma_fence *done)
{
	long ret = dma_fence_wait(done, true);

	if (ret)
		return ret;
	drv_job_free_bo(bo, done); // no-warning
	return 0;
}

/* ---- 21. dma_fence_wait_timeout(): > 0 is the time left, 0 a timeout */
void k21(struct drv_ring *ring, struct dma_fence *last)
{
	long left = dma_fence_wait_timeout(last, false, 100);

	if (left <= 0)
		drv_ring_reuse(ring, last); // expected-warning{{'drv_ring_reuse' called although the wait for its fence failed on this path ('dma_fence_wait_timeout' returned 0 or an error)}}
}

void n21(struct drv_ring *ring, struct dma_fence *last)
{
	long left = dma_fence_wait_timeout(last, false, 100);

	if (left > 0)
		drv_ring_reuse(ring, last); // no-warning
}

/*
 * ---- 22. a helper takes the object out of its handle table and drops the
 * table's reference (__gpuown_remove and __gpuown_put on one parameter): the
 * caller's own reference is untouched, and a drain loop over a table is no
 * use after put.
 */
void drv_gem_handle_drop(struct idr *handles,
			 struct drm_gem_object *obj __gpuown_remove
				 __gpuown_put);

u32 k22(struct drm_file *file, struct idr *handles, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return 0;
	drv_gem_handle_drop(handles, obj);
	drm_gem_object_put(obj);
	return obj->name; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

u32 n22(struct drm_file *file, struct idr *handles, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);
	u32 name;

	if (!obj)
		return 0;
	drv_gem_handle_drop(handles, obj);
	name = obj->name; // no-warning: the lookup's reference holds it
	drm_gem_object_put(obj); // no-warning
	return name;
}

void n22b(struct idr *handles)
{
	struct drm_gem_object *obj;

	while ((obj = idr_find(handles, 0)))
		drv_gem_handle_drop(handles, obj); // no-warning
}

/*
 * ---- 23. an ERR_PTR reaching a put: drm_gem_object_put() dereferences it,
 * msm_gem_kernel_put() tests IS_ERR_OR_NULL() itself (__gpuown_err_ok)
 */
void k23(struct drm_device *dev)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);

	drm_gem_object_put(obj); // expected-warning{{Possible error pointer returned by 'msm_gem_new' passed to 'drm_gem_object_put' (test it with IS_ERR)}}
}

void n23(struct drm_device *dev, struct msm_gem_address_space *aspace)
{
	struct drm_gem_object *obj = msm_gem_new(dev, 4096, MSM_BO_WC);

	msm_gem_kernel_put(obj, aspace); // no-warning
}

/*
 * ---- 24. amdgpu's PSP keeps each BO's handle, GPU address and CPU mapping
 * side by side in one struct and hands each over by address. A call given
 * &psp->fence_bo changes that field, never the struct around it, so the
 * mapping recorded in psp->fence_cpu still names the BO once it is freed.
 */
struct psp_bufs {
	struct amdgpu_bo *fence_bo;
	u64 fence_gpu;
	void *fence_cpu;
	struct amdgpu_bo *cmd_bo;
	u64 cmd_gpu;
	u32 *cmd_cpu;
};

int k24(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &psp->fence_bo,
					  &psp->fence_gpu, &psp->fence_cpu);

	if (ret)
		return ret;
	/* NULL for the mapping: psp->fence_cpu is left dangling. */
	amdgpu_bo_free_kernel(&psp->fence_bo, &psp->fence_gpu, NULL);
	memset(psp->fence_cpu, 0, 64); // expected-warning{{Use of a freed GPU object through its CPU address (passed to 'memset')}}
	return 0;
}

/* The second BO of the struct, freed through its own field. */
int k24b(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &psp->fence_bo,
					  &psp->fence_gpu, &psp->fence_cpu);

	if (ret)
		return ret;
	ret = amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM,
				      &psp->cmd_bo, &psp->cmd_gpu,
				      (void **)&psp->cmd_cpu);
	if (ret)
		goto free_fence;
	amdgpu_bo_free_kernel(&psp->cmd_bo, &psp->cmd_gpu, NULL);
	psp->cmd_cpu[0] = 1; // expected-warning{{Write of a freed GPU object through its CPU address}}
free_fence:
	amdgpu_bo_free_kernel(&psp->fence_bo, &psp->fence_gpu, &psp->fence_cpu);
	return ret;
}

/* Freeing one BO leaves the other's mapping alone. */
int n24(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &psp->fence_bo,
					  &psp->fence_gpu, &psp->fence_cpu);

	if (ret)
		return ret;
	ret = amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM,
				      &psp->cmd_bo, &psp->cmd_gpu,
				      (void **)&psp->cmd_cpu);
	if (ret)
		goto free_fence;
	psp->cmd_cpu[0] = 1; // no-warning
free_fence:
	amdgpu_bo_free_kernel(&psp->fence_bo, &psp->fence_gpu, &psp->fence_cpu);
	return ret;
}

/* A mapping handed to the free by address is cleared by it. */
int n24b(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &psp->fence_bo,
					  &psp->fence_gpu, &psp->fence_cpu);

	if (ret)
		return ret;
	amdgpu_bo_free_kernel(&psp->fence_bo, &psp->fence_gpu, &psp->fence_cpu);
	if (psp->fence_cpu)
		memset(psp->fence_cpu, 0, 64); // no-warning
	return 0;
}

/*
 * ---- 25. what an int function returns through its out-parameters is
 * undefined until its result says it succeeded: amdgpu_bo_create_kernel()'s
 * BO, GPU address and CPU mapping, msm's iova.
 */
int k25(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo = NULL;
	u64 gpu;
	void *cpu;
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &bo, &gpu, &cpu);

	memset(cpu, 0, 4); // expected-warning{{Use of the CPU address that 'amdgpu_bo_create_kernel' returned through an out-parameter before its result is tested (passed to 'memset')}}
	if (ret)
		return ret;
	amdgpu_bo_free_kernel(&bo, &gpu, &cpu);
	return 0;
}

/* The handle passed on before the test (a dereference would be ruled
 * non-NULL by the engine, which is the handle's own test). */
void k25b(struct amdgpu_device *adev, struct amdgpu_bo **keep)
{
	struct amdgpu_bo *bo = NULL;
	u64 gpu;
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &bo, &gpu, NULL);

	*keep = amdgpu_bo_ref(bo); // expected-warning{{Use of the GPU object that 'amdgpu_bo_create_kernel' returned through an out-parameter before its result is tested (passed to 'amdgpu_bo_ref')}}
	if (!ret)
		amdgpu_bo_unref(&bo);
}

int k25c(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo = NULL;
	u64 gpu;
	u32 *cpu;
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &bo, &gpu,
					  (void **)&cpu);

	amdgpu_ring_emit_addr(adev, gpu); // expected-warning{{Use of the GPU address that 'amdgpu_bo_create_kernel' returned through an out-parameter before its result is tested (passed to 'amdgpu_ring_emit_addr')}}
	if (!ret)
		amdgpu_bo_free_kernel(&bo, &gpu, (void **)&cpu);
	return ret;
}

void k25d(struct a6xx_gmu *gmu, struct drm_gem_object *obj)
{
	u64 iova;
	int ret = msm_gem_get_and_pin_iova_range(obj, gmu->aspace, &iova, 0, 1);

	msm_gmu_write_iova(gmu->aspace, (u32)iova); // expected-warning{{Use of the GPU address that 'msm_gem_get_and_pin_iova_range' returned through an out-parameter before its result is tested (passed to 'msm_gmu_write_iova')}}
	(void)ret;
}

int n25(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo = NULL;
	u64 gpu;
	void *cpu;
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &bo, &gpu, &cpu);

	if (ret)
		return ret;
	memset(cpu, 0, 4); // no-warning
	amdgpu_bo_free_kernel(&bo, &gpu, &cpu);
	return 0;
}

/* `ret < 0` is the test under the kernel's 0 / -errno convention. */
void n25b(struct a6xx_gmu *gmu, struct drm_gem_object *obj)
{
	u64 iova;
	int ret = msm_gem_get_and_pin_iova_range(obj, gmu->aspace, &iova, 0, 1);

	if (ret < 0)
		return;
	msm_gmu_write_iova(gmu->aspace, iova); // no-warning
}

/* The failure branch may clean up through the handle it initialised. */
int n25c(struct amdgpu_device *adev)
{
	struct amdgpu_bo *bo = NULL;
	u64 gpu;
	void *cpu = NULL;
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &bo, &gpu, &cpu);

	if (ret) {
		amdgpu_bo_free_kernel(&bo, &gpu, &cpu); // no-warning
		return ret;
	}
	amdgpu_bo_free_kernel(&bo, &gpu, &cpu);
	return 0;
}

/* Chained with ?:, the use runs only where the call succeeded. */
int n25d(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &psp->fence_bo,
					  &psp->fence_gpu, &psp->fence_cpu);

	ret = ret ?: (memset(psp->fence_cpu, 0, 64), 0); // no-warning
	return ret;
}

/* A failed allocator leaves the handle NULL: testing the handle tests the
 * call (amdgpu's MES and ucode BOs). */
int n25e(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	amdgpu_bo_create_kernel(adev, 4096, 4096, AMDGPU_GEM_DOMAIN_VRAM,
				&psp->fence_bo, &psp->fence_gpu, &psp->fence_cpu);
	if (!psp->fence_bo)
		return -12;
	memset(psp->fence_cpu, 0, 64); // no-warning
	return 0;
}

/*
 * ---- 26. i915: a vma holds the reference on its GEM object and releasing
 * the vma puts it (__gpuown_releases_inner(obj) on
 * i915_vma_unpin_and_release), so the object read from vma->obj, and the map
 * pinned on it, go with the vma.
 */
u32 k26(struct intel_guc *guc)
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

u32 k26b(struct intel_guc *guc)
{
	struct i915_vma *vma = intel_guc_allocate_vma(guc, 4096);
	struct drm_i915_gem_object *obj;

	if (IS_ERR(vma))
		return 0;
	obj = vma->obj;
	i915_vma_unpin_and_release(&vma, 0);
	return obj->flags; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

/* Used before the release: fine. */
u32 n26(struct intel_guc *guc)
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

/* A reference of the path's own keeps the object alive past the vma. */
u32 n26b(struct intel_guc *guc)
{
	struct i915_vma *vma = intel_guc_allocate_vma(guc, 4096);
	struct drm_i915_gem_object *obj;
	u32 flags;

	if (IS_ERR(vma))
		return 0;
	obj = vma->obj;
	drm_gem_object_get(&obj->base);
	i915_vma_unpin_and_release(&vma, 0);
	flags = obj->flags; // no-warning
	i915_gem_object_put(obj);
	return flags;
}

/*
 * ---- 27. the same relation on a driver's own struct (__gpuown_inner on the
 * field), released by a free of the struct, and through a fact on a struct
 * the profile cannot annotate.
 */
struct drv_vma {
	struct drm_gem_object *obj __gpuown_inner;
	u64 start;
};
void drv_vma_destroy(struct drv_vma *vma __gpuown_frees);

struct drv_fence_slot {
	struct dma_fence *last;
	u32 ring;
};
GPUOWN_FIELD_FACT(drv_fence_slot, last, __gpuown_inner);
void drv_fence_slot_free(struct drv_fence_slot *slot __gpuown_frees);

size_t k27(struct drv_vma *vma)
{
	struct drm_gem_object *obj = vma->obj;

	drv_vma_destroy(vma);
	return obj->size; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

u64 k27b(struct drv_fence_slot *slot)
{
	struct dma_fence *f = slot->last;

	drv_fence_slot_free(slot);
	return f->seqno; // expected-warning{{Read of a GPU object through its handle after a put that may have dropped its last reference}}
}

size_t n27(struct drv_vma *vma)
{
	struct drm_gem_object *obj = vma->obj;
	size_t size = obj->size; // no-warning

	drv_vma_destroy(vma);
	return size;
}

/* A field without the role is not the struct's to release. */
u32 n27b(struct drv_fence_slot *slot, struct drv_vma *vma)
{
	u32 ring = slot->ring;
	u64 start = vma->start;

	drv_fence_slot_free(slot);
	drv_vma_destroy(vma);
	return ring + (u32)start; // no-warning
}

/* Freed before its result is tested: the use after free is what is told. */
int k25f(struct amdgpu_device *adev, struct psp_bufs *psp)
{
	int ret = amdgpu_bo_create_kernel(adev, 4096, 4096,
					  AMDGPU_GEM_DOMAIN_VRAM, &psp->fence_bo,
					  &psp->fence_gpu, &psp->fence_cpu);

	amdgpu_bo_free_kernel(&psp->fence_bo, &psp->fence_gpu, NULL);
	memset(psp->fence_cpu, 0, 64); // expected-warning{{Use of a freed GPU object through its CPU address (passed to 'memset')}}
	return ret;
}
