// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

struct gpuown_mm *fx_mm;
struct fx_report fx_reports[FX_MAX_REPORTS];
unsigned fx_nreports, fx_nseen;
int fx_line;

#define F(n, off, sz, cnt, kind, flags, tgt)                                   \
	{                                                                      \
		n, off, sz, cnt, GPUOWN_FIELD_##kind, flags, tgt               \
	}

static const struct gpuown_field_desc job_fields[] = {
	F("magic_0", 0x0, 4, 1, SCALAR, 0, NULL),
	F("seq_4", 0x4, 4, 1, SCALAR, 0, NULL),
	F("cmdbuf_8", 0x8, 8, 1, GPU_PTR, 0, "fx_buf"),
	F("result_10", 0x10, 8, 1, GPU_PTR, 0, "fx_result"),
	F("raw_va_18", 0x18, 8, 1, SCALAR, 0, NULL),
	F("stamp_value_20", 0x20, 8, 1, SCALAR, 0, NULL),
	F("counts_28", 0x28, 0x20, 8, ARRAY, 0, NULL),
};
const struct gpuown_struct_desc fx_job = {
	.name = "fw_job_desc",
	.variant = "G11_V2_1",
	.size = 0x48,
	.footprint = 0x48,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = job_fields,
	.nr_fields = 7,
};

static const struct gpuown_field_desc buf_fields[] = {
	F("count_0", 0x0, 4, 1, SCALAR, 0, NULL),
	F("pad_4", 0x4, 4, 1, PADDING, 0, NULL),
	F("data_8", 0x8, 0x38, 0x38, ARRAY, 0, NULL),
};
const struct gpuown_struct_desc fx_buf = {
	.name = "fx_buf",
	.variant = "G11_V2_1",
	.size = 0x40,
	.footprint = 0x40,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = buf_fields,
	.nr_fields = 3,
};

static const struct gpuown_field_desc result_fields[] = {
	F("status_0", 0x0, 4, 1, SCALAR, GPUOWN_FIELD_FW_WRITES, NULL),
	F("checksum_4", 0x4, 4, 1, SCALAR, GPUOWN_FIELD_FW_WRITES, NULL),
	F("cookie_8", 0x8, 8, 1, SCALAR, 0, NULL),
};
const struct gpuown_struct_desc fx_result = {
	.name = "fx_result",
	.variant = "G11_V2_1",
	.size = 0x10,
	.footprint = 0x10,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_WRITE,
	.fields = result_fields,
	.nr_fields = 3,
};

static const struct gpuown_field_desc ring_fields[] = {
	F("wptr_0", 0x0, 4, 1, SCALAR, 0, NULL),
	F("rptr_4", 0x4, 4, 1, SCALAR,
	  GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD, NULL),
	F("nr_slots_8", 0x8, 4, 1, SCALAR, 0, NULL),
	F("pad_c", 0xc, 4, 1, PADDING, 0, NULL),
};
const struct gpuown_struct_desc fx_ring = {
	.name = "fw_ring_state",
	.variant = "G11_V2_1",
	.size = 0x10,
	.footprint = 0x10,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = ring_fields,
	.nr_fields = 4,
};

static const struct gpuown_field_desc fp_fields[] = {
	F("head_0", 0x0, 8, 1, SCALAR, 0, NULL),
	F("body_8", 0x8, 0x38, 0x38, ARRAY, 0, NULL),
};
const struct gpuown_struct_desc fx_fp = {
	.name = "fw_scratch",
	.variant = "G12_V3_0",
	.size = 0x40,
	.footprint = 0x80,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = fp_fields,
	.nr_fields = 2,
};

static const struct gpuown_field_desc stamp_fields[] = {
	F("stamp_0", 0x0, 0x40, 0x10, ARRAY,
	  GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD, NULL),
};
const struct gpuown_struct_desc fx_stamps = {
	.name = "fw_stamp_area",
	.variant = "G11_V2_1",
	.size = 0x40,
	.footprint = 0x40,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = stamp_fields,
	.nr_fields = 1,
};

static void fx_on_report(const struct gpusan_report *r, void *ctx)
{
	struct fx_report *x;

	(void)ctx;
	if (fx_nreports >= FX_MAX_REPORTS)
		return;
	x = &fx_reports[fx_nreports++];
	x->cls = r->cls;
	x->is_access = r->is_access;
	x->write = r->write;
	x->op = r->op;
	x->agent = r->agent;
	x->addr = r->addr;
	x->size = r->size;
	x->obj_id = r->obj_id;
	snprintf(x->obj, sizeof(x->obj), "%s", r->obj_name ? r->obj_name : "");
	snprintf(x->field, sizeof(x->field), "%s", r->field ? r->field : "");
	snprintf(x->fn, sizeof(x->fn), "%s", r->function ? r->function : "");
	snprintf(x->loc, sizeof(x->loc), "%s", r->location ? r->location : "");
	x->text = strdup(r->text);
}

void fx_setup_cfg(const struct gpuown_mm_config *cfg,
		  const struct gpusan_options *opts)
{
	fx_nreports = fx_nseen = 0;
	cr_assert_eq(gpuown_mm_create(cfg, &fx_mm), 0);
	gpusan_set_report_callback(fx_on_report, NULL);
	cr_assert_eq(gpusan_attach_opts(fx_mm, opts), 0);
}

void fx_setup_opts(const struct gpusan_options *opts)
{
	struct gpuown_mm_config cfg = {
		.backing_bytes = 16u << 20,
		.redzone = 64,
	};

	fx_setup_cfg(&cfg, opts);
}

void fx_setup(void)
{
	struct gpusan_options o;

	gpusan_options_default(&o);
	o.multi_shot = true;
	/* Reports go to the callback; GPUSAN_TEST_PRINT=1 shows them too. */
	o.print = getenv("GPUSAN_TEST_PRINT") != NULL;
	fx_setup_opts(&o);
}

void fx_teardown(void)
{
	unsigned i, stray = fx_nreports - fx_nseen;
	const char *first = stray ? fx_reports[fx_nseen].text : "";

	if (fx_mm) {
		gpusan_detach(fx_mm);
		gpuown_mm_destroy(fx_mm);
		fx_mm = NULL;
	}
	gpusan_set_report_callback(NULL, NULL);
	/* Only a report made after the body's own check (none expected). */
	if (stray)
		fprintf(stderr, "%u stray gpusan report(s); first:\n%s", stray,
			first);
	for (i = 0; i < fx_nreports; i++)
		free(fx_reports[i].text);
	fx_nreports = fx_nseen = 0;
}

struct gpuown_obj *fx_alloc(const struct gpuown_struct_desc *l,
			    enum gpuown_map_mode mode, size_t size)
{
	struct gpuown_alloc_args a = {
		.mode = mode,
		.size = size,
		.layout = l,
		.flags = GPUOWN_ALLOC_ZERO,
	};
	struct gpuown_obj *o = NULL;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	return o;
}

struct gpuown_obj *fx_alloc_vm(struct gpuown_vm *vm, size_t size,
			       uint32_t flags)
{
	struct gpuown_alloc_args a = {
		.vm = vm,
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = size,
		.flags = flags | GPUOWN_ALLOC_ZERO,
		.name = "user_bo",
	};
	struct gpuown_obj *o = NULL;

	cr_assert_eq(gpuown_obj_alloc(fx_mm, &a, &o), 0);
	return o;
}

uint64_t fx_va(struct gpuown_obj *o)
{
	return gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(o));
}

fw_addr_t fx_fa(struct gpuown_obj *o, uint64_t off)
{
	return gpuown_fw_addr_from_u64(
		gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(o)) + off);
}

const struct fx_report *fx_expect(enum gpusan_class cls, const char *obj)
{
	const struct fx_report *r;
	char want[32];
	size_t n, w;

	cr_assert_gt(fx_nreports, fx_nseen, "expected a %s report, got none",
		     gpusan_class_name(cls));
	r = &fx_reports[fx_nseen++];
	cr_assert_eq(r->cls, cls, "expected %s, got %s:\n%s",
		     gpusan_class_name(cls), gpusan_class_name(r->cls),
		     r->text);
	/* The report must come from exactly the operation on fx_line. */
	snprintf(want, sizeof(want), ":%d", fx_line);
	n = strlen(r->loc);
	w = strlen(want);
	cr_assert(n >= w && !strcmp(r->loc + n - w, want) &&
			  strstr(r->loc, "test_"),
		  "report from %s, expected line %d:\n%s", r->loc, fx_line,
		  r->text);
	if (obj)
		cr_assert_str_eq(r->obj, obj, "%s", r->text);
	cr_assert(strstr(r->text, "BUG: GPUSAN: ") &&
			  strstr(r->text, gpusan_class_name(cls)),
		  "%s", r->text);
	return r;
}

void fx_expect_none(void)
{
	cr_assert_eq(fx_nreports, fx_nseen,
		     "%u stray gpusan report(s); first:\n%s",
		     fx_nreports - fx_nseen, fx_reports[fx_nseen].text);
}
