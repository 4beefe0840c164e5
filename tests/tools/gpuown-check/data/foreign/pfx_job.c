#include "pfx_gem.h"

int pfx_job_run(struct pfx_device *dev);

int pfx_job_run(struct pfx_device *dev)
{
	struct pfx_gem_object *bo = pfx_gem_create(dev, 4096, 0);

	if (!bo)
		return -12;
	pfx_gem_put(bo);
	return bo->handle;
}
// SPDX-License-Identifier: MIT
