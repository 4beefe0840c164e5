// SPDX-License-Identifier: MIT
#include <gpuown/object.h>

struct fw_vm_desc {
	uint32_t asid_0;
	uint32_t flags_4;
};

/* The window is closed on every path that opened it. */
static int fill(struct gpuown_obj *obj, uint32_t asid)
{
	struct fw_vm_desc *v;
	int ret;

	ret = gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, (void **)&v);
	if (ret)
		return ret;
	v->asid_0 = asid;
	v->flags_4 = 0;
	gpuown_cpu_end(obj);
	return 0;
}

static int fill_all(struct gpuown_obj **objs, int n)
{
	struct fw_vm_desc *v;
	int i;

	for (i = 0; i < n; i++) {
		int ret = gpuown_cpu_begin(objs[i], GPUOWN_DIR_WRITE, (void **)&v);

		if (ret)
			return ret;
		v->asid_0 = (uint32_t)i;
		gpuown_cpu_end(objs[i]);
	}
	return 0;
}

/* Unwinding after the window is closed. */
static int fill_then_publish(struct gpuown_obj *obj, struct gpuown_obj *next)
{
	struct fw_vm_desc *v;
	int ret;

	ret = gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, (void **)&v);
	if (ret)
		return ret;
	v->asid_0 = 1;
	gpuown_cpu_end(obj);
	ret = gpuown_obj_publish(next, NULL);
	if (ret)
		goto err;
	return 0;
err:
	gpuown_obj_free(next);
	return ret;
}

static uint32_t read_flags(struct gpuown_obj *obj)
{
	const struct fw_vm_desc *v;
	uint32_t flags;

	if (gpuown_cpu_begin(obj, GPUOWN_DIR_READ, (void **)&v))
		return 0;
	flags = v->flags_4;
	gpuown_cpu_end(obj);
	return flags;
}

/*
 * check-name: balanced CPU-access windows stay silent
 * check-command: run-sparse $file
 */
