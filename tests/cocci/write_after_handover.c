// Objects written or freed after their GGTT offset went to the firmware in
// a message.
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
void kamd_bo_free(struct i915_vma *vma);
void i915_vma_unpin_and_release(struct i915_vma **p_vma, unsigned int flags);
void *memset(void *s, int c, unsigned long n);

/* The descriptor is reset after the firmware was told where it is. */
int kguc_ct_register(struct intel_guc *guc, struct i915_vma *vma)
{
	struct kguc_desc *desc = kguc_vma_vaddr(vma);
	int err;

	err = intel_guc_send_addr(guc, KGUC_ACTION_REGISTER_CTB,
				  intel_guc_ggtt_offset(guc, vma));
	desc->head = 0;
	return err;
}

/* The offset goes through a variable; the mapping is taken after. */
int kguc_log_register(struct intel_guc *guc, struct i915_vma *vma)
{
	unsigned int offset = 0;
	void *vaddr;

	offset = intel_guc_ggtt_offset(guc, vma);
	intel_guc_send_addr(guc, KGUC_ACTION_REGISTER_CTB, offset | 1);
	vaddr = kguc_vma_vaddr(vma);
	memset(vaddr, 0, 4096);
	return 0;
}

/* Freed while the firmware holds the offset. */
void kguc_ads_fini(struct intel_guc *guc, struct i915_vma *vma)
{
	intel_guc_send_addr(guc, KGUC_ACTION_REGISTER_CTB,
			    intel_guc_ggtt_offset(guc, vma));
	i915_vma_unpin_and_release(&vma, 0);
}
// SPDX-License-Identifier: MIT
