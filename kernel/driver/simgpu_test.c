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
 * FIRST) in one job and matches gpusan's report of it. The fault cases run
 * the firmware's fault path (tests/driver/test_fault.c): a faulting job is
 * retired with an error, its context keeps working, and the one bad access
 * (if any) is gpusan's one report.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <gpusan/gpusan.h>
#include <simgpu/drv.h>
#include <simgpu/hw.h>

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

/* ---- the firmware fault path (tests/driver/test_fault.c) --------------- */

#define ST_SZ 512

static struct simgpu_dev *st_probe(struct kunit *test, const char *gen,
				   const char *fw)
{
	struct simgpu_probe_args a = {
		.gen = gen, .fw = fw, .max_buffer_size = 4096};
	struct simgpu_dev *dev = NULL;
	char err[128] = "";
	int ret;

	a.err = err;
	a.err_len = sizeof(err);
	ret = simgpu_probe(&a, &dev);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "probe %s_%s: %s", gen, fw, err);
	return dev;
}

/* A job that fills its output with @value and checksums it. */
static int st_fill(struct simgpu_dev *dev, u32 ctx, u32 value, u64 dep,
		   u32 flags, u64 *job)
{
	struct simgpu_cmd cmds[] = {
		{.op = SIMGPU_OP_FILL, .value = value, .len = ST_SZ},
		{.op = SIMGPU_OP_CHECKSUM, .len = ST_SZ},
	};
	struct simgpu_submit s = {
		.ctx = ctx,
		.output_size = ST_SZ,
		.cmds = cmds,
		.nr_cmds = ARRAY_SIZE(cmds),
		.dep = dep,
		.flags = flags,
	};

	return simgpu_submit(dev, &s, job);
}

static void st_expect_filled(struct kunit *test, struct simgpu_dev *dev,
			     u64 job, u32 value)
{
	u32 *buf = kunit_kzalloc(test, ST_SZ, GFP_KERNEL);
	struct simgpu_job_info info;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, simgpu_job_wait(dev, job, 10000), 0);
	KUNIT_ASSERT_EQ(test, simgpu_job_info(dev, job, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.done);
	KUNIT_EXPECT_EQ(test, info.status, 0);
	KUNIT_ASSERT_EQ(test, simgpu_job_read_output(dev, job, 0, buf, ST_SZ),
			0);
	for (i = 0; i < ST_SZ / 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], value, "word %u", i);
	KUNIT_EXPECT_EQ(test, info.checksum,
			simgpu_hw_checksum(SIMGPU_CHECKSUM_INIT, buf, ST_SZ));
}

/*
 * A job that faults on the firmware (@flags), retired with @status and the
 * GPU address; the next job of the same context runs clean. @cls is the one
 * gpusan report the faulting access makes (with @needle and the fault's
 * address in it), or NULL
 * when the fault involves no bad access (a descriptor the firmware refuses
 * to parse).
 */
static void st_fault_then_recover(struct kunit *test, const char *gen,
				  const char *fw, u32 flags, int status,
				  const char *cls, const char *needle)
{
	struct simgpu_dev *dev = st_probe(test, gen, fw);
	struct st_ctx *c = test->priv;
	struct simgpu_job_info info;
	struct simgpu_stats st;
	u64 bad, good;
	char at[48];
	u32 ctx;

	KUNIT_ASSERT_EQ(test, simgpu_ctx_create(dev, 0, &ctx), 0);
	KUNIT_ASSERT_EQ(test, st_fill(dev, ctx, 7, 0, flags, &bad), 0);
	KUNIT_ASSERT_EQ(test, simgpu_job_wait(dev, bad, 10000), 0);
	KUNIT_ASSERT_EQ(test, simgpu_job_info(dev, bad, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.done);
	KUNIT_EXPECT_EQ(test, info.status, status);
	KUNIT_EXPECT_NE_MSG(test, info.fault_addr, 0ull,
			    "fault without a GPU address");
	if (flags & SIMGPU_SUBMIT_UNMAPPED_OUTPUT)
		KUNIT_EXPECT_EQ(test, info.fault_addr, info.output_va);
	if (cls) {
		KUNIT_EXPECT_EQ_MSG(test, c->reports, 1u, "first report:\n%s",
				    c->text);
		KUNIT_EXPECT_STREQ(test, c->cls, cls);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(c->text, needle),
					  "no \"%s\" in:\n%s", needle, c->text);
		/* gpusan names the address the firmware's fault names. */
		snprintf(at, sizeof(at), "at gpu va 0x%llx\n",
			 (unsigned long long)info.fault_addr);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(c->text, at),
					  "no \"%s\" in:\n%s", at, c->text);
	}
	c->reports = 0;
	KUNIT_ASSERT_EQ(test, st_fill(dev, ctx, 9, bad, 0, &good), 0);
	st_expect_filled(test, dev, good, 9);
	simgpu_get_stats(dev, &st);
	KUNIT_EXPECT_EQ(test, st.fault_events, 1ull);
	KUNIT_EXPECT_EQ(test, st.jobs_faulted, 1ull);
	KUNIT_EXPECT_EQ(test, st.warnings, 0ull);
	KUNIT_EXPECT_EQ(test, simgpu_remove(dev), (size_t)0);
	KUNIT_EXPECT_EQ_MSG(test, c->reports, 0u,
			    "stray gpusan report after the fault:\n%s",
			    c->text);
	KUNIT_EXPECT_EQ_MSG(test, gpusan_kasan_report_count() - c->kasan_start,
			    0u, "stray KASAN report");
}

/*
 * The output VA is left unbound: the GPU's first write of the FILL faults.
 * gpusan sees that write (kmm checks every GPU access, also one that does
 * not translate) and reports it; the firmware raises the fault event with
 * the same address, and the driver retires the job with -EFAULT.
 */
static void simgpu_fault_unmapped_output(struct kunit *test)
{
	st_fault_then_recover(test, "G10", "V1_0",
			      SIMGPU_SUBMIT_UNMAPPED_OUTPUT, -EFAULT,
			      "wild-address", "Write of size 512 at gpu va");
}

static void simgpu_fault_unmapped_output_g12_v3_0(struct kunit *test)
{
	st_fault_then_recover(test, "G12", "V3_0",
			      SIMGPU_SUBMIT_UNMAPPED_OUTPUT, -EFAULT,
			      "wild-address", "Write of size 512 at gpu va");
}

/* A descriptor the firmware cannot parse: a fault, but no bad access. */
static void simgpu_fault_unparsable_descriptor(struct kunit *test)
{
	st_fault_then_recover(test, "G11", "V2_1", SIMGPU_SUBMIT_BAD_MAGIC,
			      -EINVAL, NULL, NULL);
}

static struct kunit_case st_cases[] = {
	KUNIT_CASE(simgpu_workload_g10_v1_0),
	KUNIT_CASE(simgpu_workload_g12_v3_0),
	KUNIT_CASE(simgpu_workload_bug_dangling_cmdbuf),
	KUNIT_CASE(simgpu_fault_unmapped_output),
	KUNIT_CASE(simgpu_fault_unmapped_output_g12_v3_0),
	KUNIT_CASE(simgpu_fault_unparsable_descriptor),
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
