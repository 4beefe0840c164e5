// SPDX-License-Identifier: MIT
#include <stddef.h>
#include <gpuown/object.h>

GPUOWN_DECLARE_PTRS(fw_cmdbuf);
GPUOWN_DECLARE_PTRS(fw_job_desc);

struct fw_job_desc {
	uint32_t magic_0;
	uint32_t flags_4;
	gpu_ptr(fw_cmdbuf) cmdbuf_8;
	gpu_weak_ptr(fw_job_desc) prev_10;
};

/* Addresses move through the API, never through integer casts. */
static gpu_addr_t page_of(gpu_addr_t va)
{
	uint64_t raw = gpuown_gpu_addr_to_u64(va);

	return gpuown_gpu_addr_from_u64(raw & ~(uint64_t)(GPUOWN_GPU_PAGE_SIZE - 1));
}

static int same_object(struct gpuown_obj *a, struct gpuown_obj *b)
{
	return gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(a)) ==
	       gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(b));
}

static fw_addr_t fw_view(struct gpuown_mm *mm, struct gpuown_obj *obj)
{
	return gpuown_fw_addr_of_va(mm, gpuown_obj_gpu_va(obj));
}

static int link_cmdbuf(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	return GPUOWN_STORE_PTR(job, struct fw_job_desc, cmdbuf_8, cb);
}

static int is_linked(const struct fw_job_desc *d)
{
	return !gpu_ptr_is_null(d->cmdbuf_8) && gpu_ptr_is_null(d->prev_10);
}

static gpu_addr_t copy(const gpu_addr_t *src)
{
	gpu_addr_t va = *src;

	return va;
}

/*
 * check-name: addresses through the conversion API stay silent
 * check-command: run-sparse $file
 */
