/* SPDX-License-Identifier: MIT */
/* A gpuown profile for the amdgpu-shaped interface in amd.h. */
#ifndef KSHAPE_AMD_PROFILE_H
#define KSHAPE_AMD_PROFILE_H

#include <gpuown/annotations.h>

#include "amd.h"

int kamd_bo_create(struct kamd_dev *adev, u64 size __gpuown_alloc_size,
		   struct kamd_bo **bo __gpuown_alloc_out);
void kamd_bo_free(struct kamd_bo *bo __gpuown_frees);
void *kamd_bo_kptr(struct kamd_bo *bo __gpuown_addr_of) __gpuown_cpu_addr;
/* A cached kernel mapping the device does not snoop. */
void *kamd_bo_kmap_cached(struct kamd_bo *bo __gpuown_addr_of) __gpuown_cpu_addr
	__gpuown_mapping(noncoherent);
void kamd_bo_flush_for_device(struct kamd_bo *bo __gpuown_syncs_for_device);
u64 kamd_bo_gpu_offset(struct kamd_bo *bo __gpuown_addr_of)
	__gpuown_gpu_addr_fn;
u64 kamd_gmc_pd_addr(struct kamd_bo *root __gpuown_addr_of)
	__gpuown_gpu_addr_fn;
dma_addr_t
kamd_bo_dma_addr(struct kamd_bo *bo __gpuown_addr_of) __gpuown_phys_addr_fn;

/* The page-table base register takes a GPU address and hands it over. */
void kamd_wreg(struct kamd_dev *adev, u32 reg,
	       u32 v __gpuown_publishes_addr __gpuown_addr_kind(gpu));
int kamd_ring_submit(struct kamd_dev *adev,
		     struct kamd_bo *ib __gpuown_publishes);

int kamd_vm_bo_map(struct kamd_dev *adev, struct kamd_bo *bo __gpuown_maps,
		   u64 saddr, u64 size __gpuown_map_size);
int kamd_vm_bo_unmap(struct kamd_dev *adev,
		     struct kamd_bo *bo __gpuown_vm_unmaps, u64 saddr);
void kamd_gmc_flush_gpu_tlb(struct kamd_dev *adev, u32 vmid,
			    u32 hub) __gpuown_tlb_invalidates;

u64 kamd_bo_gpu_pages(struct kamd_bo *bo) __gpuown_units(gpu_pages);
int kamd_ttm_populate(struct kamd_dev *adev, struct kamd_bo *bo,
		      u64 npages __gpuown_units(cpu_pages));
int kamd_gart_bind(struct kamd_dev *adev, u64 offset,
		   u64 gpu_pages __gpuown_units(gpu_pages), dma_addr_t *dma);

GPUOWN_FIELD_FACT(kamd_ih_ring, gpu_addr, __gpuown_addr_kind(gpu));

#endif
