// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

/*
 * The address kinds of a firmware-driven kernel driver: a GGTT offset that
 * goes into a 32-bit message word, a bus address for a page-table base
 * register, a GPU VM address. None stands in for another, nor for a plain
 * integer.
 */
struct kguc_h2g_register {
	__gpuown_u32 action;
	fw_off32_t desc;
	fw_off32_t buf;
};

struct kamd_vmid_regs {
	gpuown_phys_t pd_base;
	gpu_addr_t fault_default;
};

/* A GPU VM address where the firmware's 32-bit offset belongs. */
static void kguc_fill(struct kguc_h2g_register *msg, gpu_addr_t va)
{
	msg->desc = va;
	msg->buf = 0x1000;
}

/* A GPU address where the bus address of the page directory belongs. */
static void kamd_set_pd(struct kamd_vmid_regs *regs, gpu_addr_t root_va,
			gpuown_phys_t dummy)
{
	regs->pd_base = root_va;
	regs->fault_default = dummy;
}

/*
 * check-name: kernel address kinds (GGTT offsets, bus addresses) do not mix
 * check-command: run-sparse $file
 *
 * check-error-start
kernel_addr_kinds.c:24:19: warning: incorrect type in assignment (different base types)
kernel_addr_kinds.c:24:19:    expected restricted fw_off32_t [usertype] desc
kernel_addr_kinds.c:24:19:    got restricted gpu_addr_t [usertype] va
kernel_addr_kinds.c:25:18: warning: incorrect type in assignment (different base types)
kernel_addr_kinds.c:25:18:    expected restricted fw_off32_t [usertype] buf
kernel_addr_kinds.c:25:18:    got int
kernel_addr_kinds.c:32:23: warning: incorrect type in assignment (different base types)
kernel_addr_kinds.c:32:23:    expected restricted gpuown_phys_t [usertype] pd_base
kernel_addr_kinds.c:32:23:    got restricted gpu_addr_t [usertype] root_va
kernel_addr_kinds.c:33:29: warning: incorrect type in assignment (different base types)
kernel_addr_kinds.c:33:29:    expected restricted gpu_addr_t [usertype] fault_default
kernel_addr_kinds.c:33:29:    got restricted gpuown_phys_t [usertype] dummy
 * check-error-end
 */
