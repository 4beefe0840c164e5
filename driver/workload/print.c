// SPDX-License-Identifier: MIT
/*
 * The runner's table (gpuown-workload): user space only, since it prints
 * floating-point throughput; the workload itself (workload.c) also runs in
 * the kernel (kernel/driver).
 */
#include <stdio.h>

#include "workload.h"

void wl_print_header(void)
{
	printf("%-10s %8s %8s %9s %6s %10s %14s %6s %6s %6s  %s\n", "variant",
	       "jobs", "verified", "cancelled", "deps", "jobs/s", "fw accesses",
	       "alive", "faults", "gpusan", "result");
}

void wl_print(const struct wl_result *r)
{
	double tput = r->elapsed_ns ? r->jobs * 1e9 / (double)r->elapsed_ns : 0;

	printf("%-10s %8llu %8llu %9llu %6llu %10.0f %14llu %6zu %6llu %6u  "
	       "%s%s\n",
	       r->variant, (unsigned long long)r->jobs,
	       (unsigned long long)r->verified,
	       (unsigned long long)r->cancelled, (unsigned long long)r->deps,
	       tput, (unsigned long long)r->fw_accesses, r->objects_alive,
	       (unsigned long long)r->fault_events, r->gpusan_reports,
	       r->error ? "FAIL: " : "ok", r->error ? r->msg : "");
}
