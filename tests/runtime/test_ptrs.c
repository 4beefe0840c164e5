// SPDX-License-Identifier: MIT
/*
 * Tracked pointer stores: field kind and type checks, weak fields, edge
 * bookkeeping, and the dangling rules at free and publish.
 */
#include <stddef.h>

#include "common.h"

static const struct gpuown_field_desc cmdbuf_fields[] = {
	{"addr_0", 0, 8, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
	{"len_8", 8, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
	{"flags_c", 0xc, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
};

static const struct gpuown_struct_desc cmdbuf_desc = {
	.name = "fw_cmdbuf",
	.variant = "T",
	.size = 0x10,
	.footprint = 0x10,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = cmdbuf_fields,
	.nr_fields = 3,
};

static const struct gpuown_struct_desc ctx_desc = {
	.name = "fw_ctx",
	.variant = "T",
	.size = 0x20,
	.footprint = 0x20,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_RW,
};

static const struct gpuown_field_desc job_fields[] = {
	{"magic_0", 0, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
	{"flags_4", 4, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
	{"cmdbuf_8", 8, 8, 1, GPUOWN_FIELD_GPU_PTR, 0, "fw_cmdbuf"},
	{"prev_10", 0x10, 8, 1, GPUOWN_FIELD_GPU_PTR, GPUOWN_FIELD_WEAK,
	 "fw_job_desc"},
	{"ctx_18", 0x18, 8, 1, GPUOWN_FIELD_FW_PTR, 0, "fw_ctx"},
	{"bufs_20", 0x20, 16, 2, GPUOWN_FIELD_GPU_PTR, 0, "fw_cmdbuf"},
};

static const struct gpuown_struct_desc job_desc = {
	.name = "fw_job_desc",
	.variant = "T",
	.size = 0x30,
	.footprint = 0x40,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = job_fields,
	.nr_fields = 6,
};

struct fixture {
	struct cap c;
	struct gpuown_mm *mm;
	struct gpuown_obj *job, *cb, *ctx;
};

static struct fixture *fx_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->mm = mk_mm(&f->c, 0, 0);
	f->job = mk_obj_ex(f->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &job_desc);
	f->cb = mk_obj_ex(f->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &cmdbuf_desc);
	f->ctx = mk_obj_ex(f->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &ctx_desc);
	return f;
}

static void fx_free(struct fixture *f)
{
	gpuown_mm_destroy(f->mm);
	free(f);
}

static uint64_t word_at(struct gpuown_obj *o, size_t off)
{
	uint64_t v = 0;

	cr_assert_eq(
		gpuown_fw_read(gpuown_obj_mm(o), fa(fa_of(o) + off), &v, 8), 0);
	return v;
}

struct seen {
	unsigned n;
	struct gpuown_ptr_edge e[8];
};

static void collect(const struct gpuown_ptr_edge *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->e[s->n] = *e;
	s->n++;
}

Test(ptrs, store_writes_the_address_and_records_the_edge)
{
	struct fixture *f = fx_new();
	const struct gpuown_event *ev;
	struct seen s = {0};

	cr_assert_eq(gpuown_obj_size(f->job), 0x40, "covers the footprint");
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, f->cb), 0);
	cr_assert_eq(word_at(f->job, 8), va_of(f->cb));
	ev = cap_last(&f->c);
	cr_assert_eq(ev->op, GPUOWN_OP_STORE_PTR);
	cr_assert_eq(ev->edge->container, f->job);
	cr_assert_eq(ev->edge->target, f->cb);
	cr_assert_eq(ev->edge->offset, 8);
	cr_assert_str_eq(ev->edge->field->name, "cmdbuf_8");
	cr_assert_not(ev->edge->fw_addr);
	cr_assert_eq(gpuown_obj_for_each_referrer(f->cb, collect, &s), 1);
	cr_assert_eq(s.e[0].container, f->job);
	cr_assert_eq(gpuown_obj_for_each_pointee(f->job, NULL, NULL), 1);
	/* Firmware pointer fields get the firmware address. */
	cr_assert_eq(gpuown_store_fw_ptr(f->job, 0x18, f->ctx), 0);
	cr_assert_eq(word_at(f->job, 0x18), fa_of(f->ctx));
	cr_assert(cap_last(&f->c)->edge->fw_addr);
	/* Array of pointers: each element is a field slot. */
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 0x28, f->cb), 0);
	cr_assert_eq(gpuown_obj_for_each_referrer(f->cb, NULL, NULL), 2);
	cr_assert_eq(gpuown_obj_for_each_pointee(f->job, NULL, NULL), 3);
	fx_free(f);
}

Test(ptrs, typed_store_macro)
{
	struct fixture *f = fx_new();
	struct job_layout {
		uint32_t magic, flags;
		uint64_t cmdbuf, prev, ctx;
	};

	cr_assert_eq(GPUOWN_STORE_PTR(f->job, struct job_layout, cmdbuf, f->cb),
		     0);
	cr_assert_eq(
		GPUOWN_STORE_FW_PTR(f->job, struct job_layout, ctx, f->ctx), 0);
	cr_assert_eq(GPUOWN_CLEAR_PTR(f->job, struct job_layout, cmdbuf), 0);
	cr_assert_eq(word_at(f->job, 8), 0);
	fx_free(f);
}

Test(ptrs, field_kind_and_target_type_are_checked)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *raw = mk_obj(f->mm, GPUOWN_MAP_FW_PRIVATE, 64);
	struct gpuown_vm *vm;
	struct gpuown_obj *user;
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_GPU_SHARED,
				      .size = 64};

	expect_refused(&f->c, gpuown_store_gpu_ptr(f->job, 8, f->ctx),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	cr_assert_eq(cap_last(&f->c)->edge->offset, 8);
	expect_refused(&f->c, gpuown_store_gpu_ptr(f->job, 0x18, f->ctx),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	expect_refused(&f->c, gpuown_store_fw_ptr(f->job, 8, f->cb),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	expect_refused(&f->c, gpuown_store_gpu_ptr(f->job, 0, f->cb),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	expect_refused(&f->c, gpuown_store_gpu_ptr(f->job, 0x40, f->cb),
		       GPUOWN_OP_STORE_PTR, -EINVAL, GPUOWN_V_OUT_OF_BOUNDS);
	expect_refused(&f->c, gpuown_store_gpu_ptr(f->job, 0xc, f->cb),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	cr_assert_eq(word_at(f->job, 8) & 0xff, GPUOWN_POISON_ALLOC,
		     "nothing written");
	/* An object without a firmware address cannot go in a fw_ptr. */
	cr_assert_eq(gpuown_vm_create(f->mm, "ctx", &vm), 0);
	a.vm = vm;
	cr_assert_eq(gpuown_obj_alloc(f->mm, &a, &user), 0);
	expect_refused(&f->c, gpuown_store_fw_ptr(raw, 0, user),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	/* Raw bytes fit any pointed-to type; raw containers take any slot. */
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, raw), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(raw, 56, f->ctx), 0);
	expect_refused(&f->c, gpuown_store_gpu_ptr(raw, 4, f->ctx),
		       GPUOWN_OP_STORE_PTR, -EINVAL,
		       GPUOWN_V_PTR_TYPE_MISMATCH);
	expect_refused(&f->c, gpuown_store_gpu_ptr(raw, 60, f->ctx),
		       GPUOWN_OP_STORE_PTR, -EINVAL, GPUOWN_V_OUT_OF_BOUNDS);
	expect_refused(&f->c, gpuown_clear_ptr(f->job, 4), GPUOWN_OP_CLEAR_PTR,
		       -EINVAL, GPUOWN_V_PTR_TYPE_MISMATCH);
	fx_free(f);
}

Test(ptrs, weak_fields_are_written_but_not_tracked)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *prev =
		mk_obj_ex(f->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &job_desc);

	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 0x10, prev), 0);
	cr_assert_eq(word_at(f->job, 0x10), va_of(prev));
	cr_assert_eq(gpuown_obj_for_each_referrer(prev, NULL, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(f->job, NULL), 0);
	/* A back reference does not keep its target alive. */
	cr_assert_eq(gpuown_obj_free(prev), 0);
	fx_free(f);
}

Test(ptrs, overwrite_and_clear_replace_the_edge)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *cb2 =
		mk_obj_ex(f->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &cmdbuf_desc);

	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, f->cb), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, cb2), 0);
	cr_assert_eq(gpuown_obj_for_each_referrer(f->cb, NULL, NULL), 0);
	cr_assert_eq(gpuown_obj_for_each_referrer(cb2, NULL, NULL), 1);
	cr_assert_eq(gpuown_obj_for_each_pointee(f->job, NULL, NULL), 1);
	cr_assert_eq(gpuown_clear_ptr(f->job, 8), 0);
	expect_event(&f->c, GPUOWN_OP_CLEAR_PTR, 0, GPUOWN_OK);
	cr_assert_eq(word_at(f->job, 8), 0);
	cr_assert_eq(gpuown_obj_for_each_referrer(cb2, NULL, NULL), 0);
	cr_assert_eq(gpuown_obj_for_each_pointee(f->job, NULL, NULL), 0);
	fx_free(f);
}

Test(ptrs, container_must_be_cpu_owned_or_shared)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *g = mk_obj_ex(f->mm, GPUOWN_MAP_GPU_SHARED, 64,
					 GPUOWN_ALLOC_NO_CPU_MAP, NULL);
	struct gpuown_obj *ring = mk_obj(f->mm, GPUOWN_MAP_FW_SHARED, 64);

	cr_assert_eq(gpuown_obj_publish(f->cb, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(f->job, NULL), 0);
	expect_refused(&f->c, gpuown_store_gpu_ptr(f->job, 8, f->cb),
		       GPUOWN_OP_STORE_PTR, -EPERM,
		       GPUOWN_V_CPU_WRITE_FW_OWNED);
	expect_refused(&f->c, gpuown_clear_ptr(f->job, 8), GPUOWN_OP_CLEAR_PTR,
		       -EPERM, GPUOWN_V_CPU_WRITE_FW_OWNED);
	expect_refused(&f->c, gpuown_store_gpu_ptr(g, 0, f->cb),
		       GPUOWN_OP_STORE_PTR, -EPERM,
		       GPUOWN_V_CPU_ACCESS_GPU_ONLY);
	cr_assert_eq(gpuown_obj_share(ring), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(ring, 8, f->cb), 0, "shared is fine");
	cr_assert_eq(gpuown_obj_reclaim(f->job, NULL), 0);
	cr_assert_eq(gpuown_obj_free(f->ctx), 0);
	expect_refused(&f->c, gpuown_store_fw_ptr(f->job, 0x18, f->ctx),
		       GPUOWN_OP_STORE_PTR, -EINVAL, GPUOWN_V_USE_AFTER_FREE);
	fx_free(f);
}

Test(ptrs, free_of_a_target_held_by_a_published_container_is_refused)
{
	struct fixture *f = fx_new();
	const struct gpuown_event *ev;

	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, f->cb), 0);
	cr_assert_eq(gpuown_obj_publish(f->cb, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(f->job, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(f->cb, NULL), 0);
	expect_refused(&f->c, gpuown_obj_free(f->cb), GPUOWN_OP_FREE, -EBUSY,
		       GPUOWN_V_DANGLING_AT_FREE);
	ev = cap_last(&f->c);
	cr_assert_not_null(ev->edge);
	cr_assert_eq(ev->edge->container, f->job);
	cr_assert_eq(ev->edge->target, f->cb);
	cr_assert_str_eq(ev->edge->field->name, "cmdbuf_8");
	cr_assert_eq(gpuown_obj_state(f->cb), GPUOWN_STATE_CPU);
	/* Once the job is reclaimed the free goes through. */
	cr_assert_eq(gpuown_obj_reclaim(f->job, NULL), 0);
	cr_assert_eq(gpuown_obj_free(f->cb), 0);
	fx_free(f);
}

Test(ptrs, free_of_a_target_held_by_a_shared_container_is_refused)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *ring = mk_obj(f->mm, GPUOWN_MAP_FW_SHARED, 64);

	cr_assert_eq(gpuown_obj_publish(f->cb, NULL), 0);
	cr_assert_eq(gpuown_obj_share(ring), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(ring, 16, f->cb), 0);
	cr_assert_eq(gpuown_obj_reclaim(f->cb, NULL), 0);
	expect_refused(&f->c, gpuown_obj_free(f->cb), GPUOWN_OP_FREE, -EBUSY,
		       GPUOWN_V_DANGLING_AT_FREE);
	cr_assert_eq(cap_last(&f->c)->edge->container, ring);
	cr_assert_eq(gpuown_clear_ptr(ring, 16), 0);
	cr_assert_eq(gpuown_obj_free(f->cb), 0);
	fx_free(f);
}

Test(ptrs, dangling_edge_blocks_publish_and_share)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *cb2 =
		mk_obj_ex(f->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &cmdbuf_desc);
	struct gpuown_obj *ring = mk_obj(f->mm, GPUOWN_MAP_FW_SHARED, 64);

	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, f->cb), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(ring, 0, f->cb), 0);
	/* The containers are CPU-owned: the free proceeds, edges dangle. */
	cr_assert_eq(gpuown_obj_free(f->cb), 0);
	cr_assert_eq(gpuown_obj_for_each_pointee(f->job, NULL, NULL), 1);
	expect_refused(&f->c, gpuown_obj_publish(f->job, NULL),
		       GPUOWN_OP_PUBLISH, -ENOLINK, GPUOWN_V_PUBLISH_DANGLING);
	cr_assert_eq(cap_last(&f->c)->edge->target, f->cb);
	cr_assert_eq(cap_last(&f->c)->edge->offset, 8);
	expect_refused(&f->c, gpuown_obj_share(ring), GPUOWN_OP_SHARE, -ENOLINK,
		       GPUOWN_V_PUBLISH_DANGLING);
	/* Point it at a live, published command buffer and try again. */
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, cb2), 0);
	cr_assert_eq(gpuown_obj_publish(cb2, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(f->job, NULL), 0);
	cr_assert_eq(gpuown_clear_ptr(ring, 0), 0);
	cr_assert_eq(gpuown_obj_share(ring), 0);
	fx_free(f);
}

Test(ptrs, publish_with_an_unpublished_target_is_refused)
{
	struct fixture *f = fx_new();
	struct gpuown_obj *g = mk_obj_ex(f->mm, GPUOWN_MAP_GPU_SHARED, 64,
					 GPUOWN_ALLOC_NO_CPU_MAP, NULL);
	struct gpuown_obj *shared = mk_obj(f->mm, GPUOWN_MAP_FW_SHARED, 64);

	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, f->cb), 0);
	expect_refused(&f->c, gpuown_obj_publish(f->job, NULL),
		       GPUOWN_OP_PUBLISH, -EPERM, GPUOWN_V_PUBLISH_UNPUBLISHED);
	cr_assert_eq(cap_last(&f->c)->edge->target, f->cb);
	cr_assert_eq(gpuown_obj_state(f->job), GPUOWN_STATE_CPU);
	/* GPU-only and shared targets need no publish. */
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 0x20, g), 0);
	cr_assert_eq(gpuown_obj_share(shared), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 0x28, shared), 0);
	cr_assert_eq(gpuown_obj_publish(f->cb, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(f->job, NULL), 0);
	fx_free(f);
}

Test(ptrs, freeing_a_container_drops_its_edges)
{
	struct fixture *f = fx_new();

	cr_assert_eq(gpuown_store_gpu_ptr(f->job, 8, f->cb), 0);
	cr_assert_eq(gpuown_store_fw_ptr(f->job, 0x18, f->ctx), 0);
	cr_assert_eq(gpuown_obj_free(f->job), 0);
	cr_assert_eq(gpuown_obj_for_each_referrer(f->cb, NULL, NULL), 0);
	cr_assert_eq(gpuown_obj_for_each_referrer(f->ctx, NULL, NULL), 0);
	cr_assert_eq(gpuown_obj_free(f->cb), 0);
	cr_assert_eq(gpuown_obj_free(f->ctx), 0);
	fx_free(f);
}
