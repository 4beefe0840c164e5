/*
 * gpuown profile for the pfx driver: its own functions re-declared with
 * annotations. Force-included ahead of every unit; the driver is unchanged.
 */
#include <gpuown/annotations.h>

struct pfx_device;
struct pfx_gem_object;

struct pfx_gem_object *pfx_gem_create(struct pfx_device *dev,
				      unsigned long size,
				      unsigned int flags) __gpuown_alloc;
void pfx_gem_put(struct pfx_gem_object *bo __gpuown_frees);
/* SPDX-License-Identifier: MIT */
