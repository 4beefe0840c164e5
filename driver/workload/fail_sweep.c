// SPDX-License-Identifier: MIT
/*
 * The fault-injection sweep (gpuown-workload --fail-sweep): for every
 * injectable operation, count its calls in a clean run, then run the workload
 * again once per call with exactly that call failing. Every run must stay
 * clean on its error path (no object left alive, no gpusan report) and the
 * failure must reach the caller as an error, or, where the driver recovers
 * (teardown retries, a TLB request asked again later), as a warning in its
 * log. A failing run is printed with
 * the GPUSAN_OPTIONS that replay it.
 */
#include <stdio.h>
#include <string.h>

#include <gpuown/fault.h>

#include "workload.h"

/* Runs per operation at most: calls are sampled evenly past this. */
#define SWEEP_MAX_RUNS 16

struct sweep_tally {
	unsigned runs, surfaced, dirty;
};

static bool sweep_run_clean(const struct wl_opts *o, const char *gen,
			    const char *fw, struct wl_result *r)
{
	wl_run(o, gen, fw, r);
	return r->objects_alive == 0 && r->gpusan_reports == 0;
}

static void sweep_print_failure(enum gpuown_fault_op op, uint64_t n,
				const char *gen, const char *fw,
				const struct wl_result *r, const char *why)
{
	printf("  %s call %llu: %s (%zu alive, %u gpusan reports, error "
	       "'%s')\n"
	       "    replay: GPUSAN_OPTIONS=fail_op=%s:fail_nth=%llu "
	       "gpuown-workload --variant %s_%s --gpusan ...\n",
	       gpuown_fault_op_name(op), (unsigned long long)n, why,
	       r->objects_alive, r->gpusan_reports, r->error ? r->msg : "",
	       gpuown_fault_op_name(op), (unsigned long long)n, gen, fw);
}

/* Count the calls of @op in one clean run (armed, never failing). */
static uint64_t sweep_count(const struct wl_opts *o, const char *gen,
			    const char *fw, enum gpuown_fault_op op)
{
	struct gpuown_fault_attr never = {.nth = UINT64_MAX};
	struct wl_result r;
	uint64_t calls;

	gpuown_fault_set(op, &never);
	wl_run(o, gen, fw, &r);
	calls = gpuown_fault_calls(op);
	gpuown_fault_clear();
	return r.error ? 0 : calls;
}

static void sweep_op(const struct wl_opts *o, const char *gen, const char *fw,
		     enum gpuown_fault_op op, struct sweep_tally *t)
{
	uint64_t calls = sweep_count(o, gen, fw, op), step, n;
	struct wl_result r;

	step = calls > SWEEP_MAX_RUNS ? calls / SWEEP_MAX_RUNS : 1;
	for (n = 1; n <= calls; n += step) {
		struct gpuown_fault_attr attr = {.nth = n};
		bool clean;

		gpuown_fault_set(op, &attr);
		clean = sweep_run_clean(o, gen, fw, &r);
		t->runs++;
		if (!clean) {
			t->dirty++;
			sweep_print_failure(op, n, gen, fw, &r,
					    "error path not clean");
		} else if (gpuown_fault_injected(op) && !r.error &&
			   !r.warnings) {
			t->dirty++;
			sweep_print_failure(op, n, gen, fw, &r,
					    "failure did not reach the caller");
		} else if (r.error || r.warnings) {
			t->surfaced++;
		}
		gpuown_fault_clear();
	}
	printf("%-10s %8llu %6u %9u %6u  %s\n", gpuown_fault_op_name(op),
	       (unsigned long long)calls, t->runs, t->surfaced, t->dirty,
	       t->dirty ? "FAIL" : "ok");
}

int wl_fail_sweep(const struct wl_opts *o, const char *gen, const char *fw)
{
	unsigned dirty = 0, runs = 0;

	printf("fault-injection sweep of %s_%s\n", gen, fw);
	printf("%-10s %8s %6s %9s %6s  %s\n", "op", "calls", "runs",
	       "surfaced", "dirty", "result");
	for (int op = 0; op < GPUOWN_FAULT_NR_OPS; op++) {
		struct sweep_tally t = {0};

		sweep_op(o, gen, fw, (enum gpuown_fault_op)op, &t);
		dirty += t.dirty;
		runs += t.runs;
	}
	printf("fail-sweep: %u passed, %u failed\n", runs - dirty, dirty);
	return dirty ? 1 : 0;
}
