// SPDX-License-Identifier: MIT
/*
 * The kernel's side of the portable core's host interface
 * (runtime/model/include/gpuown/host.h), for the core sources gpusan
 * compiles (core/): metadata memory. Shadow tables are allocated under
 * gs_lock, a spinlock, so atomically.
 */
#include <linux/slab.h>

#include "gpusan_internal.h"

static void *gs_host_zalloc(size_t size)
{
	return kzalloc(size, GFP_ATOMIC | __GFP_NOWARN);
}

static void gs_host_free(void *p)
{
	kfree(p);
}

const struct gpuown_host_ops gpuown_host = {
	.zalloc = gs_host_zalloc,
	.free = gs_host_free,
};

/* Every shadow gpusan keeps: the firmware VM, the firmware space, user VMs. */
u64 gs_shadow_allocated(void)
{
	struct gpusan_vm *vm;
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&gs_lock, flags);
	n = gs_shadow_resident(gs_fw_vm.sh) + gs_shadow_resident(gs_fw_space);
	list_for_each_entry(vm, &gs_vms, node)
		n += gs_shadow_resident(vm->sh);
	spin_unlock_irqrestore(&gs_lock, flags);
	return n;
}
