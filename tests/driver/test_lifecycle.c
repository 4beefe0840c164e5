// SPDX-License-Identifier: MIT
/*
 * Context lifecycle, dependencies and teardown: destroy with jobs queued,
 * remove with work in flight, dependencies across contexts.
 */
#include <errno.h>
#include <stdlib.h>

#include <gpuown/fault.h>
#include <simgpu/hw.h>

#include "drv_test.h"

#define SZ 256

Test(lifecycle, destroy_with_jobs_queued_cancels_them)
{
	struct simgpu_dev *dev = drv_test_probe("G11", "V2_1");
	struct simgpu_job_info info;
	struct simgpu_stats st;
	uint64_t jobs[40], other;
	uint32_t ctx, ctx2;
	unsigned i;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &ctx), 0);
	cr_assert_eq(simgpu_ctx_create(dev, 0, &ctx2), 0);
	simgpu_debug_hold_queues(dev, true);
	for (i = 0; i < 40; i++)
		cr_assert_eq(drv_test_fill(dev, ctx, i, SZ, 0, 0, &jobs[i]), 0);
	cr_assert_eq(simgpu_ctx_destroy(dev, ctx), 0);
	/* The handle is gone at once; a second destroy finds nothing. */
	cr_assert_eq(simgpu_ctx_destroy(dev, ctx), -ENOENT);
	cr_assert_eq(drv_test_fill(dev, ctx, 0, SZ, 0, 0, &other), -ENOENT);
	cr_assert_eq(simgpu_wait_idle(dev, 10000), 0);
	for (i = 0; i < 40; i++) {
		cr_assert_eq(simgpu_job_info(dev, jobs[i], &info), 0);
		cr_assert(info.done);
		cr_assert_eq(info.status, -ECANCELED, "job %u: %d", i,
			     info.status);
		cr_assert_eq(simgpu_job_release(dev, jobs[i]), 0);
	}
	/* The other context is untouched and runs once released. */
	simgpu_debug_hold_queues(dev, false);
	cr_assert_eq(drv_test_fill(dev, ctx2, 0xabcd, SZ, 0, 0, &other), 0);
	drv_test_expect_filled(dev, other, 0xabcd, SZ);
	simgpu_get_stats(dev, &st);
	cr_assert_eq(st.jobs_cancelled, 40);
	cr_assert_eq(st.warnings, 0);
	cr_assert_eq(simgpu_remove(dev), 0);
}

Test(lifecycle, slot_reuse_after_destroy_keeps_stamps_monotonic)
{
	struct simgpu_dev *dev = drv_test_probe("G10", "V1_0");
	uint32_t ctx;
	uint64_t job;
	unsigned round;

	for (round = 0; round < 4; round++) {
		cr_assert_eq(simgpu_ctx_create(dev, 0, &ctx), 0);
		cr_assert_eq(drv_test_fill(dev, ctx, round, SZ, 0, 0, &job), 0);
		drv_test_expect_filled(dev, job, round, SZ);
		cr_assert_eq(simgpu_job_release(dev, job), 0);
		cr_assert_eq(simgpu_ctx_destroy(dev, ctx), 0);
		cr_assert_eq(simgpu_wait_idle(dev, 10000), 0);
	}
	cr_assert_eq(simgpu_remove(dev), 0);
}

Test(lifecycle, remove_with_work_in_flight_leaves_nothing)
{
	struct simgpu_dev *dev = drv_test_probe("G12", "V3_0");
	uint32_t ctx[3];
	uint64_t job;
	unsigned i;

	for (i = 0; i < 3; i++)
		cr_assert_eq(simgpu_ctx_create(dev, i, &ctx[i]), 0);
	for (i = 0; i < 90; i++)
		cr_assert_eq(drv_test_fill(dev, ctx[i % 3], i, SZ, 0, 0, &job),
			     0);
	cr_assert_eq(simgpu_remove(dev), 0);
}

Test(lifecycle, remove_with_held_queues_leaves_nothing)
{
	struct simgpu_dev *dev = drv_test_probe("G10", "V2_1");
	uint32_t ctx;
	uint64_t job;
	unsigned i;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &ctx), 0);
	simgpu_debug_hold_queues(dev, true);
	for (i = 0; i < 30; i++)
		cr_assert_eq(drv_test_fill(dev, ctx, i, SZ, 0, 0, &job), 0);
	cr_assert_eq(simgpu_remove(dev), 0);
}

Test(lifecycle, dependency_across_contexts_is_honoured)
{
	struct simgpu_dev *dev = drv_test_probe("G11", "V1_2");
	struct simgpu_job_info info;
	uint64_t a, b;
	uint32_t c1, c2;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &c1), 0);
	cr_assert_eq(simgpu_ctx_create(dev, 0, &c2), 0);
	simgpu_debug_hold_queues(dev, true);
	cr_assert_eq(drv_test_fill(dev, c1, 1, SZ, 0, 0, &a), 0);
	cr_assert_eq(drv_test_fill(dev, c2, 2, SZ, a, 0, &b), 0);
	simgpu_debug_hold_queues(dev, false);
	drv_test_expect_filled(dev, b, 2, SZ);
	cr_assert_eq(simgpu_job_info(dev, b, &info), 0);
	cr_assert_neq(info.dep_value, 0);
	cr_assert_geq((int32_t)(info.dep_seen - info.dep_value), 0,
		      "dependency ran after its dependent");
	cr_assert_eq(simgpu_job_info(dev, a, &info), 0);
	cr_assert(info.done);
	/* A dependency on a job that does not exist is refused. */
	cr_assert_eq(drv_test_fill(dev, c1, 0, SZ, 999999, 0, &a), -ENOENT);
	cr_assert_eq(simgpu_remove(dev), 0);
}

/*
 * Run jobs until the driver has asked for a firmware cache flush in the
 * background (freed firmware-cached memory reached the threshold) and the
 * firmware did one; the device's stats then.
 */
static void run_until_flushed(struct simgpu_dev *dev, struct simgpu_stats *st)
{
	uint32_t ctx;
	uint64_t job;
	unsigned i;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &ctx), 0);
	for (i = 0; i < 4000; i++) {
		cr_assert_eq(drv_test_fill(dev, ctx, i, SZ, 0, 0, &job), 0);
		cr_assert_eq(simgpu_job_wait(dev, job, 10000), 0);
		cr_assert_eq(simgpu_job_release(dev, job), 0);
		simgpu_get_stats(dev, st);
		if (st->cache_flushes)
			break;
	}
	cr_assert_gt(st->cache_flushes, 0, "no cache flush in %u jobs", i);
}

static struct simgpu_dev *probe_gpusan(const char *options)
{
	struct simgpu_probe_args a = {.gen = "G11",
				      .fw = "V2_1",
				      .max_buffer_size = 4096,
				      .gpusan = true};
	struct simgpu_dev *dev = NULL;

	/* The ordinary way to arm an injection: GPUSAN_OPTIONS at attach. */
	cr_assert_eq(setenv("GPUSAN_OPTIONS", options, 1), 0);
	cr_assert_eq(simgpu_probe(&a, &dev), 0);
	unsetenv("GPUSAN_OPTIONS");
	return dev;
}

/*
 * A cache flush request the firmware refuses is asked again, said in the
 * log once, and returned by the next wait for idle, once.
 */
Test(lifecycle, failed_background_flush_is_retried_and_reported)
{
	struct simgpu_dev *dev = probe_gpusan(
		"fail_op=fw_msg:fail_nth=1:fail_site=drv_flush_if_needed");
	struct simgpu_stats st;

	run_until_flushed(dev, &st);
	cr_assert_eq(gpuown_fault_injected(GPUOWN_FAULT_FW_MSG), 1);
	cr_assert_eq(st.warnings, 1);
	cr_assert_eq(simgpu_wait_idle(dev, 10000), -EIO);
	cr_assert_eq(simgpu_wait_idle(dev, 10000), 0);
	cr_assert_eq(simgpu_remove(dev), 0);
	gpuown_fault_clear();
}

Test(lifecycle, background_flush_twin)
{
	struct simgpu_dev *dev = probe_gpusan("");
	struct simgpu_stats st;

	run_until_flushed(dev, &st);
	cr_assert_eq(st.warnings, 0);
	cr_assert_eq(simgpu_wait_idle(dev, 10000), 0);
	cr_assert_eq(simgpu_remove(dev), 0);
}
