/*
 * Seeded bug: drv_job_retire() with the descriptor freed a second time (the
 * reclaim helper already freed it). gpuown.Lifetime: double free.
 */
#include "drv_priv.h"

void gallery_job_retire(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;

	drv_obj_reclaim_free(dev, job->desc, &job->done_fence);
	drv_obj_reclaim_free(dev, job->cmdbuf, &job->done_fence);
	drv_obj_free(dev, job->desc); // expected-warning{{GPU object freed twice}}
	job->desc = job->cmdbuf = NULL;
}
// SPDX-License-Identifier: MIT
