// Uses of a GEM object or a fence after a put that may have been the last.
struct drm_gem_object {
	unsigned long size;
	unsigned int name;
};

struct kbo {
	struct drm_gem_object base;
	unsigned int flags;
};

struct dma_fence {
	unsigned long long seqno;
};

void drm_gem_object_get(struct drm_gem_object *obj);
void drm_gem_object_put(struct drm_gem_object *obj);
void dma_fence_put(struct dma_fence *fence);
struct drm_gem_object *drm_gem_object_lookup(void *filp, unsigned int handle);
int kbo_pin(struct drm_gem_object *obj);
void pr_size(unsigned long size);

/* The lookup's reference is the only one: the put frees the object. */
unsigned long gem_size_of(void *filp, unsigned int handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(filp, handle);

	if (!obj)
		return 0;
	drm_gem_object_put(obj);
	return obj->size;
}

/* An error path drops the reference, then logs through the object. */
int gem_pin_handle(void *filp, unsigned int handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(filp, handle);
	int ret;

	if (!obj)
		return -2;
	ret = kbo_pin(obj);
	if (ret) {
		drm_gem_object_put(obj);
		pr_size(obj->size);
		return ret;
	}
	return 0;
}

/* A second put of the same reference. */
void fence_release_twice(struct dma_fence *fence, int busy)
{
	dma_fence_put(fence);
	if (busy)
		dma_fence_put(fence);
}

/* The container embeds the GEM object: the put of the base frees it. */
unsigned int kbo_release(struct kbo *bo)
{
	drm_gem_object_put(&bo->base);
	return bo->flags;
}
// SPDX-License-Identifier: MIT
