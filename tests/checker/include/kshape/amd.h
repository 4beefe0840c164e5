/* SPDX-License-Identifier: MIT */
/*
 * An amdgpu-shaped interface, reduced: buffer objects with a GPU (MC)
 * address and a bus address, registers written with a WREG32-style macro
 * (a page-directory base goes into a register pair), VM map/unmap of a
 * buffer and a separate TLB flush, page counts in the GPU's 4 KiB pages and
 * in the CPU's pages, and a CPU mapping that is not coherent with the device.
 */
#ifndef KSHAPE_AMD_H
#define KSHAPE_AMD_H

#include "ktypes.h"

#define KAMD_GPU_PAGE_SIZE 4096

struct kamd_dev;
struct kamd_bo {
	u64 size;
	void *kptr;
};

struct kamd_ih_ring {
	u64 gpu_addr;
	u32 rptr_reg;
};

int kamd_bo_create(struct kamd_dev *adev, u64 size, struct kamd_bo **bo);
void kamd_bo_free(struct kamd_bo *bo);
void *kamd_bo_kptr(struct kamd_bo *bo);
void *kamd_bo_kmap_cached(struct kamd_bo *bo);
void kamd_bo_flush_for_device(struct kamd_bo *bo);
u64 kamd_bo_gpu_offset(struct kamd_bo *bo);
u64 kamd_gmc_pd_addr(struct kamd_bo *root);
dma_addr_t kamd_bo_dma_addr(struct kamd_bo *bo);

void kamd_wreg(struct kamd_dev *adev, u32 reg, u32 v);
#define KWREG32(reg, v) kamd_wreg(adev, (reg), (v))
int kamd_ring_submit(struct kamd_dev *adev, struct kamd_bo *ib);

int kamd_vm_bo_map(struct kamd_dev *adev, struct kamd_bo *bo, u64 saddr,
		   u64 size);
int kamd_vm_bo_unmap(struct kamd_dev *adev, struct kamd_bo *bo, u64 saddr);
void kamd_gmc_flush_gpu_tlb(struct kamd_dev *adev, u32 vmid, u32 hub);

u64 kamd_bo_gpu_pages(struct kamd_bo *bo);
int kamd_ttm_populate(struct kamd_dev *adev, struct kamd_bo *bo, u64 npages);
int kamd_gart_bind(struct kamd_dev *adev, u64 offset, u64 gpu_pages,
		   dma_addr_t *dma);

#endif
