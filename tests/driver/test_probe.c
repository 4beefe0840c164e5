// SPDX-License-Identifier: MIT
/* Probe: every built variant boots and tears down clean; others are refused. */
#include <errno.h>

#include <simgpu/hw.h>

#include "drv_test.h"

Test(probe, every_supported_variant_boots_and_tears_down_clean)
{
	const struct gpuown_variant_table *t = simgpu_variants();
	uint32_t i;

	cr_assert_geq(t->nr_variants, 5);
	for (i = 0; i < t->nr_variants; i++) {
		const struct gpuown_variant_desc *v = t->variants[i];
		struct simgpu_dev *dev =
			drv_test_probe(v->gen_name, v->fw_name);
		struct simgpu_stats st;

		cr_assert_str_eq(simgpu_variant_name(dev), v->name);
		simgpu_get_stats(dev, &st);
		cr_assert_eq(st.warnings, 0);
		cr_assert_geq(st.fw_accesses, 1,
			      "firmware never touched memory");
		cr_assert_eq(simgpu_remove(dev), 0, "%s left objects", v->name);
	}
}

Test(probe, unsupported_pair_is_refused_with_a_message)
{
	struct simgpu_probe_args a = {.gen = "G12", .fw = "V1_0"};
	struct simgpu_dev *dev = NULL;
	char err[256] = "";

	a.err = err;
	a.err_len = sizeof(err);
	cr_assert_eq(simgpu_probe(&a, &dev), -ENOENT);
	cr_assert_null(dev);
	cr_assert(strstr(err, "G12") && strstr(err, "V1_0"),
		  "message does not name the pair: '%s'", err);
}

Test(probe, unknown_names_are_refused)
{
	struct simgpu_probe_args a = {.gen = "G99", .fw = "V1_0"};
	struct simgpu_dev *dev = NULL;

	cr_assert_eq(simgpu_probe(&a, &dev), -EINVAL);
	a.gen = "G10";
	a.fw = "V9_9";
	cr_assert_eq(simgpu_probe(&a, &dev), -EINVAL);
	cr_assert_null(dev);
}

Test(probe, supported_ops_follow_the_generation)
{
	struct simgpu_dev *g10 = drv_test_probe("G10", "V2_1");
	struct simgpu_dev *g11 = drv_test_probe("G11", "V2_1");
	struct simgpu_cmd xor = {.op = SIMGPU_OP_XOR, .len = 16};
	struct simgpu_submit s = {
		.output_size = 16, .cmds = &xor, .nr_cmds = 1};
	uint32_t ctx;
	uint64_t job;

	cr_assert_not(simgpu_supports_op(g10, SIMGPU_OP_XOR));
	cr_assert(simgpu_supports_op(g11, SIMGPU_OP_XOR));
	cr_assert_eq(simgpu_ctx_create(g10, 0, &ctx), 0);
	s.ctx = ctx;
	cr_assert_eq(simgpu_submit(g10, &s, &job), -EOPNOTSUPP);
	cr_assert_eq(simgpu_remove(g10), 0);
	cr_assert_eq(simgpu_remove(g11), 0);
}
