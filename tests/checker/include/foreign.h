/* SPDX-License-Identifier: MIT */
/*
 * A foreign driver's own buffer-object API, annotated with the gpuown
 * vocabulary: the checkers see it exactly like the runtime's gpuown_obj_*.
 */
#ifndef TEST_FOREIGN_H
#define TEST_FOREIGN_H

#include <stddef.h>
#include <stdint.h>

#include <gpuown/annotations.h>

struct my_dev;
struct my_bo {
	size_t size;
	uint64_t flags;
	void *vaddr;
};

struct my_bo *my_bo_create(struct my_dev *dev, size_t size __gpuown_alloc_size)
	__gpuown_alloc;
void my_bo_put(struct my_bo *bo __gpuown_frees);
void *my_bo_vmap(struct my_bo *bo __gpuown_addr_of) __gpuown_cpu_addr;
gpu_addr_t my_bo_gpu_va(struct my_bo *bo __gpuown_addr_of) __gpuown_gpu_addr_fn;
fw_addr_t my_bo_fw_va(struct my_bo *bo __gpuown_addr_of) __gpuown_fw_addr_fn;
int my_bo_submit(struct my_bo *bo __gpuown_publishes);
int my_bo_retire(struct my_bo *bo __gpuown_reclaims);
void my_bo_inspect(struct my_bo *bo __gpuown_uses);

/* Functions the analyzer cannot see into and knows nothing about. */
void opaque_keep(void *p);
void opaque_log(uint64_t v);

#endif
