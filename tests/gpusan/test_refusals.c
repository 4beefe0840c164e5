// SPDX-License-Identifier: MIT
/*
 * Every refusal is exactly one report: the cases fuzz_runtime found (inputs
 * in fuzz/regressions/runtime/). A wild handle with two memory systems
 * watched, a firmware write the page table refuses, a handle of a destroyed
 * memory system, a VM destroyed twice. Each has a silent twin.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "fixture.h"

TestSuite(refusals, .init = fx_setup, .fini = fx_teardown);

/* A second memory system with gpusan attached (reports reach the fixture). */
static struct gpuown_mm *second_mm(void)
{
	struct gpuown_mm_config cfg = {.backing_bytes = 4u << 20};
	struct gpusan_options o;
	struct gpuown_mm *mm = NULL;

	gpusan_options_default(&o);
	o.multi_shot = true;
	o.print = false;
	/* Its objects outlive it on purpose (leak reports: test_reports.c). */
	o.detect_leaks = false;
	cr_assert_eq(gpuown_mm_create(&cfg, &mm), 0);
	cr_assert_eq(gpusan_attach_opts(mm, &o), 0);
	return mm;
}

static void drop_mm(struct gpuown_mm *mm)
{
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
}

static struct gpuown_obj *raw_obj(struct gpuown_mm *mm,
				  enum gpuown_map_mode mode, size_t size)
{
	struct gpuown_alloc_args a = {
		.mode = mode,
		.size = size,
		.align =
			size >= GPUOWN_GPU_PAGE_SIZE ? GPUOWN_GPU_PAGE_SIZE : 0,
		.name = "raw",
	};
	struct gpuown_obj *o = NULL;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	return o;
}

/* Used to be reported once per memory system gpusan watched. */
FX_TEST(refusals, wild_handle_with_two_memory_systems_is_one_report)
{
	struct gpuown_mm *other = second_mm();
	char not_an_object[64];

	cr_assert_eq(FX_AT(gpuown_obj_free((void *)not_an_object)), -EINVAL);
	fx_expect(GPUSAN_INVALID_FREE, NULL);
	fx_expect_none();
	cr_assert_eq(FX_AT(gpuown_shared_store64(NULL, 0, 1)), -EINVAL);
	fx_expect(GPUSAN_WILD_ADDRESS, NULL);
	fx_expect_none();
	drop_mm(other);
}

FX_TEST(refusals, wild_handle_twin_live_handle_is_silent)
{
	struct gpuown_mm *other = second_mm();
	struct gpuown_obj *o = raw_obj(other, GPUOWN_MAP_FW_SHARED, 64);

	cr_assert_eq(gpuown_obj_free(o), 0);
	drop_mm(other);
}

/* Used to return -EACCES with no report: the hook never saw the write. */
FX_TEST(refusals, fw_write_to_read_only_window_is_reported)
{
	struct gpuown_obj *o = raw_obj(fx_mm, GPUOWN_MAP_SHARED_RO, 64);
	uint32_t v = 1;

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_fw_write(fx_mm, fx_fa(o, 0), &v, sizeof(v))),
		     -EACCES);
	fx_expect(GPUSAN_WRITE_AGAINST_DIRECTION, "raw");
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
}

FX_TEST(refusals, fw_read_of_read_only_window_twin_is_silent)
{
	struct gpuown_obj *o = raw_obj(fx_mm, GPUOWN_MAP_SHARED_RO, 64);
	uint32_t v = 0;

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 0), &v, sizeof(v)), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
}

FX_TEST(refusals, gpu_write_through_read_only_binding_is_reported)
{
	struct gpuown_obj *o =
		raw_obj(fx_mm, GPUOWN_MAP_GPU_SHARED, GPUOWN_GPU_PAGE_SIZE);
	gpu_addr_t va = gpuown_gpu_addr_from_u64(0x100000);
	struct gpuown_vm *vm = NULL;
	uint32_t v = 1;

	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, GPUOWN_GPU_PAGE_SIZE,
				    GPUOWN_BIND_READ_ONLY),
		     0);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_gpu_read(vm, va, &v, sizeof(v)), 0);
	fx_expect_none();
	cr_assert_eq(FX_AT(gpuown_gpu_write(vm, va, &v, sizeof(v))), -EACCES);
	fx_expect(GPUSAN_WRITE_AGAINST_DIRECTION, NULL);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_vm_unbind(vm, va, GPUOWN_GPU_PAGE_SIZE), 0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

/* Used to be refused with no report: the object's memory system was gone. */
FX_TEST(refusals, free_of_object_of_destroyed_memory_system_is_reported)
{
	struct gpuown_mm *other = second_mm();
	struct gpuown_obj *o = raw_obj(other, GPUOWN_MAP_FW_SHARED, 64);

	drop_mm(other);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EINVAL);
	fx_expect(GPUSAN_DOUBLE_FREE, NULL);
	cr_assert_eq(FX_AT(gpuown_obj_publish(o, NULL)), -EINVAL);
	fx_expect(GPUSAN_PUBLISH_FREED, NULL);
}

/* Used to be -EINVAL with no report. */
FX_TEST(refusals, vm_destroyed_twice_is_reported)
{
	struct gpuown_vm *vm = NULL;
	const struct fx_report *r;

	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_eq(FX_AT(gpuown_vm_destroy(vm)), -EINVAL);
	r = fx_expect(GPUSAN_DOUBLE_FREE, NULL);
	cr_assert_eq(r->op, GPUOWN_OP_VM_DESTROY);
	cr_assert(strstr(r->text, "Destroy of VM"), "%s", r->text);
}

FX_TEST(refusals, vm_destroyed_once_twin_is_silent)
{
	struct gpuown_vm *vm = NULL;

	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_eq(gpuown_vm_destroy(NULL), -EINVAL); /* argument error */
}
