/* SPDX-License-Identifier: MIT */
/*
 * gpuown profile for panfrost in Linux 6.1 (drivers/gpu/drm/panfrost/): GEM
 * objects, their GPU mappings, job submission. Force-included by gpuown-check
 * --profile after the unit's forced includes; every prototype matches the
 * tree's. See docs/profiles/panfrost.md.
 */
#ifndef GPUOWN_PROFILE_PANFROST_H
#define GPUOWN_PROFILE_PANFROST_H

#include <gpuown/annotations.h>

struct drm_device;
struct drm_file;
struct drm_gem_object;
struct panfrost_gem_object;
struct kref;

/* A shmem-backed GEM object with one reference, or ERR_PTR. */
struct panfrost_gem_object *panfrost_gem_create(struct drm_device *dev,
						size_t size, u32 flags)
	__gpuown_alloc __gpuown_err_ptr;

/*
 * The release behind drm_gem_object_put() (a static inline kref_put()): on
 * the path where the last reference went, the object is freed.
 */
void drm_gem_object_free(struct kref *kref __gpuown_frees);

/*
 * The new handle takes a reference of its own (drm_gem_object_get inside);
 * the caller's reference stays the caller's, to put as before. Without the
 * role the object escapes into the call and a missing put is never seen.
 */
int drm_gem_handle_create(struct drm_file *file_priv,
			  struct drm_gem_object *obj __gpuown_uses,
			  u32 *handlep);

#endif /* GPUOWN_PROFILE_PANFROST_H */
