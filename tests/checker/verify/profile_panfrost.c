// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=core.builtin,gpuown.Lifetime
/*
 * The shipped panfrost profile (profiles/panfrost.h), unchanged, on the shape
 * of panfrost's BO-creation ioctl in Linux 6.1, reduced: the new object gets
 * a handle, whose creation takes a reference of its own, and the creator
 * drops its reference before returning. The evaluation's seeded leak
 * (scripts/lib/kernel_seed.py, docs/evaluation.md) removes that put; this
 * keeps it found. Without the profile's `obj __gpuown_uses` on
 * drm_gem_handle_create() the object escaped into the call and the leak went
 * unreported.
 */
#include "kshape/lifetime.h"
#include "../../../profiles/panfrost.h"

struct create_bo_args {
	u32 size;
	u32 flags;
	u32 handle;
	u64 offset;
};

/* The creator forgets its own reference: the handle's one is not its. */
int create_bo_no_put(struct drm_device *dev, struct drm_file *file,
		     struct create_bo_args *args)
{
	struct panfrost_gem_object *bo;
	int ret;

	bo = panfrost_gem_create(dev, args->size, args->flags);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	/* bo is dead after this line: the leak is reported here. */
	ret = drm_gem_handle_create(file, &bo->base, &args->handle); // expected-warning{{GPU object allocated by 'panfrost_gem_create' is leaked: not freed on this path}}
	return ret;
}

/* The driver's shape: the creator's put on every path. */
int create_bo(struct drm_device *dev, struct drm_file *file,
	      struct create_bo_args *args)
{
	struct panfrost_gem_object *bo;
	int ret;

	bo = panfrost_gem_create(dev, args->size, args->flags);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	if (ret)
		goto out;
	args->offset = bo->base.size;
out:
	drm_gem_object_put(&bo->base);
	return ret; // no-warning
}

/*
 * A use after the put: user space may close the new handle at once, so the
 * handle's reference keeps nothing alive for the creator.
 */
int create_bo_use_after_put(struct drm_device *dev, struct drm_file *file,
			    struct create_bo_args *args)
{
	struct panfrost_gem_object *bo;
	int ret;

	bo = panfrost_gem_create(dev, args->size, args->flags);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	drm_gem_object_put(&bo->base);
	args->offset = bo->base.size; // expected-warning{{Read of a freed GPU object through its handle}}
	return ret;
}
