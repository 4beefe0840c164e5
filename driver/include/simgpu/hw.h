/* SPDX-License-Identifier: MIT */
/*
 * The simulated GPU device: what a real driver reaches through MMIO registers.
 *
 * The device owns the memory system (struct gpuown_mm), the MMU's address-space
 * table (ASID -> VM, the page-table base registers), a doorbell the driver
 * rings after publishing work, an interrupt line the firmware raises after
 * posting events, and the firmware thread. The firmware is started with the
 * firmware address of the init data, as a real driver writes it to a boot
 * register, and from then on sees memory only through gpuown_fw_*() and
 * gpuown_gpu_*().
 */
#ifndef SIMGPU_HW_H
#define SIMGPU_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gpuown/mm.h>

/* Hardware address-space ids: 0 is the firmware's own, 1..N are contexts'. */
#define SIMGPU_HW_NR_ASIDS 64

struct simgpu_hw;

/* Firmware activity counters, readable at any time. */
struct simgpu_fw_stats {
	uint64_t accesses; /* firmware and GPU memory accesses (checked) */
	uint64_t jobs_run; /* jobs executed to completion */
	uint64_t jobs_cancelled; /* jobs dropped by a context destroy */
	uint64_t faults;	 /* fault events posted */
	uint64_t ctrl_msgs;	 /* control messages processed */
};

/* Create the device around @mm (not owned). */
int simgpu_hw_create(struct gpuown_mm *mm, struct simgpu_hw **out);
void simgpu_hw_destroy(struct simgpu_hw *hw);

/*
 * Boot the firmware of variant @variant (a built variant name, "G11_V2_1") from
 * the init data at firmware address @init. Returns -ENOENT when no firmware
 * image exists for the variant, or the firmware thread's creation error.
 */
int simgpu_hw_boot(struct simgpu_hw *hw, const char *variant, fw_addr_t init);
/* Halt the firmware and join its thread. Idempotent. */
void simgpu_hw_halt(struct simgpu_hw *hw);

/* Program / clear the page-table base of @asid. */
int simgpu_hw_mmu_set(struct simgpu_hw *hw, uint32_t asid,
		      struct gpuown_vm *vm);
void simgpu_hw_mmu_clear(struct simgpu_hw *hw, uint32_t asid);
/* The VM of @asid, or NULL (firmware side: how a context's ASID translates). */
struct gpuown_vm *simgpu_hw_mmu_vm(struct simgpu_hw *hw, uint32_t asid);

/* The doorbell: the driver rings it; the firmware waits on it. */
void simgpu_hw_ring_doorbell(struct simgpu_hw *hw);
/* Firmware side: wait until the doorbell rang after @seen or the firmware is
 * halted; returns the new doorbell count. */
uint64_t simgpu_hw_wait_doorbell(struct simgpu_hw *hw, uint64_t seen);
uint64_t simgpu_hw_doorbell_count(struct simgpu_hw *hw);
bool simgpu_hw_halt_requested(struct simgpu_hw *hw);

/* The interrupt line: the firmware raises it; the driver waits on it. */
void simgpu_hw_raise_irq(struct simgpu_hw *hw);
uint64_t simgpu_hw_irq_count(struct simgpu_hw *hw);
/* Wait until an interrupt after @seen, at most @timeout_ms. 0 or -ETIMEDOUT. */
int simgpu_hw_wait_irq(struct simgpu_hw *hw, uint64_t seen,
		       unsigned timeout_ms);

void simgpu_hw_fw_stats(struct simgpu_hw *hw, struct simgpu_fw_stats *st);

/*
 * Hold the command processor: the firmware keeps serving control messages but
 * starts no job, as when the GPU is busy with another client. For tests that
 * need work to stay queued.
 */
void simgpu_hw_hold_queues(struct simgpu_hw *hw, bool hold);
bool simgpu_hw_queues_held(struct simgpu_hw *hw);

/*
 * The checksum the command processor's CHECKSUM command computes: FNV-1a over
 * the bytes, continued from @h (start with SIMGPU_CHECKSUM_INIT).
 */
#define SIMGPU_CHECKSUM_INIT 0x811c9dc5u

static inline uint32_t simgpu_hw_checksum(uint32_t h, const void *buf,
					  size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		h ^= *p++;
		h *= 0x01000193u;
	}
	return h;
}

#endif /* SIMGPU_HW_H */
