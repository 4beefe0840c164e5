// SPDX-License-Identifier: MIT
/*
 * KUnit suites of gpusan in the kernel. They mirror the user-space Criterion
 * suites of the object model and gpusan (tests/runtime, tests/gpusan): every
 * violation class has a positive case whose report text is captured and
 * matched, and a clean twin. Any report a case did not expect, gpusan's own
 * or KASAN's, fails the case (the check runs in the suite's exit).
 */
#include <linux/kasan.h>
#include <linux/slab.h>

#include "gpusan_test.h"

/* ---- layouts, as fwgen would emit them -------------------------------- */

static const struct gpuown_field_desc gt_job_fields[] = {
	{.name = "status",
	 .offset = 0,
	 .size = 4,
	 .count = 1,
	 .kind = GPUOWN_FIELD_SCALAR,
	 .flags = GPUOWN_FIELD_FW_WRITES},
	{.name = "count",
	 .offset = 4,
	 .size = 4,
	 .count = 1,
	 .kind = GPUOWN_FIELD_SCALAR},
	{.name = "buffer",
	 .offset = 8,
	 .size = 8,
	 .count = 1,
	 .kind = GPUOWN_FIELD_GPU_PTR,
	 .target = "gt_buf"},
	{.name = "context",
	 .offset = 16,
	 .size = 8,
	 .count = 1,
	 .kind = GPUOWN_FIELD_FW_PTR,
	 .target = "gt_buf"},
	{.name = "pad",
	 .offset = 24,
	 .size = 40,
	 .count = 40,
	 .kind = GPUOWN_FIELD_PADDING},
};

const struct gpuown_struct_desc gt_job = {
	.name = "gt_job",
	.variant = "T1",
	.size = 64,
	.footprint = 64,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = gt_job_fields,
	.nr_fields = ARRAY_SIZE(gt_job_fields),
};

static const struct gpuown_field_desc gt_buf_fields[] = {
	{.name = "data",
	 .offset = 0,
	 .size = 64,
	 .count = 16,
	 .kind = GPUOWN_FIELD_ARRAY},
};

const struct gpuown_struct_desc gt_buf = {
	.name = "gt_buf",
	.variant = "T1",
	.size = 64,
	.footprint = 64,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = gt_buf_fields,
	.nr_fields = ARRAY_SIZE(gt_buf_fields),
};

static const struct gpuown_field_desc gt_ring_fields[] = {
	{.name = "head",
	 .offset = 0,
	 .size = 4,
	 .count = 1,
	 .kind = GPUOWN_FIELD_SCALAR,
	 .flags = GPUOWN_FIELD_SHARED_WORD | GPUOWN_FIELD_FW_WRITES},
	{.name = "tail",
	 .offset = 4,
	 .size = 4,
	 .count = 1,
	 .kind = GPUOWN_FIELD_SCALAR,
	 .flags = GPUOWN_FIELD_SHARED_WORD},
	{.name = "config",
	 .offset = 8,
	 .size = 8,
	 .count = 1,
	 .kind = GPUOWN_FIELD_SCALAR},
};

const struct gpuown_struct_desc gt_ring = {
	.name = "gt_ring",
	.variant = "T1",
	.size = 16,
	.footprint = 16,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = gt_ring_fields,
	.nr_fields = ARRAY_SIZE(gt_ring_fields),
};

/* The firmware reads 16 bytes past this struct's 48 (a larger fw version). */
const struct gpuown_struct_desc gt_fp = {
	.name = "gt_fp",
	.variant = "T1",
	.size = 48,
	.footprint = 64,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = gt_buf_fields,
	.nr_fields = 0,
};

/* ---- per-case context: reports seen and expected ---------------------- */

static u64 gt_va_base = 0x0000001000000000ull;

static void gt_hook(const struct gpusan_kreport *r, void *arg)
{
	struct gt_ctx *c = arg;

	c->reports++;
	if (r->kasan)
		c->kasan_explained = true;
	strscpy(c->cls, r->class_name, sizeof(c->cls));
	strscpy(c->text, r->text, GT_TEXT);
}

int gt_init(struct kunit *test)
{
	struct gt_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->text = kunit_kzalloc(test, GT_TEXT, GFP_KERNEL);
	if (!c->text)
		return -ENOMEM;
	/* Every case gets its own 1 MiB of GPU VA (and firmware addresses). */
	c->next_va = gt_va_base;
	gt_va_base += 0x100000;
	c->kasan_start = gpusan_kasan_report_count();
	c->multi_shot = gpusan_set_multi_shot(true);
	test->priv = c;
	gpusan_set_report_hook(gt_hook, c);
	return 0;
}

void gt_exit(struct kunit *test)
{
	struct gt_ctx *c = test->priv;

	gpusan_set_report_hook(NULL, NULL);
	gpusan_quarantine_drain();
	gpusan_set_multi_shot(c->multi_shot);
	KUNIT_EXPECT_EQ_MSG(test, c->reports, c->expected,
			    "stray gpusan report (last: %s)", c->text);
	KUNIT_EXPECT_EQ_MSG(test, gpusan_kasan_report_count() - c->kasan_start,
			    c->kasan_expected, "stray KASAN report");
}

void gt_expect(struct kunit *test, unsigned int before, const char *cls,
	       const char *const *needles)
{
	struct gt_ctx *c = gt(test);
	char head[80];

	c->expected++;
	KUNIT_ASSERT_EQ_MSG(test, c->reports, before + 1,
			    "expected one %s report", cls);
	KUNIT_EXPECT_STREQ(test, c->cls, cls);
	snprintf(head, sizeof(head), "BUG: GPUSAN: %s", cls);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(c->text, head),
				  "no \"%s\" in:\n%s", head, c->text);
	for (; needles && *needles; needles++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(c->text, *needles),
					  "no \"%s\" in:\n%s", *needles,
					  c->text);
}

struct gt_obj gt_new(struct kunit *test,
		     const struct gpuown_struct_desc *layout, size_t size,
		     u32 fw_dir, u32 flags, struct gpusan_vm *vm)
{
	struct gt_ctx *c = gt(test);
	struct gpusan_obj_desc d = {
		.layout = layout,
		.size = size,
		.fw_dir = fw_dir,
		.flags = flags,
		.vm = vm,
		.redzone = 64,
	};
	struct gt_obj o = {};

	o.va = c->next_va + 0x100;
	c->next_va += 0x1000;
	o.fa = vm ? 0 : GT_FW_BASE + (o.va & 0xffffffffffull);
	if (!(flags & GPUSAN_OBJ_GPU_ONLY)) {
		o.cpu = kunit_kzalloc(test, size ? size : layout->size,
				      GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o.cpu);
	}
	d.cpu = o.cpu;
	d.gpu_va = o.va;
	d.fw_addr = o.fa;
	o.san = gpusan_obj_create(&d);
	KUNIT_ASSERT_NOT_NULL(test, o.san);
	return o;
}

/* ---- suite: object model (tests/runtime) ------------------------------ */

static void free_once(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san), "quarantined");
}

static void double_free(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EINVAL);
	gt_expect(test, n, "double-free",
		  GT_NEEDLES("Free of object gt_buf",
			     "[op=free state=quarantined", "Freed by thread",
			     "Ownership history (last 3 of 3 operations)",
			     "REFUSED double-free (-22)"));
}

static void invalid_free(struct kunit *test)
{
	/* A pointer that was never a handle: named, never dereferenced. */
	struct gpusan_obj *wild = kunit_kzalloc(test, 64, GFP_KERNEL);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(wild), -EINVAL);
	gt_expect(test, n, "invalid-free",
		  GT_NEEDLES("which is not a gpuown object",
			     "[op=free state=cpu-owned holders=0 err=-22]"));
}

static void free_after_reclaim(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void free_while_fw_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EBUSY);
	gt_expect(test, n, "free-while-firmware-owned",
		  GT_NEEDLES("The object: gt_job (variant T1)",
			     "[state=firmware-owned holders=1 fw_dir=rw "
			     "cpu-view=poisoned]",
			     "Last transition (publish) by thread"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void free_detached(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static void free_while_shared(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), -EBUSY);
	gt_expect(test, n, "free-while-shared",
		  GT_NEEDLES("[op=free state=shared holders=0 err=-16]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static void publish_again_after_reclaim(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void publish_twice(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), -EALREADY);
	gt_expect(test, n, "publish-twice",
		  GT_NEEDLES("Publish of object gt_job", "err=-114]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void publish_after_free(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), -EINVAL);
	gt_expect(test, n, "publish-after-free",
		  GT_NEEDLES("Publish of object gt_job", "Freed by thread"));
}

static void publish_with_published_pointer(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_store_ptr(job.san, 8, buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(buf.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 8), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(buf.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static void publish_unpublished_pointer(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_store_ptr(job.san, 8, buf.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(job.san, NULL), -EPERM);
	gt_expect(test, n, "publish-unpublished-pointer",
		  GT_NEEDLES("field buffer (gpu_ptr(gt_buf), offset 0x8)",
			     "The pointed-to object: gt_buf"));
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 8), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static void publish_dangling_pointer(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_store_fw_ptr(job.san, 16, buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(job.san, NULL), -ENOLINK);
	gt_expect(test, n, "publish-dangling-pointer",
		  GT_NEEDLES("field context (fw_ptr(gt_buf), offset 0x10)",
			     "holds the fw addr of gt_buf id",
			     "[quarantined]"));
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 16), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static void reclaim_after_signal(struct kunit *test)
{
	struct gpusan_fence f = {.context = 0x7001, .seqno = 5};
	struct gt_obj a = gt_job_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, &f), 0);
	gpusan_fence_signal(f.context, 5);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, &f), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void reclaim_before_completion(struct kunit *test)
{
	struct gpusan_fence f = {.context = 0x7002, .seqno = 9};
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, &f), 0);
	gpusan_fence_signal(f.context, 8);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, &f), -EAGAIN);
	gt_expect(
		test, n, "reclaim-before-completion",
		GT_NEEDLES(
			"Reclaim of object gt_job",
			"[op=reclaim state=firmware-owned holders=1 err=-11]"));
	gpusan_fence_signal(f.context, 9);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, &f), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void reclaim_not_published(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), -EPERM);
	gt_expect(test, n, "reclaim-not-published",
		  GT_NEEDLES("[op=reclaim state=cpu-owned holders=0 err=-1]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void fw_get_two_holders(struct kunit *test)
{
	struct gpusan_fence f1 = {.context = 0x7003, .seqno = 1};
	struct gpusan_fence f2 = {.context = 0x7003, .seqno = 2};
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, &f1), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_fw_get(a.san, &f2), 0);
	gpusan_fence_signal(0x7003, 2);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, &f1), 0);
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san),
			   "firmware-owned");
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, &f2), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void detach_shared(struct kunit *test)
{
	free_detached(test);
}

static void illegal_transition(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(a.san), -EPERM);
	gt_expect(test, n, "illegal-transition",
		  GT_NEEDLES("Detach of object gt_job",
			     "[op=detach state=cpu-owned"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void free_target_after_clear(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(buf.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_store_ptr(job.san, 8, buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 8), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(buf.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static void dangling_gpu_pointer(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(buf.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_store_ptr(job.san, 8, buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(buf.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), -EBUSY);
	gt_expect(test, n, "dangling-gpu-pointer",
		  GT_NEEDLES("Still pointed at by gt_job (variant T1) id",
			     "[firmware-owned] field buffer "
			     "(gpu_ptr(gt_buf), offset 0x8)",
			     "The pointing object: gt_job"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(job.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 8), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static void store_matching_pointer(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_store_ptr(job.san, 8, buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_store_fw_ptr(job.san, 16, buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 8), 0);
	KUNIT_EXPECT_EQ(test, gpusan_clear_ptr(job.san, 16), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static void pointer_type_mismatch(struct kunit *test)
{
	struct gt_obj job = gt_job_obj(test), buf = gt_buf_obj(test);
	unsigned int n = gt(test)->reports;

	/* A GPU VA stored into the scalar "count". */
	KUNIT_EXPECT_EQ(test, gpusan_store_ptr(job.san, 4, buf.san), -EINVAL);
	gt_expect(test, n, "pointer-type-mismatch",
		  GT_NEEDLES("Pointer store of object gt_job",
			     "field count (u32, offset 0x4)",
			     "holds the gpu va of gt_buf"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(buf.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(job.san), 0);
}

static const char gt_lc_spec[] = "created -> live, live -> destroy_requested, "
				 "destroy_requested -> destroyed";

static void lifecycle_legal(struct kunit *test)
{
	struct gpusan_lc lc;

	KUNIT_ASSERT_EQ(test, gpusan_lc_init(&lc, "context", gt_lc_spec, test),
			0);
	KUNIT_EXPECT_STREQ(test, lc.state, "created");
	KUNIT_EXPECT_EQ(test, gpusan_lc_transition(&lc, "live"), 0);
	KUNIT_EXPECT_EQ(test, gpusan_lc_require(&lc, "live"), 0);
	KUNIT_EXPECT_EQ(test, gpusan_lc_transition(&lc, "destroy_requested"),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_lc_transition(&lc, "destroyed"), 0);
}

static void lifecycle_illegal(struct kunit *test)
{
	struct gpusan_lc lc;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, gpusan_lc_init(&lc, "context", gt_lc_spec, test),
			0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_lc_transition(&lc, "destroyed"), -EPERM);
	gt_expect(test, n, "illegal-lifecycle-transition",
		  GT_NEEDLES("Illegal transition of lifecycle context",
			     "'created' -> 'destroyed' is not declared"));
	KUNIT_EXPECT_STREQ(test, lc.state, "created");
}

static void lifecycle_not_permitted(struct kunit *test)
{
	struct gpusan_lc lc;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, gpusan_lc_init(&lc, "context", gt_lc_spec, test),
			0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_lc_require(&lc, "live"), -EPERM);
	gt_expect(test, n, "lifecycle-not-permitted",
		  GT_NEEDLES(
			  "requires state 'live', the object is in 'created'"));
}

static struct kunit_case gt_model_cases[] = {
	KUNIT_CASE(free_once),
	KUNIT_CASE(double_free),
	KUNIT_CASE(invalid_free),
	KUNIT_CASE(free_after_reclaim),
	KUNIT_CASE(free_while_fw_owned),
	KUNIT_CASE(free_detached),
	KUNIT_CASE(free_while_shared),
	KUNIT_CASE(publish_again_after_reclaim),
	KUNIT_CASE(publish_twice),
	KUNIT_CASE(publish_after_free),
	KUNIT_CASE(publish_with_published_pointer),
	KUNIT_CASE(publish_unpublished_pointer),
	KUNIT_CASE(publish_dangling_pointer),
	KUNIT_CASE(reclaim_after_signal),
	KUNIT_CASE(reclaim_before_completion),
	KUNIT_CASE(reclaim_not_published),
	KUNIT_CASE(fw_get_two_holders),
	KUNIT_CASE(detach_shared),
	KUNIT_CASE(illegal_transition),
	KUNIT_CASE(free_target_after_clear),
	KUNIT_CASE(dangling_gpu_pointer),
	KUNIT_CASE(store_matching_pointer),
	KUNIT_CASE(pointer_type_mismatch),
	KUNIT_CASE(lifecycle_legal),
	KUNIT_CASE(lifecycle_illegal),
	KUNIT_CASE(lifecycle_not_permitted),
	{}};

static struct kunit_suite gt_model_suite = {
	.name = "gpusan_model",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_model_cases,
};

/* ---- suite: shadow and accesses (tests/gpusan) ----------------------- */

static void shadow_encoding(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 40, GPUSAN_DIR_RW, 0, NULL);

	/* 40 bytes: two whole granules and one of 8, redzones around. */
	KUNIT_EXPECT_EQ(test,
			gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, NULL, a.va),
			0x20);
	KUNIT_EXPECT_EQ(
		test, gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, NULL, a.va + 32),
		0x28);
	KUNIT_EXPECT_EQ(
		test, gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, NULL, a.va - 16),
		0x10);
	KUNIT_EXPECT_EQ(test,
			gpusan_shadow_peek(GPUSAN_SPACE_FW, NULL, a.fa + 16),
			0x20);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_shadow_peek(GPUSAN_SPACE_FW, NULL, a.fa),
			0x50);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, NULL, a.va),
			0x90);
	gpusan_quarantine_drain();
	KUNIT_EXPECT_EQ(test,
			gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, NULL, a.va),
			0x00);
	KUNIT_EXPECT_EQ(
		test, gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, NULL, a.va - 16),
		0x00);
}

static void fw_access_published(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa, 64, true),
			0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA,
				      NULL, a.va, 8, false),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void fw_access_cpu_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 4, 4, false),
			-EACCES);
	gt_expect(test, n, "firmware-access-while-cpu-owned",
		  GT_NEEDLES("Read of size 4 at fw addr", "by firmware",
			     "[granule=20 cpu-owned]",
			     "located 4 bytes inside of the 64-byte region",
			     "in field count (u32, offset 0x4)",
			     "Memory state around the buggy address (gpu va"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void gpu_access_cpu_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA,
				      NULL, a.va, 4, true),
			-EACCES);
	gt_expect(test, n, "gpu-access-while-cpu-owned",
		  GT_NEEDLES("Write of size 4 at gpu va", "by GPU"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void fw_read_readonly(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa, 16, false),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void write_against_direction(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 16, 4, true),
			-EACCES);
	gt_expect(test, n, "write-against-direction",
		  GT_NEEDLES("Write of size 4 at fw addr",
			     "[granule=30 firmware-owned (firmware reads)]",
			     "in field data"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void fw_access_before_free(struct kunit *test)
{
	fw_read_readonly(test);
}

static void use_after_free(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa, 4, false),
			-EACCES);
	gt_expect(test, n, "use-after-free",
		  GT_NEEDLES("[granule=90 freed (quarantined)]",
			     "The buggy address belongs to the object gt_buf",
			     "Freed by thread", ">0x"));
}

static void access_inside(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 40, GPUSAN_DIR_RW, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 32, 8, false),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void out_of_bounds(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 40, GPUSAN_DIR_RW, 0, NULL);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	/* Bytes 40..43: the partial granule's tail. */
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 36, 8, false),
			-EACCES);
	gt_expect(
		test, n, "out-of-bounds",
		GT_NEEDLES(
			"Read of size 8 at fw addr",
			"located 0 bytes to the right of the 40-byte region"));
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA,
				      NULL, a.va - 8, 4, false),
			-EACCES);
	gt_expect(test, n, "out-of-bounds",
		  GT_NEEDLES(
			  "[granule=10 redzone]",
			  "located 8 bytes to the left of the 40-byte region"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void footprint_inside(struct kunit *test)
{
	struct gt_obj a = gt_new(test, &gt_fp, 0, 0, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 48, 16, false),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void beyond_footprint(struct kunit *test)
{
	struct gt_obj a = gt_new(test, &gt_fp, 0, 0, 0, NULL);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 64, 4, false),
			-EACCES);
	gt_expect(
		test, n, "beyond-footprint",
		GT_NEEDLES("firmware footprint 64",
			   "located 0 bytes to the right of the 64-byte region "
			   "(beyond the declared firmware footprint)"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void wild_address(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 0x800, 4, false),
			-EACCES);
	gt_expect(test, n, "wild-address",
		  GT_NEEDLES(
			  "[granule=00 unmapped]",
			  "The buggy address belongs to no object; the nearest "
			  "is:"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void bound_access(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt vm");
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, gpusan_vm_map(vm, 0x400000, 0x4000, a.san, false),
			0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm,
				      0x401000, 64, true),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, 0x400000, 0x4000), 0);
	gpusan_vm_invalidate(vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_shadow_peek(GPUSAN_SPACE_GPU_VA, vm, 0x401000), 0);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void use_after_unbind(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt vm");
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, gpusan_vm_map(vm, 0x400000, 0x4000, a.san, true),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, 0x400000, 0x4000), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm,
				      0x400010, 4, false),
			-EACCES);
	gt_expect(test, n, "use-after-unbind",
		  GT_NEEDLES("Read of size 4 at gpu va 0x400010",
			     "[granule=d0 unbound (TLB not yet invalidated)]"));
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

/* Checked CPU accessors: what a driver uses for ioremap'd memory. */

static void cpu_access_cpu_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 64, true), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_write_fw_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 4, 4, true), -EACCES);
	gt_expect(test, n, "cpu-write-while-firmware-owned",
		  GT_NEEDLES("CPU access of object gt_job id",
			     "[op=cpu_access state=firmware-owned holders=1 "
			     "err=-1]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_read_fw_reads(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 16, false), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_read_against_direction(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), -EACCES);
	gt_expect(test, n, "cpu-read-against-direction",
		  GT_NEEDLES("CPU access of object gt_job id",
			     "[op=cpu_access state=firmware-owned"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void gpu_only_gpu_access(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 256, GPUSAN_DIR_RW,
				 GPUSAN_OBJ_GPU_ONLY, NULL);

	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA,
				      NULL, a.va, 256, true),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_access_gpu_only(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 256, GPUSAN_DIR_RW,
				 GPUSAN_OBJ_GPU_ONLY, NULL);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), -EACCES);
	gt_expect(test, n, "cpu-access-gpu-only",
		  GT_NEEDLES("[state=gpu-only holders=0 fw_dir=rw]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_access_shared_declared(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(r.san, 4, 4, true), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static void cpu_access_shared_undeclared(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(r.san, 8, 8, false), -EACCES);
	gt_expect(test, n, "cpu-access-shared-undeclared",
		  GT_NEEDLES("CPU access of object gt_ring id",
			     "The object: gt_ring"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static struct kunit_case gt_shadow_cases[] = {
	KUNIT_CASE(shadow_encoding),
	KUNIT_CASE(fw_access_published),
	KUNIT_CASE(fw_access_cpu_owned),
	KUNIT_CASE(gpu_access_cpu_owned),
	KUNIT_CASE(fw_read_readonly),
	KUNIT_CASE(write_against_direction),
	KUNIT_CASE(fw_access_before_free),
	KUNIT_CASE(use_after_free),
	KUNIT_CASE(access_inside),
	KUNIT_CASE(out_of_bounds),
	KUNIT_CASE(footprint_inside),
	KUNIT_CASE(beyond_footprint),
	KUNIT_CASE(wild_address),
	KUNIT_CASE(bound_access),
	KUNIT_CASE(use_after_unbind),
	KUNIT_CASE(cpu_access_cpu_owned),
	KUNIT_CASE(cpu_write_fw_owned),
	KUNIT_CASE(cpu_read_fw_reads),
	KUNIT_CASE(cpu_read_against_direction),
	KUNIT_CASE(gpu_only_gpu_access),
	KUNIT_CASE(cpu_access_gpu_only),
	KUNIT_CASE(cpu_access_shared_declared),
	KUNIT_CASE(cpu_access_shared_undeclared),
	{}};

static struct kunit_suite gt_shadow_suite = {
	.name = "gpusan_shadow",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_shadow_cases,
};

/* ---- suite: KASAN traps on plain CPU accesses ------------------------ */

/* A plain, instrumented CPU store: KASAN checks it. */
static noinline void gt_plain_write(void *p, u32 v)
{
	WRITE_ONCE(*(u32 *)p, v);
}

static noinline u32 gt_plain_read(const void *p)
{
	return READ_ONCE(*(const u32 *)p);
}

static void kasan_cpu_write_after_reclaim(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	gt_plain_write((u8 *)a.cpu + 4, 1);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void kasan_cpu_write_fw_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	struct gt_ctx *c = gt(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = c->reports;
	gt_plain_write((u8 *)a.cpu + 4, 1);
	c->kasan_expected++;
	KUNIT_EXPECT_TRUE(test, c->kasan_explained);
	gt_expect(test, n, "cpu-access-while-not-cpu-owned",
		  GT_NEEDLES("The access the sanitizer reported above is a "
			     "plain CPU access at cpu",
			     "outside the framework's accessors, while the "
			     "CPU does not own the object",
			     "The object: gt_job",
			     "[state=firmware-owned holders=1 fw_dir=rw "
			     "cpu-view=poisoned]",
			     "located 4 bytes inside of the 64-byte region",
			     "in field count (u32, offset 0x4)",
			     "Last transition (publish) by thread"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void kasan_cpu_read_fw_reads(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);

	/* The firmware only reads it: the CPU may read, so not poisoned. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gt_plain_read(a.cpu), 0u);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void kasan_use_after_free_kept(struct kunit *test)
{
	struct gt_obj a =
		gt_new(test, &gt_buf, 0, 0, GPUSAN_OBJ_CPU_KEEP, NULL);
	struct gt_ctx *c = gt(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	n = c->reports;
	KUNIT_EXPECT_EQ(test, gt_plain_read((u8 *)a.cpu + 32), 0u);
	c->kasan_expected++;
	gt_expect(test, n, "use-after-free",
		  GT_NEEDLES("The access the sanitizer reported above",
			     "[state=freed (quarantined) holders=0 fw_dir=read "
			     "cpu-view=poisoned]",
			     "Freed by thread"));
}

static void kasan_free_kept_then_released(struct kunit *test)
{
	struct gt_obj a =
		gt_new(test, &gt_buf, 0, 0, GPUSAN_OBJ_CPU_KEEP, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_quarantine_drain();
	/* Out of quarantine: the pool may hand the memory out again. */
	gt_plain_write(a.cpu, 2);
}

static struct kunit_case gt_kasan_cases[] = {
	KUNIT_CASE(kasan_cpu_write_after_reclaim),
	KUNIT_CASE(kasan_cpu_write_fw_owned),
	KUNIT_CASE(kasan_cpu_read_fw_reads),
	KUNIT_CASE(kasan_use_after_free_kept),
	KUNIT_CASE(kasan_free_kept_then_released),
	{}};

static struct kunit_suite gt_kasan_suite = {
	.name = "gpusan_kasan",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_kasan_cases,
};

kunit_test_suites(&gt_model_suite, &gt_shadow_suite, &gt_kasan_suite);

MODULE_DESCRIPTION("KUnit suites of gpusan");
MODULE_LICENSE("Dual MIT/GPL");
