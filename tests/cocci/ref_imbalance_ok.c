// The same shapes, balanced: put on the error path, stored, or handed back.
#define EINVAL 22
#define ENOMEM 12

struct drm_gem_object {
	unsigned long size;
};

struct dma_fence {
	unsigned long long seqno;
};

struct kjob {
	struct drm_gem_object *bo;
	struct dma_fence *done;
};

void drm_gem_object_get(struct drm_gem_object *obj);
void drm_gem_object_put(struct drm_gem_object *obj);
struct dma_fence *dma_fence_get(struct dma_fence *fence);
void dma_fence_put(struct dma_fence *fence);
int kjob_validate(struct drm_gem_object *obj);
void *ERR_PTR(long err);
struct kjob *kjob_alloc(void);
void kjob_free(struct kjob *job);

int kjob_attach_bo(struct kjob *job, struct drm_gem_object *obj)
{
	if (obj->size > 4096)
		return -EINVAL;
	drm_gem_object_get(obj);
	job->bo = obj;
	return 0;
}

int kjob_attach_checked(struct kjob *job, struct drm_gem_object *obj)
{
	int ret;

	drm_gem_object_get(obj);
	ret = kjob_validate(obj);
	if (ret)
		goto err_put;
	job->bo = obj;
	return 0;

err_put:
	drm_gem_object_put(obj);
	return ret;
}

struct kjob *kjob_create(struct dma_fence *in)
{
	struct dma_fence *fence = dma_fence_get(in);
	struct kjob *job = kjob_alloc();

	if (!job) {
		dma_fence_put(fence);
		return ERR_PTR(-ENOMEM);
	}
	job->done = fence;
	return job;
}
// SPDX-License-Identifier: MIT
