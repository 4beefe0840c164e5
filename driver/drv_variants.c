// SPDX-License-Identifier: MIT
/* The driver's per-variant code: drv_versioned.h once per built variant. */
#include <errno.h>
#include <stddef.h>

#include <gpuown_fw/simgpu.h>

#include "drv_priv.h"

#define GPUOWN_VERSIONED_SOURCE "drv_versioned.h"
#include <gpuown_fw/simgpu_instantiate.h>
#undef GPUOWN_VERSIONED_SOURCE

#define DRV_VARIANT(gen, fw, index) [index] = &drv_variant_ops__##gen##_##fw
static const struct drv_variant_ops *const drv_variants[] = {
	simgpu_VARIANTS(DRV_VARIANT)};
#undef DRV_VARIANT

const struct drv_variant_ops *drv_variant_ops(int index)
{
	if (index < 0 ||
	    (size_t)index >= sizeof(drv_variants) / sizeof(drv_variants[0]))
		return NULL;
	return drv_variants[index];
}

const struct gpuown_variant_table *simgpu_variants(void)
{
	return &simgpu_variant_table;
}
