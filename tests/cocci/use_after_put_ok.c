// The same shapes, correct: use before the put, a reference of our own, a new
// object in the handle.
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

unsigned long gem_size_of(void *filp, unsigned int handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(filp, handle);
	unsigned long size;

	if (!obj)
		return 0;
	size = obj->size;
	drm_gem_object_put(obj);
	return size;
}

/* The put drops the extra reference this function took: the caller's stays. */
int gem_pin_twice(struct drm_gem_object *obj)
{
	int ret;

	drm_gem_object_get(obj);
	ret = kbo_pin(obj);
	drm_gem_object_put(obj);
	if (ret)
		pr_size(obj->size);
	return ret;
}

/* The handle names another object after the put. */
void gem_swap(void *filp, unsigned int a, unsigned int b)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(filp, a);

	if (!obj)
		return;
	drm_gem_object_put(obj);
	obj = drm_gem_object_lookup(filp, b);
	if (!obj)
		return;
	pr_size(obj->size);
	drm_gem_object_put(obj);
}

unsigned int kbo_release(struct kbo *bo)
{
	unsigned int flags = bo->flags;

	drm_gem_object_put(&bo->base);
	return flags;
}
// SPDX-License-Identifier: MIT
