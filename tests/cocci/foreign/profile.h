/* SPDX-License-Identifier: MIT */
/*
 * The profile of a driver written with no gpuown in it: its own buffer
 * object (struct my_bo), its own names for every operation. These annotated
 * declarations are all gpuown-check needs to run every Coccinelle rule over
 * it (foreign-names.sh), as it runs them over code using gpuown's runtime,
 * and the analyzer and sparse over the driver of my_drv.c (foreign-driver.sh).
 */
#include <stddef.h>
#include <stdint.h>

#include <gpuown/annotations.h>

#include "my_fw.h"

struct dev;
struct my_bo;
struct my_vm;
struct my_bo_args;
struct my_fence;
struct my_dev;
struct my_ctx;

int my_bo_create(struct my_vm *vm, const struct my_bo_args *args,
		 struct my_bo **out __gpuown_alloc_out);
int my_bo_destroy(struct my_bo *bo __gpuown_frees);
int my_bo_hand_to_fw(struct my_bo *bo __gpuown_publishes,
		     struct my_fence *done);
int my_bo_take_back(struct my_bo *bo __gpuown_reclaims,
		    const struct my_fence *done __gpuown_completes);
int my_bo_share(struct my_bo *bo __gpuown_shares);
int my_bo_status(const struct my_bo *bo) __gpuown_state_query;
void *my_bo_vaddr(struct my_bo *bo __gpuown_addr_of) __gpuown_cpu_addr;
gpu_addr_t my_bo_gpu_addr(const struct my_bo *bo __gpuown_addr_of)
	__gpuown_gpu_addr_fn;
fw_addr_t my_bo_fw_addr(const struct my_bo *bo __gpuown_addr_of)
	__gpuown_fw_addr_fn;
int my_bo_cpu_prep(struct my_bo *bo __gpuown_cpu_begin, uint32_t dir,
		   void **ptr);
void my_bo_cpu_fini(struct my_bo *bo __gpuown_cpu_end);
int my_bo_write(struct my_bo *bo __gpuown_cpu_writes, size_t offset,
		const void *src, size_t len);
/* The ring's write pointer goes to the firmware through a shared word. */
int my_ring_commit32(struct my_bo *ring __gpuown_shared_store, size_t offset,
		     uint32_t val);
/* Or through a doorbell function that publishes the write pointer. */
void my_ring_set_wptr(struct my_bo *ring __gpuown_wptr_publish, uint32_t wptr);
/* Pointer stores: the GPU address, or the firmware address, of the target. */
int my_desc_set_ptr(struct my_bo *desc __gpuown_store_container, size_t offset,
		    struct my_bo *target __gpuown_store_target)
	__gpuown_stores_gpu_ptr;
int my_desc_set_fw_ptr(struct my_bo *desc __gpuown_store_container,
		       size_t offset, struct my_bo *target __gpuown_store_target)
	__gpuown_stores_fw_ptr;
gpu_addr_t my_gpu_addr(uint64_t v) __gpuown_addr_from_int;
/* Contexts: referenced lookups (names no *_lookup pattern knows), get, put. */
struct my_ctx *my_ctx_fetch(struct my_dev *dev,
			    uint32_t handle) __gpuown_lookup_get;
struct my_ctx *my_ctx_search(struct my_dev *dev, uint32_t handle,
			     int pin) __gpuown_lookup_get;
struct my_ctx *my_ctx_hold(struct my_ctx *ctx __gpuown_get);
void my_ctx_drop(struct my_ctx *ctx __gpuown_put);
/* The firmware's boot arguments grew a field in version 2.0. */
GPUOWN_FIELD_FACT(my_fw_boot__G11_V2_1, boot_flags,
		  __gpuown_versioned("V >= V2_0"));

/* The same driver helpers the reference tests use (tests/cocci/profile.h). */
int drv_obj_alloc(struct dev *dev, int layout,
		  struct my_bo **out __gpuown_alloc_out);
struct my_bo *drv_obj_create(struct dev *dev, int layout) __gpuown_alloc;
void drv_obj_free(struct dev *dev, struct my_bo *obj __gpuown_frees);
