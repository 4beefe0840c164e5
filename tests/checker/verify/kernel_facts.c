// ANALYZE: -analyzer-checker=gpuown.FirmwareStruct,gpuown.Ownership
/*
 * Facts a profile attaches to structs the driver already declares
 * (GPUOWN_FIELD_FACT / GPUOWN_STRUCT_FACT in kshape/guc_profile.h): two
 * plain structs that are variants of one firmware struct with their
 * footprints, a versioned field, the field that selects the variant, an
 * address field holding a u32 offset, a field the firmware writes. The
 * firmware-struct checks then work on a driver that never used fwgen.
 * Each positive case (pNN) has a negative twin (nNN).
 */
#include "kshape/guc_profile.h"

/* ---- 1. an allocation below the variant's firmware footprint */
struct kvma *p1(struct kguc *guc)
{
	return kguc_allocate_vma(guc, sizeof(struct kads_v70)); // expected-warning{{Allocation of 16 bytes (sizeof) for 'kads' is smaller than its firmware footprint of 64 bytes in variant v70}}
}

struct kvma *n1(struct kguc *guc)
{
	return kguc_allocate_vma(guc, sizeof(struct kads_v69)); // no-warning
}

/* ---- 2. the versioned field without the version check */
void p2(struct kguc *guc, struct kads_v70 *ads)
{
	ads->capture_list = 0; // expected-warning{{Versioned field 'capture_list' of 'kads' (present when v70) used without a check of the firmware variant}}
}

void n2(struct kguc *guc, struct kads_v70 *ads)
{
	if (guc->fw_major >= 70)
		ads->capture_list = 0; // no-warning
}

/* ---- 3. after an early return on the version field */
void n3(struct kguc *guc, struct kads_v70 *ads)
{
	if (guc->fw_major < 70)
		return;
	ads->capture_list = 0; // no-warning
}

/* ---- 4. a GGTT offset into an untyped field, and into a typed one */
void p4(struct kguc *guc, struct kads_v70 *ads, struct kvma *ctx)
{
	ads->reg_state = kguc_ggtt_offset(guc, ctx); // expected-warning{{Firmware address stored into field 'reg_state' of firmware struct 'kads', which is not typed as an address}}
}

void n4(struct kguc *guc, struct kads_v70 *ads, struct kvma *ctx)
{
	ads->golden_ctx = kguc_ggtt_offset(guc, ctx); // no-warning
}

/* ---- 5. a field the firmware writes, read while it owns the buffer */
u32 p5(struct kguc *guc, struct kvma *vma)
{
	struct kct_desc *d = kvma_pin_map(vma, KMAP_WB);
	u32 req[2] = { 0x4505, kguc_ggtt_offset(guc, vma) };

	if (kguc_send_mmio(guc, req, 2))
		return 0;
	return d->head; // expected-warning{{CPU read of firmware-written data while the firmware owns the GPU object}}
}

u32 n5(struct kguc *guc, struct kvma *vma)
{
	struct kct_desc *d = kvma_pin_map(vma, KMAP_WB);
	u32 req[2] = { 0x4505, kguc_ggtt_offset(guc, vma) };

	if (kguc_send_mmio(guc, req, 2))
		return 0;
	return d->tail; // no-warning: the CPU's own field
}
