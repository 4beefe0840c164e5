/* SPDX-License-Identifier: MIT */
/*
 * The reference driver's interface, shaped like a DRM driver's ioctls: objects
 * are named by handles, and every call returns 0 or a negative errno.
 *
 * Handles follow one convention inside the driver: simgpu_ctx_lookup() and
 * simgpu_job_lookup() return a referenced object that the caller drops with
 * simgpu_ctx_put() / simgpu_job_put() (docs/driver.md).
 */
#ifndef SIMGPU_DRV_H
#define SIMGPU_DRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gpuown/layout.h>

struct simgpu_dev;

struct simgpu_probe_args {
	const char *gen; /* GPU generation, e.g. "G11" */
	const char *fw;	 /* firmware version, e.g. "V2_1" */
	bool gpusan; /* attach gpusan (when built) before the first object */
	size_t vram_bytes;	  /* simulated memory; 0: 64 MiB */
	uint32_t max_buffer_size; /* largest job buffer; 0: 64 KiB */
	char *err;		  /* on refusal, why (may be NULL) */
	size_t err_len;
};

/* The variants this driver was built for (the generated table). */
const struct gpuown_variant_table *simgpu_variants(void);

/*
 * Probe: select the firmware variant for (gen, fw) and refuse an unsupported
 * pair with -ENOENT (-EINVAL for an unknown name) and a message in args->err;
 * allocate and publish the init data; boot the firmware and wait for it to
 * answer. Nothing is left allocated on failure.
 */
int simgpu_probe(const struct simgpu_probe_args *args, struct simgpu_dev **out);
/*
 * Orderly teardown, also with work in flight: destroys every context (the
 * firmware cancels their queued jobs), retires and frees every job, flushes
 * the firmware cache, halts the firmware and destroys the memory system.
 * Returns the number of GPU objects still alive at the end (0 when correct).
 */
struct simgpu_stats;
size_t simgpu_remove(struct simgpu_dev *dev);
/*
 * simgpu_remove(), and @st (when not NULL) gets the statistics of the
 * device's whole life, teardown included: its warnings count too.
 */
size_t simgpu_remove_stats(struct simgpu_dev *dev, struct simgpu_stats *st);

const char *simgpu_variant_name(const struct simgpu_dev *dev);

/* Contexts: an address space and a command queue. */
int simgpu_ctx_create(struct simgpu_dev *dev, uint32_t priority,
		      uint32_t *handle);
/* Request destruction: queued jobs are cancelled; the context is freed once
 * the firmware acknowledges. The handle is invalid on return. */
int simgpu_ctx_destroy(struct simgpu_dev *dev, uint32_t handle);

enum simgpu_op {
	SIMGPU_OP_FILL,	    /* out[dst, dst+len) = value (32-bit pattern) */
	SIMGPU_OP_COPY,	    /* out[dst, dst+len) = in[src, src+len) */
	SIMGPU_OP_XOR,	    /* out[dst, dst+len) ^= value; G11 and later */
	SIMGPU_OP_CHECKSUM, /* result = FNV-1a of out[src, src+len) */
};

bool simgpu_supports_op(const struct simgpu_dev *dev, enum simgpu_op op);

struct simgpu_cmd {
	enum simgpu_op op;
	uint32_t value;
	uint32_t src_off, dst_off, len; /* multiples of 4 */
};

/* Commands per job; the smallest command buffer of any variant. */
#define SIMGPU_MAX_CMDS 8

/* Fault injection, for tests of the firmware fault path. */
#define SIMGPU_SUBMIT_UNMAPPED_OUTPUT (1u << 0) /* output VA left unbound */
#define SIMGPU_SUBMIT_BAD_MAGIC (1u << 1) /* descriptor the fw cannot parse */
/*
 * A deliberate driver bug, for tests of the sanitizers: retirement frees the
 * job's command buffer before reclaiming the descriptor, which the firmware
 * still owns and which still holds the command buffer's GPU address (a
 * dangling GPU pointer). The object model refuses the free and reports
 * dangling-gpu-pointer; the driver warns and leaks the command buffer until
 * teardown.
 */
#define SIMGPU_SUBMIT_BUG_FREE_CMDBUF_FIRST (1u << 2)

struct simgpu_submit {
	uint32_t ctx;
	const void *input;    /* copied into the job's input buffer */
	uint32_t input_size;  /* multiple of 4; <= max_buffer_size */
	uint32_t output_size; /* multiple of 4; <= max_buffer_size */
	const struct simgpu_cmd *cmds;
	uint32_t nr_cmds; /* <= SIMGPU_MAX_CMDS */
	uint64_t dep; /* job that must complete first (any context), 0: none */
	uint32_t flags; /* SIMGPU_SUBMIT_* */
};

int simgpu_submit(struct simgpu_dev *dev, const struct simgpu_submit *s,
		  uint64_t *job);
/* Wait for completion: 0, -ETIMEDOUT, or -ENOENT for an unknown handle. */
int simgpu_job_wait(struct simgpu_dev *dev, uint64_t job, unsigned timeout_ms);

struct simgpu_job_info {
	bool done;
	int status; /* 0, -EFAULT (unmapped), -EINVAL (bad struct/command),
		       -ECANCELED (context destroyed) */
	uint32_t checksum;
	uint32_t dep_seen;  /* dependency stamp the firmware saw at start */
	uint32_t dep_value; /* the value it had to reach */
	uint32_t cmds_run;
	uint64_t fault_addr;	      /* GPU address of the fault, if any */
	uint64_t input_va, output_va; /* where the buffers sat in the VM */
};

int simgpu_job_info(struct simgpu_dev *dev, uint64_t job,
		    struct simgpu_job_info *info);
/* Copy out of a completed job's output buffer. */
int simgpu_job_read_output(struct simgpu_dev *dev, uint64_t job, uint32_t off,
			   void *dst, uint32_t len);
/* Drop the caller's handle; the job's memory goes once it is retired. */
int simgpu_job_release(struct simgpu_dev *dev, uint64_t job);

/*
 * Wait until no job and no control message is in flight. 0, -ETIMEDOUT, or
 * the error of a firmware cache flush the driver asked for in the
 * background and could not post since the last call (it is retried; the
 * error is returned once).
 */
int simgpu_wait_idle(struct simgpu_dev *dev, unsigned timeout_ms);

/* Debug knob: hold / release the GPU's command processor (jobs stay queued). */
void simgpu_debug_hold_queues(struct simgpu_dev *dev, bool hold);

struct simgpu_stats {
	uint64_t jobs_submitted, jobs_retired, jobs_faulted, jobs_cancelled;
	uint64_t fault_events, log_lines;
	uint64_t cache_flushes, tlb_invalidates, ctrl_msgs;
	uint64_t warnings;    /* refused transitions: driver bugs, must be 0 */
	uint64_t fw_accesses; /* firmware + GPU accesses, from the device */
	size_t objects_alive;
};

void simgpu_get_stats(struct simgpu_dev *dev, struct simgpu_stats *st);

#endif /* SIMGPU_DRV_H */
