/* SPDX-License-Identifier: MIT */
/*
 * The foreign driver's own header: its buffer objects, its ring, its names.
 * Nothing of gpuown in it; profile.h re-declares these functions with
 * annotations, and that is all the checkers get.
 */
#ifndef MY_DRV_H
#define MY_DRV_H

#include <stddef.h>
#include <stdint.h>

struct my_vm;
struct my_bo;
struct my_bo_args;
struct my_fence;

int my_bo_create(struct my_vm *vm, const struct my_bo_args *args,
		 struct my_bo **out);
int my_bo_destroy(struct my_bo *bo);
int my_bo_hand_to_fw(struct my_bo *bo, struct my_fence *done);
int my_bo_take_back(struct my_bo *bo, const struct my_fence *done);
void *my_bo_vaddr(struct my_bo *bo);
uint64_t my_bo_gpu_addr(const struct my_bo *bo);
int my_bo_write(struct my_bo *bo, size_t offset, const void *src, size_t len);
int my_desc_set_ptr(struct my_bo *desc, size_t offset, struct my_bo *target);
/* Publishes the ring's write pointer to the firmware (a doorbell write). */
void my_ring_set_wptr(struct my_bo *ring, uint32_t wptr);

/* A firmware job descriptor: the command buffer's GPU address. */
struct my_gpu_ref {
	uint64_t va;
};

struct my_job_desc {
	uint32_t magic;
	struct my_gpu_ref cmdbuf;
};

struct my_ring {
	struct my_bo *slots;
	uint32_t wptr;
};

/* A context the driver looks up by handle; users counts its references. */
struct my_ctx {
	unsigned users;
	uint32_t handle;
	struct my_ctx *next;
};

struct my_dev {
	struct my_ctx *ctxs;
};

/* Returns the context with a reference the caller drops with my_ctx_drop(). */
struct my_ctx *my_ctx_fetch(struct my_dev *dev, uint32_t handle);
struct my_ctx *my_ctx_hold(struct my_ctx *ctx);
void my_ctx_drop(struct my_ctx *ctx);
int my_ctx_run(struct my_ctx *ctx);

/* The driver's entry points (my_drv.c, my_drv_ok.c). */
void make_ignored(struct my_vm *vm, const struct my_bo_args *args);
void use_after_destroy(struct my_bo *bo);
void write_after_hand_over(struct my_bo *bo);
void destroy_while_fw_owned(struct my_bo *bo);
void raw_pointer_store(struct my_bo *job, struct my_bo *cb);
void cpu_pointer_store(struct my_bo *job, struct my_bo *cb);
void ring_submit(struct my_ring *r, struct my_bo *job);
int run_after_drop(struct my_dev *dev, uint32_t handle);
int make_checked(struct my_vm *vm, const struct my_bo_args *args,
		 struct my_bo **out);
void write_then_hand_over(struct my_bo *bo, struct my_fence *done);
void ring_submit_ordered(struct my_ring *r, struct my_bo *job);
int run_then_drop(struct my_dev *dev, uint32_t handle);

#endif /* MY_DRV_H */
