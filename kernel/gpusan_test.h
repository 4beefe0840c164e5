/* SPDX-License-Identifier: MIT */
/*
 * What gpusan's KUnit suites share (the kernel/ files ending in _test.c,
 * one module): the test layouts, the per-case context that captures
 * reports, and the helpers that create objects and match a report. Every suite
 * uses gt_init() and gt_exit(): a case fails on any report, gpusan's or
 * KASAN's, it did not announce through gt_expect() (or kasan_expected).
 */
#ifndef GPUSAN_TEST_H
#define GPUSAN_TEST_H

#include <kunit/test.h>

#include <gpusan/gpusan.h>
#include <gpuown/layout.h>

/* gt_job: a firmware struct (status fw-written, count, buffer gpu_ptr(gt_buf),
 * context fw_ptr(gt_buf), pad), 64 bytes, rw; gt_buf: 64 bytes the firmware
 * reads; gt_ring: a shared struct (head, tail shared words, config);
 * gt_fp: 48 bytes with a firmware footprint of 64.
 */
extern const struct gpuown_struct_desc gt_job, gt_buf, gt_ring, gt_fp;

#define GT_TEXT 12288
#define GT_FW_BASE 0xffffffa000000000ull

struct gt_ctx {
	unsigned int reports, expected;
	unsigned int kasan_start, kasan_expected;
	bool kasan_explained;
	char cls[48];
	char *text;
	u64 next_va;
	bool multi_shot;
};

int gt_init(struct kunit *test);
void gt_exit(struct kunit *test);

static inline struct gt_ctx *gt(struct kunit *test)
{
	return test->priv;
}

/*
 * Expect exactly one new report since @before, of class @cls, whose text
 * holds "BUG: GPUSAN: <cls>" and every string of @needles (NULL-ended).
 */
void gt_expect(struct kunit *test, unsigned int before, const char *cls,
	       const char *const *needles);

#define GT_NEEDLES(...) ((const char *const[]){__VA_ARGS__, NULL})

struct gt_obj {
	struct gpusan_obj *san;
	void *cpu;
	u64 va, fa;
};

/*
 * A new object of @layout (or @size raw bytes) at the case's next GPU VA
 * (in @vm, or the firmware VM with a firmware address), with a kunit
 * allocation as its CPU mapping unless GPUSAN_OBJ_GPU_ONLY.
 */
struct gt_obj gt_new(struct kunit *test,
		     const struct gpuown_struct_desc *layout, size_t size,
		     u32 fw_dir, u32 flags, struct gpusan_vm *vm);

static inline struct gt_obj gt_job_obj(struct kunit *test)
{
	return gt_new(test, &gt_job, 0, 0, 0, NULL);
}

static inline struct gt_obj gt_buf_obj(struct kunit *test)
{
	return gt_new(test, &gt_buf, 0, 0, 0, NULL);
}

#endif /* GPUSAN_TEST_H */
