// SPDX-License-Identifier: MIT
/*
 * The firmware's main loop and memory accessors, common to every variant.
 * The variant-specific parsing lives in fw_versioned.h.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <gpuown/mm.h>

#include "fw_priv.h"

/* Translate a firmware-VM GPU VA; 0 when it is outside every firmware window.
 */
static fw_addr_t fw_translate(struct simfw *fw, gpu_addr_t va)
{
	return gpuown_fw_addr_of_va(fw->mm, va);
}

int fw_read(struct simfw *fw, gpu_addr_t va, void *dst, size_t len)
{
	fw_addr_t fa = fw_translate(fw, va);

	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!gpuown_fw_addr_to_u64(fa))
		return -EFAULT;
	return gpuown_fw_read(fw->mm, fa, dst, len);
}

int fw_write(struct simfw *fw, gpu_addr_t va, const void *src, size_t len)
{
	fw_addr_t fa = fw_translate(fw, va);

	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!gpuown_fw_addr_to_u64(fa))
		return -EFAULT;
	return gpuown_fw_write(fw->mm, fa, src, len);
}

int fw_load32(struct simfw *fw, gpu_addr_t va, uint32_t *val)
{
	fw_addr_t fa = fw_translate(fw, va);

	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!gpuown_fw_addr_to_u64(fa))
		return -EFAULT;
	return gpuown_fw_load32(fw->mm, fa, val);
}

int fw_store32(struct simfw *fw, gpu_addr_t va, uint32_t val)
{
	fw_addr_t fa = fw_translate(fw, va);

	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!gpuown_fw_addr_to_u64(fa))
		return -EFAULT;
	return gpuown_fw_store32(fw->mm, fa, val);
}

int fw_store64(struct simfw *fw, gpu_addr_t va, uint64_t val)
{
	fw_addr_t fa = fw_translate(fw, va);

	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!gpuown_fw_addr_to_u64(fa))
		return -EFAULT;
	return gpuown_fw_store64(fw->mm, fa, val);
}

int fw_gpu_read(struct simfw *fw, struct gpuown_vm *vm, gpu_addr_t va,
		void *dst, size_t len)
{
	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!vm)
		return -EFAULT;
	return gpuown_gpu_read(vm, va, dst, len);
}

int fw_gpu_write(struct simfw *fw, struct gpuown_vm *vm, gpu_addr_t va,
		 const void *src, size_t len)
{
	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (!vm)
		return -EFAULT;
	return gpuown_gpu_write(vm, va, src, len);
}

/* One pass over the control ring and every live queue. */
static bool simfw_poll(struct simfw *fw)
{
	bool progress = false;
	uint32_t slot;

	while (fw->ops->poll_ctrl(fw))
		progress = true;
	if (simgpu_hw_queues_held(fw->hw))
		return progress;
	for (slot = 0; slot < fw->nr_contexts; slot++) {
		if (fw->ctx[slot].live && fw->ops->poll_queue(fw, slot))
			progress = true;
	}
	return progress;
}

static void *simfw_main(void *arg)
{
	struct simfw *fw = arg;
	uint64_t seen = simgpu_hw_doorbell_count(fw->hw);

	fw->booted = fw->ops->boot(fw) == 0;
	while (!simgpu_hw_halt_requested(fw->hw)) {
		if (fw->booted && simfw_poll(fw))
			continue;
		/* Idle: sleep until the driver rings the doorbell. */
		seen = simgpu_hw_wait_doorbell(fw->hw, seen);
	}
	return NULL;
}

int simfw_start(struct simfw *fw)
{
	int ret;

	memset(fw->ctx, 0, sizeof(fw->ctx));
	fw->booted = false;
	ret = pthread_create(&fw->thread, NULL, simfw_main, fw);
	if (ret)
		return -ret;
	fw->thread_started = true;
	return 0;
}

void simfw_stop(struct simfw *fw)
{
	if (!fw->thread_started)
		return;
	pthread_join(fw->thread, NULL);
	fw->thread_started = false;
}
