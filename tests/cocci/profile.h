/* SPDX-License-Identifier: MIT */
/*
 * The driver functions the Coccinelle tests call, annotated: the only place
 * the rules learn that drv_obj_free() frees its second argument.
 */
#include <gpuown/annotations.h>

struct dev;
struct gpuown_obj;

int drv_obj_alloc(struct dev *dev, int layout,
		  struct gpuown_obj **out __gpuown_alloc_out);
struct gpuown_obj *drv_obj_create(struct dev *dev, int layout) __gpuown_alloc;
void drv_obj_free(struct dev *dev, struct gpuown_obj *obj __gpuown_frees);
