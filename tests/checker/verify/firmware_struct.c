// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.FirmwareStruct
/*
 * gpuown.FirmwareStruct: structs written the way fwgen emits them; each
 * positive case (pNN) has a negative twin (nNN).
 */
#include <gpuown/object.h>

#include "foreign.h"

/* What the generated instantiation header defines for one variant. */
#define FW_V_V1_0 0
#define FW_V_V2_0 1
#define GPUOWN_V FW_V_V2_0

struct fw_buf {
	uint32_t w[4];
};
GPUOWN_DECLARE_PTRS(fw_buf);

struct __gpuown_fw_struct("fw_job", "G10_V2_0", 0x80) __gpuown_fw_owned(read)
fw_job__G10_V2_0 {
	uint32_t magic_0;
	uint32_t flags_4;
	gpu_ptr(fw_buf) buf_8;
	uint64_t in_va_10;
	uint64_t cookie_18;
	uint32_t timeout_20 __gpuown_versioned("V >= V2_0");
	uint32_t prio_24 __gpuown_versioned("V >= V2_0");
	uint64_t raw_28 __gpuown_gpu_addr(fw_buf);
	uint64_t slots_30[2];
	struct {
		uint64_t inner_va;
	} sub_40;
};

/* Footprint equal to sizeof: any allocation of sizeof is enough. */
struct __gpuown_fw_struct("fw_stamp", "G10_V2_0", 0x8) __gpuown_shared(write)
fw_stamp__G10_V2_0 {
	uint32_t value_0;
	uint32_t pad_4;
};

/* ---- 1-2. CPU pointers in firmware structs */
struct __gpuown_fw_struct("fw_bad", "G10_V2_0", 0x10) __gpuown_fw_owned(read)
fw_bad__G10_V2_0 {
	uint32_t magic_0;
	uint32_t pad_4;
	void *host_8; // expected-warning{{field 'host_8' of firmware struct 'fw_bad' (G10_V2_0) has a CPU pointer type}}
};

struct __gpuown_fw_struct("fw_cb", "G10_V2_0", 0x8) __gpuown_fw_owned(read)
fw_cb__G10_V2_0 {
	void (*fn_0)(void); // expected-warning{{field 'fn_0' of firmware struct 'fw_cb' (G10_V2_0) has a CPU pointer type}}
};

/* A driver's CPU-side struct may hold pointers. */
struct drv_job {
	void *host; // no-warning
	struct gpuown_obj *obj;
	int variant;
};

/* A variant query the driver marks as such. */
int drv_is_v2(const struct drv_job *job) __gpuown_variant_check;

struct variant_info {
	unsigned fw __gpuown_variant_check;
};

/* ---- 3-8. addresses stored into fields not typed as addresses */
void p03(struct fw_job__G10_V2_0 *p, gpu_addr_t va)
{
	p->in_va_10 = va; // expected-warning{{GPU address stored into field 'in_va_10' of firmware struct 'fw_job', which is not typed as an address}}
}

/* An explicit raw conversion says the ABI wants an integer there. */
void n03(struct fw_job__G10_V2_0 *p, gpu_addr_t va)
{
	p->in_va_10 = gpuown_gpu_addr_to_u64(va); // no-warning
}

void p04(struct fw_job__G10_V2_0 *p, fw_addr_t fa)
{
	p->cookie_18 = fa; // expected-warning{{Firmware address stored into field 'cookie_18' of firmware struct 'fw_job', which is not typed as an address}}
}

void n04(struct fw_job__G10_V2_0 *p, fw_addr_t fa)
{
	p->cookie_18 = (uint64_t)fa; // no-warning
}

void p05(struct fw_job__G10_V2_0 *p, struct gpuown_obj *o)
{
	p->cookie_18 = gpuown_obj_gpu_va(o); // expected-warning{{GPU address stored into field 'cookie_18'}}
}

void n05(struct fw_job__G10_V2_0 *p, struct gpuown_obj *o)
{
	p->buf_8.va = gpuown_obj_gpu_va(o); // no-warning
}

void p06(struct fw_job__G10_V2_0 *p, struct my_bo *bo)
{
	p->cookie_18 = my_bo_fw_va(bo); // expected-warning{{Firmware address stored into field 'cookie_18'}}
}

void n06(struct fw_job__G10_V2_0 *p, struct my_bo *bo)
{
	p->raw_28 = my_bo_gpu_va(bo); // no-warning
}

void p07(struct fw_job__G10_V2_0 *p, gpu_addr_t va)
{
	p->sub_40.inner_va = va; // expected-warning{{GPU address stored into field 'inner_va' of firmware struct 'fw_job'}}
}

struct drv_cache {
	uint64_t last_va;
};

void n07(struct drv_cache *c, gpu_addr_t va)
{
	c->last_va = va; // no-warning
}

void p08(struct fw_job__G10_V2_0 *p, gpu_addr_t va)
{
	p->slots_30[1] = va; // expected-warning{{GPU address stored into field 'slots_30'}}
}

void n08(struct fw_job__G10_V2_0 *p, uint64_t v)
{
	p->slots_30[1] = v; // no-warning
}

/* ---- 9-16. versioned fields and variant checks */
uint32_t p09(const struct fw_job__G10_V2_0 *p)
{
	return p->timeout_20; // expected-warning{{Versioned field 'timeout_20' of 'fw_job' (present when V >= V2_0) used without a check of the firmware variant}}
}

uint32_t n09(const struct fw_job__G10_V2_0 *p)
{
#if GPUOWN_V >= FW_V_V2_0
	return p->timeout_20; // no-warning
#else
	return 0;
#endif
}

void p10(struct fw_job__G10_V2_0 *p)
{
	p->prio_24 = 3; // expected-warning{{Versioned field 'prio_24' of 'fw_job' (present when V >= V2_0) used without a check of the firmware variant}}
}

void n10(struct fw_job__G10_V2_0 *p)
{
	if (GPUOWN_V >= FW_V_V2_0)
		p->prio_24 = 3; // no-warning
}

void p11(struct fw_job__G10_V2_0 *p, int debug)
{
	if (debug)
		p->prio_24 = 3; // expected-warning{{Versioned field 'prio_24'}}
}

void n11(struct fw_job__G10_V2_0 *p, const struct drv_job *job)
{
	if (drv_is_v2(job))
		p->prio_24 = 3; // no-warning
}

void p12(struct fw_job__G10_V2_0 *p)
{
#ifdef DRV_DEBUG_EXTRA
	p->flags_4 = 1;
#else
	p->prio_24 = 0; // expected-warning{{Versioned field 'prio_24'}}
#endif
}

void n12(struct fw_job__G10_V2_0 *p)
{
#if GPUOWN_V < FW_V_V1_0
	p->flags_4 = 1;
#elif GPUOWN_V >= FW_V_V2_0
	p->prio_24 = 0; // no-warning
#endif
}

void p13(struct fw_job__G10_V2_0 *jobs, int n)
{
	for (int i = 0; i < n; i++)
		jobs[i].timeout_20 = 100; // expected-warning{{Versioned field 'timeout_20'}}
}

void n13(struct fw_job__G10_V2_0 *jobs, int n, const struct variant_info *vi)
{
	for (int i = 0; i < n; i++)
		if (vi->fw >= 1)
			jobs[i].timeout_20 = 100; // no-warning
}

uint32_t p14(const struct fw_job__G10_V2_0 *p)
{
#if GPUOWN_V >= FW_V_V2_0
	uint32_t t = p->timeout_20;
#endif
	return t + p->prio_24; // expected-warning{{Versioned field 'prio_24'}}
}

uint32_t n14(const struct fw_job__G10_V2_0 *p, const struct drv_job *job)
{
	return drv_is_v2(job) && p->prio_24; // no-warning
}

uint32_t p15(const struct fw_job__G10_V2_0 *p, int fast)
{
	return fast ? p->timeout_20 : 0; // expected-warning{{Versioned field 'timeout_20'}}
}

uint32_t n15(const struct fw_job__G10_V2_0 *p)
{
	return GPUOWN_V >= FW_V_V2_0 ? p->timeout_20 : 0; // no-warning
}

uint32_t p16(const struct fw_job__G10_V2_0 *p, const struct variant_info *vi)
{
	switch (p->flags_4) {
	case 1:
		return p->prio_24; // expected-warning{{Versioned field 'prio_24'}}
	default:
		return vi->fw;
	}
}

uint32_t n16(const struct fw_job__G10_V2_0 *p, const struct variant_info *vi)
{
	switch (vi->fw) {
	case 1:
		return p->prio_24; // no-warning
	default:
		return p->flags_4;
	}
}

/* ---- 17-21. allocations below the firmware footprint */
void p17(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, sizeof(struct fw_job__G10_V2_0)); // expected-warning{{Allocation of 72 bytes (sizeof) for 'fw_job' is smaller than its firmware footprint of 128 bytes in variant G10_V2_0}}
	my_bo_put(bo);
}

void n17(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, sizeof(struct fw_stamp__G10_V2_0)); // no-warning
	my_bo_put(bo);
}

int p18(struct gpuown_mm *mm, struct gpuown_obj **o)
{
	struct gpuown_alloc_args a = {
		.size = sizeof(struct fw_job__G10_V2_0), // expected-warning{{Allocation of 72 bytes (sizeof) for 'fw_job' is smaller than its firmware footprint of 128 bytes}}
	};
	return gpuown_obj_alloc(mm, &a, o);
}

int n18(struct gpuown_mm *mm, struct gpuown_obj **o)
{
	struct gpuown_alloc_args a = {
		.size = 0x80, // no-warning
	};
	return gpuown_obj_alloc(mm, &a, o);
}

int p19(struct gpuown_mm *mm, struct gpuown_obj **o)
{
	struct gpuown_alloc_args a = { 0 };
	a.size = sizeof(struct fw_job__G10_V2_0); // expected-warning{{Allocation of 72 bytes (sizeof) for 'fw_job'}}
	return gpuown_obj_alloc(mm, &a, o);
}

int n19(struct gpuown_mm *mm, struct gpuown_obj **o)
{
	struct gpuown_alloc_args a = { 0 };
	a.size = sizeof(struct drv_job); // no-warning
	return gpuown_obj_alloc(mm, &a, o);
}

struct __gpuown_fw_struct("fw_ctx", "G10_V2_0", 0x100) __gpuown_fw_owned(rw)
fw_ctx__G10_V2_0 {
	uint64_t words[16];
};

void p20(struct my_dev *dev, struct my_bo **out)
{
	*out = my_bo_create(dev, sizeof(struct fw_ctx__G10_V2_0)); // expected-warning{{Allocation of 128 bytes (sizeof) for 'fw_ctx' is smaller than its firmware footprint of 256 bytes in variant G10_V2_0}}
}

void n20(struct my_dev *dev, struct my_bo **out)
{
	*out = my_bo_create(dev, 0x100); // no-warning
}

/* ---- 21. a versioned field after an early return on the variant check */
uint32_t n21b(const struct fw_job__G10_V2_0 *p, const struct drv_job *job)
{
	if (!drv_is_v2(job))
		return 0;
	return p->timeout_20; // no-warning
}

uint32_t p21b(const struct fw_job__G10_V2_0 *p, const struct drv_job *job)
{
	if (!drv_is_v2(job))
		job = NULL; /* does not leave: the field is still unchecked */
	return p->timeout_20; // expected-warning{{Versioned field 'timeout_20'}}
}

/* ---- more negatives: per-variant code and typed pointers */
uint32_t n21(const struct fw_job__G10_V2_0 *p)
{
#if GPUOWN_G >= FW_G_G11
	return p->prio_24; // no-warning
#else
	return 0;
#endif
}

void n22(struct fw_job__G10_V2_0 *p, struct gpuown_obj *o)
{
	p->buf_8 = (gpu_ptr(fw_buf)){ gpuown_obj_gpu_va(o) }; // no-warning
	p->flags_4 = 0;
}
