// SPDX-License-Identifier: MIT
/* Allocated, used and freed in order: no layer reports anything. */
#include <gpuown/object.h>

int job_make(struct gpuown_mm *mm);

int job_make(struct gpuown_mm *mm)
{
	struct gpuown_alloc_args a = {.size = 64};
	struct gpuown_obj *obj;
	int ret = gpuown_obj_alloc(mm, &a, &obj);

	if (ret)
		return ret;
	return gpuown_obj_free(obj);
}
