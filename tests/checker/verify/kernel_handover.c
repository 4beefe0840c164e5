// ANALYZE: -analyzer-checker=gpuown.Ownership,gpuown.AddressSpace
/*
 * Handing an object to the firmware by address, as kernel drivers do it: a
 * GGTT offset in an MMIO message or a self-config call (GuC-shaped), an
 * offset in a ring entry, a page-directory base in a register
 * (amdgpu-shaped). Both interfaces are checked unchanged through their
 * profiles. Each positive case (pNN) has a negative twin (nNN).
 */
#include "kshape/amd_profile.h"
#include "kshape/guc_profile.h"

/* ---- 1. the offset in a message array: CPU write after the send */
void p1(struct kguc *guc)
{
	struct kvma *vma = kguc_allocate_vma(guc, 4096);
	u32 *map;

	if (!vma)
		return;
	map = kvma_pin_map(vma, KMAP_WB);
	u32 req[3] = { 0x4505, kguc_ggtt_offset(guc, vma), 4096 };
	if (kguc_send_mmio(guc, req, 3))
		return;
	map[0] = 1; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
}

void n1(struct kguc *guc)
{
	struct kvma *vma = kguc_allocate_vma(guc, 4096);
	u32 *map;

	if (!vma)
		return;
	map = kvma_pin_map(vma, KMAP_WB);
	map[0] = 1; // no-warning: before the hand-over
	u32 req[3] = { 0x4505, kguc_ggtt_offset(guc, vma), 4096 };
	kguc_send_mmio(guc, req, 3);
}

/* ---- 2. base + offset of a part through a self-config call, then a free */
void p2(struct kguc *guc, struct kvma *vma)
{
	u32 base = kguc_ggtt_offset(guc, vma);

	if (kguc_self_cfg64(guc, 0x0902, base + 0x800))
		return;
	kvma_unpin_and_release(vma); // expected-warning{{Free of a GPU object while the firmware owns it}}
}

void n2(struct kguc *guc, struct kvma *vma)
{
	u32 base = kguc_ggtt_offset(guc, vma);

	if (kguc_self_cfg64(guc, 0x0902, base + 0x800)) {
		kvma_unpin_and_release(vma); // no-warning: the send failed
		return;
	}
}

/* ---- 3. the same address in many messages is one hand-over */
void n3(struct kguc *guc, struct kvma *vma)
{
	u32 off = kguc_ggtt_offset(guc, vma);
	u32 a[2] = { 1, off }, b[2] = { 2, off };

	kguc_send_mmio(guc, a, 2);
	kguc_send_mmio(guc, b, 2); // no-warning
}

/* ---- 4. a ring entry field that names the buffer (a profile fact) */
void p4(struct kguc *guc, struct kring_entry *e, struct kvma *vma)
{
	struct kct_desc *d = kvma_pin_map(vma, KMAP_WB);

	e->buf_lo = kguc_ggtt_offset(guc, vma);
	memset(d, 0, sizeof(*d)); // expected-warning{{CPU write to a GPU object while the firmware owns it (by memset)}}
}

void n4(struct kguc *guc, struct kring_entry *e, struct kvma *vma)
{
	struct kct_desc *d = kvma_pin_map(vma, KMAP_WB);

	memset(d, 0, sizeof(*d)); // no-warning
	e->opcode = 3;
	e->buf_lo = kguc_ggtt_offset(guc, vma);
}

/* ---- 5. a page-directory base written into registers */
void p5(struct kamd_dev *adev, struct kamd_bo *root)
{
	u64 pd = kamd_gmc_pd_addr(root);

	KWREG32(0x2a10, lower_32_bits(pd));
	KWREG32(0x2a11, upper_32_bits(pd));
	kamd_bo_free(root); // expected-warning{{Free of a GPU object while the firmware owns it}}
}

void n5(struct kamd_dev *adev, struct kamd_bo *root)
{
	KWREG32(0x2a10, 0);
	kamd_bo_free(root); // no-warning
}

/* ---- 6. the register takes a GPU address, not a bus address */
void p6(struct kamd_dev *adev, struct kamd_bo *root)
{
	dma_addr_t bus = kamd_bo_dma_addr(root);

	KWREG32(0x2a10, lower_32_bits(bus)); // expected-warning{{Physical address passed to 'kamd_wreg' where a GPU address belongs}}
}

void n6(struct kamd_dev *adev, struct kamd_bo *root)
{
	u64 pd = kamd_gmc_pd_addr(root);

	KWREG32(0x2a10, lower_32_bits(pd)); // no-warning
}

/* ---- 7. a field of a kind (a profile fact): a firmware offset is not it */
void p7(struct kguc *guc, struct kvma *vma, struct kamd_ih_ring *ih)
{
	ih->gpu_addr = kguc_ggtt_offset(guc, vma); // expected-warning{{Firmware address stored where a GPU address belongs}}
}

void n7(struct kamd_bo *bo, struct kamd_ih_ring *ih)
{
	ih->gpu_addr = kamd_bo_gpu_offset(bo); // no-warning
}
