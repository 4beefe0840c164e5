/*
 * Seeded bug: the completion check is inverted, so the result is reclaimed
 * exactly when its fence is not reached. gpuown.Ownership.
 */
#include "drv_priv.h"

void gallery_poll_result(struct simgpu_job *job)
{
	if (gpuown_obj_publish(job->result, &job->done_fence))
		return;
	if (!gpuown_fence_reached(&job->done_fence))
		gpuown_obj_reclaim(job->result, &job->done_fence); // expected-warning{{Reclaim of a GPU object before its completion fence is reached}}
}
// SPDX-License-Identifier: MIT
