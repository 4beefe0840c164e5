// SPDX-License-Identifier: MIT
/*
 * The kernel idioms at run time: references and tables, bindings and the TLB,
 * completion-gated operations, shared objects going back to the CPU, sized
 * frees, coherency of non-coherent mappings, addresses handed over through a
 * register or message. Each positive case checks the class, the object and
 * that the report came from exactly the operation on the FX_AT() line (and,
 * where the report names another site, that site's line); each has a clean
 * twin. The fixture fails any test on a stray report.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gpuown/table.h>

#include "fixture.h"

#define FW_PRIV GPUOWN_MAP_FW_PRIVATE
#define FW_SHARED GPUOWN_MAP_FW_SHARED
#define PG GPUOWN_GPU_PAGE_SIZE

TestSuite(refs, .init = fx_setup, .fini = fx_teardown);
TestSuite(tables, .init = fx_setup, .fini = fx_teardown);
TestSuite(binds, .init = fx_setup, .fini = fx_teardown);
TestSuite(fences, .init = fx_setup, .fini = fx_teardown);
TestSuite(shared, .init = fx_setup, .fini = fx_teardown);
TestSuite(sized, .init = fx_setup, .fini = fx_teardown);
TestSuite(coherency, .init = fx_setup, .fini = fx_teardown);
TestSuite(handover, .init = fx_setup, .fini = fx_teardown);

/* The text names this file at @line. */
static void assert_names_line(const struct fx_report *r, int line)
{
	char want[48];

	snprintf(want, sizeof(want), "test_idioms.c:%d", line);
	cr_assert(strstr(r->text, want), "no %s in:\n%s", want, r->text);
}

/* ------------------------------------------------------------------------
 * References
 */
FX_TEST(refs, get_after_last_put)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;
	int put_line;

	cr_assert_eq(gpuown_obj_get(o), 0);
	cr_assert_eq(gpuown_obj_refs(o), 2);
	cr_assert_eq(gpuown_obj_put(o), 0);
	put_line = __LINE__ + 1;
	cr_assert_eq(gpuown_obj_put(o), 0); /* the last one: frees */
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(FX_AT(gpuown_obj_get(o)), -EINVAL);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_GET);
	cr_assert(strstr(r->text, "freed by the last put in"), "%s", r->text);
	assert_names_line(r, put_line);
	cr_assert(strstr(r->text, "Freed by thread"), "%s", r->text);
	cr_assert(strstr(r->text, "(put)"), "%s", r->text);
}

FX_TEST(refs, get_put_balanced_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);

	cr_assert_eq(gpuown_obj_get(o), 0);
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(gpuown_obj_refs(o), 1);
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(gpuown_obj_refs(o), 0);
}

FX_TEST(refs, put_after_last_put)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_put(o)), -EINVAL);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fw_job_desc");
	cr_assert_eq(r->op, GPUOWN_OP_PUT);
}

FX_TEST(refs, publish_after_last_put)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_publish(o, NULL)), -EINVAL);
	r = fx_expect(GPUSAN_PUBLISH_FREED, "fw_job_desc");
	cr_assert(strstr(r->text, "(put)"), "%s", r->text);
}

FX_TEST(refs, free_while_referenced)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_get(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	r = fx_expect(GPUSAN_FREE_WHILE_REFERENCED, "fw_job_desc");
	cr_assert(strstr(r->text, "free-while-referenced"), "%s", r->text);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	/* Twin: once the other reference is put. */
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

FX_TEST(refs, last_put_while_firmware_owned)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_obj_put(o)), -EBUSY);
	fx_expect(GPUSAN_FREE_WHILE_FW_OWNED, "fw_job_desc");
	cr_assert_eq(gpuown_obj_refs(o), 1);
	/* Twin: reclaimed first. */
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_put(o), 0);
}

/* ------------------------------------------------------------------------
 * Tables: insert takes over a reference, remove hands it back
 */
FX_TEST(tables, put_of_inserted_reference)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	struct gpuown_table *t;
	const struct fx_report *r;

	cr_assert_eq(gpuown_table_create(fx_mm, "handles", &t), 0);
	cr_assert_eq(gpuown_table_insert(t, 7, o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_put(o)), -EPERM);
	r = fx_expect(GPUSAN_REF_NOT_OWNED, "fx_buf");
	cr_assert_eq(r->op, GPUOWN_OP_PUT);
	cr_assert(strstr(r->text, "reference-not-owned"), "%s", r->text);
	/* Twin: removed, the reference is the caller's again. */
	cr_assert_eq(gpuown_table_remove(t, 7), o);
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(gpuown_table_destroy(t), 0);
}

FX_TEST(tables, put_of_borrowed_lookup)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0), *b;
	struct gpuown_table *t;

	cr_assert_eq(gpuown_table_create(fx_mm, "handles", &t), 0);
	cr_assert_eq(gpuown_table_insert(t, 1, o), 0);
	b = gpuown_table_lookup(t, 1);
	cr_assert_eq(b, o);
	cr_assert_eq(gpuown_obj_refs(o), 1); /* borrowed: no reference */
	cr_assert_eq(FX_AT(gpuown_obj_put(b)), -EPERM);
	fx_expect(GPUSAN_REF_NOT_OWNED, "fx_buf");
	cr_assert_eq(gpuown_table_remove(t, 1), o);
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(gpuown_table_destroy(t), 0);
}

FX_TEST(tables, referenced_lookup_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0), *g;
	struct gpuown_table *t;

	cr_assert_eq(gpuown_table_create(fx_mm, "handles", &t), 0);
	cr_assert_eq(gpuown_table_insert(t, 1, o), 0);
	cr_assert_eq(gpuown_table_insert(t, 1, o), -EEXIST);
	cr_assert_eq(gpuown_table_count(t), 1);
	g = gpuown_table_lookup_get(t, 1);
	cr_assert_eq(g, o);
	cr_assert_eq(gpuown_obj_refs(o), 2);
	cr_assert_eq(gpuown_obj_put(g), 0);
	cr_assert_null(gpuown_table_lookup_get(t, 2));
	cr_assert_eq(gpuown_table_destroy(t), -EBUSY);
	cr_assert_eq(gpuown_table_remove(t, 1), o);
	cr_assert_null(gpuown_table_remove(t, 1));
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(gpuown_table_destroy(t), 0);
}

FX_TEST(tables, free_while_in_table)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	struct gpuown_table *t;

	cr_assert_eq(gpuown_table_create(fx_mm, "handles", &t), 0);
	cr_assert_eq(gpuown_table_insert(t, 3, o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	fx_expect(GPUSAN_FREE_WHILE_REFERENCED, "fx_buf");
	cr_assert_eq(gpuown_table_remove(t, 3), o);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_table_destroy(t), 0);
}

FX_TEST(tables, insert_of_borrowed_pointer)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0), *b;
	struct gpuown_table *t, *u;

	cr_assert_eq(gpuown_table_create(fx_mm, "a", &t), 0);
	cr_assert_eq(gpuown_table_create(fx_mm, "b", &u), 0);
	cr_assert_eq(gpuown_table_insert(t, 1, o), 0);
	b = gpuown_table_lookup(t, 1);
	cr_assert_eq(FX_AT(gpuown_table_insert(u, 1, b)), -EPERM);
	fx_expect(GPUSAN_REF_NOT_OWNED, "fx_buf");
	/* Twin: a reference of its own for the second table. */
	cr_assert_eq(gpuown_obj_get(o), 0);
	cr_assert_eq(gpuown_table_insert(u, 1, o), 0);
	cr_assert_eq(gpuown_obj_put(gpuown_table_remove(u, 1)), 0);
	cr_assert_eq(gpuown_obj_put(gpuown_table_remove(t, 1)), 0);
	cr_assert_eq(gpuown_table_destroy(t), 0);
	cr_assert_eq(gpuown_table_destroy(u), 0);
}

/* ------------------------------------------------------------------------
 * Bindings and the TLB
 */
static struct gpuown_obj *page_obj(const char *name)
{
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = PG,
		.align = PG,
		.name = name,
	};
	struct gpuown_obj *o;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	return o;
}

static const uint64_t BIND_VA = 0x100000000ull;

FX_TEST(binds, free_while_bound)
{
	struct gpuown_obj *o = page_obj("in_buf");
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA);
	struct gpuown_vm *vm;

	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, PG, 0), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	fx_expect(GPUSAN_FREE_WHILE_BOUND, "in_buf");
	/* Twin: unbound (the free is deferred-safe before the invalidate). */
	cr_assert_eq(gpuown_vm_unbind(vm, va, PG), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

FX_TEST(binds, gpu_access_through_stale_translation)
{
	struct gpuown_obj *o = page_obj("in_buf");
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA);
	const struct fx_report *r;
	struct gpuown_vm *vm;
	uint8_t buf[16];

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, PG, 0), 0);
	cr_assert_eq(gpuown_gpu_read(vm, va, buf, 16), 0); /* twin: bound */
	cr_assert_eq(gpuown_vm_unbind(vm, va, PG), 0);
	cr_assert_neq(FX_AT(gpuown_gpu_read(vm, va, buf, 16)), 0);
	r = fx_expect(GPUSAN_STALE_MAPPING, "in_buf");
	cr_assert(strstr(r->text, "use-after-unbind"), "%s", r->text);
	cr_assert(strstr(r->text, "in_buf"), "%s", r->text);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

FX_TEST(binds, gpu_access_after_deferred_free)
{
	struct gpuown_obj *o = page_obj("in_buf");
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA);
	const struct fx_report *r;
	struct gpuown_vm *vm;
	uint8_t buf[16];

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, PG, 0), 0);
	cr_assert_eq(gpuown_vm_unbind(vm, va, PG), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_neq(FX_AT(gpuown_gpu_read(vm, va, buf, 16)), 0);
	r = fx_expect(GPUSAN_STALE_MAPPING, "in_buf");
	cr_assert(strstr(r->text, "Freed by thread"), "%s", r->text);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

FX_TEST(binds, map_beyond_object)
{
	struct gpuown_obj *o = page_obj("in_buf");
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA);
	const struct fx_report *r;
	struct gpuown_vm *vm;

	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(FX_AT(gpuown_vm_bind(vm, va, o, 0, 2 * PG, 0)), -EINVAL);
	r = fx_expect(GPUSAN_OUT_OF_BOUNDS, "in_buf");
	cr_assert_eq(r->op, GPUOWN_OP_BIND);
	/* Twin: the object's own page. */
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, PG, 0), 0);
	cr_assert_eq(gpuown_vm_unbind(vm, va, PG), 0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

static struct gpuown_vm *vm_with_pages(uint32_t page_size)
{
	struct gpuown_vm_config cfg = {.page_size = page_size};
	struct gpuown_vm *vm;

	cr_assert_eq(gpuown_vm_create_cfg(fx_mm, "ctx", &cfg, &vm), 0);
	cr_assert_eq(gpuown_vm_page_size(vm), page_size);
	return vm;
}

static struct gpuown_obj *sized_obj(const char *name, size_t size, size_t align)
{
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = size,
		.align = align,
		.name = name,
		.flags = GPUOWN_ALLOC_ZERO,
	};
	struct gpuown_obj *o;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	return o;
}

FX_TEST(binds, page_size_4k)
{
	struct gpuown_vm *vm = vm_with_pages(4096);
	struct gpuown_obj *o = sized_obj("small_bo", 4096, 4096);
	struct gpuown_obj *n = sized_obj("neighbour", 4096, 4096);
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA + 0x3000);
	gpu_addr_t after = gpuown_gpu_addr_from_u64(BIND_VA + 0x4000);
	uint32_t v = 0x1234, got = 0;

	/* Two small objects may share a 16 KiB backing page. */
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_cpu_write(n, 0, &v, 4), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, 4096, 0), 0);
	cr_assert_eq(gpuown_gpu_write(vm, va, &v, 4), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0), &got, 4), 0);
	cr_assert_eq(got, v);
	/* The next 4 KiB page is not mapped: the GPU faults, gpusan says. */
	cr_assert_eq(FX_AT(gpuown_gpu_read(vm, after, &got, 4)), -EFAULT);
	fx_expect(GPUSAN_WILD_ADDRESS, NULL);
	cr_assert_eq(gpuown_vm_unbind(vm, va, 4096), 0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_obj_free(n), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

FX_TEST(binds, page_size_4k_map_beyond_object)
{
	struct gpuown_vm *vm = vm_with_pages(4096);
	struct gpuown_obj *o = sized_obj("small_bo", 4096, 4096);
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA);

	/* 8 KiB of a 4 KiB object would map its neighbour's bytes. */
	cr_assert_eq(FX_AT(gpuown_vm_bind(vm, va, o, 0, 8192, 0)), -EINVAL);
	fx_expect(GPUSAN_OUT_OF_BOUNDS, "small_bo");
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

FX_TEST(binds, page_size_64k)
{
	struct gpuown_vm *vm = vm_with_pages(65536);
	struct gpuown_obj *o = sized_obj("big_bo", 65536, 65536);
	gpu_addr_t va = gpuown_gpu_addr_from_u64(BIND_VA);
	gpu_addr_t va16 = gpuown_gpu_addr_from_u64(BIND_VA + PG);
	struct gpuown_vm_config bad = {.page_size = 8192};
	struct gpuown_vm *nope;
	uint32_t v = 7, got = 0;

	cr_assert_eq(gpuown_vm_create_cfg(fx_mm, "x", &bad, &nope), -EINVAL);
	/* A 16 KiB-aligned bind is not a 64 KiB page. */
	cr_assert_eq(gpuown_vm_bind(vm, va16, o, 0, 65536, 0), -EINVAL);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, PG, 0), -EINVAL);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, 65536, 0), 0);
	cr_assert_eq(
		gpuown_gpu_write(vm, gpuown_gpu_addr_from_u64(BIND_VA + 0xc000),
				 &v, 4),
		0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0xc000), &got, 4), 0);
	cr_assert_eq(got, v);
	cr_assert_eq(gpuown_vm_unbind(vm, va16, PG), -EINVAL);
	cr_assert_eq(gpuown_vm_unbind(vm, va, 65536), 0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

/* ------------------------------------------------------------------------
 * Completion-gated operations
 */
static struct gpuown_obj *stamps(void)
{
	struct gpuown_obj *s = fx_alloc(&fx_stamps, FW_SHARED, 0);

	cr_assert_eq(gpuown_obj_share(s), 0);
	return s;
}

static void signal_stamp(struct gpuown_obj *s, uint32_t v)
{
	cr_assert_eq(gpuown_fw_store32(fx_mm, fx_fa(s, 0), v), 0);
}

static void put_stamps(struct gpuown_obj *s)
{
	cr_assert_eq(gpuown_obj_detach(s), 0);
	cr_assert_eq(gpuown_obj_free(s), 0);
}

FX_TEST(fences, free_before_completion)
{
	struct gpuown_obj *s = stamps(), *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	int made = __LINE__ + 1;
	struct gpuown_fence f = gpuown_fence_make(s, 0, 5, "job 5 done");
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_busy_until(o, &f), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	r = fx_expect(GPUSAN_FREE_BEFORE_COMPLETION, "fx_buf");
	cr_assert(strstr(r->text, "The fence 'job 5 done'"), "%s", r->text);
	cr_assert(strstr(r->text, "reaching 5 (now 0)"), "%s", r->text);
	assert_names_line(r, made);
	/* Twin: once signalled. */
	signal_stamp(s, 5);
	cr_assert_eq(gpuown_obj_free(o), 0);
	put_stamps(s);
}

FX_TEST(fences, last_put_before_completion)
{
	struct gpuown_obj *s = stamps(), *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	struct gpuown_fence f = gpuown_fence_make(s, 0, 2, "flip");
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_busy_until(o, &f), 0);
	cr_assert_eq(FX_AT(gpuown_obj_put(o)), -EBUSY);
	r = fx_expect(GPUSAN_FREE_BEFORE_COMPLETION, "fx_buf");
	cr_assert_eq(r->op, GPUOWN_OP_PUT);
	signal_stamp(s, 2);
	cr_assert_eq(gpuown_obj_put(o), 0);
	put_stamps(s);
}

FX_TEST(fences, reuse_before_completion)
{
	struct gpuown_obj *s = stamps(), *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	int made = __LINE__ + 1;
	struct gpuown_fence f = gpuown_fence_make(s, 0, 9, "blit");
	const struct fx_report *r;
	uint32_t v = 1;
	void *cpu;

	cr_assert_eq(gpuown_obj_busy_until(o, &f), 0);
	cr_assert_eq(FX_AT(gpuown_cpu_write(o, 0, &v, 4)), -EBUSY);
	r = fx_expect(GPUSAN_REUSE_BEFORE_COMPLETION, "fx_buf");
	assert_names_line(r, made);
	cr_assert_eq(FX_AT(gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, &cpu)),
		     -EBUSY);
	fx_expect(GPUSAN_REUSE_BEFORE_COMPLETION, "fx_buf");
	/* Reads are fine; writes once signalled. */
	cr_assert_eq(gpuown_cpu_read(o, 0, &v, 4), 0);
	signal_stamp(s, 9);
	cr_assert_eq(gpuown_cpu_write(o, 0, &v, 4), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	put_stamps(s);
}

FX_TEST(fences, reclaim_before_completion_names_fence)
{
	struct gpuown_obj *s = stamps(), *o = fx_alloc(&fx_job, FW_PRIV, 0);
	int made = __LINE__ + 1;
	struct gpuown_fence f = gpuown_fence_make(s, 4, 3, "job 3 done");
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_publish(o, &f), 0);
	cr_assert_eq(FX_AT(gpuown_obj_reclaim(o, &f)), -EAGAIN);
	r = fx_expect(GPUSAN_RECLAIM_BEFORE_COMPLETION, "fw_job_desc");
	cr_assert(strstr(r->text, "'job 3 done': stamp fw_stamp_area"), "%s",
		  r->text);
	assert_names_line(r, made);
	cr_assert_eq(gpuown_fw_store32(fx_mm, fx_fa(s, 4), 3), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, &f), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	put_stamps(s);
}

/* ------------------------------------------------------------------------
 * Shared objects back to the CPU
 */
FX_TEST(shared, reclaim_after_detach_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);
	uint32_t v = 0;

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_obj_fw_get(o, NULL), 0);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_SHARED);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0); /* the hold */
	cr_assert_eq(gpuown_obj_detach(o), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0); /* back to the CPU */
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	cr_assert_eq(gpuown_cpu_write(o, 0, &v, 4), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

FX_TEST(shared, detach_while_firmware_holds)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_obj_fw_get(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_obj_detach(o)), -EBUSY);
	r = fx_expect(GPUSAN_DETACH_WHILE_FW_HOLDS, "fw_ring_state");
	cr_assert_eq(r->op, GPUOWN_OP_DETACH);
	cr_assert(strstr(r->text, "holders=1"), "%s", r->text);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_detach(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

FX_TEST(shared, reclaim_before_detach)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_SHARED, 0);

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(FX_AT(gpuown_obj_reclaim(o, NULL)), -EBUSY);
	fx_expect(GPUSAN_DETACH_WHILE_FW_HOLDS, "fw_ring_state");
	cr_assert_eq(gpuown_obj_detach(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

/* ------------------------------------------------------------------------
 * Sized free
 */
FX_TEST(sized, free_size_mismatch)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 256);
	const struct fx_report *r;

	cr_assert_eq(FX_AT(gpuown_obj_free_sized(o, 128)), -EINVAL);
	r = fx_expect(GPUSAN_FREE_SIZE_MISMATCH, "fx_buf");
	cr_assert_eq(r->op, GPUOWN_OP_FREE);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	/* Twin: the allocation's size. */
	cr_assert_eq(gpuown_obj_free_sized(o, 256), 0);
}

/* ------------------------------------------------------------------------
 * Coherency
 */
static struct gpuown_obj *noncoherent(void)
{
	struct gpuown_alloc_args a = {
		.mode = FW_PRIV,
		.size = 256,
		.flags = GPUOWN_ALLOC_NONCOHERENT | GPUOWN_ALLOC_ZERO,
		.fw_dir = GPUOWN_DIR_RW,
		.name = "nc_buf",
	};
	struct gpuown_obj *o;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	return o;
}

FX_TEST(coherency, device_read_unsynced)
{
	struct gpuown_obj *o = noncoherent();
	uint32_t v = 7;

	cr_assert_eq(gpuown_cpu_write(o, 0, &v, 4), 0);
	cr_assert_eq(FX_AT(gpuown_obj_publish(o, NULL)), -EBUSY);
	fx_expect(GPUSAN_DEVICE_READ_UNSYNCED, "nc_buf");
	/* Twin: synced for the device first. */
	cr_assert_eq(gpuown_sync_for_device(o), 0);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_sync_for_cpu(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

FX_TEST(coherency, cpu_read_unsynced)
{
	struct gpuown_obj *o = noncoherent();
	uint32_t v = 0;

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_fw_store32(fx_mm, fx_fa(o, 0), 42), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_cpu_read(o, 0, &v, 4)), -EBUSY);
	fx_expect(GPUSAN_CPU_READ_UNSYNCED, "nc_buf");
	/* Twin: synced for the CPU first. */
	cr_assert_eq(gpuown_sync_for_cpu(o), 0);
	cr_assert_eq(gpuown_cpu_read(o, 0, &v, 4), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

/*
 * On the access path (gpusan paints a non-coherent object's bindings and
 * device-held body so every access takes its slow path): the checks at the
 * hand-over points cannot see a CPU write made while the device already
 * holds the object, nor a device write while the CPU may still read it.
 */
struct nc_bound {
	struct gpuown_obj *o;
	struct gpuown_vm *vm;
	gpu_addr_t va;
};

static void nc_bind(struct nc_bound *b)
{
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = PG,
		.align = PG,
		.flags = GPUOWN_ALLOC_NONCOHERENT | GPUOWN_ALLOC_ZERO,
		.name = "nc_bo",
	};

	b->va = gpuown_gpu_addr_from_u64(0x200000000ull);
	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &b->o), 0);
	cr_assert_eq(gpuown_vm_create(fx_mm, "nc_ctx", &b->vm), 0);
	cr_assert_eq(gpuown_vm_bind(b->vm, b->va, b->o, 0, PG, 0), 0);
}

static void nc_unbind(struct nc_bound *b)
{
	cr_assert_eq(gpuown_vm_unbind(b->vm, b->va, PG), 0);
	gpuown_vm_tlb_invalidated(b->vm);
	cr_assert_eq(gpuown_vm_destroy(b->vm), 0);
	cr_assert_eq(gpuown_sync_for_cpu(b->o), 0);
	cr_assert_eq(gpuown_obj_free(b->o), 0);
}

FX_TEST(coherency, gpu_read_of_unsynced_cpu_write_while_bound)
{
	struct nc_bound b;
	const struct fx_report *r;
	uint32_t v = 7;
	uint8_t buf[16];

	nc_bind(&b);
	/* Bound while clean; written by the CPU afterwards. */
	cr_assert_eq(gpuown_cpu_write(b.o, 0, &v, 4), 0);
	cr_assert_eq(FX_AT(gpuown_gpu_read(b.vm, b.va, buf, 16)), -EACCES);
	r = fx_expect(GPUSAN_DEVICE_READ_UNSYNCED, "nc_bo");
	cr_assert(strstr(r->text, "Read of size 16 at gpu va 0x200000000"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "by GPU"), "%s", r->text);
	cr_assert(strstr(r->text, "[non-coherent: the CPU wrote it after the "
				  "last gpuown_sync_for_device(), the device "
				  "reads stale memory]"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "granule=e0 non-coherent"), "%s", r->text);
	nc_unbind(&b);
}

FX_TEST(coherency, gpu_read_after_sync_for_device_twin)
{
	struct nc_bound b;
	uint32_t v = 7, got = 0;

	nc_bind(&b);
	cr_assert_eq(gpuown_cpu_write(b.o, 0, &v, 4), 0);
	cr_assert_eq(gpuown_sync_for_device(b.o), 0);
	cr_assert_eq(gpuown_gpu_read(b.vm, b.va, &got, 4), 0);
	cr_assert_eq(got, 7);
	nc_unbind(&b);
}

FX_TEST(coherency, cpu_read_of_gpu_write_while_bound)
{
	struct nc_bound b;
	uint32_t v = 9, got = 0;

	nc_bind(&b);
	cr_assert_eq(gpuown_gpu_write(b.vm, b.va, &v, 4), 0);
	/* Still bound: no hand-back yet, the write itself made it dirty. */
	cr_assert_eq(FX_AT(gpuown_cpu_read(b.o, 0, &got, 4)), -EBUSY);
	fx_expect(GPUSAN_CPU_READ_UNSYNCED, "nc_bo");
	/* Twin: synced for the CPU first. */
	cr_assert_eq(gpuown_sync_for_cpu(b.o), 0);
	cr_assert_eq(gpuown_cpu_read(b.o, 0, &got, 4), 0);
	cr_assert_eq(got, 9);
	nc_unbind(&b);
}

static struct gpuown_obj *nc_ring(void)
{
	struct gpuown_alloc_args a = {
		.mode = FW_SHARED,
		.size = 64,
		.flags = GPUOWN_ALLOC_NONCOHERENT | GPUOWN_ALLOC_ZERO,
		.name = "nc_ring",
	};
	struct gpuown_obj *o;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	cr_assert_eq(gpuown_obj_share(o), 0);
	return o;
}

static void nc_ring_free(struct gpuown_obj *o)
{
	cr_assert_eq(gpuown_obj_detach(o), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_sync_for_cpu(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

FX_TEST(coherency, firmware_read_of_unsynced_shared_store)
{
	struct gpuown_obj *o = nc_ring();
	const struct fx_report *r;
	uint32_t v = 0;

	cr_assert_eq(gpuown_shared_store32(o, 0, 5), 0);
	cr_assert_eq(FX_AT(gpuown_fw_load32(fx_mm, fx_fa(o, 0), &v)), -EACCES);
	r = fx_expect(GPUSAN_DEVICE_READ_UNSYNCED, "nc_ring");
	cr_assert(strstr(r->text, "Atomic Read of size 4 at fw addr"), "%s",
		  r->text);
	cr_assert(strstr(r->text, "by firmware"), "%s", r->text);
	cr_assert(strstr(r->text, "located 0 bytes inside of the 64-byte "
				  "region"),
		  "%s", r->text);
	/* Twin: synced for the device first. */
	cr_assert_eq(gpuown_sync_for_device(o), 0);
	cr_assert_eq(gpuown_fw_load32(fx_mm, fx_fa(o, 0), &v), 0);
	cr_assert_eq(v, 5);
	nc_ring_free(o);
}

FX_TEST(coherency, cpu_load_of_unsynced_firmware_store)
{
	struct gpuown_obj *o = nc_ring();
	uint32_t v = 0;

	cr_assert_eq(gpuown_fw_store32(fx_mm, fx_fa(o, 4), 3), 0);
	cr_assert_eq(FX_AT(gpuown_shared_load32(o, 4, &v)), -EBUSY);
	fx_expect(GPUSAN_CPU_READ_UNSYNCED, "nc_ring");
	/* Twin: synced for the CPU first. */
	cr_assert_eq(gpuown_sync_for_cpu(o), 0);
	cr_assert_eq(gpuown_shared_load32(o, 4, &v), 0);
	cr_assert_eq(v, 3);
	nc_ring_free(o);
}

FX_TEST(coherency, write_combined_needs_no_sync_twin)
{
	struct gpuown_alloc_args a = {
		.mode = FW_PRIV,
		.size = 256,
		.flags = GPUOWN_ALLOC_WC,
		.name = "wc_buf",
	};
	struct gpuown_obj *o;
	uint32_t v = 7;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	cr_assert_eq(gpuown_cpu_write(o, 0, &v, 4), 0);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_cpu_read(o, 0, &v, 4), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	a.flags = GPUOWN_ALLOC_WC | GPUOWN_ALLOC_UNCACHED;
	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), -EINVAL);
}

/* ------------------------------------------------------------------------
 * Addresses handed over through a register or a message
 */
FX_TEST(handover, wrong_kind_address)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_PRIV, 0), *got;
	uint64_t va = fx_va(o);
	const struct fx_report *r;

	const enum gpuown_addr_kind k = GPUOWN_ADDR_FW;
	struct gpuown_mm *mm = fx_mm;
	int err;

	err = FX_AT(gpuown_hand_over_addr(mm, k, va, "RING_BASE", &got));
	cr_assert_eq(err, -EINVAL);
	r = fx_expect(GPUSAN_ADDR_KIND_MISMATCH, "fw_ring_state");
	cr_assert(strstr(r->text, "given through RING_BASE as a firmware "
				  "address, is the GPU VA of object "
				  "fw_ring_state"),
		  "%s", r->text);
	cr_assert_null(got);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	/* Twin: the firmware address; the object is handed over. */
	cr_assert_eq(gpuown_hand_over_addr(fx_mm, GPUOWN_ADDR_FW,
					   gpuown_fw_addr_to_u64(fx_fa(o, 0)),
					   "RING_BASE", &got),
		     0);
	cr_assert_eq(got, o);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_FW);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
}

FX_TEST(handover, freed_object)
{
	struct gpuown_obj *o = fx_alloc(&fx_ring, FW_PRIV, 0);
	uint64_t fa = gpuown_fw_addr_to_u64(fx_fa(o, 0));
	const enum gpuown_addr_kind k = GPUOWN_ADDR_FW;
	int err;

	cr_assert_eq(gpuown_obj_free(o), 0);
	err = FX_AT(gpuown_hand_over_addr(fx_mm, k, fa, "MSG", NULL));
	cr_assert_eq(err, -EINVAL);
	fx_expect(GPUSAN_USE_AFTER_FREE, "fw_ring_state");
}

FX_TEST(handover, wild_address)
{
	const enum gpuown_addr_kind k = GPUOWN_ADDR_GPU_VA;
	int err;

	err = FX_AT(gpuown_hand_over_addr(fx_mm, k, 0x1234000ull, "DB", NULL));
	cr_assert_eq(err, -EINVAL);
	fx_expect(GPUSAN_WILD_ADDRESS, NULL);
}
