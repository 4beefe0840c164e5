/*
 * Seeded bug: drv_job_publish() followed by a late fix-up of the descriptor
 * through a new CPU window. gpuown.Ownership: write access while firmware-owned.
 */
#include "drv_priv.h"

int gallery_publish_then_patch(struct simgpu_job *job)
{
	const struct gpuown_fence *f = &job->done_fence;
	uint32_t *d;
	int ret;

	ret = gpuown_obj_publish(job->cmdbuf, f);
	ret = ret ?: gpuown_obj_publish(job->desc, f);
	if (ret)
		return ret;
	ret = gpuown_cpu_begin(job->desc, GPUOWN_DIR_WRITE, (void **)&d); // expected-warning{{CPU write access opened on a GPU object while the firmware owns it}}
	if (ret)
		return ret;
	d[1] |= 1;
	gpuown_cpu_end(job->desc);
	return 0;
}
// SPDX-License-Identifier: MIT
