// The same writes, synced before the hand-over, or through a write-combined
// mapping that needs no sync.
struct kamd_dev;

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

int kamd_ib_emit_nop(struct kamd_dev *adev, struct kamd_bo *bo)
{
	struct kamd_ib *ib = kamd_bo_kmap_cached(bo);

	ib->dw[0] = 0xc0001000;
	ib->len = 1;
	kamd_bo_flush_for_device(bo);
	return kamd_ring_submit(adev, bo);
}

void kamd_ib_copy(struct kamd_dev *adev, struct kamd_bo *bo, const void *src,
		  unsigned long n)
{
	void *cpu;

	cpu = kamd_bo_kptr(bo);
	memcpy(cpu, src, n);
	kamd_ring_submit(adev, bo);
}
// SPDX-License-Identifier: MIT
