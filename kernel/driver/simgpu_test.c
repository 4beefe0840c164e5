// SPDX-License-Identifier: MIT
/*
 * The reference driver's workload in the kernel, under gpusan (KUnit suite
 * gpusan_simgpu).
 *
 * The driver (driver/), its simulated firmware on a kthread and the seeded
 * workload (driver/workload/workload.c) are compiled here from the same
 * sources as in user space (src/), over the kernel's memory system (kmm.c)
 * and a compatibility layer (compat/). The clean cases run the workload on
 * two firmware variants and fail on any gpusan or KASAN report; the buggy
 * case turns on the driver's deliberate bug (SIMGPU_SUBMIT_BUG_FREE_CMDBUF_
 * FIRST) in one job and matches gpusan's report of it.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <gpusan/gpusan.h>
#include <simgpu/drv.h>

#include "../../driver/workload/workload.h"

#define ST_TEXT 12288

struct st_ctx {
	unsigned int reports;
	unsigned int kasan_start;
	char cls[48];
	char *text; /* the first report */
	bool multi_shot;
};

static void st_hook(const struct gpusan_kreport *r, void *arg)
{
	struct st_ctx *c = arg;

	if (!c->reports++) {
		strscpy(c->cls, r->class_name, sizeof(c->cls));
		strscpy(c->text, r->text, ST_TEXT);
	}
}

static int st_init(struct kunit *test)
{
	struct st_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->text = kunit_kzalloc(test, ST_TEXT, GFP_KERNEL);
	if (!c->text)
		return -ENOMEM;
	c->kasan_start = gpusan_kasan_report_count();
	c->multi_shot = gpusan_set_multi_shot(true);
	test->priv = c;
	gpusan_set_report_hook(st_hook, c);
	return 0;
}

static void st_exit(struct kunit *test)
{
	struct st_ctx *c = test->priv;

	gpusan_set_report_hook(NULL, NULL);
	gpusan_set_multi_shot(c->multi_shot);
}

/* A small seeded workload: every job verified, a context churned. */
static void st_opts(struct wl_opts *o)
{
	wl_opts_default(o);
	o->seed = 7;
	o->contexts = 2;
	o->jobs = 120;
	o->buffer_size = 512;
	o->churn = 50;
}

/* The result on the heap: the workload runs deep under KASAN. */
static struct wl_result *st_result(struct kunit *test)
{
	struct wl_result *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

static void st_clean(struct kunit *test, const char *gen, const char *fw)
{
	struct wl_result *r = st_result(test);
	struct st_ctx *c = test->priv;
	struct wl_opts o;
	bool ok;

	st_opts(&o);
	ok = wl_run(&o, gen, fw, r);
	KUNIT_EXPECT_TRUE_MSG(test, ok, "%s: %s", r->variant, r->msg);
	KUNIT_EXPECT_EQ(test, r->jobs, (u64)o.jobs);
	KUNIT_EXPECT_EQ(test, r->verified + r->cancelled, r->jobs);
	KUNIT_EXPECT_GT(test, r->fw_accesses, 0ull);
	KUNIT_EXPECT_EQ(test, r->objects_alive, (size_t)0);
	KUNIT_EXPECT_EQ(test, r->warnings, 0ull);
	KUNIT_EXPECT_EQ_MSG(test, c->reports, 0u, "stray gpusan report:\n%s",
			    c->text);
	KUNIT_EXPECT_EQ_MSG(test, gpusan_kasan_report_count() - c->kasan_start,
			    0u, "stray KASAN report");
}

static void simgpu_workload_g10_v1_0(struct kunit *test)
{
	st_clean(test, "G10", "V1_0");
}

static void simgpu_workload_g12_v3_0(struct kunit *test)
{
	st_clean(test, "G12", "V3_0");
}

/*
 * Job 5 retires with the deliberate bug: its command buffer is freed while
 * the firmware-owned descriptor still holds its GPU address. gpusan reports
 * dangling-gpu-pointer naming both; the object model refuses the free, the
 * driver warns once and frees it after the descriptor, so nothing else goes
 * wrong (no other report, no KASAN report, nothing leaked).
 */
static void simgpu_workload_bug_dangling_cmdbuf(struct kunit *test)
{
	static const char *const needles[] = {
		"BUG: GPUSAN: dangling-gpu-pointer",
		"fw_cmdbuf",
		"fw_job_desc",
		"firmware-owned",
	};
	struct wl_result *r = st_result(test);
	struct st_ctx *c = test->priv;
	struct wl_opts o;
	unsigned int i;
	bool ok;

	st_opts(&o);
	o.jobs = 20;
	o.churn = 0;
	o.bug_flags = SIMGPU_SUBMIT_BUG_FREE_CMDBUF_FIRST;
	o.bug_job = 5;
	ok = wl_run(&o, "G11", "V2_1", r);
	KUNIT_EXPECT_FALSE(test, ok);
	KUNIT_EXPECT_EQ(test, r->warnings, 1ull);
	KUNIT_EXPECT_EQ(test, r->verified, r->jobs);
	KUNIT_EXPECT_EQ(test, r->objects_alive, (size_t)0);
	KUNIT_ASSERT_EQ_MSG(test, c->reports, 1u, "first report:\n%s", c->text);
	KUNIT_EXPECT_STREQ(test, c->cls, "dangling-gpu-pointer");
	for (i = 0; i < ARRAY_SIZE(needles); i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(c->text, needles[i]),
					  "no \"%s\" in:\n%s", needles[i],
					  c->text);
	KUNIT_EXPECT_EQ_MSG(test, gpusan_kasan_report_count() - c->kasan_start,
			    0u, "stray KASAN report");
}

static struct kunit_case st_cases[] = {
	KUNIT_CASE(simgpu_workload_g10_v1_0),
	KUNIT_CASE(simgpu_workload_g12_v3_0),
	KUNIT_CASE(simgpu_workload_bug_dangling_cmdbuf),
	{}};

static struct kunit_suite st_suite = {
	.name = "gpusan_simgpu",
	.init = st_init,
	.exit = st_exit,
	.test_cases = st_cases,
};

kunit_test_suites(&st_suite);

MODULE_DESCRIPTION("The reference driver's workload under gpusan (KUnit)");
MODULE_LICENSE("Dual MIT/GPL");
