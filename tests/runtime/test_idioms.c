// SPDX-License-Identifier: MIT
/*
 * The kernel idioms in the object model alone (no gpusan): the event of each
 * operation (op, errno, violation, refs, fence, note) and argument errors.
 * The reports these events become are tested in tests/gpusan/test_idioms.c.
 */
#include <gpuown/table.h>

#include "common.h"

static struct gpuown_obj *stamp_obj(struct gpuown_mm *mm)
{
	struct gpuown_obj *s = mk_obj_ex(mm, GPUOWN_MAP_FW_SHARED, 64,
					 GPUOWN_ALLOC_ZERO, NULL);

	cr_assert_eq(gpuown_obj_share(s), 0);
	return s;
}

Test(idioms, references_and_events)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);

	cr_assert_eq(gpuown_obj_refs(o), 1);
	cr_assert_eq(gpuown_obj_get(o), 0);
	expect_event(&c, GPUOWN_OP_GET, 0, GPUOWN_OK);
	cr_assert_eq(cap_last(&c)->refs, 2);
	cr_assert_eq(gpuown_obj_put(o), 0);
	expect_event(&c, GPUOWN_OP_PUT, 0, GPUOWN_OK);
	cr_assert_eq(cap_last(&c)->refs, 1);
	cr_assert_eq(cap_last(&c)->to, GPUOWN_STATE_CPU);
	cr_assert_eq(gpuown_obj_put(o), 0);
	cr_assert_eq(cap_last(&c)->to, GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(cap_last(&c)->refs, 0);
	expect_refused(&c, gpuown_obj_get(o), GPUOWN_OP_GET, -EINVAL,
		       GPUOWN_V_USE_AFTER_FREE);
	cr_assert_not_null(cap_last(&c)->note);
	expect_refused(&c, gpuown_obj_put(o), GPUOWN_OP_PUT, -EINVAL,
		       GPUOWN_V_USE_AFTER_FREE);
	/* Wild handles are refused without a dereference. */
	cr_assert_eq(gpuown_obj_get((struct gpuown_obj *)&c), -EINVAL);
	cr_assert_eq(gpuown_obj_put(NULL), -EINVAL);
	cr_assert_eq(gpuown_obj_refs(NULL), 0);
	gpuown_mm_destroy(mm);
}

Test(idioms, tables_arguments)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	struct gpuown_table *t = NULL;
	unsigned i;

	cr_assert_eq(gpuown_table_create(NULL, "x", &t), -EINVAL);
	cr_assert_null(t);
	cr_assert_eq(gpuown_table_create(mm, NULL, NULL), -EINVAL);
	cr_assert_eq(gpuown_table_insert(NULL, 1, o), -EINVAL);
	cr_assert_null(gpuown_table_lookup(NULL, 1));
	cr_assert_null(gpuown_table_lookup_get(NULL, 1));
	cr_assert_null(gpuown_table_remove(NULL, 1));
	cr_assert_eq(gpuown_table_count(NULL), 0);
	cr_assert_eq(gpuown_table_destroy(NULL), -EINVAL);
	/* Many keys: the table grows; one object under many keys needs as
	 * many references. */
	cr_assert_eq(gpuown_table_create(mm, "many", &t), 0);
	for (i = 0; i < 40; i++) {
		cr_assert_eq(gpuown_obj_get(o), 0);
		cr_assert_eq(gpuown_table_insert(t, i, o), 0);
		expect_event(&c, GPUOWN_OP_INSERT, 0, GPUOWN_OK);
	}
	cr_assert_eq(gpuown_table_count(t), 40);
	cr_assert_eq(gpuown_obj_refs(o), 41);
	for (i = 0; i < 40; i++) {
		cr_assert_eq(gpuown_table_remove(t, i), o);
		expect_event(&c, GPUOWN_OP_REMOVE, 0, GPUOWN_OK);
		cr_assert_eq(gpuown_obj_put(o), 0);
	}
	cr_assert_eq(gpuown_table_destroy(t), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_mm_destroy(mm);
}

Test(idioms, busy_until_arguments_and_gates)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *st = stamp_obj(mm);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	struct gpuown_fence a = gpuown_fence_make(st, 0, 1, "a");
	struct gpuown_fence b = gpuown_fence_make(st, 4, 2, NULL);
	struct gpuown_fence bad = gpuown_fence_make(st, 62, 1, "unaligned");

	cr_assert_eq(a.created != NULL, true);
	cr_assert_eq(gpuown_obj_busy_until(o, NULL), -EINVAL);
	cr_assert_eq(gpuown_obj_busy_until(o, &bad), -EINVAL);
	expect_event(&c, GPUOWN_OP_BUSY, -EINVAL, GPUOWN_OK);
	cr_assert_eq(gpuown_obj_busy_until(o, &a), 0);
	cr_assert_eq(gpuown_obj_busy_until(o, &b), 0);
	expect_refused(&c, gpuown_obj_free(o), GPUOWN_OP_FREE, -EBUSY,
		       GPUOWN_V_FREE_BEFORE_COMPLETION);
	cr_assert_eq(cap_last(&c)->fence->stamp, st);
	/* One reached: the other still gates. */
	cr_assert_eq(gpuown_fw_store32(mm, fa(fa_of(st)), 1), 0);
	expect_refused(&c, gpuown_obj_free(o), GPUOWN_OP_FREE, -EBUSY,
		       GPUOWN_V_FREE_BEFORE_COMPLETION);
	cr_assert_eq(cap_last(&c)->fence->offset, 4);
	cr_assert(strstr(cap_last(&c)->note, "unknown") == NULL);
	cr_assert_eq(gpuown_fw_store32(mm, fa(fa_of(st) + 4), 2), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	/* A fence reached already gates nothing. */
	o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	cr_assert_eq(gpuown_obj_busy_until(o, &a), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_obj_detach(st), 0);
	cr_assert_eq(gpuown_obj_free(st), 0);
	gpuown_mm_destroy(mm);
}

Test(idioms, alloc_memory_types)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o;
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_FW_PRIVATE,
				      .size = 64};

	a.flags = GPUOWN_ALLOC_UNCACHED | GPUOWN_ALLOC_NONCOHERENT;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL);
	a.flags = GPUOWN_ALLOC_UNCACHED;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	cr_assert_eq(gpuown_sync_for_device(o), 0);
	cr_assert_eq(gpuown_sync_for_cpu(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_sync_for_cpu(o), -EINVAL);
	gpuown_mm_destroy(mm);
}

Test(idioms, hand_over_arguments)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128), *got;

	cr_assert_eq(gpuown_hand_over_addr(NULL, GPUOWN_ADDR_FW, fa_of(o), "r",
					   &got),
		     -EINVAL);
	cr_assert_eq(gpuown_hand_over_addr(mm, (enum gpuown_addr_kind)7,
					   fa_of(o), "r", &got),
		     -EINVAL);
	/* An interior address names the object too; a GPU VA of it works. */
	cr_assert_eq(gpuown_hand_over_addr(mm, GPUOWN_ADDR_GPU_VA, va_of(o) + 8,
					   NULL, &got),
		     0);
	cr_assert_eq(got, o);
	expect_event(&c, GPUOWN_OP_HAND_OVER, 0, GPUOWN_OK);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_FW);
	/* Already the firmware's: it stays so, no second hold. */
	cr_assert_eq(
		gpuown_hand_over_addr(mm, GPUOWN_ADDR_FW, fa_of(o), "r", NULL),
		0);
	cr_assert_eq(gpuown_obj_fw_holders(o), 1);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_mm_destroy(mm);
}

Test(idioms, free_sized_accepts_requested_or_rounded)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 100);

	cr_assert_eq(gpuown_obj_free_sized(o, 99), -EINVAL);
	cr_assert_eq(gpuown_obj_free_sized(o, 100), 0);
	cr_assert_eq(gpuown_obj_free_sized(o, 100), -EINVAL); /* double */
	gpuown_mm_destroy(mm);
}
