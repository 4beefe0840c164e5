/*
 * Seeded bug: the job allocation keeps its objects in locals and returns on a
 * failure without freeing what it already had. gpuown.Lifetime: leak.
 */
#include "drv_priv.h"

int gallery_job_alloc(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;
	struct gpuown_obj *desc, *cmdbuf;
	int ret;

	ret = drv_obj_alloc(dev, DRV_L_JOB_DESC, GPUOWN_MAP_FW_PRIVATE, 0, &desc);
	if (ret)
		return ret;
	ret = drv_obj_alloc(dev, DRV_L_CMDBUF, GPUOWN_MAP_FW_PRIVATE, 0, &cmdbuf);
	if (ret)
		return ret; // expected-warning{{GPU object allocated by 'drv_obj_alloc' is leaked: not freed on this path}}
	job->desc = desc;
	job->cmdbuf = cmdbuf;
	return 0;
}
// SPDX-License-Identifier: MIT
