/*
 * Seeded bug: the descriptor is published before the command buffer it
 * points at, which the CPU is still filling. gpuown.DanglingGpuPointer.
 */
#include <errno.h>

#include "drv_priv.h"

int gallery_build_and_publish(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;
	struct gpuown_obj *cb;
	uint32_t *words;
	int ret;

	ret = drv_obj_alloc(dev, DRV_L_CMDBUF, GPUOWN_MAP_FW_PRIVATE, 0, &cb);
	if (ret)
		return ret;
	if (gpuown_cpu_begin(cb, GPUOWN_DIR_WRITE, (void **)&words)) {
		drv_obj_free(dev, cb);
		return -EIO;
	}
	words[0] = 1;
	gpuown_cpu_end(cb);
	job->cmdbuf = cb;
	ret = gpuown_store_gpu_ptr(job->desc, 8, cb);
	ret = ret ?: gpuown_obj_publish(job->desc, &job->done_fence); // expected-warning{{GPU object published while 'job->desc' points at an object still being built (CPU-owned, not yet published)}}
	ret = ret ?: gpuown_obj_publish(cb, &job->done_fence);
	return ret;
}
// SPDX-License-Identifier: MIT
