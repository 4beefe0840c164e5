// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/*
 * The negative twin of kernel_addr_kinds.c and kernel_units.c: every kind
 * and unit converted in one helper with an explicit __gpuown_force cast,
 * where the conversion is defined.
 */
#define KGPU_PAGE_SHIFT 12
#define KCPU_PAGE_SHIFT 16

struct kguc_h2g_register {
	__gpuown_u32 action;
	fw_off32_t desc;
};

struct kamd_vmid_regs {
	gpuown_phys_t pd_base;
};

struct kamd_gart_bind {
	gpu_pages_t npages;
	__gpuown_u64 bytes;
};

int kamd_ttm_populate(cpu_pages_t npages);

/* The GGTT is 4 GiB: a firmware address fits the message's 32 bits. */
static fw_off32_t kguc_ggtt_offset(fw_addr_t fa)
{
	return (__gpuown_force fw_off32_t)(
		__gpuown_u32)(__gpuown_force __gpuown_u64)fa;
}

static gpu_pages_t kamd_cpu_to_gpu_pages(cpu_pages_t n)
{
	return (__gpuown_force gpu_pages_t)(
		(__gpuown_force __gpuown_u64)n
		<< (KCPU_PAGE_SHIFT - KGPU_PAGE_SHIFT));
}

static __gpuown_u64 kamd_gpu_pages_to_bytes(gpu_pages_t n)
{
	return (__gpuown_force __gpuown_u64)n << KGPU_PAGE_SHIFT;
}

static void kguc_fill(struct kguc_h2g_register *msg, fw_addr_t fa)
{
	msg->desc = kguc_ggtt_offset(fa);
}

static void kamd_set_pd(struct kamd_vmid_regs *regs, gpuown_phys_t pd)
{
	regs->pd_base = pd;
}

static void kamd_bind_all(struct kamd_gart_bind *b, cpu_pages_t n)
{
	b->npages = kamd_cpu_to_gpu_pages(n);
	b->bytes = kamd_gpu_pages_to_bytes(b->npages);
}

static int kamd_populate(cpu_pages_t n)
{
	return kamd_ttm_populate(n);
}

/*
 * check-name: kernel address kinds and units converted explicitly
 * check-command: run-sparse $file
 */
