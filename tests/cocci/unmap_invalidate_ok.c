// The same unmaps, each flushed before the pages go back.
struct kamd_dev;

struct kamd_bo {
	unsigned long long size;
};

struct kamd_bo_va {
	struct kamd_bo *bo;
	unsigned long long start;
};

int kamd_vm_bo_unmap(struct kamd_dev *adev, struct kamd_bo *bo,
		     unsigned long long saddr);
void kamd_gmc_flush_gpu_tlb(struct kamd_dev *adev, unsigned int vmid,
			    unsigned int hub);
void kamd_bo_free(struct kamd_bo *bo);
void kamd_bo_unref(struct kamd_bo **bo);

void kamd_bo_va_remove(struct kamd_dev *adev, struct kamd_bo_va *va)
{
	kamd_vm_bo_unmap(adev, va->bo, va->start);
	kamd_gmc_flush_gpu_tlb(adev, 0, 0);
	kamd_bo_unref(&va->bo);
}

/* A failed unmap unmapped nothing: no flush needed on that branch. */
int kamd_vm_clear(struct kamd_dev *adev, struct kamd_bo *bo, int lazy)
{
	int r;

	r = kamd_vm_bo_unmap(adev, bo, 0x100000);
	if (r)
		return r;
	kamd_gmc_flush_gpu_tlb(adev, 0, 0);
	return 0;
}

void kamd_vm_drop(struct kamd_dev *adev, struct kamd_bo *bo)
{
	kamd_vm_bo_unmap(adev, bo, 0x200000);
	kamd_gmc_flush_gpu_tlb(adev, 0, 0);
	kamd_bo_free(bo);
}
// SPDX-License-Identifier: MIT
