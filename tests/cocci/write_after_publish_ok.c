// Writes before the publish or after the reclaim, and reads while the
// firmware owns the object: nothing to report.
#include <string.h>
#include <gpuown/object.h>

struct fw_job {
	unsigned magic;
	unsigned flags;
};

int build_then_publish(struct gpuown_obj *obj, struct gpuown_obj *cb,
		       const struct gpuown_fence *f)
{
	struct fw_job *job;
	int ret;

	ret = gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, (void **)&job);
	if (ret)
		return ret;
	job->magic = 1;
	gpuown_cpu_end(obj);
	ret = GPUOWN_STORE_PTR(obj, struct fw_job, flags, cb);
	if (ret)
		return ret;
	return gpuown_obj_publish(obj, f);
}

int reuse_after_reclaim(struct gpuown_obj *obj, const struct gpuown_fence *f)
{
	struct fw_job *job = gpuown_obj_cpu(obj);
	int ret;

	ret = gpuown_obj_publish(obj, f);
	if (ret)
		return ret;
	ret = gpuown_obj_reclaim(obj, f);
	if (ret)
		return ret;
	job->flags = 0;
	memset(job, 0, sizeof(*job));
	return 0;
}

unsigned read_while_published(struct gpuown_obj *obj)
{
	const struct fw_job *job;
	unsigned magic;

	gpuown_obj_publish(obj, NULL);
	if (gpuown_cpu_begin(obj, GPUOWN_DIR_READ, (void **)&job))
		return 0;
	magic = job->magic;
	gpuown_cpu_end(obj);
	return magic;
}

void other_object(struct gpuown_obj *obj, struct gpuown_obj *next)
{
	struct fw_job *job = gpuown_obj_cpu(next);

	gpuown_obj_publish(obj, NULL);
	job->flags = 1;
	GPUOWN_STORE_PTR(next, struct fw_job, flags, obj);
}
// SPDX-License-Identifier: MIT
