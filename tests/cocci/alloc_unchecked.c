// Allocations whose failure is not checked: reported at the call or the use.
#include <gpuown/object.h>

struct dev {
	struct gpuown_mm *mm;
};

struct ctx {
	struct gpuown_obj *desc, *ring;
};

int drv_obj_alloc(struct dev *dev, int layout, struct gpuown_obj **out);
struct gpuown_obj *drv_obj_create(struct dev *dev, int layout);

void ignored(struct gpuown_mm *mm, struct gpuown_alloc_args *a,
	     struct gpuown_obj **out)
{
	gpuown_obj_alloc(mm, a, out);
}

int used_first(struct gpuown_mm *mm, struct gpuown_alloc_args *a)
{
	struct gpuown_obj *obj;
	int ret;

	ret = gpuown_obj_alloc(mm, a, &obj);
	gpuown_obj_share(obj);
	return ret;
}

int driver_alloc(struct dev *dev, struct ctx *ctx)
{
	int ret;

	ret = drv_obj_alloc(dev, 1, &ctx->desc);
	gpuown_obj_publish(ctx->desc, NULL);
	return ret;
}

int pointer_alloc(struct dev *dev)
{
	struct gpuown_obj *obj;

	obj = drv_obj_create(dev, 2);
	return gpuown_obj_share(obj);
}

/* An error pointer used before its IS_ERR() test: still reported. */
#define IS_ERR(x) ((unsigned long)(void *)(x) > (unsigned long)-4096)

struct gmu_bo {
	struct gpuown_obj *obj;
};

int err_ptr_late(struct dev *dev, struct gmu_bo *bo)
{
	bo->obj = drv_obj_create(dev, 3);
	gpuown_obj_share(bo->obj);
	if (IS_ERR(bo->obj))
		return -1;
	return 0;
}
// SPDX-License-Identifier: MIT
