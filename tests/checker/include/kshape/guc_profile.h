/* SPDX-License-Identifier: MIT */
/*
 * A gpuown profile for the GuC-shaped interface in guc.h: the header is
 * included unchanged, and the profile re-declares its functions with the
 * annotations and attaches facts to its existing structs.
 */
#ifndef KSHAPE_GUC_PROFILE_H
#define KSHAPE_GUC_PROFILE_H

#include <gpuown/annotations.h>

#include "guc.h"

/*
 * The CT's lifecycle, declared where every unit that includes the profile
 * sees it.
 */
GPUOWN_LIFECYCLE_DECLARE(guc_ct, "disabled -> enabled, enabled -> stopped, "
				 "stopped -> enabled, enabled -> disabled, "
				 "stopped -> disabled");

struct kvma *kguc_allocate_vma(struct kguc *guc,
			       u32 size __gpuown_alloc_size) __gpuown_alloc;
void kvma_unpin_and_release(struct kvma *vma __gpuown_frees);
void *kvma_pin_map(struct kvma *vma __gpuown_addr_of,
		   int type) __gpuown_cpu_addr;
u32 kguc_ggtt_offset(struct kguc *guc,
		     struct kvma *vma __gpuown_addr_of) __gpuown_fw_addr_fn;

/* Sending an offset to the firmware hands the buffer over. */
int kguc_send_mmio(struct kguc *guc, const u32 *request __gpuown_publishes_addr,
		   u32 len);
int kguc_self_cfg64(struct kguc *guc, u16 key,
		    u64 value __gpuown_publishes_addr __gpuown_addr_kind(fw));

int kguc_ct_enable(struct kguc_ct *ct __gpuown_transition(guc_ct,
							  disabled | stopped,
							  enabled));
void kguc_ct_disable(struct kguc_ct *ct __gpuown_transition(guc_ct,
							    enabled | stopped,
							    disabled));
/* Stopping is legal in every state (and stopping twice is harmless). */
void kguc_ct_stop(struct kguc_ct *ct) __gpuown_transition_any(guc_ct, stopped);
int kguc_ct_send(struct kguc_ct *ct __gpuown_in_state(guc_ct, enabled),
		 const u32 *action, u32 len);

/* Facts about the existing structs. */
GPUOWN_FIELD_FACT(kguc_ct, vma, __gpuown_holds(guc_ct, enabled | stopped));
GPUOWN_FIELD_FACT(ksubmit, ct, __gpuown_lc_state(guc_ct, enabled));
GPUOWN_FIELD_FACT(kring_entry, buf_lo, __gpuown_publishes_addr);
GPUOWN_FIELD_FACT(kct_desc, head, __gpuown_fw_writes);
GPUOWN_FIELD_FACT(kguc, ads_offset, __gpuown_fw_addr(kads));
GPUOWN_FIELD_FACT(kguc, fw_major, __gpuown_variant_check);
GPUOWN_STRUCT_FACT(kads_v69, __gpuown_fw_struct("kads", "v69", 8));
GPUOWN_STRUCT_FACT(kads_v70, __gpuown_fw_struct("kads", "v70", 64));
GPUOWN_FIELD_FACT(kads_v70, capture_list, __gpuown_versioned("v70"));
GPUOWN_FIELD_FACT(kads_v70, golden_ctx, __gpuown_fw_addr(kctx));
GPUOWN_FIELD_FACT(kads_v69, golden_ctx, __gpuown_fw_addr(kctx));

#endif
