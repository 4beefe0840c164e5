/*
 * Seeded bug: a ring entry is given the command buffer's firmware address
 * where the GPU virtual address belongs. gpuown.AddressSpace.
 */
#include "drv_priv.h"

struct gallery_entry {
	gpu_addr_t cmdbuf_va;
	uint32_t len;
};

void gallery_fill_entry(struct gallery_entry *e, struct simgpu_job *job)
{
	e->cmdbuf_va = gpuown_obj_fw_addr(job->cmdbuf); // expected-warning{{Firmware address stored where a GPU address belongs}}
	e->len = 64;
}
// SPDX-License-Identifier: MIT
