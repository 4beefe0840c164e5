// Uses of a GPU object after gpuown_obj_free(): each marked line is reported.
#include <gpuown/object.h>

struct fw_job {
	unsigned magic;
};

int field_after_free(struct gpuown_obj *obj, struct gpuown_obj **slot)
{
	gpuown_obj_free(obj);
	return gpuown_obj_size(obj) != 0; /* use: call after free */
}

void cpu_after_free(struct gpuown_obj *obj)
{
	struct fw_job *job = NULL;

	job = gpuown_obj_cpu(obj);
	job->magic = 1;
	gpuown_obj_free(obj);
	job->magic = 2; /* use of the CPU pointer after free */
}

gpu_addr_t va_after_free(struct gpuown_obj *obj)
{
	gpuown_obj_free(obj);
	return gpuown_obj_gpu_va(obj); /* GPU address of a freed object */
}

void double_free(struct gpuown_obj *obj)
{
	gpuown_obj_free(obj);
	gpuown_obj_free(obj); /* double free */
}

struct holder {
	struct gpuown_obj *obj;
	struct gpuown_obj *other;
};

void field_handle(struct holder *h)
{
	gpuown_obj_free(h->obj);
	gpuown_obj_publish(h->obj, NULL); /* through a struct field */
}

int error_path(struct gpuown_obj *obj, int fail)
{
	if (fail)
		goto out;
	return 0;
out:
	gpuown_obj_free(obj);
	return gpuown_obj_share(obj); /* on the error path */
}

void loop_same_handle(struct gpuown_obj *obj, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		gpuown_obj_publish(obj, NULL); /* freed by the previous iteration */
		gpuown_obj_free(obj);
	}
}

/* A driver's own free function, named with -D free_fns=...,drv_obj_free:2. */
struct dev;
void drv_obj_free(struct dev *dev, struct gpuown_obj *obj);

void wrapper_free(struct dev *dev, struct gpuown_obj *obj)
{
	drv_obj_free(dev, obj);
	gpuown_obj_publish(obj, NULL);
}

void decl_cpu_after_free(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	job->magic = 1;
	gpuown_obj_free(obj);
	job->magic = 2; /* declared CPU pointer used after free */
}
// SPDX-License-Identifier: MIT
