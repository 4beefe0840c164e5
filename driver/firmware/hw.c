// SPDX-License-Identifier: MIT
/*
 * The simulated GPU device: doorbell, interrupt line, MMU address-space table
 * and the firmware thread's life. See include/simgpu/hw.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gpuown/object.h>
#include <simgpu/hw.h>

#include "fw_priv.h"

struct simgpu_hw {
	struct gpuown_mm *mm;
	pthread_mutex_t lock;
	pthread_cond_t doorbell_cond, irq_cond;
	uint64_t doorbell, irq;			       /* under lock */
	bool halt;				       /* under lock */
	bool hold_queues;			       /* under lock */
	struct gpuown_vm *asid_vm[SIMGPU_HW_NR_ASIDS]; /* under lock */
	struct simfw fw;
};

int simgpu_hw_create(struct gpuown_mm *mm, struct simgpu_hw **out)
{
	struct simgpu_hw *hw;

	hw = calloc(1, sizeof(*hw));
	if (!hw)
		return -ENOMEM;
	hw->mm = mm;
	pthread_mutex_init(&hw->lock, NULL);
	pthread_cond_init(&hw->doorbell_cond, NULL);
	pthread_cond_init(&hw->irq_cond, NULL);
	hw->fw.hw = hw;
	hw->fw.mm = mm;
	*out = hw;
	return 0;
}

void simgpu_hw_destroy(struct simgpu_hw *hw)
{
	if (!hw)
		return;
	simgpu_hw_halt(hw);
	pthread_cond_destroy(&hw->irq_cond);
	pthread_cond_destroy(&hw->doorbell_cond);
	pthread_mutex_destroy(&hw->lock);
	free(hw);
}

int simgpu_hw_boot(struct simgpu_hw *hw, const char *variant, fw_addr_t init)
{
	const struct simfw_ops *ops = simfw_ops_find(variant);
	int err;

	if (!ops)
		return -ENOENT;
	if (hw->fw.thread_started)
		return -EBUSY;
	/*
	 * The boot register takes the init block's firmware address: the
	 * runtime checks it is one (not a GPU VA) of a live object, and the
	 * object is the firmware's from now on.
	 */
	err = gpuown_hand_over_addr(hw->mm, GPUOWN_ADDR_FW,
				    gpuown_fw_addr_to_u64(init), "BOOT_INIT",
				    NULL);
	if (err)
		return err;
	pthread_mutex_lock(&hw->lock);
	hw->halt = false;
	pthread_mutex_unlock(&hw->lock);
	hw->fw.ops = ops;
	hw->fw.init = init;
	return simfw_start(&hw->fw);
}

void simgpu_hw_halt(struct simgpu_hw *hw)
{
	if (!hw->fw.thread_started)
		return;
	pthread_mutex_lock(&hw->lock);
	hw->halt = true;
	pthread_cond_broadcast(&hw->doorbell_cond);
	pthread_mutex_unlock(&hw->lock);
	simfw_stop(&hw->fw);
}

bool simgpu_hw_halt_requested(struct simgpu_hw *hw)
{
	bool halt;

	pthread_mutex_lock(&hw->lock);
	halt = hw->halt;
	pthread_mutex_unlock(&hw->lock);
	return halt;
}

int simgpu_hw_mmu_set(struct simgpu_hw *hw, uint32_t asid, struct gpuown_vm *vm)
{
	int ret = 0;

	if (asid == 0 || asid >= SIMGPU_HW_NR_ASIDS)
		return -EINVAL;
	pthread_mutex_lock(&hw->lock);
	if (hw->asid_vm[asid])
		ret = -EBUSY;
	else
		hw->asid_vm[asid] = vm;
	pthread_mutex_unlock(&hw->lock);
	return ret;
}

void simgpu_hw_mmu_clear(struct simgpu_hw *hw, uint32_t asid)
{
	if (asid >= SIMGPU_HW_NR_ASIDS)
		return;
	pthread_mutex_lock(&hw->lock);
	hw->asid_vm[asid] = NULL;
	pthread_mutex_unlock(&hw->lock);
}

struct gpuown_vm *simgpu_hw_mmu_vm(struct simgpu_hw *hw, uint32_t asid)
{
	struct gpuown_vm *vm = NULL;

	if (asid == 0 || asid >= SIMGPU_HW_NR_ASIDS)
		return NULL;
	pthread_mutex_lock(&hw->lock);
	vm = hw->asid_vm[asid];
	pthread_mutex_unlock(&hw->lock);
	return vm;
}

void simgpu_hw_ring_doorbell(struct simgpu_hw *hw)
{
	pthread_mutex_lock(&hw->lock);
	hw->doorbell++;
	pthread_cond_signal(&hw->doorbell_cond);
	pthread_mutex_unlock(&hw->lock);
}

uint64_t simgpu_hw_doorbell_count(struct simgpu_hw *hw)
{
	uint64_t n;

	pthread_mutex_lock(&hw->lock);
	n = hw->doorbell;
	pthread_mutex_unlock(&hw->lock);
	return n;
}

uint64_t simgpu_hw_wait_doorbell(struct simgpu_hw *hw, uint64_t seen)
{
	uint64_t n;

	pthread_mutex_lock(&hw->lock);
	while (hw->doorbell == seen && !hw->halt)
		pthread_cond_wait(&hw->doorbell_cond, &hw->lock);
	n = hw->doorbell;
	pthread_mutex_unlock(&hw->lock);
	return n;
}

void simgpu_hw_raise_irq(struct simgpu_hw *hw)
{
	pthread_mutex_lock(&hw->lock);
	hw->irq++;
	pthread_cond_broadcast(&hw->irq_cond);
	pthread_mutex_unlock(&hw->lock);
}

uint64_t simgpu_hw_irq_count(struct simgpu_hw *hw)
{
	uint64_t n;

	pthread_mutex_lock(&hw->lock);
	n = hw->irq;
	pthread_mutex_unlock(&hw->lock);
	return n;
}

int simgpu_hw_wait_irq(struct simgpu_hw *hw, uint64_t seen, unsigned timeout_ms)
{
	struct timespec ts;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&hw->lock);
	while (hw->irq == seen && ret == 0)
		ret = pthread_cond_timedwait(&hw->irq_cond, &hw->lock, &ts);
	pthread_mutex_unlock(&hw->lock);
	return ret == ETIMEDOUT ? -ETIMEDOUT : 0;
}

void simgpu_hw_fw_stats(struct simgpu_hw *hw, struct simgpu_fw_stats *st)
{
	st->accesses = atomic_load(&hw->fw.accesses);
	st->jobs_run = atomic_load(&hw->fw.jobs_run);
	st->jobs_cancelled = atomic_load(&hw->fw.jobs_cancelled);
	st->faults = atomic_load(&hw->fw.faults);
	st->ctrl_msgs = atomic_load(&hw->fw.ctrl_msgs);
}

void simgpu_hw_hold_queues(struct simgpu_hw *hw, bool hold)
{
	pthread_mutex_lock(&hw->lock);
	hw->hold_queues = hold;
	hw->doorbell++; /* wake the firmware to pick up the change */
	pthread_cond_signal(&hw->doorbell_cond);
	pthread_mutex_unlock(&hw->lock);
}

bool simgpu_hw_queues_held(struct simgpu_hw *hw)
{
	bool held;

	pthread_mutex_lock(&hw->lock);
	held = hw->hold_queues;
	pthread_mutex_unlock(&hw->lock);
	return held;
}
