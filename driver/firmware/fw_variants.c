// SPDX-License-Identifier: MIT
/*
 * One firmware image per built variant: fw_versioned.h compiled once for each
 * (generation, firmware version) pair the .fwdef files declare.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gpuown_fw/simgpu.h>

#include "fw_priv.h"

#define GPUOWN_VERSIONED_SOURCE "fw_versioned.h"
#include <gpuown_fw/simgpu_instantiate.h>
#undef GPUOWN_VERSIONED_SOURCE

#define SIMFW_IMAGE(gen, fw, index) [index] = &simfw_ops__##gen##_##fw
static const struct simfw_ops *const simfw_images[] = {
	simgpu_VARIANTS(SIMFW_IMAGE)};
#undef SIMFW_IMAGE

const struct simfw_ops *simfw_ops_find(const char *variant)
{
	size_t i;

	for (i = 0; i < sizeof(simfw_images) / sizeof(simfw_images[0]); i++) {
		if (!strcmp(simfw_images[i]->variant, variant))
			return simfw_images[i];
	}
	return NULL;
}
