// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=core.builtin,gpuown.Lifetime -analyzer-output=text -include kshape/lifetime_profile.h
/*
 * Path notes of the kernel lifetime idioms: each reference taken, dropped or
 * handed over on the path of a report is told, and nothing else.
 */
#include "kshape/lifetime.h"

void put_twice(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj); // expected-note{{Reference to the GPU object taken by 'drm_gem_object_get'}}
	drm_gem_object_put(obj); // expected-note{{Reference dropped by 'drm_gem_object_put'; others remain}}
	drm_gem_object_put(obj); // expected-note{{Reference put by 'drm_gem_object_put': it may have been the last}}
	drm_gem_object_put(obj); // expected-warning{{GPU object put after its last reference was dropped}} expected-note{{GPU object put after its last reference was dropped}}
}

void handed_over(struct xarray *xa, struct drm_file *file, u32 handle, u32 *id)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle); // expected-note{{Reference to the GPU object taken by 'drm_gem_object_lookup'}}

	xa_alloc(xa, id, obj, xa_limit_32b, GFP_KERNEL); // expected-note{{Reference handed to 'xa_alloc'}}
	drm_gem_object_put(obj); // expected-warning{{Put of a GPU object whose reference was handed to 'xa_alloc' (the container owns it now)}} expected-note{{Put of a GPU object whose reference was handed to 'xa_alloc' (the container owns it now)}}
}

void unref_alias(struct amdgpu_bo *bo)
{
	struct amdgpu_bo *alias = bo;

	amdgpu_bo_unref(&bo); // expected-note{{GPU object put by 'amdgpu_bo_unref' (handle cleared)}}
	alias->flags = 0; // expected-warning{{Write of a GPU object through its handle after a put that may have dropped its last reference}} expected-note{{Write of a GPU object through its handle after a put that may have dropped its last reference}}
}
