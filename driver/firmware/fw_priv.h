/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's private state: what real firmware keeps in its own
 * SRAM. It holds GPU addresses only, never a pointer into driver memory; every
 * access to shared memory goes through the fw_*() helpers below, which
 * translate through the page tables of the object model and count the access.
 */
#ifndef SIMGPU_FW_PRIV_H
#define SIMGPU_FW_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <gpuown/fault.h>
#include <gpuown/mm.h>
#include <simgpu/hw.h>

/* Upper bound over every variant's FW_MAX_CONTEXTS. */
#define SIMFW_MAX_SLOTS 32
/* Largest job buffer the command processor handles in one access. */
#define SIMFW_CHUNK 4096

struct simfw;

/* One firmware image per built variant (fw_variants.c). */
struct simfw_ops {
	const char *variant;
	/* Parse the init data; on failure the firmware idles (no crash). */
	int (*boot)(struct simfw *fw);
	/* Process one control message; true if there was progress. */
	bool (*poll_ctrl)(struct simfw *fw);
	/* Run one job of context slot @slot; true if there was progress. */
	bool (*poll_queue)(struct simfw *fw, uint32_t slot);
};

const struct simfw_ops *simfw_ops_find(const char *variant);

/* A registered context, as cached by the firmware at CREATE_CONTEXT. */
struct simfw_ctx {
	bool live;
	uint32_t asid;
	uint32_t stamp_slot;
	uint32_t priority;
	uint32_t rptr; /* firmware's copy of the command ring read pointer */
	uint32_t nr_slots;
	uint32_t last_stamp;	    /* last value written to stamp_slot */
	uint32_t jobs_done, faults; /* mirrored into the channel state */
	gpu_addr_t desc, ring, ring_state, channel;
	struct gpuown_vm *vm;
};

struct simfw {
	struct simgpu_hw *hw;
	struct gpuown_mm *mm;
	const struct simfw_ops *ops;
	pthread_t thread;
	bool thread_started;
	fw_addr_t init;
	bool booted;

	/* From the init data. */
	gpu_addr_t ctrl_state, ctrl_ring, event_state, event_ring;
	gpu_addr_t stamps, contexts, log_state, log_ring;
	uint32_t ctrl_rptr, ctrl_slots, ctrl_seq;
	uint32_t event_wptr, event_slots;
	uint32_t log_wptr, log_slots, log_seq;
	uint32_t nr_stamps, nr_contexts;

	struct simfw_ctx ctx[SIMFW_MAX_SLOTS];
	uint8_t in[SIMFW_CHUNK], out[SIMFW_CHUNK];

	atomic_uint_fast64_t accesses, jobs_run, jobs_cancelled, faults,
		ctrl_msgs;
};

/* Firmware-VM accesses by GPU VA; -EFAULT when the VA does not translate. */
int fw_read(struct simfw *fw, gpu_addr_t va, void *dst, size_t len);
int fw_write(struct simfw *fw, gpu_addr_t va, const void *src, size_t len);
int fw_load32(struct simfw *fw, gpu_addr_t va, uint32_t *val);
int fw_store32(struct simfw *fw, gpu_addr_t va, uint32_t val);
int fw_store64(struct simfw *fw, gpu_addr_t va, uint64_t val);
/* Accesses of the GPU's command processor in a context's VM. */
int fw_gpu_read(struct simfw *fw, struct gpuown_vm *vm, gpu_addr_t va,
		void *dst, size_t len);
int fw_gpu_write(struct simfw *fw, struct gpuown_vm *vm, gpu_addr_t va,
		 const void *src, size_t len);

static inline gpu_addr_t fw_va_add(gpu_addr_t va, uint64_t off)
{
	return gpuown_gpu_addr_from_u64(gpuown_gpu_addr_to_u64(va) + off);
}

static inline bool fw_va_is_null(gpu_addr_t va)
{
	return gpuown_gpu_addr_to_u64(va) == 0;
}

/* The firmware thread (fw_core.c). */
int simfw_start(struct simfw *fw);
void simfw_stop(struct simfw *fw);

#endif /* SIMGPU_FW_PRIV_H */
