/* A driver's own buffer-object API, written with no knowledge of gpuown. */
#ifndef PFX_GEM_H
#define PFX_GEM_H

struct pfx_device;

struct pfx_gem_object {
	int handle;
	unsigned long size;
};

struct pfx_gem_object *pfx_gem_create(struct pfx_device *dev,
				      unsigned long size, unsigned int flags);
void pfx_gem_put(struct pfx_gem_object *bo);

#endif
/* SPDX-License-Identifier: MIT */
