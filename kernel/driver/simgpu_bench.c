// SPDX-License-Identifier: MIT
/*
 * gpusan's cost on the reference driver's workload inside the kernel,
 * printed at boot (a benchmark, not a test):
 *
 *   simgpu.bench=1 on the kernel command line (scripts/kunit-bench.sh)
 *
 * The seeded workload (driver/workload/workload.c: jobs over several
 * contexts with dependencies and context churn, every result verified) runs
 * in rounds alternately with gpusan's tracking on and off
 * (gpusan_set_enabled()), KASAN on in both, in the same boot, so load on
 * the machine hits both alike; the ratio of the totals is what counts.
 * Off, the driver still runs the portable core's ownership model it calls;
 * gpusan's share is its metadata, stacks, shadow painting, KASAN poisoning
 * and the check of every firmware and GPU access.
 */
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/module.h>

#include <gpusan/gpusan.h>

#include "../../driver/workload/workload.h"

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench, "run the workload benchmark at boot");

static unsigned int bench_jobs = 1000;
module_param(bench_jobs, uint, 0444);
MODULE_PARM_DESC(bench_jobs, "jobs per workload run");

#define SB_ROUNDS 3

/*
 * One workload run; its wall time in ns (probe and teardown included), 0
 * when it failed. r->elapsed_ns is the job loop's share.
 */
static u64 sb_run(bool san, struct wl_result *r)
{
	struct wl_opts o;
	ktime_t t0;
	bool ok;

	wl_opts_default(&o);
	o.seed = 11;
	o.contexts = 3;
	o.jobs = bench_jobs;
	o.buffer_size = 512;
	o.churn = 40;
	gpusan_set_enabled(san);
	t0 = ktime_get();
	ok = wl_run(&o, "G11", "V2_1", r);
	if (!ok) {
		pr_err("simgpu_bench: workload failed (gpusan %s): %s\n",
		       san ? "on" : "off", r->msg);
		return 0;
	}
	return ktime_to_ns(ktime_sub(ktime_get(), t0));
}

/* "a.bc", for a ratio of two times. */
static void sb_ratio(char *buf, size_t len, u64 num, u64 den)
{
	if (!den)
		den = 1;
	snprintf(buf, len, "%llu.%02llu", num / den, (num % den) * 100 / den);
}

static int __init simgpu_bench_init(void)
{
	u64 on = 0, off = 0, loop_on = 0, loop_off = 0, t;
	char ratio[24], loop_ratio[24];
	unsigned int i, reports = gpusan_report_count();
	struct wl_result r;
	bool was;

	if (!bench)
		return 0;
	was = gpusan_set_enabled(true);
	for (i = 0; i < SB_ROUNDS; i++) {
		t = sb_run(false, &r);
		if (!t)
			goto out;
		off += t;
		loop_off += r.elapsed_ns;
		t = sb_run(true, &r);
		if (!t)
			goto out;
		on += t;
		loop_on += r.elapsed_ns;
	}
	sb_ratio(ratio, sizeof(ratio), on, off);
	sb_ratio(loop_ratio, sizeof(loop_ratio), loop_on, loop_off);
	pr_info("simgpu_bench: workload G11_V2_1, %u jobs x %u rounds, %llu "
		"fw/GPU accesses per run: %llu ms without gpusan, %llu ms "
		"with (KASAN on in both): ratio %s, %u reports\n",
		bench_jobs, SB_ROUNDS, (unsigned long long)r.fw_accesses,
		off / NSEC_PER_MSEC, on / NSEC_PER_MSEC, ratio,
		gpusan_report_count() - reports);
	pr_info("simgpu_bench: job loop only (probe and teardown excluded): "
		"%llu ms without gpusan, %llu ms with: ratio %s\n",
		loop_off / NSEC_PER_MSEC, loop_on / NSEC_PER_MSEC, loop_ratio);
out:
	gpusan_set_enabled(was);
	return 0;
}
late_initcall(simgpu_bench_init);
