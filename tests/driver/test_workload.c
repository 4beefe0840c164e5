// SPDX-License-Identifier: MIT
/* Thousands of seeded jobs per variant, every result checked. */
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
	o.dep_density = 0.3;
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
