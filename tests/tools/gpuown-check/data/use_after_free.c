#include <gpuown/object.h>

struct fw_job {
	unsigned magic;
};

void cpu_after_free(struct gpuown_obj *obj);

void cpu_after_free(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	job->magic = 1;
	gpuown_obj_free(obj);
	job->magic = 2;
}
// SPDX-License-Identifier: MIT
