// SPDX-License-Identifier: MIT
/* Thousands of seeded jobs per variant, every result checked. */
#include <string.h>

#include <simgpu/drv.h>

#include "drv_test.h"
#include "workload.h"

static void run_variant(const char *gen, const char *fw)
{
	struct wl_result r;
	struct wl_opts o;

	wl_opts_default(&o);
	o.jobs = 2000;
	o.contexts = 4;
	o.buffer_size = 1024;
	o.dep_permille = 300;
	o.seed = 42;
	cr_assert(wl_run(&o, gen, fw, &r), "%s: %s", r.variant, r.msg);
	cr_assert_eq(r.jobs, 2000);
	cr_assert_eq(r.verified, 2000);
	cr_assert_gt(r.deps, 0);
	cr_assert_eq(r.objects_alive, 0);
	cr_assert_eq(r.fault_events, 0);
	cr_assert_eq(r.warnings, 0);
}

Test(workload, G10_V1_0)
{
	run_variant("G10", "V1_0");
}
Test(workload, G11_V1_2)
{
	run_variant("G11", "V1_2");
}
Test(workload, G10_V2_1)
{
	run_variant("G10", "V2_1");
}
Test(workload, G11_V2_1)
{
	run_variant("G11", "V2_1");
}
Test(workload, G12_V3_0)
{
	run_variant("G12", "V3_0");
}

Test(workload, every_built_variant_has_a_test)
{
	cr_assert_eq(simgpu_variants()->nr_variants, 5,
		     "a variant was added: add its Test() above");
}

Test(workload, refused_variant_fails_the_run)
{
	struct wl_result r;
	struct wl_opts o;

	wl_opts_default(&o);
	cr_assert_not(wl_run(&o, "G12", "V1_0", &r));
	cr_assert(strstr(r.msg, "probe refused"), "%s", r.msg);
}

Test(workload, context_churn_cancels_only_queued_jobs)
{
	struct wl_result r;
	struct wl_opts o;

	wl_opts_default(&o);
	o.jobs = 600;
	o.buffer_size = 512;
	o.churn = 25;
	o.seed = 5;
	cr_assert(wl_run(&o, "G11", "V2_1", &r), "%s", r.msg);
	cr_assert_eq(r.verified + r.cancelled, 600);
	cr_assert_eq(r.objects_alive, 0);
}

/*
 * The driver's deliberate bug (SIMGPU_SUBMIT_BUG_FREE_CMDBUF_FIRST): the
 * object model refuses to free a command buffer the firmware-owned
 * descriptor still points at; the driver warns once and frees it after the
 * descriptor, so every job still verifies and nothing leaks. Its twin
 * without the flag is G11_V2_1 above. (gpusan's report of it is matched by
 * the kernel suite gpusan_simgpu.)
 */
Test(workload, bug_free_cmdbuf_first_is_refused_and_warned)
{
	struct wl_result r;
	struct wl_opts o;

	wl_opts_default(&o);
	o.jobs = 20;
	o.contexts = 2;
	o.buffer_size = 256;
	o.seed = 7;
	o.bug_flags = SIMGPU_SUBMIT_BUG_FREE_CMDBUF_FIRST;
	o.bug_job = 5;
	cr_assert_not(wl_run(&o, "G11", "V2_1", &r));
	cr_assert_eq(r.warnings, 1, "%s", r.msg);
	cr_assert_eq(r.verified, 20);
	cr_assert_eq(r.objects_alive, 0);
	cr_assert(strstr(r.msg, "1 warnings"), "%s", r.msg);
}
