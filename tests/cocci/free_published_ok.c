// Published objects reclaimed before the free, and frees of objects whose
// publish failed: nothing to report.
#include <gpuown/object.h>

struct dev;
void drv_obj_free(struct dev *dev, struct gpuown_obj *obj);

void retire(struct gpuown_obj *obj, const struct gpuown_fence *f)
{
	gpuown_obj_publish(obj, f);
	if (gpuown_obj_reclaim(obj, f) == 0)
		gpuown_obj_free(obj);
}

int publish_or_free(struct gpuown_obj *obj, const struct gpuown_fence *f)
{
	int ret;

	ret = gpuown_obj_publish(obj, f);
	if (ret) {
		gpuown_obj_free(obj); /* still CPU-owned */
		return ret;
	}
	return 0;
}

int publish_or_drop(struct dev *dev, struct gpuown_obj *obj)
{
	if (gpuown_obj_publish(obj, NULL) < 0) {
		drv_obj_free(dev, obj);
		return -1;
	}
	return 0;
}

void unwind(struct dev *dev, struct gpuown_obj *obj)
{
	gpuown_obj_publish(obj, NULL);
	if (gpuown_obj_state(obj) == GPUOWN_STATE_FW)
		gpuown_obj_reclaim(obj, NULL);
	drv_obj_free(dev, obj);
}

void replaced(struct gpuown_mm *mm, struct gpuown_alloc_args *a,
	      struct gpuown_obj *obj)
{
	gpuown_obj_publish(obj, NULL);
	if (gpuown_obj_alloc(mm, a, &obj))
		return;
	gpuown_obj_free(obj);
}
// SPDX-License-Identifier: MIT
