/*
 * Seeded bug: drv_job_queue() frees the descriptor when the write-pointer
 * update fails, without clearing the ring slot that points at it.
 * gpuown.DanglingGpuPointer.
 */
#include "drv_priv.h"

int gallery_job_queue(struct simgpu_job *job)
{
	struct simgpu_ctx *ctx = job->ctx;
	struct simgpu_dev *dev = job->dev;
	size_t slot = dev->ops->cmd_ring_slot0 + ctx->wptr * 8ul;
	int ret;

	ret = gpuown_store_gpu_ptr(ctx->ring, slot, job->desc);
	if (ret)
		return ret;
	ret = gpuown_shared_store32(ctx->ring_state, dev->ops->ring_wptr,
				    ctx->wptr + 1);
	if (ret) {
		drv_obj_free(dev, job->desc); // expected-warning{{GPU object freed while 'ctx->ring' still holds a GPU pointer to it}}
		job->desc = NULL;
	}
	return ret;
}
// SPDX-License-Identifier: MIT
