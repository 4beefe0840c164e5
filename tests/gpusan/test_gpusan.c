// SPDX-License-Identifier: MIT
/*
 * gpusan, one case per bug class and per API entry point. Each positive case
 * checks the class, the address and object named, and that the report came
 * from exactly the operation on the FX_AT() line; each has a negative twin
 * that must stay silent. The fixture fails any test on a stray report.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define FW_PRIV GPUOWN_MAP_FW_PRIVATE
#define FW_SHARED GPUOWN_MAP_FW_SHARED

TestSuite(ownership, .init = fx_setup, .fini = fx_teardown);
TestSuite(access, .init = fx_setup, .fini = fx_teardown);
TestSuite(api, .init = fx_setup, .fini = fx_teardown);
TestSuite(misuse, .init = fx_setup, .fini = fx_teardown);

static struct gpuown_obj *published(const struct gpuown_struct_desc *l,
				    enum gpuown_map_mode mode)
{
	struct gpuown_obj *o = fx_alloc(l, mode, 0);

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	return o;
}

/* ------------------------------------------------------------------------
 * Ownership-level bugs: refusals by the object model, reported by gpusan
 */
FX_TEST(ownership, double_free)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;
	uint64_t va = fx_va(o);

	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EINVAL);
	r = fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_FREE);
	cr_assert_eq(r->addr, va);
	cr_assert(strstr(r->text, "Freed by thread"), "%s", r->text);
	cr_assert(strstr(r->text, "Allocated by thread"), "%s", r->text);
}

FX_TEST(ownership, double_free_twin_single_free)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);

	cr_assert_eq(gpuown_obj_free(o), 0);
	fx_expect_none();
}

FX_TEST(ownership, double_free_after_release)
{
	/* Uncached window and no budget: released at once; the handle is dead.
	 */
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_SHARED, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EINVAL);
	r = fx_expect(GPUSAN_DOUBLE_FREE, "fx_buf");
	cr_assert(strstr(r->text, "released"), "%s", r->text);
}

FX_TEST(ownership, invalid_free_wild_handle)
{
	uint64_t local[8] = {0};
	const struct fx_report *r;

	cr_assert_eq(FX_AT(gpuown_obj_free((struct gpuown_obj *)local)),
		     -EINVAL);
	r = fx_expect(GPUSAN_INVALID_FREE, "");
	cr_assert_eq(r->addr, (uint64_t)(uintptr_t)local);
	cr_assert(strstr(r->text, "not a gpuown object"), "%s", r->text);
}

FX_TEST(ownership, invalid_free_interior_pointer)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	char *inside = (char *)o + 8;

	cr_assert_eq(FX_AT(gpuown_obj_free((struct gpuown_obj *)inside)),
		     -EINVAL);
	fx_expect(GPUSAN_INVALID_FREE, "");
	cr_assert_eq(gpuown_obj_free(o), 0);
	fx_expect_none();
}

FX_TEST(ownership, free_while_fw_owned)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	const struct fx_report *r;

	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	r = fx_expect(GPUSAN_FREE_WHILE_FW_OWNED, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_FREE);
	cr_assert(strstr(r->text, "Ownership history"), "%s", r->text);
	cr_assert(strstr(r->text, "publish"), "%s", r->text);
}

FX_TEST(ownership, free_after_reclaim_twin)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);

	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	fx_expect_none();
}

FX_TEST(ownership, free_while_shared)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	fx_expect(GPUSAN_FREE_WHILE_SHARED, "fw_ring_state");
}

FX_TEST(ownership, free_after_detach_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_obj_detach(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	fx_expect_none();
}

FX_TEST(ownership, publish_twice)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_obj_publish(o, NULL)), 0);
	r = fx_expect(GPUSAN_PUBLISH_TWICE, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_PUBLISH);
}

FX_TEST(ownership, publish_again_after_reclaim_twin)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);

	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	fx_expect_none();
}

FX_TEST(ownership, publish_after_free)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);

	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_obj_publish(o, NULL)), 0);
	fx_expect(GPUSAN_PUBLISH_FREED, "fw_job_desc");
}

FX_TEST(ownership, publish_dangling_pointer)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_free(buf), 0);
	cr_assert_neq(FX_AT(gpuown_obj_publish(job, NULL)), 0);
	r = fx_expect(GPUSAN_PUBLISH_DANGLING, "fw_job_desc");
	cr_assert_str_eq(r->field, "cmdbuf_8");
	cr_assert(strstr(r->text, "fx_buf"), "%s", r->text);
}

FX_TEST(ownership, publish_after_clear_twin)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);

	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_free(buf), 0);
	cr_assert_eq(gpuown_clear_ptr(job, 0x8), 0);
	cr_assert_eq(gpuown_obj_publish(job, NULL), 0);
	fx_expect_none();
}

FX_TEST(ownership, publish_unpublished_pointee)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_neq(FX_AT(gpuown_obj_publish(job, NULL)), 0);
	r = fx_expect(GPUSAN_PUBLISH_UNPUBLISHED, "fw_job_desc");
	cr_assert_str_eq(r->field, "cmdbuf_8");
	cr_assert(strstr(r->text, "The pointed-to object: fx_buf"), "%s",
		  r->text);
}

FX_TEST(ownership, publish_pointee_first_twin)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);

	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_publish(buf, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(job, NULL), 0);
	fx_expect_none();
}

FX_TEST(ownership, reclaim_not_published)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);

	cr_assert_neq(FX_AT(gpuown_obj_reclaim(o, NULL)), 0);
	fx_expect(GPUSAN_RECLAIM_NOT_PUBLISHED, "fw_job_desc");
}

static struct gpuown_obj *fx_stamp_area(void)
{
	struct gpuown_obj *s = fx_alloc(&fx_stamps, FW_SHARED, 0);

	cr_assert_eq(gpuown_obj_share(s), 0);
	return s;
}

FX_TEST(ownership, reclaim_before_completion)
{
	struct gpuown_obj *stamps = fx_stamp_area();
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_fence f = {.stamp = stamps, .offset = 8, .value = 5};
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_publish(job, &f), 0);
	cr_assert_neq(FX_AT(gpuown_obj_reclaim(job, &f)), 0);
	r = fx_expect(GPUSAN_RECLAIM_BEFORE_COMPLETION, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_RECLAIM);
}

FX_TEST(ownership, reclaim_after_completion_twin)
{
	struct gpuown_obj *stamps = fx_stamp_area();
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_fence f = {.stamp = stamps, .offset = 8, .value = 5};

	cr_assert_eq(gpuown_obj_publish(job, &f), 0);
	/* The firmware writes the stamp: a declared firmware-written word. */
	cr_assert_eq(gpuown_fw_store32(fx_mm, fx_fa(stamps, 8), 5), 0);
	cr_assert_eq(gpuown_obj_reclaim(job, &f), 0);
	fx_expect_none();
}

FX_TEST(ownership, illegal_transition)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);

	cr_assert_neq(FX_AT(gpuown_obj_detach(o)), 0);
	fx_expect(GPUSAN_ILLEGAL_TRANSITION, "fw_ring_state");
}

FX_TEST(ownership, dangling_at_free)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_publish(buf, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(job, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(buf, NULL), 0);
	cr_assert_neq(FX_AT(gpuown_obj_free(buf)), 0);
	r = fx_expect(GPUSAN_DANGLING_AT_FREE, "fx_buf");
	cr_assert_str_eq(r->field, "cmdbuf_8");
	/* Both objects, the container's variant and the field are named. */
	cr_assert(strstr(r->text,
			 "Still pointed at by fw_job_desc (variant G11_V2_1)"),
		  "%s", r->text);
	cr_assert(
		strstr(r->text, "field cmdbuf_8 (gpu_ptr(fx_buf), offset 0x8)"),
		"%s", r->text);
	cr_assert(strstr(r->text, "The pointing object: fw_job_desc"), "%s",
		  r->text);
}

FX_TEST(ownership, dangling_at_free_names_every_referrer)
{
	struct gpuown_obj *a = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *b = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);
	const struct fx_report *r;
	char want[64];

	cr_assert_eq(gpuown_store_gpu_ptr(a, 0x8, buf), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(b, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_publish(buf, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(a, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(b, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(buf, NULL), 0);
	cr_assert_neq(FX_AT(gpuown_obj_free(buf)), 0);
	r = fx_expect(GPUSAN_DANGLING_AT_FREE, "fx_buf");
	snprintf(want, sizeof(want), "fw_job_desc (variant G11_V2_1) id %llu",
		 (unsigned long long)gpuown_obj_id(a));
	cr_assert(strstr(r->text, want), "%s", r->text);
	snprintf(want, sizeof(want), "fw_job_desc (variant G11_V2_1) id %llu",
		 (unsigned long long)gpuown_obj_id(b));
	cr_assert(strstr(r->text, want), "%s", r->text);
	cr_assert(strstr(r->text, "and by fw_job_desc"), "%s", r->text);
}

FX_TEST(ownership, free_after_container_reclaimed_twin)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);

	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_publish(buf, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(job, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(job, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(buf, NULL), 0);
	cr_assert_eq(gpuown_clear_ptr(job, 0x8), 0);
	cr_assert_eq(gpuown_obj_free(buf), 0);
	fx_expect_none();
}

FX_TEST(ownership, pointer_type_mismatch)
{
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);

	/* 0x10 is a gpu_ptr(fx_result): an fx_buf does not belong there. */
	cr_assert_neq(FX_AT(gpuown_store_gpu_ptr(job, 0x10, buf)), 0);
	fx_expect(GPUSAN_PTR_TYPE_MISMATCH, "fw_job_desc");
	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	fx_expect_none();
}

GPUOWN_LIFECYCLE(fxctx, "created -> live, live -> destroyed");

FX_TEST(ownership, lifecycle_illegal)
{
	struct gpuown_lc s;
	int owner;
	const struct fx_report *r;

	cr_assert_eq(gpuown_lc_init(&s, &gpuown_lifecycle_fxctx, fx_mm, &owner),
		     0);
	cr_assert_neq(FX_AT(gpuown_lc_transition(&s, "destroyed")), 0);
	r = fx_expect(GPUSAN_LIFECYCLE_ILLEGAL, NULL);
	cr_assert(strstr(r->text, "'created' -> 'destroyed'"), "%s", r->text);
}

FX_TEST(ownership, lifecycle_legal_twin)
{
	struct gpuown_lc s;
	int owner;

	cr_assert_eq(gpuown_lc_init(&s, &gpuown_lifecycle_fxctx, fx_mm, &owner),
		     0);
	cr_assert_eq(gpuown_lc_transition(&s, "live"), 0);
	cr_assert_eq(gpuown_lc_require(&s, "live"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "destroyed"), 0);
	fx_expect_none();
}

FX_TEST(ownership, lifecycle_not_permitted)
{
	struct gpuown_lc s;
	int owner;
	const struct fx_report *r;

	cr_assert_eq(gpuown_lc_init(&s, &gpuown_lifecycle_fxctx, fx_mm, &owner),
		     0);
	cr_assert_neq(FX_AT(gpuown_lc_require(&s, "live")), 0);
	r = fx_expect(GPUSAN_LIFECYCLE_NOT_PERMITTED, NULL);
	cr_assert(strstr(r->text, "requires state 'live'"), "%s", r->text);
}

/* ------------------------------------------------------------------------
 * Checked CPU accessors
 */
FX_TEST(ownership, cpu_write_while_fw_owned)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint32_t v = 1;
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_cpu_write(o, 4, &v, 4)), 0);
	r = fx_expect(GPUSAN_CPU_WRITE_FW_OWNED, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_CPU_ACCESS);
}

FX_TEST(ownership, cpu_read_fw_read_object_twin)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint32_t v;

	/* The firmware only reads a job: the CPU may read it while in flight.
	 */
	cr_assert_eq(gpuown_cpu_read(o, 4, &v, 4), 0);
	fx_expect_none();
}

FX_TEST(ownership, cpu_read_against_direction)
{
	struct gpuown_obj *o = published(&fx_result, FW_PRIV);
	uint32_t v;

	cr_assert_neq(FX_AT(gpuown_cpu_read(o, 0, &v, 4)), 0);
	fx_expect(GPUSAN_CPU_READ_FW_WRITES, "fx_result");
}

FX_TEST(ownership, cpu_read_after_reclaim_twin)
{
	struct gpuown_obj *o = published(&fx_result, FW_PRIV);
	uint32_t v;

	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_cpu_read(o, 0, &v, 4), 0);
	fx_expect_none();
}

FX_TEST(ownership, cpu_access_gpu_only)
{
	struct gpuown_alloc_args a = {
		.mode = FW_PRIV,
		.size = 256,
		.flags = GPUOWN_ALLOC_NO_CPU_MAP,
		.name = "gpu_scratch",
	};
	struct gpuown_obj *o;
	uint8_t buf[16];

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	cr_assert_neq(FX_AT(gpuown_cpu_read(o, 0, buf, 16)), 0);
	fx_expect(GPUSAN_CPU_ACCESS_GPU_ONLY, "gpu_scratch");
	/* Twin: the firmware may use a GPU-only object. */
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0), buf, 16), 0);
	fx_expect_none();
}

FX_TEST(ownership, cpu_access_shared_undeclared)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);

	cr_assert_eq(gpuown_obj_share(o), 0);
	/* nr_slots_8 is not a shared word. */
	cr_assert_neq(FX_AT(gpuown_shared_store32(o, 8, 1)), 0);
	fx_expect(GPUSAN_CPU_ACCESS_SHARED_UNDECLARED, "fw_ring_state");
}

FX_TEST(ownership, cpu_atomic_read_shared_word_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);
	uint32_t v;

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_shared_load32(o, 4, &v), 0);
	fx_expect_none();
}

FX_TEST(ownership, cpu_write_firmware_written_field)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_share(o), 0);
	/* rptr_4 is a shared word the firmware writes: the CPU may only read.
	 */
	cr_assert_neq(FX_AT(gpuown_shared_store32(o, 4, 7)), 0);
	r = fx_expect(GPUSAN_CPU_ACCESS_SHARED_UNDECLARED, "fw_ring_state");
	cr_assert(r->is_access && r->write);
	cr_assert_str_eq(r->field, "rptr_4");
}

FX_TEST(ownership, use_after_free_through_handle)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	uint32_t v;

	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_cpu_read(o, 0, &v, 4)), 0);
	fx_expect(GPUSAN_USE_AFTER_FREE, "fw_job_desc");
}

/* ------------------------------------------------------------------------
 * Firmware and GPU accesses against the shadow
 */
FX_TEST(access, fw_reads_half_built_struct)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	uint8_t buf[64];
	const struct fx_report *r;

	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0), buf, 64)),
		     -EACCES);
	r = fx_expect(GPUSAN_FW_ACCESS_CPU_OWNED, "fw_job_desc");
	cr_assert(r->is_access && !r->write);
	cr_assert_eq(r->agent, GPUOWN_AGENT_FW);
	cr_assert_eq(r->addr, gpuown_fw_addr_to_u64(fx_fa(o, 0)));
	cr_assert(strstr(r->text, "Read of size 64 at fw addr"), "%s", r->text);
	cr_assert(strstr(r->text, "by firmware"), "%s", r->text);
}

FX_TEST(access, fw_reads_published_twin)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint8_t buf[64];

	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0), buf, 64), 0);
	fx_expect_none();
}

FX_TEST(access, fw_write_against_direction)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint32_t v = 1;
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_fw_write(fx_mm, fx_fa(o, 0x20), &v, 4)), 0);
	r = fx_expect(GPUSAN_WRITE_AGAINST_DIRECTION, "fw_job_desc");
	cr_assert_str_eq(r->field, "stamp_value_20");
	cr_assert(strstr(r->text, "field stamp_value_20 (u64, offset 0x20)"),
		  "%s", r->text);
}

FX_TEST(access, fw_write_result_twin)
{
	struct gpuown_obj *o = published(&fx_result, FW_PRIV);
	uint32_t v = 1;

	cr_assert_eq(gpuown_fw_write(fx_mm, fx_fa(o, 0), &v, 4), 0);
	fx_expect_none();
}

FX_TEST(access, fw_use_after_free_in_quarantine)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	fw_addr_t fa = fx_fa(o, 0x8);
	uint64_t v;
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, fa, &v, 8)), -EACCES);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fw_job_desc");
	cr_assert_eq(r->addr, gpuown_fw_addr_to_u64(fa));
	cr_assert(strstr(r->text, "The buggy address belongs to the object "
				  "fw_job_desc (variant G11_V2_1)"),
		  "%s", r->text);
	cr_assert(
		strstr(r->text, "located 8 bytes inside of the 72-byte region"),
		"%s", r->text);
	cr_assert(strstr(r->text, "Freed by thread"), "%s", r->text);
}

FX_TEST(access, fw_follows_dangling_pointer)
{
	struct gpuown_obj *table = fx_alloc(NULL, FW_PRIV, 64);
	struct gpuown_obj *target = published(&fx_buf, FW_PRIV);
	uint64_t va = fx_va(target), got = 0;
	uint32_t word;
	fw_addr_t fa;
	const struct fx_report *r;

	/* An untracked copy of the address: only the access can catch it. */
	cr_assert_eq(gpuown_cpu_write(table, 0, &va, 8), 0);
	cr_assert_eq(gpuown_obj_publish(table, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(target, NULL), 0);
	cr_assert_eq(gpuown_obj_free(target), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(table, 0), &got, 8), 0);
	cr_assert_eq(got, va);
	fa = gpuown_fw_addr_of_va(fx_mm, gpuown_gpu_addr_from_u64(got));
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fa, &word, 4)), 0);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fx_buf");
	cr_assert(strstr(r->text, "Freed by thread"), "%s", r->text);
}

FX_TEST(access, fw_follows_live_pointer_twin)
{
	struct gpuown_obj *table = fx_alloc(NULL, FW_PRIV, 64);
	struct gpuown_obj *target = published(&fx_buf, FW_PRIV);
	uint64_t va = fx_va(target), got = 0;
	uint32_t word;

	cr_assert_eq(gpuown_cpu_write(table, 0, &va, 8), 0);
	cr_assert_eq(gpuown_obj_publish(table, NULL), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(table, 0), &got, 8), 0);
	cr_assert_eq(
		gpuown_fw_read(fx_mm,
			       gpuown_fw_addr_of_va(
				       fx_mm, gpuown_gpu_addr_from_u64(got)),
			       &word, 4),
		0);
	fx_expect_none();
}

FX_TEST(access, fw_out_of_bounds_partial_granule)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint32_t v;
	const struct fx_report *r;

	/* 0x48 bytes: the granule at 0x40 is valid for 8 bytes only. */
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0x48), &v, 4)), 0);
	r = fx_expect(GPUSAN_OUT_OF_BOUNDS, "fw_job_desc");
	cr_assert(strstr(r->text, "0 bytes to the right of the 72-byte region"),
		  "%s", r->text);
	cr_assert(strstr(r->text, ">0x"), "%s", r->text);
	cr_assert(strstr(r->text, " 38"), "%s", r->text);
}

FX_TEST(access, fw_last_bytes_twin)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint64_t v;

	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0x40), &v, 8), 0);
	fx_expect_none();
}

FX_TEST(access, fw_out_of_bounds_redzone)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint64_t v;
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0x58), &v, 8)), 0);
	r = fx_expect(GPUSAN_OUT_OF_BOUNDS, "fw_job_desc");
	cr_assert_eq(r->addr, gpuown_fw_addr_to_u64(fx_fa(o, 0x58)));
	cr_assert(strstr(r->text, "granule=10 redzone"), "%s", r->text);
}

FX_TEST(access, fw_out_of_bounds_left)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint64_t v;
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0) - 16, &v, 8)), 0);
	r = fx_expect(GPUSAN_OUT_OF_BOUNDS, "fw_job_desc");
	cr_assert(strstr(r->text, "16 bytes to the left"), "%s", r->text);
}

FX_TEST(access, fw_wild_address)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint64_t v;
	const struct fx_report *r;

	/* Same mapped page, far from any object and its redzones. */
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0x1000), &v, 8)), 0);
	r = fx_expect(GPUSAN_WILD_ADDRESS, "");
	cr_assert(strstr(r->text, "belongs to no object"), "%s", r->text);
}

FX_TEST(access, fw_beyond_footprint)
{
	struct gpuown_obj *o = published(&fx_fp, FW_PRIV);
	uint64_t v;
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_size(o), 0x80);
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0x80), &v, 8)), 0);
	r = fx_expect(GPUSAN_BEYOND_FOOTPRINT, "fw_scratch");
	cr_assert(strstr(r->text, "beyond the declared firmware footprint"),
		  "%s", r->text);
}

FX_TEST(access, fw_inside_footprint_twin)
{
	struct gpuown_obj *o = published(&fx_fp, FW_PRIV);
	uint64_t v;

	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0x70), &v, 8), 0);
	fx_expect_none();
}

FX_TEST(access, cpu_read_in_footprint_beyond_struct)
{
	struct gpuown_obj *o = fx_alloc(&fx_fp, FW_PRIV, 0);
	uint64_t v;
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_cpu_read(o, 0x60, &v, 8)), 0);
	r = fx_expect(GPUSAN_OUT_OF_BOUNDS, "fw_scratch");
	cr_assert(
		strstr(r->text, "firmware footprint beyond the 64-byte struct"),
		"%s", r->text);
	/* Twin: inside the struct. */
	cr_assert_eq(gpuown_cpu_read(o, 0x38, &v, 8), 0);
	fx_expect_none();
}

FX_TEST(access, fw_write_cpu_written_shared_field)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_share(o), 0);
	/* wptr_0 is the driver's: the firmware writes only rptr_4. */
	cr_assert_neq(FX_AT(gpuown_fw_store32(fx_mm, fx_fa(o, 0), 3)), 0);
	r = fx_expect(GPUSAN_WRITE_AGAINST_DIRECTION, "fw_ring_state");
	cr_assert_str_eq(r->field, "wptr_0");
}

FX_TEST(access, fw_write_fw_written_field_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);
	uint32_t v;

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_fw_store32(fx_mm, fx_fa(o, 4), 3), 0);
	cr_assert_eq(gpuown_fw_load32(fx_mm, fx_fa(o, 0), &v), 0);
	fx_expect_none();
}

FX_TEST(access, gpu_access_while_cpu_owned)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, GPUOWN_MAP_GPU_SHARED, 0);
	struct gpuown_vm *fw_vm = gpuown_mm_fw_vm(fx_mm);
	gpu_addr_t va = gpuown_obj_gpu_va(o);
	uint8_t buf[16];
	const struct fx_report *r;

	cr_assert_neq(FX_AT(gpuown_gpu_read(fw_vm, va, buf, 16)), 0);
	r = fx_expect(GPUSAN_GPU_ACCESS_CPU_OWNED, "fx_buf");
	cr_assert_eq(r->agent, GPUOWN_AGENT_GPU);
	cr_assert(strstr(r->text, "by GPU"), "%s", r->text);
	/* Twin: once published. */
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_gpu_read(gpuown_mm_fw_vm(fx_mm),
				     gpuown_obj_gpu_va(o), buf, 16),
		     0);
	fx_expect_none();
}

FX_TEST(access, gpu_reads_bound_buffer_twin)
{
	struct gpuown_vm *vm;
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = GPUOWN_GPU_PAGE_SIZE,
		.align = GPUOWN_GPU_PAGE_SIZE,
		.name = "in_buf",
	};
	struct gpuown_obj *o;
	uint64_t va = 0x100000000ull;
	uint8_t buf[16];

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx0", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, gpuown_gpu_addr_from_u64(va), o, 0,
				    GPUOWN_GPU_PAGE_SIZE, 0),
		     0);
	cr_assert_eq(gpuown_gpu_read(vm, gpuown_gpu_addr_from_u64(va), buf, 16),
		     0);
	cr_assert_eq(gpuown_vm_unbind(vm, gpuown_gpu_addr_from_u64(va),
				      GPUOWN_GPU_PAGE_SIZE),
		     0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	fx_expect_none();
}

FX_TEST(access, report_anatomy)
{
	struct gpuown_obj *o = published(&fx_job, FW_PRIV);
	uint64_t v;
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0x20), &v, 8)), 0);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fw_job_desc");
	cr_assert(!strncmp(r->text, "=====", 5), "%s", r->text);
	cr_assert(strstr(r->text, "BUG: GPUSAN: use-after-free in "), "%s",
		  r->text);
	cr_assert(strstr(r->text, "Call trace:"), "%s", r->text);
	cr_assert(strstr(r->text, "test_gpusan.c:"), "%s", r->text);
	cr_assert(strstr(r->text, "Last transition (free)"), "%s", r->text);
	cr_assert(strstr(r->text, "Ownership history (last 4 of 4 operations)"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "Memory state around the buggy address"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "^"), "%s", r->text);
	cr_assert(strstr(r->text, "granule=90 freed"), "%s", r->text);
}

/* ------------------------------------------------------------------------
 * API entry points and options
 */
FX_TEST(api, attach_twice_busy)
{
	cr_assert_eq(gpusan_attach(fx_mm), -EBUSY);
	fx_expect_none();
}

FX_TEST(api, attach_after_alloc_refused)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *o;
	struct gpuown_alloc_args a = {.mode = FW_PRIV, .size = 64};

	cr_assert_eq(gpuown_mm_create(NULL, &mm), 0);
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	cr_assert_eq(gpusan_attach(mm), -EBUSY);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_mm_destroy(mm);
	gpusan_detach(mm); /* never attached: a no-op */
}

FX_TEST(api, attach_malformed_env)
{
	struct gpuown_mm *mm;

	cr_assert_eq(gpuown_mm_create(NULL, &mm), 0);
	setenv("GPUSAN_OPTIONS", "halt_on_error=maybe", 1);
	cr_assert_eq(gpusan_attach(mm), -EINVAL);
	setenv("GPUSAN_OPTIONS", "history=4:multi_shot=1", 1);
	cr_assert_eq(gpusan_attach(mm), 0);
	unsetenv("GPUSAN_OPTIONS");
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
}

FX_TEST(api, attach_raises_redzone)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *a, *b;
	struct gpuown_alloc_args args = {.mode = FW_PRIV, .size = 64};

	/* No redzone configured: gpusan's default puts 64 bytes around objects.
	 */
	cr_assert_eq(gpuown_mm_create(NULL, &mm), 0);
	cr_assert_eq(gpusan_attach(mm), 0);
	cr_assert_eq(gpuown_obj_alloc(mm, &args, &a), 0);
	cr_assert_eq(gpuown_obj_alloc(mm, &args, &b), 0);
	cr_assert_eq(gpusan_shadow_byte(mm, NULL, fx_va(a) + 64) >> 4, 0x1);
	cr_assert_eq(gpusan_shadow_byte(mm, NULL, fx_va(a) - 16) >> 4, 0x1);
	cr_assert_eq(gpuown_obj_free(a), 0);
	cr_assert_eq(gpuown_obj_free(b), 0);
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
}

FX_TEST(api, attach_bad_options_struct)
{
	struct gpusan_options o;
	struct gpuown_mm *mm;

	cr_assert_eq(gpuown_mm_create(NULL, &mm), 0);
	gpusan_options_default(&o);
	o.history = 0;
	cr_assert_eq(gpusan_attach_opts(mm, &o), -EINVAL);
	cr_assert_eq(gpusan_attach_opts(NULL, &o), -EINVAL);
	gpuown_mm_destroy(mm);
}

static void api_reattach(const char *env)
{
	struct gpusan_options o;
	char err[256];

	gpusan_detach(fx_mm);
	gpuown_mm_destroy(fx_mm);
	fx_mm = NULL;
	gpusan_options_default(&o);
	o.multi_shot = true;
	o.print = false;
	cr_assert_eq(gpusan_options_parse(env, &o, err, sizeof(err)), 0, "%s",
		     err);
	fx_setup_opts(&o);
}

FX_TEST(api, report_file)
{
	char path[] = "/tmp/gpusan-test-XXXXXX", env[128], buf[4096];
	struct gpuown_obj *o;
	ssize_t n;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	unlink(path);
	snprintf(env, sizeof(env), "print=1:report_file=%s", path);
	api_reattach(env);
	o = fx_alloc(&fx_job, FW_PRIV, 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	/* Twin first: no report, no file. */
	cr_assert_eq(access(path, F_OK), -1);
	cr_assert_neq(FX_AT(gpuown_obj_free(o)), 0);
	fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert(strstr(buf, "BUG: GPUSAN: double-free in "), "%s", buf);
}

FX_TEST(api, halt_on_error, .signal = SIGABRT)
{
	struct gpuown_obj *o;

	api_reattach("halt_on_error=1");
	o = fx_alloc(&fx_job, FW_PRIV, 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_obj_free(o);
	cr_assert_fail("halt_on_error=1 did not stop at the report");
}

FX_TEST(api, continue_without_halt_twin)
{
	struct gpuown_obj *o;

	api_reattach("halt_on_error=0");
	o = fx_alloc(&fx_job, FW_PRIV, 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_obj_free(o)), 0);
	fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert_neq(FX_AT(gpuown_obj_free(o)), 0);
	fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
}

FX_TEST(api, single_shot_by_default)
{
	struct gpusan_options o;
	struct gpuown_obj *obj;
	unsigned before;

	gpusan_detach(fx_mm);
	gpuown_mm_destroy(fx_mm);
	gpusan_options_default(&o);
	o.print = false;
	fx_setup_opts(&o);
	before = gpusan_report_count();
	obj = fx_alloc(&fx_job, FW_PRIV, 0);
	cr_assert_eq(gpuown_obj_free(obj), 0);
	cr_assert_neq(FX_AT(gpuown_obj_free(obj)), 0);
	fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert_neq(gpuown_obj_free(obj), 0);
	/* Counted, but neither printed nor passed to the callback. */
	cr_assert_eq(gpusan_report_count(), before + 2);
	fx_expect_none();
}

FX_TEST(api, history_option)
{
	struct gpuown_obj *o;
	const struct fx_report *r;
	int i;

	api_reattach("history=2");
	o = fx_alloc(&fx_job, FW_PRIV, 0);
	for (i = 0; i < 3; i++) {
		cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
		cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	}
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_obj_free(o)), 0);
	r = fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert(strstr(r->text, "Ownership history (last 2 of 9 operations)"),
		  "%s", r->text);
}

FX_TEST(api, stack_depth_zero)
{
	struct gpuown_obj *o;
	const struct fx_report *r;

	api_reattach("stack_depth=0:symbolize=0");
	o = fx_alloc(&fx_job, FW_PRIV, 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(gpuown_obj_free(o), 0);
	r = &fx_reports[fx_nseen++];
	cr_assert_eq(r->cls, GPUSAN_DOUBLE_FREE);
	cr_assert(strstr(r->text, "(no stack: stack_depth=0)"), "%s", r->text);
}

FX_TEST(api, quarantine_budget_keeps_freed_ranges)
{
	struct gpuown_obj *o;
	uint64_t va, v;
	const struct fx_report *r;

	api_reattach("quarantine_budget=1M");
	/* Uncached window: reusable at once, unless the budget holds it. */
	o = published(&fx_buf, FW_SHARED);
	va = fx_va(o);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpusan_shadow_byte(fx_mm, NULL, va) >> 4, 0x9);
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(o, 0), &v, 8)), 0);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fx_buf");
	cr_assert(strstr(r->text, "freed (quarantined)"), "%s", r->text);
}

FX_TEST(api, no_quarantine_budget_twin)
{
	struct gpuown_obj *o = published(&fx_buf, FW_SHARED);
	uint64_t va = fx_va(o);

	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	/* Released at once: the range is unmapped in the shadow again. */
	cr_assert_eq(gpusan_shadow_byte(fx_mm, NULL, va), 0);
	fx_expect_none();
}

FX_TEST(api, released_range_remembered)
{
	struct gpuown_obj *keep = published(&fx_job, FW_SHARED);
	struct gpuown_obj *o = published(&fx_buf, FW_SHARED);
	fw_addr_t fa = fx_fa(o, 0);
	uint64_t v;
	const struct fx_report *r;

	(void)keep; /* keeps the page mapped */
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_fw_read(fx_mm, fa, &v, 8)), 0);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fx_buf");
	cr_assert(strstr(r->text, "belonged to the released object fx_buf"),
		  "%s", r->text);
}

FX_TEST(api, shadow_bytes_bounded)
{
	struct gpuown_obj *o[64];
	uint64_t mapped, shadow;
	int i;

	for (i = 0; i < 64; i++)
		o[i] = fx_alloc(NULL, FW_PRIV, 16384);
	mapped = gpuown_mm_mapped_bytes(fx_mm);
	shadow = gpusan_shadow_bytes(fx_mm);
	cr_assert_gt(shadow, 0);
	/* One byte per 16, plus a directory page per 512 MiB window touched. */
	cr_assert_leq(shadow, mapped / 16 + 4 * 4096 + 16 * 4096,
		      "shadow %llu for %llu mapped", (unsigned long long)shadow,
		      (unsigned long long)mapped);
	for (i = 0; i < 64; i++)
		cr_assert_eq(gpuown_obj_free(o[i]), 0);
}

FX_TEST(api, mm_config_helper)
{
	struct gpuown_mm_config cfg = {.redzone = 16};

	setenv("GPUSAN_OPTIONS", "quarantine_budget=2M", 1);
	gpusan_mm_config(&cfg);
	cr_assert_eq(cfg.redzone, GPUSAN_MIN_REDZONE);
	cr_assert_eq(cfg.quarantine_budget, 2u << 20);
	cfg.redzone = 4096;
	setenv("GPUSAN_OPTIONS", "quarantine_budget=bad", 1);
	gpusan_mm_config(&cfg);
	cr_assert_eq(cfg.redzone, 4096);
	cr_assert_eq(cfg.quarantine_budget, 2u << 20);
	unsetenv("GPUSAN_OPTIONS");
	gpusan_mm_config(NULL);
}

FX_TEST(api, class_names)
{
	int c;

	for (c = 1; c < GPUSAN_CLASS_NR; c++) {
		int d;

		cr_assert_str_neq(gpusan_class_name(c), "unknown", "class %d",
				  c);
		/* One name per class, the object model's and gpusan's alike. */
		for (d = 1; d < c; d++)
			cr_assert_str_neq(gpusan_class_name(c),
					  gpusan_class_name(d),
					  "classes %d, %d", c, d);
		if (c < GPUOWN_V_NR)
			cr_assert_str_eq(gpusan_class_name(c),
					 gpuown_violation_name(c), "class %d",
					 c);
	}
	cr_assert_str_eq(gpusan_class_name(GPUSAN_FOREIGN_OBJECT),
			 "foreign-object");
	cr_assert_str_eq(gpusan_class_name(GPUSAN_PUBLISH_FREED),
			 "publish-after-free");
	cr_assert_str_eq(gpusan_class_name(GPUSAN_CPU_ACCESS_POISONED),
			 "cpu-access-while-not-cpu-owned");
	cr_assert_str_eq(gpusan_class_name(GPUSAN_CLASS_NR), "unknown");
	cr_assert_str_eq(gpusan_class_name(-1), "unknown");
}

/* ------------------------------------------------------------------------
 * API misuse: reported, never a crash
 */
FX_TEST(misuse, detach_after_destroy_is_reported)
{
	const struct fx_report *r;
	struct gpuown_mm *mm = fx_mm;

	fx_alloc(&fx_job, FW_PRIV, 0); /* leaked: released by the destroy */
	gpuown_mm_destroy(mm);
	fx_mm = NULL;
	FX_AT(gpusan_detach(mm));
	r = fx_expect(GPUSAN_USE_AFTER_FREE, NULL);
	cr_assert(strstr(r->text, "gpusan_detach() of memory system") &&
			  strstr(r->text, "which was destroyed"),
		  "%s", r->text);
	/* The context is gone: a second detach is a no-op. */
	gpusan_detach(mm);
}

FX_TEST(misuse, detach_before_destroy_is_silent)
{
	struct gpuown_mm *mm = fx_mm;

	/* Freed (quarantined) objects are no leak (leaks: test_reports.c). */
	cr_assert_eq(gpuown_obj_free(fx_alloc(&fx_job, FW_PRIV, 0)), 0);
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
	fx_mm = NULL;
}

FX_TEST(misuse, destroy_twice_is_reported)
{
	struct gpuown_mm *mm;
	const struct fx_report *r;

	cr_assert_eq(gpuown_mm_create(NULL, &mm), 0);
	gpuown_mm_destroy(mm);
	/* Heard by the attached memory system (fx_mm): it names none. */
	FX_AT(gpuown_mm_destroy(mm));
	r = fx_expect(GPUSAN_DOUBLE_FREE, NULL);
	cr_assert(strstr(r->text, "which is not a live memory system"), "%s",
		  r->text);
}

FX_TEST(misuse, wild_vm_access_is_reported)
{
	uint64_t fake[64] = {0}, v;
	struct gpuown_vm *wild = (struct gpuown_vm *)fake;
	gpu_addr_t va = gpuown_gpu_addr_from_u64(0x1000);
	const struct fx_report *r;
	int err;

	err = FX_AT(gpuown_gpu_read(wild, va, &v, sizeof(v)));
	cr_assert_eq(err, -EINVAL);
	r = fx_expect(GPUSAN_WILD_ADDRESS, NULL);
	cr_assert(strstr(r->text, "which is not a live VM"), "%s", r->text);
}

FX_TEST(misuse, foreign_object_bind_is_reported)
{
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = GPUOWN_GPU_PAGE_SIZE,
		.align = GPUOWN_GPU_PAGE_SIZE,
		.name = "foreign",
	};
	gpu_addr_t va = gpuown_gpu_addr_from_u64(1ull << 32);
	uint64_t pg = GPUOWN_GPU_PAGE_SIZE;
	struct gpuown_mm *other;
	struct gpuown_obj *o;
	struct gpuown_vm *vm;
	int err;

	cr_assert_eq(gpuown_mm_create(NULL, &other), 0);
	cr_assert_eq(gpuown_obj_alloc(other, &a, &o), 0);
	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	err = FX_AT(gpuown_vm_bind(vm, va, o, 0, pg, 0));
	cr_assert_eq(err, -EINVAL);
	fx_expect(GPUSAN_FOREIGN_OBJECT, "foreign");
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_mm_destroy(other);
}
