// Frees of published objects without a reclaim: each reported at the free.
#include <gpuown/object.h>

struct dev;
void drv_obj_free(struct dev *dev, struct gpuown_obj *obj);

void free_in_flight(struct gpuown_obj *obj)
{
	gpuown_obj_publish(obj, NULL);
	gpuown_obj_free(obj);
}

int free_after_success(struct gpuown_obj *obj, const struct gpuown_fence *f)
{
	int ret;

	ret = gpuown_obj_publish(obj, f);
	if (ret)
		return ret;
	gpuown_obj_free(obj);
	return 0;
}

struct job {
	struct gpuown_obj *desc, *cmdbuf;
};

/* The second publish failing leaves the first object firmware-owned. */
int chain(struct dev *dev, struct job *job, const struct gpuown_fence *f)
{
	int ret;

	ret = gpuown_obj_publish(job->desc, f);
	ret = ret ?: gpuown_obj_publish(job->cmdbuf, f);
	if (ret)
		goto err;
	return 0;
err:
	drv_obj_free(dev, job->desc);
	drv_obj_free(dev, job->cmdbuf);
	return ret;
}

void only_one_branch_reclaims(struct gpuown_obj *obj, int done)
{
	gpuown_obj_publish(obj, NULL);
	if (done)
		gpuown_obj_reclaim(obj, NULL);
	gpuown_obj_free(obj);
}
// SPDX-License-Identifier: MIT
