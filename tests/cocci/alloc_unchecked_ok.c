// Allocations checked before the object is used: nothing to report.
#include <gpuown/object.h>

struct dev {
	struct gpuown_mm *mm;
};

struct ctx {
	struct gpuown_obj *desc, *ring;
};

int drv_obj_alloc(struct dev *dev, int layout, struct gpuown_obj **out);
struct gpuown_obj *drv_obj_create(struct dev *dev, int layout);

int checked(struct gpuown_mm *mm, struct gpuown_alloc_args *a)
{
	struct gpuown_obj *obj;
	int ret;

	ret = gpuown_obj_alloc(mm, a, &obj);
	if (ret)
		return ret;
	return gpuown_obj_share(obj);
}

int chained(struct dev *dev, struct ctx *ctx)
{
	int ret;

	ret = drv_obj_alloc(dev, 1, &ctx->desc);
	ret = ret ?: drv_obj_alloc(dev, 2, &ctx->ring);
	if (ret < 0)
		return ret;
	gpuown_obj_share(ctx->ring);
	return gpuown_obj_publish(ctx->desc, NULL);
}

int in_condition(struct gpuown_mm *mm, struct gpuown_alloc_args *a)
{
	struct gpuown_obj *obj;

	if (gpuown_obj_alloc(mm, a, &obj))
		return -1;
	return gpuown_obj_share(obj);
}

int passed_up(struct gpuown_mm *mm, struct gpuown_alloc_args *a,
	      struct gpuown_obj **out)
{
	return gpuown_obj_alloc(mm, a, out);
}

int pointer_checked(struct dev *dev)
{
	struct gpuown_obj *obj;

	obj = drv_obj_create(dev, 2);
	if (!obj)
		return -1;
	return gpuown_obj_share(obj);
}

/*
 * The kernel's error-pointer test of a handle kept in a struct field (msm's
 * a6xx GMU allocation): IS_ERR() and PTR_ERR() are the check, not a use.
 */
#define IS_ERR(x) ((unsigned long)(void *)(x) > (unsigned long)-4096)
#define PTR_ERR(x) ((long)(x))

struct gmu_bo {
	struct gpuown_obj *obj;
};

int err_ptr_checked(struct dev *dev, struct gmu_bo *bo)
{
	bo->obj = drv_obj_create(dev, 3);
	if (IS_ERR(bo->obj))
		return PTR_ERR(bo->obj);
	return gpuown_obj_share(bo->obj);
}
// SPDX-License-Identifier: MIT
