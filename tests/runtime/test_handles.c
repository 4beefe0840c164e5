// SPDX-License-Identifier: MIT
/*
 * Handle validation: stale handles (freed, released), wild and interior
 * pointers are recognised and reported at every entry point, never
 * dereferenced.
 */
#include <stdlib.h>

#include "common.h"

Test(handles, double_free_of_a_released_object)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);

	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_RELEASED);
	expect_refused(&c, gpuown_obj_free(o), GPUOWN_OP_FREE, -EINVAL,
		       GPUOWN_V_DOUBLE_FREE);
	cr_assert_eq(cap_last(&c)->obj, o, "the stale handle is named");
	cr_assert_eq(cap_last(&c)->from, GPUOWN_STATE_RELEASED);
	cr_assert_eq(cap_last(&c)->wild, o);
	gpuown_mm_destroy(mm);
}

Test(handles, wild_and_interior_pointers)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	struct gpuown_obj *inner = (struct gpuown_obj *)((char *)o + 8);
	long junk[8] = {0};
	struct gpuown_obj *wild = (struct gpuown_obj *)junk;
	void *heap = malloc(512);
	uint32_t v;
	void *cpu;

	expect_refused(&c, gpuown_obj_free(wild), GPUOWN_OP_FREE, -EINVAL,
		       GPUOWN_V_INVALID_FREE);
	cr_assert_null(cap_last(&c)->obj);
	cr_assert_eq(cap_last(&c)->wild, wild);
	expect_refused(&c, gpuown_obj_free(inner), GPUOWN_OP_FREE, -EINVAL,
		       GPUOWN_V_INVALID_FREE);
	expect_refused(&c, gpuown_obj_free(heap), GPUOWN_OP_FREE, -EINVAL,
		       GPUOWN_V_INVALID_FREE);
	expect_refused(&c, gpuown_obj_free(NULL), GPUOWN_OP_FREE, -EINVAL,
		       GPUOWN_V_INVALID_FREE);
	expect_refused(&c, gpuown_obj_publish(wild, NULL), GPUOWN_OP_PUBLISH,
		       -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_obj_reclaim(inner, NULL), GPUOWN_OP_RECLAIM,
		       -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_obj_fw_get(wild, NULL), GPUOWN_OP_FW_GET,
		       -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_obj_share(wild), GPUOWN_OP_SHARE, -EINVAL,
		       GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_obj_detach(wild), GPUOWN_OP_DETACH, -EINVAL,
		       GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_cpu_begin(wild, GPUOWN_DIR_READ, &cpu),
		       GPUOWN_OP_CPU_BEGIN, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_cpu_read(wild, 0, &v, 4),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_shared_load32(wild, 0, &v),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_store_gpu_ptr(o, 0, wild),
		       GPUOWN_OP_STORE_PTR, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_store_gpu_ptr(wild, 0, o),
		       GPUOWN_OP_STORE_PTR, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(&c, gpuown_clear_ptr(wild, 0), GPUOWN_OP_CLEAR_PTR,
		       -EINVAL, GPUOWN_V_WILD_ADDRESS);
	expect_refused(
		&c, gpuown_vm_bind(gpuown_mm_fw_vm(mm), ga(0), wild, 0, 0, 0),
		GPUOWN_OP_BIND, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	gpuown_cpu_end(wild);
	expect_event(&c, GPUOWN_OP_CPU_END, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	/* The memory behind a wild handle was never touched. */
	for (unsigned i = 0; i < 8; i++)
		cr_assert_eq(junk[i], 0);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	free(heap);
	gpuown_mm_destroy(mm);
}

Test(handles, queries_on_stale_and_wild_handles)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	uint64_t va = va_of(o), id = gpuown_obj_id(o);
	long junk[4];
	struct gpuown_obj *wild = (struct gpuown_obj *)junk;

	cr_assert_eq(gpuown_obj_free(o), 0);
	/* Released: the slot still answers, for reports. */
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_RELEASED);
	cr_assert_null(gpuown_obj_cpu(o));
	cr_assert_eq(va_of(o), va);
	cr_assert_eq(gpuown_obj_id(o), id);
	cr_assert_eq(gpuown_obj_size(o), 64);
	/* Wild: nothing. */
	cr_assert_eq(gpuown_obj_state(wild), GPUOWN_STATE_RELEASED);
	cr_assert_null(gpuown_obj_cpu(wild));
	cr_assert_eq(va_of(wild), 0);
	cr_assert_eq(gpuown_obj_size(wild), 0);
	cr_assert_null(gpuown_obj_name(wild));
	cr_assert_null(gpuown_obj_mm(wild));
	cr_assert_eq(gpuown_obj_for_each_referrer(wild, NULL, NULL), 0);
	gpuown_mm_destroy(mm);
}

Test(handles, released_structs_are_not_reused_for_new_objects)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *stale = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64), *o;
	unsigned i;

	cr_assert_eq(gpuown_obj_free(stale), 0);
	for (i = 0; i < 2000; i++) {
		o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 16);
		cr_assert_neq(o, stale, "a stale handle aliases a new object");
		cr_assert_eq(gpuown_obj_free(o), 0);
	}
	expect_refused(&c, gpuown_obj_free(stale), GPUOWN_OP_FREE, -EINVAL,
		       GPUOWN_V_DOUBLE_FREE);
	expect_refused(&c, gpuown_obj_publish(stale, NULL), GPUOWN_OP_PUBLISH,
		       -EINVAL, GPUOWN_V_PUBLISH_FREED);
	expect_refused(&c, gpuown_store_gpu_ptr(stale, 0, stale),
		       GPUOWN_OP_STORE_PTR, -EINVAL, GPUOWN_V_USE_AFTER_FREE);
	gpuown_mm_destroy(mm);
}

Test(handles, wild_reports_reach_every_memory_system)
{
	struct cap c1, c2;
	struct gpuown_mm *a = mk_mm(&c1, 0, 0), *b = mk_mm(&c2, 0, 0);
	int junk;

	cr_assert_eq(gpuown_obj_free((struct gpuown_obj *)&junk), -EINVAL);
	expect_event(&c1, GPUOWN_OP_FREE, -EINVAL, GPUOWN_V_INVALID_FREE);
	expect_event(&c2, GPUOWN_OP_FREE, -EINVAL, GPUOWN_V_INVALID_FREE);
	gpuown_mm_destroy(a);
	gpuown_mm_destroy(b);
}

Test(handles, stale_handle_after_the_memory_system_is_gone)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 64);

	cr_assert_eq(gpuown_mm_destroy(mm), 1);
	cr_assert_eq(gpuown_obj_free(o), -EINVAL);
	cr_assert_eq(gpuown_obj_publish(o, NULL), -EINVAL);
	cr_assert_null(gpuown_obj_mm(o));
}

Test(handles, wild_and_destroyed_vms)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_GPU_SHARED, 64);
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_GPU_SHARED,
				      .size = 64};
	long junk[16] = {0};
	struct gpuown_vm *wild = (struct gpuown_vm *)junk, *vm;
	struct gpuown_obj *n;

	expect_refused(&c, gpuown_vm_bind(wild, ga(1ull << 32), o, 0, 0, 0),
		       GPUOWN_OP_BIND, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	cr_assert_eq(cap_last(&c)->wild, wild);
	expect_refused(&c, gpuown_vm_unbind(wild, ga(1ull << 32), 16384),
		       GPUOWN_OP_UNBIND, -EINVAL, GPUOWN_V_WILD_ADDRESS);
	cr_assert_eq(gpuown_vm_destroy(wild), -EINVAL);
	gpuown_vm_tlb_invalidated(wild);
	cr_assert_null(gpuown_vm_name(wild));
	cr_assert_eq(gpuown_vm_id(wild), 0);
	cr_assert_null(gpuown_obj_lookup_va(mm, wild, ga(0)));
	a.vm = wild;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &n), -EINVAL);
	/* A destroyed VM is as good as wild. */
	cr_assert_eq(gpuown_vm_create(mm, "gone", &vm), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), -EINVAL);
	for (unsigned i = 0; i < 16; i++)
		cr_assert_eq(junk[i], 0);
	cr_assert_eq(gpuown_vm_destroy(gpuown_mm_fw_vm(mm)), -EINVAL);
	gpuown_mm_destroy(mm);
}
