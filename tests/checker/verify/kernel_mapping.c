// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.Mapping,gpuown.AddressSpace
/*
 * GPU VM mappings as kernel drivers write them (amdgpu-shaped, through a
 * profile): an unmap leaves the translation in the TLB until a flush; a map
 * longer than the object; page counts in the GPU's and the CPU's units.
 * Each positive case (pNN) has a negative twin (nNN).
 */
#include "kshape/amd_profile.h"

/* ---- 1. the buffer freed between the unmap and the TLB flush */
void p1(struct kamd_dev *adev, struct kamd_bo *bo)
{
	kamd_vm_bo_unmap(adev, bo, 0x100000);
	kamd_bo_free(bo); // expected-warning{{Free of a GPU object whose unmapped translation may still be live in the GPU TLB (no invalidate since the unmap)}}
	kamd_gmc_flush_gpu_tlb(adev, 0, 0);
}

void n1(struct kamd_dev *adev, struct kamd_bo *bo)
{
	kamd_vm_bo_unmap(adev, bo, 0x100000);
	kamd_gmc_flush_gpu_tlb(adev, 0, 0);
	kamd_bo_free(bo); // no-warning
}

/* ---- 2. a forgotten flush */
void p2(struct kamd_dev *adev, struct kamd_bo *bo)
{
	if (kamd_vm_bo_unmap(adev, bo, 0x100000))
		return;
} // expected-warning{{GPU object unmapped from a GPU VM, but the TLB is never invalidated on this path}}

void n2(struct kamd_dev *adev, struct kamd_bo *bo)
{
	if (kamd_vm_bo_unmap(adev, bo, 0x100000))
		return; // no-warning: the unmap failed, nothing to flush
	kamd_gmc_flush_gpu_tlb(adev, 0, 0);
}

/* ---- 3. a failed unmap left the mapping: freeing is a different bug */
void n3(struct kamd_dev *adev, struct kamd_bo *bo)
{
	if (kamd_vm_bo_unmap(adev, bo, 0x100000) == 0)
		kamd_gmc_flush_gpu_tlb(adev, 0, 0);
	kamd_bo_free(bo); // no-warning
}

/* ---- 4. a map longer than the object */
void p4(struct kamd_dev *adev)
{
	struct kamd_bo *bo;

	if (kamd_bo_create(adev, 8192, &bo))
		return;
	kamd_vm_bo_map(adev, bo, 0x200000, 16384); // expected-warning{{Map of 16384 bytes of a GPU object of 8192 bytes}}
}

void n4(struct kamd_dev *adev)
{
	struct kamd_bo *bo;

	if (kamd_bo_create(adev, 8192, &bo))
		return;
	kamd_vm_bo_map(adev, bo, 0x200000, 8192); // no-warning
}

/* ---- 5. a count of GPU pages used as CPU pages */
void p5(struct kamd_dev *adev, struct kamd_bo *bo)
{
	u64 n = kamd_bo_gpu_pages(bo);

	kamd_ttm_populate(adev, bo, n); // expected-warning{{A count of GPU pages passed to 'kamd_ttm_populate' where CPU pages belong}}
}

void n5(struct kamd_dev *adev, struct kamd_bo *bo, dma_addr_t *dma)
{
	u64 n = kamd_bo_gpu_pages(bo);

	kamd_gart_bind(adev, 0, n, dma); // no-warning
}

/* ---- 5b. the unit survives adding or subtracting a constant or a count
 * of the same unit; converting it (a shift, a multiplication) drops it */
void p5b(struct kamd_dev *adev, struct kamd_bo *bo, u64 first)
{
	u64 n = kamd_bo_gpu_pages(bo);

	kamd_ttm_populate(adev, bo, n + 1); // expected-warning{{A count of GPU pages passed to 'kamd_ttm_populate' where CPU pages belong}}
}

void p5c(struct kamd_dev *adev, struct kamd_bo *bo, struct kamd_bo *other)
{
	u64 n = kamd_bo_gpu_pages(bo) + kamd_bo_gpu_pages(other) - 2;

	kamd_ttm_populate(adev, bo, n); // expected-warning{{A count of GPU pages passed to 'kamd_ttm_populate' where CPU pages belong}}
}

void n5b(struct kamd_dev *adev, struct kamd_bo *bo)
{
	u64 n = kamd_bo_gpu_pages(bo);

	/* 4 KiB GPU pages, 16 KiB CPU pages: converted, no longer GPU pages. */
	kamd_ttm_populate(adev, bo, n >> 2); // no-warning
	kamd_ttm_populate(adev, bo, (n * 4096) / 16384); // no-warning
}

/* ---- 6. a count read from a parameter of a declared unit */
void p6(struct kamd_dev *adev, struct kamd_bo *bo,
	u64 cpu_pages __gpuown_units(cpu_pages), dma_addr_t *dma)
{
	kamd_gart_bind(adev, 0, cpu_pages, dma); // expected-warning{{A count of CPU pages passed to 'kamd_gart_bind' where GPU pages belong}}
}

void n6(struct kamd_dev *adev, struct kamd_bo *bo,
	u64 cpu_pages __gpuown_units(cpu_pages))
{
	kamd_ttm_populate(adev, bo, cpu_pages); // no-warning
}
