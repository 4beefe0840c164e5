// CPU writes to objects the firmware owns: each reported at the write.
#include <string.h>
#include <gpuown/object.h>

struct fw_job {
	unsigned magic;
	unsigned flags;
	unsigned counts[4];
};

void late_flag(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	job->magic = 1;
	gpuown_obj_publish(obj, NULL);
	job->flags = 2;
}

int window_after_publish(struct gpuown_obj *obj, const struct gpuown_fence *f)
{
	struct fw_job *job;
	int ret;

	ret = gpuown_obj_publish(obj, f);
	if (ret)
		return ret;
	ret = gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, (void **)&job);
	if (ret)
		return ret;
	job->flags = 0;
	gpuown_cpu_end(obj);
	return 0;
}

void accessors(struct gpuown_obj *obj, struct gpuown_obj *cb, unsigned v)
{
	gpuown_obj_publish(obj, NULL);
	gpuown_cpu_write(obj, 0, &v, sizeof(v));
}

int link_after_publish(struct gpuown_obj *obj, struct gpuown_obj *cb)
{
	int ret = gpuown_obj_publish(obj, NULL);

	return ret ?: GPUOWN_STORE_PTR(obj, struct fw_job, flags, cb);
}

void counter(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	gpuown_obj_publish(obj, NULL);
	job->counts[0] += 1;
}

void array_and_memset(struct gpuown_obj *obj, int reset)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	gpuown_obj_publish(obj, NULL);
	if (reset)
		memset(job, 0, sizeof(*job));
	job->counts[1] = 3;
}
// SPDX-License-Identifier: MIT
