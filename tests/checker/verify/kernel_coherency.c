// ANALYZE: -analyzer-checker=gpuown.Coherency
/*
 * CPU writes through a non-coherent mapping need a sync for the device
 * before the hand-over (amdgpu- and GuC-shaped, through profiles). Each
 * positive case (pNN) has a negative twin (nNN).
 */
#include "kshape/amd_profile.h"
#include "kshape/guc_profile.h"

/* On a platform where the GuC's write-back maps are not snooped. */
void *kvma_pin_map(struct kvma *vma, int type) __gpuown_mapping(noncoherent);
void kvma_flush_map(struct kvma *vma __gpuown_syncs_for_device);

/* ---- 1. an indirect buffer written through a cached map, then submitted */
void p1(struct kamd_dev *adev, struct kamd_bo *ib)
{
	u32 *p = kamd_bo_kmap_cached(ib);

	p[0] = 0xc0001000;
	kamd_ring_submit(adev, ib); // expected-warning{{GPU object handed to the device after a CPU write through a non-coherent mapping, without a sync for the device}}
}

void n1(struct kamd_dev *adev, struct kamd_bo *ib)
{
	u32 *p = kamd_bo_kmap_cached(ib);

	p[0] = 0xc0001000;
	kamd_bo_flush_for_device(ib);
	kamd_ring_submit(adev, ib); // no-warning
}

/* ---- 2. a write-combined / coherent map needs no flush */
void n2(struct kamd_dev *adev, struct kamd_bo *ib)
{
	u32 *p = kamd_bo_kptr(ib);

	p[0] = 0xc0001000;
	kamd_ring_submit(adev, ib); // no-warning
}

/* ---- 3. memcpy into the map, then the offset sent to the firmware */
void p3(struct kguc *guc, struct kvma *vma, const void *blob)
{
	void *map = kvma_pin_map(vma, KMAP_WB);
	u32 req[2] = { 0x4506, kguc_ggtt_offset(guc, vma) };

	memcpy(map, blob, 256);
	kguc_send_mmio(guc, req, 2); // expected-warning{{GPU object handed to the device after a CPU write through a non-coherent mapping, without a sync for the device}}
}

void n3(struct kguc *guc, struct kvma *vma, const void *blob)
{
	void *map = kvma_pin_map(vma, KMAP_WB);
	u32 req[2] = { 0x4506, kguc_ggtt_offset(guc, vma) };

	memcpy(map, blob, 256);
	kvma_flush_map(vma);
	kguc_send_mmio(guc, req, 2); // no-warning
}

/* ---- 4. the flush before the write does not count */
void p4(struct kguc *guc, struct kvma *vma)
{
	u32 *map = kvma_pin_map(vma, KMAP_WB);

	kvma_flush_map(vma);
	map[1] = 7;
	kguc_self_cfg64(guc, 0x0902, kguc_ggtt_offset(guc, vma)); // expected-warning{{GPU object handed to the device after a CPU write through a non-coherent mapping, without a sync for the device}}
}

void n4(struct kguc *guc, struct kvma *vma)
{
	u32 *map = kvma_pin_map(vma, KMAP_WB);

	map[1] = 7;
	kvma_flush_map(vma);
	kguc_self_cfg64(guc, 0x0902, kguc_ggtt_offset(guc, vma)); // no-warning
}
