/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: make the N-th, or a random 1-in-P, call of an operation
 * fail, so that a driver's error paths run under the tracker. Modelled on the
 * kernel's fault-injection framework (should_fail() with interval,
 * probability and times), with a seed so that a failing run replays exactly.
 *
 * The operations are the ones where real firmware-driven drivers fail:
 * allocating a GPU object, mapping it into a VM, waiting for the firmware
 * (a fence or seqno that times out), the firmware rejecting a message or
 * faulting a job, and a VM invalidate request. The runtime asks at its own
 * sites (allocation, map); a driver asks at its own (waits, messages,
 * invalidates); the simulated firmware asks for job faults.
 *
 * Configure with gpuown_fault_set() or, under gpusan, GPUSAN_OPTIONS
 * (fail_op, fail_nth, fail_one_in, fail_seed, fail_times, fail_site; see
 * docs/gpusan.md). Nothing fails unless configured.
 */
#ifndef GPUOWN_FAULT_H
#define GPUOWN_FAULT_H

#include <gpuown/compat.h>

enum gpuown_fault_op {
	GPUOWN_FAULT_ALLOC, /* object allocation: -ENOMEM */
	GPUOWN_FAULT_MAP, /* VM bind: -ENOMEM */
	GPUOWN_FAULT_FENCE_WAIT, /* a wait for the firmware: -ETIMEDOUT */
	GPUOWN_FAULT_FW_MSG, /* the firmware rejects a message: -EIO */
	GPUOWN_FAULT_FW_JOB, /* the firmware faults a job */
	GPUOWN_FAULT_INVALIDATE, /* a VM invalidate request fails: -EIO */
	GPUOWN_FAULT_NR_OPS,
};

/* Which calls of one operation fail. */
struct gpuown_fault_attr {
	/* Fail the nth call counted from the configuration (1-based); 0: off. */
	uint64_t nth;
	/* Fail each call with probability 1/one_in (seeded); 0: off. */
	uint32_t one_in;
	/* Seed of the one_in draws; the same seed replays the same failures. */
	uint64_t seed;
	/* At most this many failures; 0 means 1 with nth, unlimited without. */
	uint32_t times;
	/*
	 * Only calls whose stack has a function of this name count (and may
	 * fail); NULL counts every call. Needs a site matcher (below).
	 */
	const char *site;
};

/*
 * Configure @op (replacing its earlier configuration and resetting its
 * counters). Returns -EINVAL for an unknown op, for neither nth nor one_in,
 * or for a site without a matcher installed.
 */
int gpuown_fault_set(enum gpuown_fault_op op,
		     const struct gpuown_fault_attr *attr);

/* Turn every operation off and reset every counter. */
void gpuown_fault_clear(void);

/*
 * Ask at an operation's site: true when this call must fail. Costs one
 * relaxed load when nothing is configured. @caller is the address the
 * failure is attributed to (GPUOWN_CALLER() of the public entry point).
 */
bool gpuown_fault_should_fail(enum gpuown_fault_op op, const void *caller);

/* Calls counted (matching the site, if one is set) and failures injected. */
uint64_t gpuown_fault_calls(enum gpuown_fault_op op);
uint64_t gpuown_fault_injected(enum gpuown_fault_op op);

/* "alloc", "map", "fence_wait", "fw_msg", "fw_job", "invalidate". */
const char *gpuown_fault_op_name(enum gpuown_fault_op op);
/* The op of a name, or -EINVAL. */
int gpuown_fault_op_from_name(const char *name);

/*
 * A host that can symbolise stacks installs a matcher: does the current
 * stack hold a function named @site? (gpusan does, with libdw.)
 */
void gpuown_fault_set_site_matcher(bool (*match)(const char *site, void *arg),
				   void *arg);

/*
 * Called for every injected failure, on the failing thread: gpusan prints a
 * line with the op, the call number and the stack, so a run can be replayed.
 */
void gpuown_fault_set_notify(void (*notify)(enum gpuown_fault_op op,
					    uint64_t call, const void *caller,
					    void *arg),
			     void *arg);

#endif /* GPUOWN_FAULT_H */
