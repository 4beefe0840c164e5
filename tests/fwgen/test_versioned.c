// SPDX-License-Identifier: MIT
/*
 * Versioned code: one function body (versioned_job.c) instantiated for every
 * variant, collected into an ops table indexed like the variant table, and
 * picked at run time by gpuown_variant_select().
 */
#include <string.h>

#include <criterion/criterion.h>

#include <gpuown_fw/sample.h>

struct job_ops {
	const char *variant;
	int index;
	unsigned int submit_msg;
	unsigned int job_slots;
	int (*fill_job)(void *buf, size_t len, uint64_t stamp);
	const char *(*check_desc)(void);
};

/* Declares every instance: job_ops__G10_V1_0, job_ops__G11_V1_2, ... */
#define JOB_OPS_NAME(gen, fw, idx) job_ops__##gen##_##fw
extern const struct job_ops sample_VARIANTS(JOB_OPS_NAME);

#define GPUOWN_VERSIONED_SOURCE "versioned_job.c"
#include <gpuown_fw/sample_instantiate.h>

#ifdef GPUOWN_VERSIONED_SOURCE
#error "the instantiate header must undefine GPUOWN_VERSIONED_SOURCE"
#endif
#ifdef FW_T
#error "the instantiate header must not leak FW_T"
#endif

#define JOB_OPS(gen, fw, idx) [idx] = &job_ops__##gen##_##fw
static const struct job_ops *const job_ops_table[FW_VARIANT_COUNT] = {
	sample_VARIANTS(JOB_OPS)};

static const struct job_ops *ops_for(const char *gen, const char *fw)
{
	const struct gpuown_variant_desc *v;
	char err[128];
	int ret = gpuown_variant_select(&sample_variant_table, gen, fw, &v, err,
					sizeof(err));

	cr_assert_eq(ret, 0, "%s", err);
	return job_ops_table[sample_variant_index(v)];
}

Test(versioned, one_instance_per_variant)
{
	for (int i = 0; i < FW_VARIANT_COUNT; i++) {
		const struct job_ops *ops = job_ops_table[i];

		cr_assert_not_null(ops);
		cr_assert_eq(ops->index, i);
		cr_assert_str_eq(ops->variant,
				 sample_variant_table.variants[i]->name);
		cr_assert_null(ops->check_desc(), "%s: %s", ops->variant,
			       ops->check_desc());
	}
}

Test(versioned, gated_statements_differ)
{
	uint8_t buf[0x100];
	const struct job_ops *old = ops_for("G10", "V1_0");
	const struct job_ops *mid = ops_for("G11", "V2_1");
	const struct job_ops *new = ops_for("G12", "V3_0");
	struct fw_job_desc__G11_V2_1 *j21 = (void *)buf;
	struct fw_job_desc__G10_V1_0 *j10 = (void *)buf;

	cr_assert_eq(old->fill_job(buf, sizeof(buf), 7), 0x70);
	cr_assert_eq(j10->flags_4, 2); /* FW_MSG_SUBMIT before V2_0 */
	cr_assert_eq(j10->stamp_value_18, 7);
	cr_assert_eq(j10->counts_20[0x13], 0x13);
	/* Offset 0x18 holds the stamp in V1_0; nothing else wrote it. */
	cr_assert_eq(*(uint64_t *)(buf + 0x18), 7);

	cr_assert_eq(mid->fill_job(buf, sizeof(buf), 9), 0x88);
	cr_assert_eq(j21->flags_4, 3);	/* renumbered by FW_MSG_FLUSH */
	cr_assert_eq(j21->unk_18_0, 2); /* the gated statement ran */
	cr_assert_eq(j21->stamp_value_18, 9);
	cr_assert_eq(*(uint64_t *)(buf + 0x20), 9);
	cr_assert_eq(j21->counts_20[0x17], 0x17);

	cr_assert_eq(new->fill_job(buf, sizeof(buf), 1), 0x90);
	cr_assert_eq(old->job_slots, 0x14);
	cr_assert_eq(mid->job_slots, 0x18);
	cr_assert_eq(new->job_slots, 0x19);
	cr_assert_eq(new->fill_job(buf, 0x10, 1), -1);
}
