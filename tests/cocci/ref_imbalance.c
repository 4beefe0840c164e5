// References taken, then dropped on the floor by an error path.
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

/* The size check returns before the reference is stored. */
int kjob_attach_bo(struct kjob *job, struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
	if (obj->size > 4096)
		return -EINVAL;
	job->bo = obj;
	return 0;
}

/* The validation error returns with the reference still held. */
int kjob_attach_checked(struct kjob *job, struct drm_gem_object *obj)
{
	int ret;

	drm_gem_object_get(obj);
	ret = kjob_validate(obj);
	if (ret)
		return ret;
	job->bo = obj;
	return 0;
}

/* The fence reference from dma_fence_get() is lost when allocation fails. */
struct kjob *kjob_create(struct dma_fence *in)
{
	struct dma_fence *fence = dma_fence_get(in);
	struct kjob *job = kjob_alloc();

	if (!job)
		return ERR_PTR(-ENOMEM);
	job->done = fence;
	return job;
}
// SPDX-License-Identifier: MIT
