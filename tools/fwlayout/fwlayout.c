// SPDX-License-Identifier: MIT
/*
 * fwlayout commands. It reads the compiled descriptor tables rather than the
 * .fwdef sources, so what it prints is exactly what the runtime and gpusan
 * see (and what the _Static_asserts confirmed against the C compiler).
 */
#include <stdbool.h>
#include <string.h>

#include <gpuown/version.h>

#include "fwlayout.h"

struct fl {
	const struct gpuown_variant_table *tbl;
	FILE *out, *err;
	const char *prog;
};

static const char *kind_name(enum gpuown_field_kind k)
{
	switch (k) {
	case GPUOWN_FIELD_SCALAR:
		return "scalar";
	case GPUOWN_FIELD_ARRAY:
		return "array";
	case GPUOWN_FIELD_PADDING:
		return "padding";
	case GPUOWN_FIELD_GPU_PTR:
		return "gpu_ptr";
	case GPUOWN_FIELD_FW_PTR:
		return "fw_ptr";
	case GPUOWN_FIELD_STRUCT:
		return "struct";
	}
	return "?";
}

static const char *class_name(const struct gpuown_struct_desc *s)
{
	static const char *const dir[] = {"none", "read", "write", "rw"};
	static char buf[32];

	switch (s->cls) {
	case GPUOWN_CLASS_CPU:
		return "cpu";
	case GPUOWN_CLASS_GPU_ONLY:
		return "gpu_only";
	case GPUOWN_CLASS_FW:
		snprintf(buf, sizeof(buf), "fw(%s)", dir[s->fw_dir & 3]);
		return buf;
	case GPUOWN_CLASS_SHARED:
		snprintf(buf, sizeof(buf), "shared(%s)", dir[s->fw_dir & 3]);
		return buf;
	}
	return "?";
}

static const char *flags_text(uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{GPUOWN_FIELD_WEAK, "weak"},
		{GPUOWN_FIELD_FW_WRITES, "fw_writes"},
		{GPUOWN_FIELD_SHARED_WORD, "shared"},
	};
	static char buf[64];
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			at += (size_t)snprintf(buf + at, sizeof(buf) - at,
					       "%s%s", at ? "," : "",
					       names[i].name);
	return at ? buf : "-";
}

static void list_variants(struct fl *fl, FILE *f)
{
	for (uint32_t i = 0; i < fl->tbl->nr_variants; i++)
		fprintf(f, " %s", fl->tbl->variants[i]->name);
}

static const struct gpuown_variant_desc *find_variant(struct fl *fl,
						      const char *name)
{
	for (uint32_t i = 0; i < fl->tbl->nr_variants; i++)
		if (!strcmp(fl->tbl->variants[i]->name, name))
			return fl->tbl->variants[i];
	fprintf(fl->err,
		"%s: error: unknown variant `%s`; built variants:", fl->prog,
		name);
	list_variants(fl, fl->err);
	fputc('\n', fl->err);
	return NULL;
}

static const struct gpuown_struct_desc *
find_struct(struct fl *fl, const struct gpuown_variant_desc *v,
	    const char *name)
{
	const struct gpuown_struct_desc *s = gpuown_variant_struct(v, name);

	if (s)
		return s;
	fprintf(fl->err, "%s: error: unknown struct `%s`; structs:", fl->prog,
		name);
	for (uint32_t i = 0; i < v->nr_structs; i++)
		fprintf(fl->err, " %s", v->structs[i]->name);
	fputc('\n', fl->err);
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static void print_field(FILE *out, const struct gpuown_field_desc *f)
{
	char name[128];

	if (f->count != 1 || f->kind == GPUOWN_FIELD_ARRAY)
		snprintf(name, sizeof(name), "%s[%u]", f->name, f->count);
	else
		snprintf(name, sizeof(name), "%s", f->name);
	fprintf(out, "  0x%04x  0x%04x  %-8s %-21s ", f->offset, f->size,
		kind_name(f->kind), flags_text(f->flags));
	if (f->target)
		fprintf(out, "%-24s %s\n", name, f->target);
	else
		fprintf(out, "%s\n", name);
}

static int cmd_show(struct fl *fl, const char *sname, const char *vname)
{
	const struct gpuown_variant_desc *v = find_variant(fl, vname);
	const struct gpuown_struct_desc *s =
		v ? find_struct(fl, v, sname) : NULL;

	if (!s)
		return 1;
	fprintf(fl->out,
		"%s in %s: size 0x%x, footprint 0x%x, class %s (%s:%u)\n",
		s->name, s->variant, s->size, s->footprint, class_name(s),
		base_name(s->file), s->line);
	fprintf(fl->out, "  %-6s  %-6s  %-8s %-21s %-24s %s\n", "offset",
		"size", "kind", "flags", "field", "target");
	for (uint32_t i = 0; i < s->nr_fields; i++)
		print_field(fl->out, &s->fields[i]);
	return 0;
}

/* A footprint equal to the size says nothing; only print real footprints. */
static bool footprint_changed(const struct gpuown_struct_desc *a,
			      const struct gpuown_struct_desc *b)
{
	return a->footprint != b->footprint &&
	       (a->footprint != a->size || b->footprint != b->size);
}

static bool same_field(const struct gpuown_field_desc *a,
		       const struct gpuown_field_desc *b)
{
	return a->offset == b->offset && a->size == b->size &&
	       a->count == b->count && a->kind == b->kind &&
	       a->flags == b->flags &&
	       !((a->target == NULL) != (b->target == NULL) ||
		 (a->target && strcmp(a->target, b->target)));
}

static void print_change(FILE *out, const struct gpuown_field_desc *fa,
			 const struct gpuown_field_desc *fb)
{
	/* flags_text() returns a static buffer: one call per printf. */
	fprintf(out, "  changed  %-24s %s %s %s -> ", fa->name,
		kind_name(fa->kind), flags_text(fa->flags),
		fa->target ? fa->target : "-");
	fprintf(out, "%s %s %s\n", kind_name(fb->kind), flags_text(fb->flags),
		fb->target ? fb->target : "-");
}

struct diff_count {
	int added, removed, moved, resized, changed;
};

/* Prints one line per difference when @out is non-NULL; counts them. */
static void diff_fields(const struct gpuown_struct_desc *a,
			const struct gpuown_struct_desc *b, FILE *out,
			struct diff_count *dc)
{
	for (uint32_t i = 0; i < a->nr_fields; i++) {
		const struct gpuown_field_desc *fa = &a->fields[i];
		const struct gpuown_field_desc *fb =
			gpuown_struct_field(b, fa->name);

		if (!fb) {
			dc->removed++;
			if (out)
				fprintf(out,
					"  removed  %-24s at 0x%x, size 0x%x\n",
					fa->name, fa->offset, fa->size);
			continue;
		}
		if (fa->offset != fb->offset) {
			dc->moved++;
			if (out)
				fprintf(out, "  moved    %-24s 0x%x -> 0x%x\n",
					fa->name, fa->offset, fb->offset);
		}
		if (fa->size != fb->size || fa->count != fb->count) {
			dc->resized++;
			if (out)
				fprintf(out,
					"  resized  %-24s 0x%x -> 0x%x (%u -> "
					"%u elements)\n",
					fa->name, fa->size, fb->size, fa->count,
					fb->count);
		}
		if (fa->kind != fb->kind || fa->flags != fb->flags ||
		    (fa->target == NULL) != (fb->target == NULL) ||
		    (fa->target && strcmp(fa->target, fb->target))) {
			dc->changed++;
			if (out)
				print_change(out, fa, fb);
		}
	}
	for (uint32_t i = 0; i < b->nr_fields; i++) {
		const struct gpuown_field_desc *fb = &b->fields[i];

		if (gpuown_struct_field(a, fb->name))
			continue;
		dc->added++;
		if (out)
			fprintf(out, "  added    %-24s at 0x%x, size 0x%x\n",
				fb->name, fb->offset, fb->size);
	}
}

static bool layouts_equal(const struct gpuown_struct_desc *a,
			  const struct gpuown_struct_desc *b)
{
	if (a->size != b->size || a->footprint != b->footprint ||
	    a->nr_fields != b->nr_fields)
		return false;
	for (uint32_t i = 0; i < a->nr_fields; i++)
		if (strcmp(a->fields[i].name, b->fields[i].name) ||
		    !same_field(&a->fields[i], &b->fields[i]))
			return false;
	return true;
}

static int cmd_diff(struct fl *fl, const char *sname, const char *va,
		    const char *vb)
{
	const struct gpuown_variant_desc *a = find_variant(fl, va);
	const struct gpuown_variant_desc *b = a ? find_variant(fl, vb) : NULL;
	const struct gpuown_struct_desc *sa, *sb;
	struct diff_count dc = {0};

	if (!b)
		return 1;
	sa = find_struct(fl, a, sname);
	sb = sa ? find_struct(fl, b, sname) : NULL;
	if (!sb)
		return 1;
	if (layouts_equal(sa, sb)) {
		fprintf(fl->out, "%s: same layout in %s and %s (size 0x%x)\n",
			sname, va, vb, sa->size);
		return 0;
	}
	fprintf(fl->out, "%s: %s -> %s: size 0x%x -> 0x%x", sname, va, vb,
		sa->size, sb->size);
	if (footprint_changed(sa, sb))
		fprintf(fl->out, ", footprint 0x%x -> 0x%x", sa->footprint,
			sb->footprint);
	fputc('\n', fl->out);
	diff_fields(sa, sb, fl->out, &dc);
	return 0;
}

static int fw_index(const struct gpuown_variant_table *tbl, const char *name)
{
	for (uint32_t i = 0; i < tbl->nr_fws; i++)
		if (!strcmp(tbl->fw_names[i], name))
			return (int)i;
	return -1;
}

static const struct gpuown_variant_desc *
variant_of(const struct gpuown_variant_table *tbl, uint32_t gen, uint32_t fw)
{
	for (uint32_t i = 0; i < tbl->nr_variants; i++)
		if (tbl->variants[i]->gen == gen && tbl->variants[i]->fw == fw)
			return tbl->variants[i];
	return NULL;
}

static void print_summary(FILE *out, const struct gpuown_struct_desc *a,
			  const struct gpuown_struct_desc *b)
{
	struct diff_count dc = {0};

	diff_fields(a, b, NULL, &dc);
	fprintf(out, "  %-24s size 0x%x -> 0x%x", a->name, a->size, b->size);
	if (footprint_changed(a, b))
		fprintf(out, ", footprint 0x%x -> 0x%x", a->footprint,
			b->footprint);
	if (dc.added)
		fprintf(out, ", %d added", dc.added);
	if (dc.removed)
		fprintf(out, ", %d removed", dc.removed);
	if (dc.moved)
		fprintf(out, ", %d moved", dc.moved);
	if (dc.resized)
		fprintf(out, ", %d resized", dc.resized);
	if (dc.changed)
		fprintf(out, ", %d changed", dc.changed);
	fputc('\n', out);
}

static void changed_in_gen(struct fl *fl, const struct gpuown_variant_desc *a,
			   const struct gpuown_variant_desc *b)
{
	int n = 0;

	fprintf(fl->out, "%s: %s -> %s\n", a->gen_name, a->fw_name, b->fw_name);
	for (uint32_t i = 0; i < a->nr_structs; i++) {
		const struct gpuown_struct_desc *sa = a->structs[i];
		const struct gpuown_struct_desc *sb =
			gpuown_variant_struct(b, sa->name);

		if (!sb || layouts_equal(sa, sb))
			continue;
		print_summary(fl->out, sa, sb);
		n++;
	}
	if (!n)
		fprintf(fl->out, "  (no layout changes)\n");
}

static int cmd_changed(struct fl *fl, const char *fa, const char *fb)
{
	const struct gpuown_variant_table *tbl = fl->tbl;
	int ia = fw_index(tbl, fa), ib = fw_index(tbl, fb), n = 0;

	if (ia < 0 || ib < 0) {
		fprintf(fl->err,
			"%s: error: unknown firmware version `%s`; versions:",
			fl->prog, ia < 0 ? fa : fb);
		for (uint32_t i = 0; i < tbl->nr_fws; i++)
			fprintf(fl->err, " %s", tbl->fw_names[i]);
		fputc('\n', fl->err);
		return 1;
	}
	for (uint32_t g = 0; g < tbl->nr_gens; g++) {
		const struct gpuown_variant_desc *a =
			variant_of(tbl, g, (uint32_t)ia);
		const struct gpuown_variant_desc *b =
			variant_of(tbl, g, (uint32_t)ib);

		if (!a || !b)
			continue;
		changed_in_gen(fl, a, b);
		n++;
	}
	if (n)
		return 0;
	fprintf(fl->err,
		"%s: error: no GPU generation is built for both %s and %s; "
		"built variants:",
		fl->prog, fa, fb);
	list_variants(fl, fl->err);
	fputc('\n', fl->err);
	return 1;
}

static int cmd_list(struct fl *fl)
{
	for (uint32_t i = 0; i < fl->tbl->nr_variants; i++) {
		const struct gpuown_variant_desc *v = fl->tbl->variants[i];

		fprintf(fl->out, "%s:", v->name);
		for (uint32_t k = 0; k < v->nr_structs; k++)
			fprintf(fl->out, " %s", v->structs[k]->name);
		fputc('\n', fl->out);
	}
	return 0;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s show STRUCT VARIANT       one struct's layout\n"
		"       %s diff STRUCT VARIANT_A VARIANT_B\n"
		"       %s changed FW_A FW_B         structs that differ, per "
		"generation\n"
		"       %s list                      variants and structs\n"
		"       %s --help | --version\n",
		prog, prog, prog, prog, prog);
}

int fwlayout_main(const struct gpuown_variant_table *tbl, int argc, char **argv,
		  FILE *out, FILE *err)
{
	const char *prog = argc > 0 ? base_name(argv[0]) : "fwlayout";
	struct fl fl = {tbl, out, err, prog};
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "show") && argc == 4)
		return cmd_show(&fl, argv[2], argv[3]);
	if (!strcmp(cmd, "diff") && argc == 5)
		return cmd_diff(&fl, argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "changed") && argc == 4)
		return cmd_changed(&fl, argv[2], argv[3]);
	if (!strcmp(cmd, "list") && argc == 2)
		return cmd_list(&fl);
	if (!strcmp(cmd, "--version")) {
		fprintf(out, "%s (gpuown) %s\n", prog, GPUOWN_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help")) {
		usage(out, prog);
		return 0;
	}
	if (*cmd && strcmp(cmd, "show") && strcmp(cmd, "diff") &&
	    strcmp(cmd, "changed") && strcmp(cmd, "list"))
		fprintf(err, "%s: error: unknown command `%s`\n", prog, cmd);
	else
		fprintf(err, "%s: error: wrong number of arguments\n", prog);
	usage(err, prog);
	return 2;
}
