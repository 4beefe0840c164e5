// Correct code around gpuown_obj_free(): nothing here may be reported.
#include <gpuown/object.h>

struct fw_job {
	unsigned magic;
};

struct holder {
	struct gpuown_obj *obj;
};

void use_then_free(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	job->magic = 1;
	gpuown_obj_free(obj);
}

void reassigned(struct gpuown_mm *mm, struct gpuown_alloc_args *args,
		struct gpuown_obj *obj)
{
	gpuown_obj_free(obj);
	obj = NULL;
	if (gpuown_obj_alloc(mm, args, &obj))
		return;
	gpuown_obj_publish(obj, NULL);
}

void realloc_out(struct gpuown_mm *mm, struct gpuown_alloc_args *args,
		 struct holder *h)
{
	gpuown_obj_free(h->obj);
	if (gpuown_obj_alloc(mm, args, &h->obj))
		return;
	gpuown_obj_share(h->obj);
}

int branches(struct gpuown_obj *obj, int drop)
{
	if (drop) {
		gpuown_obj_free(obj);
		return 0;
	}
	return gpuown_obj_publish(obj, NULL);
}

void cleared(struct holder *h)
{
	gpuown_obj_free(h->obj);
	h->obj = NULL;
	if (h->obj)
		gpuown_obj_share(h->obj);
}

void fresh_pointer(struct gpuown_obj *obj, struct gpuown_obj *next)
{
	struct fw_job *job;

	job = gpuown_obj_cpu(obj);
	job->magic = 1;
	gpuown_obj_free(obj);
	job = gpuown_obj_cpu(next);
	job->magic = 2;
}

void free_all(struct gpuown_obj **objs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		gpuown_obj_free(objs[i]);
}

void loop_next_handle(struct gpuown_obj **objs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		gpuown_obj_publish(objs[i], NULL);
		gpuown_obj_free(objs[i]);
	}
}

struct dev;
void drv_obj_free(struct dev *dev, struct gpuown_obj *obj);

void wrapper_free_last(struct dev *dev, struct gpuown_obj *obj)
{
	gpuown_obj_publish(obj, NULL);
	drv_obj_free(dev, obj);
}

void decl_cpu_before_free(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	job->magic = 1;
	gpuown_obj_free(obj);
	job = NULL;
}
// SPDX-License-Identifier: MIT
