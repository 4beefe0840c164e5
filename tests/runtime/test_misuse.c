// SPDX-License-Identifier: MIT
/*
 * API misuse that used to crash is reported and refused: a memory system
 * destroyed twice, a GPU access through a destroyed or wild VM pointer, and
 * an object of one memory system bound into a VM of another. Each positive
 * case has a clean twin.
 */
#include "common.h"

static struct gpuown_obj *mk_page_obj(struct gpuown_mm *mm)
{
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = GPUOWN_GPU_PAGE_SIZE,
		.align = GPUOWN_GPU_PAGE_SIZE,
		.name = "page",
	};
	struct gpuown_obj *o = NULL;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	return o;
}

Test(misuse, mm_destroy_twice_is_reported_to_the_others)
{
	struct cap c;
	struct gpuown_mm *watch = mk_mm(&c, 0, 0);
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);

	cr_assert(gpuown_mm_alive(mm));
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
	cr_assert_not(gpuown_mm_alive(mm));
	cr_assert_eq(cap_count(&c, GPUOWN_OP_MM_DESTROY, GPUOWN_V_DOUBLE_FREE),
		     0);
	/* Used to free the memory system a second time. */
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
	expect_event(&c, GPUOWN_OP_MM_DESTROY, -EINVAL, GPUOWN_V_DOUBLE_FREE);
	cr_assert_eq(cap_last(&c)->wild, mm);
	gpuown_mm_destroy(watch);
}

Test(misuse, mm_destroy_once_reports_only_its_own_end)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);

	cr_assert_eq(gpuown_mm_destroy(mm), 0);
	expect_event(&c, GPUOWN_OP_MM_DESTROY, 0, GPUOWN_OK);
}

Test(misuse, destroyed_mm_refuses_hooks_and_allocations)
{
	struct gpuown_alloc_args a = {.size = 64};
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = (void *)1;
	struct cap c;

	gpuown_mm_destroy(mm);
	cap_init(&c);
	gpuown_mm_set_hooks(mm, &c.hooks); /* ignored, not a write to it */
	cr_assert_null(gpuown_mm_hooks(mm));
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL);
	cr_assert_null(o);
}

Test(misuse, gpu_access_through_destroyed_vm_is_reported)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_vm *vm = NULL;
	uint64_t v = 0;

	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_eq(gpuown_gpu_read(vm, gpuown_gpu_addr_from_u64(0x1000), &v,
				     sizeof(v)),
		     -EINVAL);
	expect_event(&c, GPUOWN_OP_GPU_ACCESS, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	cr_assert_eq(cap_last(&c)->wild, vm);
	cr_assert_eq(gpuown_gpu_write(vm, gpuown_gpu_addr_from_u64(0x1000), &v,
				      sizeof(v)),
		     -EINVAL);
	expect_event(&c, GPUOWN_OP_GPU_ACCESS, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	gpuown_mm_destroy(mm);
}

Test(misuse, gpu_access_through_wild_vm_is_reported)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	/* Readable memory that is not a VM: a stack buffer. */
	uint64_t fake[64] = {0};
	uint64_t v = 0;

	cr_assert_eq(gpuown_gpu_read((struct gpuown_vm *)fake,
				     gpuown_gpu_addr_from_u64(0x1000), &v,
				     sizeof(v)),
		     -EINVAL);
	expect_event(&c, GPUOWN_OP_GPU_ACCESS, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	cr_assert_eq(cap_last(&c)->wild, fake);
	gpuown_mm_destroy(mm);
}

Test(misuse, gpu_access_through_live_vm_is_silent)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_vm *vm = NULL;
	uint64_t v = 0;
	unsigned n;

	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	n = c.nev;
	/* Unmapped: an ordinary fault, no misuse. */
	cr_assert_eq(gpuown_gpu_read(vm, gpuown_gpu_addr_from_u64(0x1000), &v,
				     sizeof(v)),
		     -EFAULT);
	cr_assert_eq(c.nev, n);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	gpuown_mm_destroy(mm);
}

Test(misuse, bind_of_another_memory_systems_object_is_refused)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_mm *other = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_page_obj(other);
	struct gpuown_vm *vm = NULL;
	gpu_addr_t va = gpuown_gpu_addr_from_u64(0x100000000ull);
	uint64_t v;

	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	/* Used to return 0 and map the other backing's page offsets. */
	expect_refused(&c,
		       gpuown_vm_bind(vm, va, o, 0, GPUOWN_GPU_PAGE_SIZE, 0),
		       GPUOWN_OP_BIND, -EINVAL, GPUOWN_V_FOREIGN_OBJECT);
	cr_assert_eq(cap_last(&c)->obj, o);
	cr_assert_eq(gpuown_gpu_read(vm, va, &v, sizeof(v)), -EFAULT);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	gpuown_mm_destroy(other);
	gpuown_mm_destroy(mm);
}

Test(misuse, bind_of_own_object_is_accepted)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_page_obj(mm);
	struct gpuown_vm *vm = NULL;
	gpu_addr_t va = gpuown_gpu_addr_from_u64(0x100000000ull);
	uint64_t v;

	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, va, o, 0, GPUOWN_GPU_PAGE_SIZE, 0), 0);
	expect_event(&c, GPUOWN_OP_BIND, 0, GPUOWN_OK);
	cr_assert_eq(gpuown_gpu_read(vm, va, &v, sizeof(v)), 0);
	cr_assert_eq(gpuown_vm_unbind(vm, va, GPUOWN_GPU_PAGE_SIZE), 0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	gpuown_obj_free(o);
	gpuown_mm_destroy(mm);
}
