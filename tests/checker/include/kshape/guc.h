/* SPDX-License-Identifier: MIT */
/*
 * A GuC-shaped firmware interface, reduced: buffers pinned in the global GTT
 * and named to the firmware by a u32 GGTT offset, a command transport (CT)
 * that is registered by sending the offsets of its descriptor and command
 * buffer, then enabled, used, stopped and disabled, and an ADS blob whose
 * layout depends on the firmware version.
 */
#ifndef KSHAPE_GUC_H
#define KSHAPE_GUC_H

#include "ktypes.h"

#define KMAP_WB 0
#define KMAP_WC 1

struct kvma {
	u64 size;
	void *vaddr;
};

struct kct_desc {
	u32 head;
	u32 tail;
	u32 status;
};

struct kguc_ct {
	struct kvma *vma;
	struct kct_desc *desc;
	u32 *cmds;
	u32 desc_offset;
	int enabled;
};

struct kguc {
	struct kguc_ct ct;
	struct kvma *ads_vma;
	u32 ads_offset;
	u32 fw_major;
};

/* A submission path is handed a CT the caller has enabled. */
struct ksubmit {
	struct kguc_ct *ct;
	u32 seqno;
};

/* Ring entries the firmware reads: the buffer is named by its GGTT offset. */
struct kring_entry {
	u32 opcode;
	u32 buf_lo;
	u32 buf_hi;
};

/* Two variants of one firmware struct: the v70 layout grew a field. */
struct kads_v69 {
	u32 reg_state;
	u32 golden_ctx;
};

struct kads_v70 {
	u32 reg_state;
	u32 golden_ctx;
	u32 capture_list;
	u32 engine_mask;
};

struct kvma *kguc_allocate_vma(struct kguc *guc, u32 size);
void kvma_unpin_and_release(struct kvma *vma);
void *kvma_pin_map(struct kvma *vma, int type);
void kvma_flush_map(struct kvma *vma);
u32 kguc_ggtt_offset(struct kguc *guc, struct kvma *vma);

int kguc_send_mmio(struct kguc *guc, const u32 *request, u32 len);
int kguc_self_cfg64(struct kguc *guc, u16 key, u64 value);

int kguc_ct_enable(struct kguc_ct *ct);
void kguc_ct_disable(struct kguc_ct *ct);
void kguc_ct_stop(struct kguc_ct *ct);
int kguc_ct_send(struct kguc_ct *ct, const u32 *action, u32 len);

#endif
