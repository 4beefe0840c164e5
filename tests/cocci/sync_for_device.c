// CPU writes through a cached mapping the device does not snoop.
struct kamd_dev;
struct intel_guc;
struct i915_vma;

struct kamd_bo {
	unsigned long long size;
};

struct kamd_ib {
	unsigned int dw[16];
	unsigned int len;
};

void *kamd_bo_kmap_cached(struct kamd_bo *bo);
void *kamd_bo_kptr(struct kamd_bo *bo);
void kamd_bo_flush_for_device(struct kamd_bo *bo);
int kamd_ring_submit(struct kamd_dev *adev, struct kamd_bo *ib);
void *memcpy(void *dst, const void *src, unsigned long n);

/* The packet stays in the CPU's cache when the ring fetches it. */
int kamd_ib_emit_nop(struct kamd_dev *adev, struct kamd_bo *bo)
{
	struct kamd_ib *ib = kamd_bo_kmap_cached(bo);

	ib->dw[0] = 0xc0001000;
	ib->len = 1;
	return kamd_ring_submit(adev, bo);
}

/* memcpy() into the mapping, then the submit. */
void kamd_ib_copy(struct kamd_dev *adev, struct kamd_bo *bo, const void *src,
		  unsigned long n)
{
	void *cpu;

	cpu = kamd_bo_kmap_cached(bo);
	memcpy(cpu, src, n);
	kamd_ring_submit(adev, bo);
}
// SPDX-License-Identifier: MIT
