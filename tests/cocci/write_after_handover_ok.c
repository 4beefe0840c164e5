// The same hand-overs, with every CPU write before the message and the free
// left to the deregistration.
struct intel_guc;

struct i915_vma {
	unsigned long long size;
};

struct kguc_desc {
	unsigned int head;
	unsigned int tail;
	unsigned int flags;
};

#define KGUC_ACTION_REGISTER_CTB 0x4505

unsigned int intel_guc_ggtt_offset(struct intel_guc *guc, struct i915_vma *vma);
void *kguc_vma_vaddr(struct i915_vma *vma);
int intel_guc_send_addr(struct intel_guc *guc, unsigned int action,
			unsigned int offset);
void i915_vma_unpin_and_release(struct i915_vma **p_vma, unsigned int flags);
void *memset(void *s, int c, unsigned long n);

int kguc_ct_register(struct intel_guc *guc, struct i915_vma *vma)
{
	struct kguc_desc *desc = kguc_vma_vaddr(vma);

	desc->head = 0;
	return intel_guc_send_addr(guc, KGUC_ACTION_REGISTER_CTB,
				   intel_guc_ggtt_offset(guc, vma));
}

int kguc_log_register(struct intel_guc *guc, struct i915_vma *vma)
{
	unsigned int offset;
	void *vaddr;

	vaddr = kguc_vma_vaddr(vma);
	memset(vaddr, 0, 4096);
	offset = intel_guc_ggtt_offset(guc, vma);
	intel_guc_send_addr(guc, KGUC_ACTION_REGISTER_CTB, offset | 1);
	return 0;
}

/* The vma is released before the firmware learns of it (never sent). */
void kguc_ads_fini(struct intel_guc *guc, struct i915_vma *vma, int sent)
{
	if (!sent) {
		i915_vma_unpin_and_release(&vma, 0);
		return;
	}
	intel_guc_send_addr(guc, KGUC_ACTION_REGISTER_CTB,
			    intel_guc_ggtt_offset(guc, vma));
}
// SPDX-License-Identifier: MIT
