/* SPDX-License-Identifier: MIT */
/*
 * The seeded workload: random jobs (fill, copy, xor, checksum) over several
 * contexts with dependencies between them, every result checked against a
 * CPU model of the same commands.
 */
#ifndef SIMGPU_WORKLOAD_H
#define SIMGPU_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wl_opts {
	uint64_t seed;
	unsigned contexts;
	unsigned jobs;	      /* per variant */
	uint32_t buffer_size; /* bytes, multiple of 4 */
	/* Per mille of jobs that depend on an earlier one (0..1000); integer,
	 * like every option, so the workload also builds in a kernel. */
	unsigned dep_permille;
	uint64_t duration_ms; /* per variant; 0: until every job ran */
	bool gpusan;
	unsigned window; /* jobs in flight at most; 0: 16 per context */
	unsigned churn; /* destroy and recreate a context every N jobs; 0: never
			 */
	/* A deliberate driver bug (SIMGPU_SUBMIT_BUG_*) in the submit flags of
	 * job number @bug_job (1-based; 0: none), for sanitizer tests. */
	uint32_t bug_flags;
	unsigned bug_job;
};

struct wl_result {
	char variant[32];
	uint64_t jobs, verified, mismatches, deps;
	uint64_t cancelled; /* queued on a context destroyed by --churn */
	uint64_t fault_events, warnings;
	uint64_t fw_accesses;
	size_t objects_alive; /* after teardown */
	unsigned gpusan_reports;
	uint64_t elapsed_ns; /* of the job loop */
	int error; /* first error: probe, submit, wait or verification */
	char msg[256];
};

void wl_opts_default(struct wl_opts *o);

/* Run the workload on one (gen, fw) pair; false if anything failed. */
bool wl_run(const struct wl_opts *o, const char *gen, const char *fw,
	    struct wl_result *r);

/*
 * Fault-injection sweep over one variant (fail_sweep.c): every injectable
 * call fails once in its own run; 0 when every error path stayed clean.
 */
int wl_fail_sweep(const struct wl_opts *o, const char *gen, const char *fw);

/* One line per variant, and a header (print.c, user space only). */
void wl_print_header(void);
void wl_print(const struct wl_result *r);

#endif /* SIMGPU_WORKLOAD_H */
