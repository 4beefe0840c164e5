// Buffers freed on the branch where the fence wait failed.
struct dma_fence {
	unsigned long long seqno;
};

struct kamd_bo {
	unsigned long long size;
};

struct kamd_vm {
	struct kamd_bo *pd;
	struct dma_fence *last_update;
};

long dma_fence_wait(struct dma_fence *fence, _Bool intr);
long dma_fence_wait_timeout(struct dma_fence *fence, _Bool intr, long timeout);
void kamd_bo_free(struct kamd_bo *bo);
void kamd_bo_unref(struct kamd_bo **bo);
void kamd_bo_release_after(struct kamd_bo *bo, struct dma_fence *fence);
void pr_warn_wait(long r);

/* An interrupted wait frees the page directory the GPU may still walk. */
int kamd_vm_fini(struct kamd_vm *vm)
{
	long r;

	r = dma_fence_wait(vm->last_update, 1);
	if (r) {
		pr_warn_wait(r);
		kamd_bo_free(vm->pd);
		return r;
	}
	kamd_bo_free(vm->pd);
	return 0;
}

/* A timeout (0) is a failure too. */
void kamd_vm_teardown(struct kamd_vm *vm)
{
	if (!dma_fence_wait_timeout(vm->last_update, 0, 100)) {
		kamd_bo_unref(&vm->pd);
		return;
	}
	kamd_bo_unref(&vm->pd);
}

/* The error label releases the buffer. */
int kamd_vm_reset(struct kamd_vm *vm)
{
	long r;

	r = dma_fence_wait_timeout(vm->last_update, 1, 1000);
	if (r <= 0)
		goto err_release;
	return 0;

err_release:
	kamd_bo_release_after(vm->pd, vm->last_update);
	return -1;
}
// SPDX-License-Identifier: MIT
