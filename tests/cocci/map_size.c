// GPU VM maps longer than the buffer they map.
#define SZ_4K 0x00001000
#define SZ_64K 0x00010000

struct kamd_dev;
struct kamd_bo;

int kamd_bo_create(struct kamd_dev *adev, unsigned long long size,
		   struct kamd_bo **bo);
int kamd_vm_bo_map(struct kamd_dev *adev, struct kamd_bo *bo,
		   unsigned long long saddr, unsigned long long size);
void kamd_bo_free(struct kamd_bo *bo);

/* Two pages allocated, four mapped. */
int kamd_csa_init(struct kamd_dev *adev)
{
	struct kamd_bo *bo;
	int r;

	r = kamd_bo_create(adev, 2 * 4096, &bo);
	if (r)
		return r;
	r = kamd_vm_bo_map(adev, bo, 0x100000, 16384);
	if (r)
		kamd_bo_free(bo);
	return r;
}

/* The kernel's size names. */
int kamd_seq64_init(struct kamd_dev *adev, struct kamd_bo **out)
{
	struct kamd_bo *bo;

	if (kamd_bo_create(adev, SZ_4K, &bo))
		return -12;
	*out = bo;
	return kamd_vm_bo_map(adev, bo, 0x200000, SZ_64K);
}
// SPDX-License-Identifier: MIT
