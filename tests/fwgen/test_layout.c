// SPDX-License-Identifier: MIT
/*
 * The sample set's layouts, checked three ways: hand-written _Static_asserts
 * against the generated C structs (independent of fwgen's own asserts), the
 * descriptor tables against hand-written expectations, and the run-time
 * lookups of layout.h (variant selection, struct and field lookup).
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include <gpuown_fw/sample.h>

/* ---- the C structs themselves ------------------------------------------ */

#define OFF(s, v, f) offsetof(struct s##__##v, f)
_Static_assert(sizeof(struct fw_job_desc__G10_V1_0) == 0x70, "job V1_0");
_Static_assert(sizeof(struct fw_job_desc__G11_V2_1) == 0x88, "job V2_1");
_Static_assert(sizeof(struct fw_job_desc__G12_V3_0) == 0x90, "job V3_0");
_Static_assert(OFF(fw_job_desc, G10_V1_0, stamp_value_18) == 0x18, "stamp");
_Static_assert(OFF(fw_job_desc, G11_V2_1, stamp_value_18) == 0x20, "stamp");
_Static_assert(OFF(fw_job_desc, G12_V3_0, pad_8c) == 0x8c, "tail pad");
/* Versioned const as an array size. */
_Static_assert(sizeof(((struct fw_job_desc__G11_V1_2 *)0)->counts_20) == 0x50,
	       "0x14 slots");
_Static_assert(sizeof(((struct fw_job_desc__G10_V2_1 *)0)->counts_20) == 0x60,
	       "0x18 slots");
_Static_assert(sizeof(((struct fw_job_desc__G12_V3_0 *)0)->counts_20) == 0x64,
	       "0x19 slots");
/* The pad moves from before the array to after it. */
_Static_assert(OFF(fw_event_msg, G10_V1_0, pad_8) == 0x8, "pad first");
_Static_assert(OFF(fw_event_msg, G10_V1_0, words_10) == 0x10, "then words");
_Static_assert(OFF(fw_event_msg, G10_V2_1, words_10) == 0x8, "words first");
_Static_assert(OFF(fw_event_msg, G10_V2_1, pad_8) == 0x10, "then pad");
_Static_assert(OFF(fw_event_msg, G11_V2_1, pad_8) == 0x18, "4 words");
/* Nested struct by value, generation-gated fields. */
_Static_assert(OFF(fw_ctx_info, G10_V1_0, ring_copy_10) == 0x10, "nested");
_Static_assert(sizeof(((struct fw_ctx_info__G12_V3_0 *)0)->ring_copy_10) ==
		       0x10,
	       "nested size");
_Static_assert(OFF(fw_ctx_info, G10_V1_0, fault_addr_128) == 0x128, "G10");
_Static_assert(OFF(fw_ctx_info, G11_V1_2, fault_addr_128) == 0x130, "G11");
/* Enum values renumber after a gated value. */
_Static_assert(FW_MSG_SUBMIT__G10_V1_0 == 2, "no FLUSH before V2_0");
_Static_assert(FW_MSG_SUBMIT__G10_V2_1 == 3, "FLUSH inserted");
_Static_assert(FW_MSG_DESTROY__G10_V1_0 == 3, "no STATS on G10");
_Static_assert(FW_MSG_DESTROY__G11_V1_2 == 4, "STATS on G11");
_Static_assert(FW_MSG_DESTROY__G11_V2_1 == 5, "both");
_Static_assert(FW_MSG_DEBUG__G12_V3_0 == 0x40, "explicit value");
_Static_assert(FW_JOB_SLOTS__G12_V3_0 == 0x19, "versioned const");
/* The sample's predicates, per variant (axes.fwdef). */
#define P(c, a, b, d, e, f, g)                                                 \
	_Static_assert(c##__G10_V1_0 == a && c##__G11_V1_2 == b &&             \
			       c##__G10_V2_1 == d && c##__G11_V2_1 == e &&     \
			       c##__G12_V2_0 == f && c##__G12_V3_0 == g,       \
		       #c)
P(FW_P_NOT, 0, 0, 0, 1, 1, 1);	     /* !(G <= G10) && V != V1_2 */
P(FW_P_GT, 0, 0, 1, 1, 0, 1);	     /* V > V2_0 */
P(FW_P_NESTED, 0, 0, 0, 1, 0, 0);    /* !(V < V2_0 || G == G12) && (...) */
P(FW_EVENT_WORDS, 2, 2, 2, 4, 4, 4); /* G == G12 || (G >= G11 && ...) */
P(FW_JOB_SLOTS, 0x14, 0x14, 0x18, 0x18, 0x18, 0x19);
#undef P
_Static_assert(FW_VARIANT_COUNT == 6, "six variants");

/* ---- descriptor tables -------------------------------------------------- */

static const char *const variants[] = {"G10_V1_0", "G11_V1_2", "G10_V2_1",
				       "G11_V2_1", "G12_V2_0", "G12_V3_0"};

struct expect_size {
	const char *name;
	uint32_t size[6], footprint[6];
};

static const struct expect_size sizes[] = {
	{"fw_job_desc",
	 {0x70, 0x70, 0x88, 0x88, 0x88, 0x90},
	 {0x100, 0x100, 0x100, 0x100, 0x100, 0x100}},
	{"fw_event_msg",
	 {0x20, 0x20, 0x20, 0x28, 0x28, 0x28},
	 {0x30, 0x30, 0x30, 0x30, 0x40, 0x40}},
	{"fw_ctx_info",
	 {0x130, 0x138, 0x130, 0x138, 0x138, 0x138},
	 {0x130, 0x138, 0x130, 0x138, 0x138, 0x138}},
	{"fw_ring_state",
	 {0x10, 0x10, 0x10, 0x10, 0x10, 0x10},
	 {0x10, 0x10, 0x10, 0x10, 0x10, 0x10}},
	{"fw_stamp", {8, 8, 8, 8, 8, 8}, {8, 8, 8, 8, 8, 8}},
	{"fw_cmdbuf",
	 {0x20, 0x20, 0x20, 0x20, 0x20, 0x20},
	 {0x20, 0x20, 0x20, 0x20, 0x20, 0x20}},
	{"fw_host_info",
	 {0x10, 0x10, 0x10, 0x10, 0x10, 0x10},
	 {0x10, 0x10, 0x10, 0x10, 0x10, 0x10}},
	{"fw_scratch",
	 {0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000},
	 {0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000}},
};

static const struct gpuown_variant_desc *variant(const char *name)
{
	for (uint32_t i = 0; i < sample_variant_table.nr_variants; i++)
		if (!strcmp(sample_variant_table.variants[i]->name, name))
			return sample_variant_table.variants[i];
	cr_assert_fail("variant %s missing", name);
	return NULL;
}

static const struct gpuown_struct_desc *sdesc(const char *s, const char *v)
{
	const struct gpuown_struct_desc *d =
		gpuown_variant_struct(variant(v), s);

	cr_assert_not_null(d, "%s in %s", s, v);
	return d;
}

Test(descriptors, table_shape)
{
	cr_assert_eq(sample_variant_table.nr_variants, 6);
	cr_assert_eq(sample_variant_table.nr_gens, 3);
	cr_assert_eq(sample_variant_table.nr_fws, 5);
	for (int i = 0; i < 6; i++) {
		const struct gpuown_variant_desc *v =
			sample_variant_table.variants[i];

		cr_assert_str_eq(v->name, variants[i]);
		cr_assert_eq(sample_variant_index(v), i);
		cr_assert_eq(v->nr_structs, 8);
		cr_assert_str_eq(sample_variant_table.gen_names[v->gen],
				 v->gen_name);
		cr_assert_str_eq(sample_variant_table.fw_names[v->fw],
				 v->fw_name);
	}
	cr_assert_eq(sample_variant_index(NULL), -1);
}

Test(descriptors, sizes_and_footprints_every_variant)
{
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int v = 0; v < 6; v++) {
			const struct gpuown_struct_desc *d =
				sdesc(sizes[s].name, variants[v]);

			cr_assert_eq(d->size, sizes[s].size[v], "%s %s: 0x%x",
				     sizes[s].name, variants[v], d->size);
			cr_assert_eq(d->footprint, sizes[s].footprint[v],
				     "%s %s footprint", sizes[s].name,
				     variants[v]);
			cr_assert_str_eq(d->variant, variants[v]);
		}
	}
}

struct expect_field {
	const char *name;
	int32_t off[6]; /* -1: absent in that variant */
	uint32_t size[6];
};

static const struct expect_field job_fields[] = {
	{"magic_0", {0, 0, 0, 0, 0, 0}, {4, 4, 4, 4, 4, 4}},
	{"flags_4", {4, 4, 4, 4, 4, 4}, {4, 4, 4, 4, 4, 4}},
	{"cmdbuf_8", {8, 8, 8, 8, 8, 8}, {8, 8, 8, 8, 8, 8}},
	{"prev_10", {0x10, 0x10, 0x10, 0x10, 0x10, 0x10}, {8, 8, 8, 8, 8, 8}},
	{"unk_18_0", {-1, -1, 0x18, 0x18, 0x18, 0x18}, {0, 0, 4, 4, 4, 4}},
	{"pad_1c", {-1, -1, 0x1c, 0x1c, 0x1c, 0x1c}, {0, 0, 4, 4, 4, 4}},
	{"stamp_value_18",
	 {0x18, 0x18, 0x20, 0x20, 0x20, 0x20},
	 {8, 8, 8, 8, 8, 8}},
	{"counts_20",
	 {0x20, 0x20, 0x28, 0x28, 0x28, 0x28},
	 {0x50, 0x50, 0x60, 0x60, 0x60, 0x64}},
	{"pad_8c", {-1, -1, -1, -1, -1, 0x8c}, {0, 0, 0, 0, 0, 4}},
};

static const struct expect_field event_fields[] = {
	{"type_0", {0, 0, 0, 0, 0, 0}, {4, 4, 4, 4, 4, 4}},
	{"seq_4", {4, 4, 4, 4, 4, 4}, {4, 4, 4, 4, 4, 4}},
	{"pad_8", {8, 8, 0x10, 0x18, 0x18, 0x18}, {8, 8, 8, 8, 8, 8}},
	{"words_10", {0x10, 0x10, 8, 8, 8, 8}, {8, 8, 8, 0x10, 0x10, 0x10}},
	{"timestamp_18",
	 {0x18, 0x18, 0x18, 0x20, 0x20, 0x20},
	 {8, 8, 8, 8, 8, 8}},
};

static void check_fields(const char *sname, const struct expect_field *ef,
			 size_t n)
{
	for (int v = 0; v < 6; v++) {
		const struct gpuown_struct_desc *d = sdesc(sname, variants[v]);
		uint32_t present = 0;

		for (size_t i = 0; i < n; i++) {
			const struct gpuown_field_desc *f =
				gpuown_struct_field(d, ef[i].name);

			if (ef[i].off[v] < 0) {
				cr_assert_null(f, "%s.%s in %s", sname,
					       ef[i].name, variants[v]);
				continue;
			}
			present++;
			cr_assert_not_null(f, "%s.%s in %s", sname, ef[i].name,
					   variants[v]);
			cr_assert_eq(f->offset, (uint32_t)ef[i].off[v],
				     "%s.%s in %s: 0x%x", sname, ef[i].name,
				     variants[v], f->offset);
			cr_assert_eq(f->size, ef[i].size[v], "%s.%s in %s",
				     sname, ef[i].name, variants[v]);
		}
		cr_assert_eq(d->nr_fields, present, "%s in %s", sname,
			     variants[v]);
	}
}

Test(descriptors, job_desc_fields_every_variant)
{
	check_fields("fw_job_desc", job_fields,
		     sizeof(job_fields) / sizeof(job_fields[0]));
}

Test(descriptors, event_msg_pad_moves)
{
	check_fields("fw_event_msg", event_fields,
		     sizeof(event_fields) / sizeof(event_fields[0]));
}

Test(descriptors, kinds_flags_targets)
{
	const struct gpuown_struct_desc *job = sdesc("fw_job_desc", "G11_V2_1");
	const struct gpuown_struct_desc *ctx = sdesc("fw_ctx_info", "G11_V2_1");
	const struct gpuown_field_desc *f;

	f = gpuown_struct_field(job, "cmdbuf_8");
	cr_assert_eq(f->kind, GPUOWN_FIELD_GPU_PTR);
	cr_assert_eq(f->flags, 0);
	cr_assert_str_eq(f->target, "fw_cmdbuf");
	f = gpuown_struct_field(job, "prev_10");
	cr_assert_eq(f->kind, GPUOWN_FIELD_GPU_PTR);
	cr_assert_eq(f->flags, GPUOWN_FIELD_WEAK);
	cr_assert_str_eq(f->target, "fw_job_desc");
	f = gpuown_struct_field(job, "counts_20");
	cr_assert_eq(f->kind, GPUOWN_FIELD_ARRAY);
	cr_assert_eq(f->count, 0x18);
	cr_assert_null(f->target);
	f = gpuown_struct_field(job, "pad_1c");
	cr_assert_eq(f->kind, GPUOWN_FIELD_PADDING);
	f = gpuown_struct_field(job, "magic_0");
	cr_assert_eq(f->kind, GPUOWN_FIELD_SCALAR);
	cr_assert_eq(f->count, 1);

	f = gpuown_struct_field(ctx, "ring_0");
	cr_assert_eq(f->kind, GPUOWN_FIELD_FW_PTR);
	cr_assert_str_eq(f->target, "fw_ring_state");
	f = gpuown_struct_field(ctx, "self_8");
	cr_assert_eq(f->kind, GPUOWN_FIELD_FW_PTR);
	cr_assert_eq(f->flags, GPUOWN_FIELD_WEAK);
	f = gpuown_struct_field(ctx, "ring_copy_10");
	cr_assert_eq(f->kind, GPUOWN_FIELD_STRUCT);
	cr_assert_str_eq(f->target, "fw_ring_state");
	cr_assert_eq(f->size, 0x10);
	f = gpuown_struct_field(ctx, "fault_12c");
	cr_assert_eq(f->flags, GPUOWN_FIELD_FW_WRITES);

	f = gpuown_struct_field(sdesc("fw_ring_state", "G10_V1_0"), "rptr_4");
	cr_assert_eq(f->flags,
		     GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD);
	cr_assert_eq(f->kind, GPUOWN_FIELD_SCALAR);
	f = gpuown_struct_field(sdesc("fw_stamp", "G12_V3_0"), "value_0");
	cr_assert_eq(f->flags,
		     GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD);
	cr_assert_eq(f->size, 8);
	/* A plain scalar the firmware writes is not a shared word. */
	f = gpuown_struct_field(sdesc("fw_event_msg", "G10_V1_0"), "seq_4");
	cr_assert_eq(f->flags, GPUOWN_FIELD_FW_WRITES);
	f = gpuown_struct_field(sdesc("fw_cmdbuf", "G10_V1_0"), "regs_10");
	cr_assert_eq(f->count, 8);
	cr_assert_eq(f->size, 0x10);
}

Test(descriptors, class_direction_origin)
{
	const struct gpuown_struct_desc *d;

	d = sdesc("fw_job_desc", "G10_V1_0");
	cr_assert_eq(d->cls, GPUOWN_CLASS_FW);
	cr_assert_eq(d->fw_dir, GPUOWN_DIR_READ);
	cr_assert_str_eq(strrchr(d->file, '/') + 1, "job.fwdef");
	cr_assert_eq(d->line, 3);
	d = sdesc("fw_ctx_info", "G10_V1_0");
	cr_assert_eq(d->cls, GPUOWN_CLASS_FW);
	cr_assert_eq(d->fw_dir, GPUOWN_DIR_RW);
	d = sdesc("fw_ring_state", "G10_V1_0");
	cr_assert_eq(d->cls, GPUOWN_CLASS_SHARED);
	cr_assert_eq(d->fw_dir, GPUOWN_DIR_RW);
	d = sdesc("fw_host_info", "G10_V1_0");
	cr_assert_eq(d->cls, GPUOWN_CLASS_CPU);
	cr_assert_eq(d->fw_dir, GPUOWN_DIR_NONE);
	d = sdesc("fw_scratch", "G10_V1_0");
	cr_assert_eq(d->cls, GPUOWN_CLASS_GPU_ONLY);
}

/* Descriptors and the generated C agree, through the exported symbols. */
Test(descriptors, match_sizeof)
{
	cr_assert_eq(sample_desc__fw_job_desc__G12_V3_0.size,
		     sizeof(struct fw_job_desc__G12_V3_0));
	cr_assert_eq(sample_desc__fw_event_msg__G11_V2_1.size,
		     sizeof(struct fw_event_msg__G11_V2_1));
	cr_assert_eq(gpuown_struct_field(&sample_desc__fw_event_msg__G11_V2_1,
					 "timestamp_18")
			     ->offset,
		     offsetof(struct fw_event_msg__G11_V2_1, timestamp_18));
}

/* ---- run-time lookups -----------------------------------------------------
 */

Test(select, supported_pair)
{
	const struct gpuown_variant_desc *v = NULL;
	char err[256] = "junk";

	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G11", "V2_1",
					   &v, err, sizeof(err)),
		     0);
	cr_assert_str_eq(v->name, "G11_V2_1");
	cr_assert_eq(sample_variant_index(v), 3);
	cr_assert_str_eq(err, "");
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G10", "V1_0",
					   &v, NULL, 0),
		     0);
	cr_assert_str_eq(v->name, "G10_V1_0");
}

Test(select, unsupported_pair_lists_supported)
{
	const struct gpuown_variant_desc *v = (void *)1;
	char err[256];

	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G12", "V1_0",
					   &v, err, sizeof(err)),
		     -ENOENT);
	cr_assert_null(v);
	cr_assert_str_eq(err, "firmware V1_0 on GPU generation G12 is not "
			      "supported; supported: G10/V1_0 G11/V1_2 "
			      "G10/V2_1 G11/V2_1 G12/V2_0 G12/V3_0");
}

Test(select, unknown_names)
{
	const struct gpuown_variant_desc *v;
	char err[256];

	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G99", "V1_0",
					   &v, err, sizeof(err)),
		     -EINVAL);
	cr_assert_str_eq(err,
			 "unknown GPU generation `G99` (known: G10 G11 G12)");
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G10", "V9_9",
					   &v, err, sizeof(err)),
		     -EINVAL);
	cr_assert_str_eq(err, "unknown firmware version `V9_9` (known: V1_0 "
			      "V1_2 V2_0 V2_1 V3_0)");
	/* A version name used as a generation is not a generation. */
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "V1_0", "G10",
					   &v, NULL, 0),
		     -EINVAL);
	cr_assert_eq(gpuown_variant_select(NULL, "G10", "V1_0", &v, err,
					   sizeof(err)),
		     -EINVAL);
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, NULL, "V1_0",
					   &v, NULL, 0),
		     -EINVAL);
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G10", "V1_0",
					   NULL, NULL, 0),
		     -EINVAL);
}

Test(select, short_error_buffer_is_terminated)
{
	const struct gpuown_variant_desc *v;
	char err[17];

	memset(err, 'x', sizeof(err));
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G12", "V1_2",
					   &v, err, 16),
		     -ENOENT);
	cr_assert_eq(strlen(err), 15);
	cr_assert_eq(err[16], 'x');
	cr_assert_str_eq(err, "firmware V1_2 o");
	cr_assert_eq(gpuown_variant_select(&sample_variant_table, "G12", "V1_2",
					   &v, err, 0),
		     -ENOENT);
}

Test(lookup, struct_by_name)
{
	const struct gpuown_variant_desc *v = variant("G10_V1_0");

	cr_assert_null(gpuown_variant_struct(v, "fw_nope"));
	cr_assert_null(gpuown_variant_struct(v, NULL));
	cr_assert_null(gpuown_variant_struct(NULL, "fw_job_desc"));
	cr_assert_eq(gpuown_variant_struct(v, "fw_job_desc"),
		     &sample_desc__fw_job_desc__G10_V1_0);
}

Test(lookup, field_at_offset)
{
	const struct gpuown_struct_desc *d = sdesc("fw_job_desc", "G11_V2_1");

	cr_assert_str_eq(gpuown_struct_field_at(d, 0)->name, "magic_0");
	cr_assert_str_eq(gpuown_struct_field_at(d, 3)->name, "magic_0");
	cr_assert_str_eq(gpuown_struct_field_at(d, 4)->name, "flags_4");
	cr_assert_str_eq(gpuown_struct_field_at(d, 0xf)->name, "cmdbuf_8");
	cr_assert_str_eq(gpuown_struct_field_at(d, 0x1d)->name, "pad_1c");
	cr_assert_str_eq(gpuown_struct_field_at(d, 0x27)->name,
			 "stamp_value_18");
	cr_assert_str_eq(gpuown_struct_field_at(d, 0x50)->name, "counts_20");
	cr_assert_str_eq(gpuown_struct_field_at(d, 0x87)->name, "counts_20");
	cr_assert_null(gpuown_struct_field_at(d, 0x88));
	cr_assert_null(gpuown_struct_field_at(d, 0xfff));
	cr_assert_null(gpuown_struct_field_at(NULL, 0));
	/* Every byte of every struct in every variant maps to its field. */
	for (uint32_t i = 0; i < sample_variant_table.nr_variants; i++) {
		const struct gpuown_variant_desc *v =
			sample_variant_table.variants[i];

		for (uint32_t s = 0; s < v->nr_structs; s++) {
			const struct gpuown_struct_desc *sd = v->structs[s];

			for (uint32_t k = 0; k < sd->nr_fields; k++) {
				const struct gpuown_field_desc *f =
					&sd->fields[k];

				cr_assert_eq(
					gpuown_struct_field_at(sd, f->offset),
					f);
				cr_assert_eq(
					gpuown_struct_field_at(
						sd, f->offset + f->size - 1),
					f);
			}
		}
	}
}

Test(lookup, field_by_name)
{
	const struct gpuown_struct_desc *d = sdesc("fw_job_desc", "G10_V1_0");

	cr_assert_null(gpuown_struct_field(d, "unk_18_0"));
	cr_assert_null(gpuown_struct_field(d, NULL));
	cr_assert_null(gpuown_struct_field(NULL, "magic_0"));
	cr_assert_eq(gpuown_struct_field(d, "counts_20")->count, 0x14);
}
