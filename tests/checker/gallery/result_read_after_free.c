/*
 * Seeded bug: the result is read through the CPU window after the object was
 * freed. gpuown.Lifetime: use after free through the CPU address.
 */
#include <errno.h>

#include "drv_priv.h"

int gallery_read_result(struct simgpu_job *job)
{
	struct simgpu_dev *dev = job->dev;
	const uint32_t *r;
	int status;

	if (gpuown_cpu_begin(job->result, GPUOWN_DIR_READ, (void **)&r))
		return -EIO;
	gpuown_cpu_end(job->result);
	drv_obj_free(dev, job->result);
	status = (int)r[1]; // expected-warning{{Read of a freed GPU object through its CPU address}}
	job->result = NULL;
	return status;
}
// SPDX-License-Identifier: MIT
