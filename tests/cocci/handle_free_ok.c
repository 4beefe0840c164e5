// The same releases, correct: the second call is harmless, the copy is used
// before, the handle is tested.
struct i915_vma {
	unsigned long long size;
	unsigned int node;
};

struct kamd_bo {
	unsigned long long size;
	void *kptr;
};

struct kguc_ct {
	struct i915_vma *vma;
	unsigned int *cmds;
};

struct kamd_ih {
	struct kamd_bo *ring_obj;
	unsigned long long gpu_addr;
	void *ring;
};

void i915_vma_unpin_and_release(struct i915_vma **p_vma, unsigned int flags);
void kamd_bo_unref(struct kamd_bo **bo);
void kamd_bo_free_kernel(struct kamd_bo **bo, unsigned long long *gpu_addr,
			 void **cpu_addr);
void kguc_log(unsigned long long size);
void kamd_bo_trace(struct kamd_bo *bo);

void kguc_ct_fini(struct kguc_ct *ct)
{
	struct i915_vma *vma = ct->vma;

	kguc_log(vma->size);
	i915_vma_unpin_and_release(&ct->vma, 0);
	/* NULL now: a second release does nothing. */
	i915_vma_unpin_and_release(&ct->vma, 0);
}

unsigned long long kamd_ih_fini(struct kamd_ih *ih)
{
	kamd_bo_unref(&ih->ring_obj);
	if (!ih->ring_obj)
		return 0;
	return 1;
}

void kamd_ih_free(struct kamd_ih *ih)
{
	struct kamd_bo *bo;

	bo = ih->ring_obj;
	kamd_bo_trace(bo);
	kamd_bo_free_kernel(&ih->ring_obj, &ih->gpu_addr, &ih->ring);
	kamd_bo_free_kernel(&ih->ring_obj, &ih->gpu_addr, &ih->ring);
}
// SPDX-License-Identifier: MIT
