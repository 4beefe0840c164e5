// SPDX-License-Identifier: MIT
/*
 * Checker: resolves names, evaluates every predicate for every built variant,
 * lays out every struct with natural alignment and checks the layout against
 * what the definitions state. Each error names the variant and says what to
 * write instead; a struct stops at its first layout error so one mistake is
 * not reported once per variant.
 */
#include <ctype.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "fwgen.h"

static const char *const axis_letter[AXIS_COUNT] = {"G", "V"};

/* ---- name indexes ------------------------------------------------------ */

static void index_oom(void)
{
	fputs("fwgen: out of memory\n", stderr);
	exit(2);
}

static struct hsearch_data *index_create(size_t n)
{
	struct hsearch_data *h = calloc(1, sizeof(*h));

	/* Twice the entries keeps the open-addressed table's probes short. */
	if (!h || !hcreate_r(2 * n + 16, h))
		index_oom();
	return h;
}

/* Enter @name -> @def unless present; returns the first definition. */
static void *index_enter(struct hsearch_data *h, const char *name, void *def)
{
	ENTRY e = {.key = (char *)name, .data = def}, *found;

	if (!hsearch_r(e, ENTER, &found, h))
		index_oom();
	return found->data;
}

static void *index_find(struct hsearch_data *h, const char *name)
{
	ENTRY e = {.key = (char *)name}, *found;

	if (!h || !hsearch_r(e, FIND, &found, h))
		return NULL;
	return found->data;
}

/* Index structs and consts by name; the first of two same-named wins. */
static void build_indexes(struct fwgen *g)
{
	size_t n = 0;

	for (struct struct_def *s = g->structs; s; s = s->next)
		n++;
	g->struct_index = index_create(n);
	for (struct struct_def *s = g->structs; s; s = s->next)
		index_enter(g->struct_index, s->name, s);
	n = 0;
	for (struct const_def *c = g->consts; c; c = c->next)
		n++;
	g->const_index = index_create(n);
	for (struct const_def *c = g->consts; c; c = c->next)
		index_enter(g->const_index, c->name, c);
}

static const char *axis_list(struct fwgen *g, enum axis_id a)
{
	const struct axis *ax = &g->axes[a];
	size_t len = 1;

	for (int i = 0; i < ax->count; i++)
		len += strlen(ax->names[i]) + 1;
	char *s = fw_alloc(g, len), *p = s;

	for (int i = 0; i < ax->count; i++)
		p += sprintf(p, "%s%s", i ? " " : "", ax->names[i]);
	return s;
}

static int axis_find(const struct axis *ax, const char *name)
{
	for (int i = 0; i < ax->count; i++)
		if (!strcmp(ax->names[i], name))
			return i;
	return -1;
}

static bool is_c_keyword(const char *s)
{
	static const char *const kw[] = {
		"auto",		 "break",    "case",	  "char",
		"const",	 "continue", "default",	  "do",
		"double",	 "else",     "enum",	  "extern",
		"float",	 "for",	     "goto",	  "if",
		"inline",	 "int",	     "long",	  "register",
		"restrict",	 "return",   "short",	  "signed",
		"sizeof",	 "static",   "struct",	  "switch",
		"typedef",	 "union",    "unsigned",  "void",
		"volatile",	 "while",    "asm",	  "typeof",
		"_Bool",	 "_Complex", "_Alignas",  "_Alignof",
		"_Atomic",	 "_Generic", "_Noreturn", "_Static_assert",
		"_Thread_local",
	};

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strcmp(s, kw[i]))
			return true;
	return false;
}

static void check_c_name(struct fwgen *g, const char *what, const char *name,
			 struct fw_loc loc)
{
	if (is_c_keyword(name))
		fw_error(g, loc, "%s `%s` is a C keyword: choose another name",
			 what, name);
	else if (strstr(name, "__"))
		fw_error(g, loc,
			 "%s `%s` contains `__`, which generated names use as "
			 "the variant separator",
			 what, name);
}

/* ---- axes and variants ------------------------------------------------- */

static struct fw_loc set_loc(struct fwgen *g)
{
	return (struct fw_loc){g->nr_files ? g->files[0] : "<input>", 1, 1};
}

static void check_axes(struct fwgen *g)
{
	static const char *const what[AXIS_COUNT] = {"GPU generation",
						     "firmware version"};

	for (int a = 0; a < AXIS_COUNT; a++) {
		const struct axis *ax = &g->axes[a];

		if (!ax->declared) {
			fw_error(g, set_loc(g),
				 "no `axis %s: ...` declared: list the %s "
				 "values, oldest first",
				 axis_letter[a], what[a]);
			continue;
		}
		for (int i = 0; i < ax->count; i++) {
			if (axis_find(ax, ax->names[i]) != i)
				fw_error(g, ax->locs[i],
					 "`%s` listed twice on axis %s",
					 ax->names[i], axis_letter[a]);
			else if (strstr(ax->names[i], "__"))
				check_c_name(g, "axis value", ax->names[i],
					     ax->locs[i]);
		}
	}
}

static void resolve_variant_axis(struct fwgen *g, struct variant *v,
				 enum axis_id a, const char *name,
				 struct fw_loc loc)
{
	enum axis_id other = a == AXIS_G ? AXIS_V : AXIS_G;

	v->ord[a] = axis_find(&g->axes[a], name);
	if (v->ord[a] >= 0)
		return;
	if (axis_find(&g->axes[other], name) >= 0)
		fw_error(g, loc,
			 "`%s` is a value of axis %s, not %s: write `variant "
			 "<G> <V>` with values from: G: %s; V: %s",
			 name, axis_letter[other], axis_letter[a],
			 axis_list(g, AXIS_G), axis_list(g, AXIS_V));
	else
		fw_error(g, loc, "`%s` is not a value of axis %s (%s)", name,
			 axis_letter[a], axis_list(g, a));
}

static void check_variants(struct fwgen *g)
{
	if (!g->nr_variants) {
		fw_error(g, set_loc(g),
			 "no `variant <G> <V>` declared: list the combinations "
			 "to build");
		return;
	}
	for (int i = 0; i < g->nr_variants; i++) {
		struct variant *v = &g->variants[i];

		resolve_variant_axis(g, v, AXIS_G, v->gen_name, v->gen_loc);
		resolve_variant_axis(g, v, AXIS_V, v->fw_name, v->fw_loc);
		for (int j = 0; j < i; j++) {
			if (strcmp(g->variants[j].name, v->name))
				continue;
			fw_error(g, v->loc,
				 "variant %s built twice (first at %s:%d)",
				 v->name, g->variants[j].loc.file,
				 g->variants[j].loc.line);
			break;
		}
	}
}

/* Oldest first: by firmware version, then by generation. */
static void order_variants(struct fwgen *g)
{
	g->oldest_order = fw_alloc(g, sizeof(int) * (size_t)g->nr_variants);
	for (int i = 0; i < g->nr_variants; i++) {
		int j = i;
		const struct variant *v = &g->variants[i];

		while (j > 0) {
			const struct variant *p =
				&g->variants[g->oldest_order[j - 1]];

			if (p->ord[AXIS_V] < v->ord[AXIS_V] ||
			    (p->ord[AXIS_V] == v->ord[AXIS_V] &&
			     p->ord[AXIS_G] <= v->ord[AXIS_G]))
				break;
			g->oldest_order[j] = g->oldest_order[j - 1];
			j--;
		}
		g->oldest_order[j] = i;
	}
}

/* ---- predicates -------------------------------------------------------- */

static void resolve_pred(struct fwgen *g, struct pred *p)
{
	if (!p)
		return;
	if (p->kind != P_CMP) {
		resolve_pred(g, p->l);
		resolve_pred(g, p->r);
		return;
	}
	enum axis_id other = p->axis == AXIS_G ? AXIS_V : AXIS_G;

	p->ordinal = axis_find(&g->axes[p->axis], p->value);
	if (p->ordinal >= 0)
		return;
	if (axis_find(&g->axes[other], p->value) >= 0)
		fw_error(g, p->value_loc,
			 "`%s` is a value of axis %s, not %s: compare it with "
			 "`%s`",
			 p->value, axis_letter[other], axis_letter[p->axis],
			 axis_letter[other]);
	else
		fw_error(g, p->value_loc, "unknown %s value `%s` (axis %s: %s)",
			 axis_letter[p->axis], p->value, axis_letter[p->axis],
			 axis_list(g, p->axis));
}

static void resolve_alts(struct fwgen *g, struct alt *a)
{
	for (; a; a = a->next)
		resolve_pred(g, a->when);
}

bool fwgen_pred_eval(const struct pred *p, const struct variant *v)
{
	if (!p)
		return true;
	switch (p->kind) {
	case P_AND:
		return fwgen_pred_eval(p->l, v) && fwgen_pred_eval(p->r, v);
	case P_OR:
		return fwgen_pred_eval(p->l, v) || fwgen_pred_eval(p->r, v);
	case P_NOT:
		return !fwgen_pred_eval(p->l, v);
	case P_CMP:
		break;
	}
	int a = v->ord[p->axis], b = p->ordinal;

	switch (p->op) {
	case CMP_LT:
		return a < b;
	case CMP_LE:
		return a <= b;
	case CMP_GT:
		return a > b;
	case CMP_GE:
		return a >= b;
	case CMP_EQ:
		return a == b;
	case CMP_NE:
		return a != b;
	}
	return false;
}

static const struct alt *alt_pick(const struct alt *a, const struct variant *v)
{
	for (; a; a = a->next)
		if (fwgen_pred_eval(a->when, v))
			return a;
	return NULL;
}

/* ---- consts and enums -------------------------------------------------- */

static struct const_def *const_find(struct fwgen *g, const char *name)
{
	return index_find(g->const_index, name);
}

static void check_consts(struct fwgen *g)
{
	for (struct const_def *c = g->consts; c; c = c->next) {
		struct const_def *first = const_find(g, c->name);

		check_c_name(g, "const", c->name, c->loc);
		if (first != c)
			fw_error(g, c->loc,
				 "const `%s` declared twice (first at %s:%d)",
				 c->name, first->loc.file, first->loc.line);
		resolve_alts(g, c->alts);
	}
}

/* Consts and enum values share the generated C namespace. */
static void check_enum_item_name(struct fwgen *g, const struct enum_item *it)
{
	struct const_def *c = const_find(g, it->name);

	check_c_name(g, "enum value", it->name, it->loc);
	if (c) {
		fw_error(g, it->loc,
			 "enum value `%s` is already declared as a const at "
			 "%s:%d",
			 it->name, c->loc.file, c->loc.line);
		return;
	}
	for (struct enum_def *e = g->enums; e; e = e->next) {
		for (struct enum_item *p = e->items; p; p = p->next) {
			if (p == it)
				return;
			if (!strcmp(p->name, it->name)) {
				fw_error(g, it->loc,
					 "enum value `%s` is already declared "
					 "in enum `%s` at %s:%d",
					 it->name, e->name, p->loc.file,
					 p->loc.line);
				return;
			}
		}
	}
}

static void eval_consts(struct fwgen *g)
{
	for (struct const_def *c = g->consts; c; c = c->next) {
		c->value =
			fw_alloc(g, sizeof(uint64_t) * (size_t)g->nr_variants);
		for (int i = 0; i < g->nr_variants; i++) {
			const struct alt *a =
				alt_pick(c->alts, &g->variants[i]);

			if (!a) {
				fw_error(g, c->loc,
					 "const `%s` has no value for %s: end "
					 "the alternatives with a value "
					 "without `when`",
					 c->name, g->variants[i].name);
				break;
			}
			c->value[i] = a->val.num;
		}
	}
}

static void check_enums(struct fwgen *g)
{
	for (struct enum_def *e = g->enums; e; e = e->next) {
		check_c_name(g, "enum", e->name, e->loc);
		for (struct enum_def *p = g->enums; p != e; p = p->next)
			if (!strcmp(p->name, e->name))
				fw_error(g, e->loc,
					 "enum `%s` declared twice (first at "
					 "%s:%d)",
					 e->name, p->loc.file, p->loc.line);
		for (struct enum_item *it = e->items; it; it = it->next) {
			check_enum_item_name(g, it);
			resolve_pred(g, it->when);
		}
	}
}

static void eval_enum(struct fwgen *g, struct enum_def *e)
{
	int n = 0;

	for (struct enum_item *it = e->items; it; it = it->next)
		n++;
	e->values = fw_alloc(g, sizeof(uint64_t *) * (size_t)g->nr_variants);
	for (int v = 0; v < g->nr_variants; v++) {
		uint64_t next = 0;
		int i = 0;

		e->values[v] = fw_alloc(g, sizeof(uint64_t) * (size_t)n);
		for (struct enum_item *it = e->items; it; it = it->next, i++) {
			if (!fwgen_pred_eval(it->when, &g->variants[v]))
				continue;
			e->values[v][i] = it->has_value ? it->value : next;
			next = e->values[v][i] + 1;
			if (e->values[v][i] > 0x7fffffff)
				fw_error(g, it->loc,
					 "enum value `%s` is 0x%llx in %s, "
					 "beyond what a C enum holds "
					 "(0x7fffffff)",
					 it->name,
					 (unsigned long long)e->values[v][i],
					 g->variants[v].name);
		}
	}
}

/* ---- struct declarations ----------------------------------------------- */

static struct struct_def *struct_find(struct fwgen *g, const char *name)
{
	return index_find(g->struct_index, name);
}

static bool is_padding_type(enum ftype t)
{
	return t <= FT_U64;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/*
 * Field names are emitted as they are (types, consts and enum values get the
 * variant suffix), so one that is an object-like macro of the headers the
 * generated code includes would be expanded away.
 */
static bool is_macro_name(const char *s)
{
	static const char *const prefixes[] = {
		"GPUOWN_", "FW_G_",    "FW_V_",	      "INT",	"UINT",
		"SIZE_",   "PTRDIFF_", "SIG_ATOMIC_", "WCHAR_", "WINT_"};

	if (!strcmp(s, "NULL") || !strcmp(s, "FW_VARIANT_COUNT"))
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (strncmp(s, prefixes[i], strlen(prefixes[i])))
			continue;
		if (i < 3 || has_suffix(s, "_MAX") || has_suffix(s, "_MIN"))
			return true;
	}
	return false;
}

static void check_field_decl(struct fwgen *g, struct struct_def *s,
			     struct field *f)
{
	check_c_name(g, "field", f->name, f->loc);
	if (is_macro_name(f->name))
		fw_error(g, f->loc,
			 "field `%s` is a macro in the headers the generated "
			 "code includes: choose another name",
			 f->name);
	resolve_pred(g, f->when);
	resolve_alts(g, f->at);
	if (f->target) {
		f->target_def = struct_find(g, f->target);
		if (!f->target_def)
			fw_error(g, f->target_loc,
				 "`%s` names an undefined struct: define "
				 "`struct %s` in the set",
				 f->target, f->target);
	}
	for (int i = 0; i < f->nr_dims; i++)
		if (f->dims[i].name && !const_find(g, f->dims[i].name))
			fw_error(g, f->dims[i].loc,
				 "unknown const `%s`: declare it with `const "
				 "%s = ...`",
				 f->dims[i].name, f->dims[i].name);
	if ((f->flags & FF_PADDING) && !is_padding_type(f->type))
		fw_error(g, f->loc,
			 "padding field `%s` must be u8, u16, u32 or u64",
			 f->name);
	if ((f->flags & FF_PADDING) && (f->flags & FF_FW_WRITES))
		fw_error(g, f->loc, "padding field `%s` cannot be `fw_writes`",
			 f->name);
	if ((f->flags & FF_FW_WRITES) && !(s->dir & DIR_WRITE))
		fw_error(
			g, f->loc,
			"field `%s` is `fw_writes` but struct `%s` is %s: make "
			"the class fw(rw) or shared(rw), or drop the flag",
			f->name, s->name,
			s->cls == CLS_CPU ? "cpu (never seen by the firmware)"
					  : "read-only for the firmware");
}

static void check_struct_decls(struct fwgen *g)
{
	for (struct struct_def *s = g->structs; s; s = s->next) {
		struct struct_def *first = struct_find(g, s->name);

		check_c_name(g, "struct", s->name, s->loc);
		if (first != s)
			fw_error(g, s->loc,
				 "struct `%s` defined twice (first at %s:%d)",
				 s->name, first->loc.file, first->loc.line);
		resolve_alts(g, s->size);
		resolve_alts(g, s->footprint);
		if (!s->fields)
			fw_error(g, s->loc, "struct `%s` has no fields",
				 s->name);
		for (struct field *f = s->fields; f; f = f->next)
			check_field_decl(g, s, f);
	}
}

/* ---- layout ------------------------------------------------------------ */

static const uint32_t ftype_size[] = {
	[FT_U8] = 1,	     [FT_U16] = 2,	   [FT_U32] = 4,
	[FT_U64] = 8,	     [FT_S8] = 1,	   [FT_S16] = 2,
	[FT_S32] = 4,	     [FT_S64] = 8,	   [FT_SHARED_U32] = 4,
	[FT_SHARED_U64] = 8, [FT_GPU_PTR] = 8,	   [FT_GPU_WEAK_PTR] = 8,
	[FT_FW_PTR] = 8,     [FT_FW_WEAK_PTR] = 8,
};

static char *pad_hint(struct fwgen *g, uint32_t at, uint32_t n)
{
	if (n < 10)
		return fw_printf(g, "`u8 pad_%x[%u] padding`", at, n);
	return fw_printf(g, "`u8 pad_%x[0x%x] padding`", at, n);
}

struct lay_ctx {
	struct fwgen *g;
	struct struct_def *s;
	int v;
	const struct variant *var;
	struct struct_layout *sl;
	uint32_t end;
	const struct field *last;
};

static int elem_of(struct lay_ctx *c, const struct field *f,
		   struct field_layout *fl)
{
	if (f->type != FT_STRUCT) {
		fl->elem_size = ftype_size[f->type];
		fl->align = (f->flags & FF_PACKED) ? 1 : fl->elem_size;
		return 0;
	}
	/* A failed target has reported its own error. */
	if (f->target_def->failed || !f->target_def->layout ||
	    !f->target_def->layout[c->v].done)
		return -1;
	const struct struct_layout *tl = &f->target_def->layout[c->v];

	fl->elem_size = tl->size;
	fl->align = (f->flags & FF_PACKED) ? 1 : tl->align;
	return 0;
}

static int count_of(struct lay_ctx *c, const struct field *f,
		    struct field_layout *fl)
{
	uint64_t n = 1;

	for (int i = 0; i < f->nr_dims; i++) {
		const struct valref *d = &f->dims[i];
		uint64_t k = d->name ? const_find(c->g, d->name)->value[c->v]
				     : d->num;

		if (!k) {
			fw_error(c->g, d->loc,
				 "array `%s` has 0 elements in %s", f->name,
				 c->var->name);
			return -1;
		}
		n *= k;
		if (n > FWGEN_MAX_VALUE ||
		    n * fl->elem_size > FWGEN_MAX_VALUE) {
			fw_error(c->g, d->loc,
				 "array `%s` is larger than 4 GiB in %s",
				 f->name, c->var->name);
			return -1;
		}
	}
	fl->count = (uint32_t)n;
	fl->size = (uint32_t)n * fl->elem_size;
	return 0;
}

static const struct field *field_covering(struct lay_ctx *c, uint64_t off)
{
	const struct field *hit = c->last;
	int i = 0;

	for (const struct field *f = c->s->fields; f; f = f->next, i++) {
		const struct field_layout *fl = &c->sl->fields[i];

		if (fl->present && fl->size && off >= fl->offset &&
		    off < (uint64_t)fl->offset + fl->size)
			hit = f;
	}
	return hit;
}

static int stated_offset_check(struct lay_ctx *c, const struct field *f,
			       const struct field_layout *fl, uint64_t at,
			       uint32_t natural)
{
	if (at == natural)
		return 0;
	if (at > FWGEN_MAX_VALUE) {
		fw_error(c->g, f->loc,
			 "`%s` stated at 0x%llx: offsets stop at 4 GiB",
			 f->name, (unsigned long long)at);
		return -1;
	}
	if (at < c->end) {
		const struct field *o = field_covering(c, at);
		int i = 0;

		for (const struct field *x = c->s->fields; x != o; x = x->next)
			i++;
		fw_error(c->g, f->loc,
			 "`%s` stated at 0x%llx in %s overlaps `%s` "
			 "(0x%x..0x%x): fix the offset, or gate one of the "
			 "fields with `when`",
			 f->name, (unsigned long long)at, c->var->name, o->name,
			 c->sl->fields[i].offset,
			 c->sl->fields[i].offset + c->sl->fields[i].size);
		return -1;
	}
	if (at % fl->align) {
		fw_error(c->g, f->loc,
			 "`%s` stated at 0x%llx in %s is not aligned to %u, "
			 "its natural alignment",
			 f->name, (unsigned long long)at, c->var->name,
			 fl->align);
		return -1;
	}
	fw_error(c->g, f->loc,
		 "`%s` stated at 0x%llx in %s, but the fields before it end at "
		 "0x%x: insert %s before it, or fix the offset",
		 f->name, (unsigned long long)at, c->var->name, c->end,
		 pad_hint(c->g, c->end, (uint32_t)(at - c->end)));
	return -1;
}

static int place_field(struct lay_ctx *c, const struct field *f,
		       struct field_layout *fl)
{
	const struct alt *at;
	uint32_t natural;

	if (!fwgen_pred_eval(f->when, c->var))
		return 0;
	fl->present = true;
	if (elem_of(c, f, fl) || count_of(c, f, fl))
		return -1;
	natural = (c->end + fl->align - 1) & ~(fl->align - 1);
	at = alt_pick(f->at, c->var);
	if (at && stated_offset_check(c, f, fl, at->val.num, natural))
		return -1;
	if (!at && natural != c->end) {
		fw_error(c->g, f->loc,
			 "implicit hole of %u bytes before `%s` in %s (the "
			 "fields before it end at 0x%x, its alignment %u puts "
			 "it at 0x%x): insert %s before it",
			 natural - c->end, f->name, c->var->name, c->end,
			 fl->align, natural,
			 pad_hint(c->g, c->end, natural - c->end));
		return -1;
	}
	if ((uint64_t)natural + fl->size > FWGEN_MAX_VALUE) {
		fw_error(c->g, f->loc, "struct `%s` exceeds 4 GiB in %s",
			 c->s->name, c->var->name);
		return -1;
	}
	fl->offset = natural;
	c->end = natural + fl->size;
	c->last = f;
	if (fl->align > c->sl->align)
		c->sl->align = fl->align;
	return 0;
}

static int check_size(struct lay_ctx *c)
{
	const struct alt *a = alt_pick(c->s->size, c->var);
	struct struct_layout *sl = c->sl;
	uint32_t aligned = (c->end + sl->align - 1) & ~(sl->align - 1);

	if (!c->last) {
		fw_error(c->g, c->s->loc, "struct `%s` has no fields in %s",
			 c->s->name, c->var->name);
		return -1;
	}
	if (a && a->val.num > FWGEN_MAX_VALUE) {
		fw_error(c->g, a->val.loc, "size 0x%llx is larger than 4 GiB",
			 (unsigned long long)a->val.num);
		return -1;
	}
	if (a && a->val.num < c->end) {
		fw_error(c->g, a->val.loc,
			 "size 0x%llx stated for %s does not match: the fields "
			 "need 0x%x bytes (`%s` ends there)",
			 (unsigned long long)a->val.num, c->var->name, c->end,
			 c->last->name);
		return -1;
	}
	if (a && a->val.num > c->end) {
		fw_error(c->g, a->val.loc,
			 "size 0x%llx stated for %s does not match: the fields "
			 "end at 0x%x; insert %s at the end, or fix the size",
			 (unsigned long long)a->val.num, c->var->name, c->end,
			 pad_hint(c->g, c->end,
				  (uint32_t)(a->val.num - c->end)));
		return -1;
	}
	if (aligned != c->end) {
		fw_error(c->g, c->s->end_loc,
			 "implicit tail padding of %u bytes in `%s` for %s "
			 "(alignment %u): insert %s as the last field",
			 aligned - c->end, c->s->name, c->var->name, sl->align,
			 pad_hint(c->g, c->end, aligned - c->end));
		return -1;
	}
	sl->size = c->end;
	return 0;
}

static int check_footprint(struct lay_ctx *c)
{
	const struct alt *a = alt_pick(c->s->footprint, c->var);

	c->sl->footprint = c->sl->size;
	if (!a)
		return 0;
	if (a->val.num < c->sl->size) {
		fw_error(c->g, a->val.loc,
			 "footprint 0x%llx is smaller than the size 0x%x of "
			 "`%s` in %s: the footprint counts the struct itself",
			 (unsigned long long)a->val.num, c->sl->size,
			 c->s->name, c->var->name);
		return -1;
	}
	if (a->val.num > FWGEN_MAX_VALUE) {
		fw_error(c->g, a->val.loc, "footprint 0x%llx is too large",
			 (unsigned long long)a->val.num);
		return -1;
	}
	c->sl->footprint = (uint32_t)a->val.num;
	return 0;
}

static int layout_variant(struct fwgen *g, struct struct_def *s, int v)
{
	struct lay_ctx c = {.g = g, .s = s, .v = v, .var = &g->variants[v]};
	int i = 0;

	c.sl = &s->layout[v];
	c.sl->align = 1;
	c.sl->fields =
		fw_alloc(g, sizeof(struct field_layout) * (size_t)s->nr_fields);
	for (struct field *f = s->fields; f; f = f->next, i++)
		if (place_field(&c, f, &c.sl->fields[i]))
			return -1;
	if (check_size(&c) || check_footprint(&c))
		return -1;
	c.sl->done = true;
	return 0;
}

/* Lay out @s once its by-value members are laid out; append it to the order. */
static void layout_one(struct fwgen *g, struct struct_def *s)
{
	s->visit = 2;
	*g->order_tail = s;
	g->order_tail = &s->order_next;
	if (s->failed)
		return;
	s->layout = fw_alloc(g, sizeof(*s->layout) * (size_t)g->nr_variants);
	for (int v = 0; v < g->nr_variants; v++) {
		if (layout_variant(g, s, v)) {
			s->failed = true;
			return;
		}
	}
}

/*
 * Depth-first over by-value members, members first. The walk keeps its own
 * stack: a chain of nested structs is as deep as the set is long, far deeper
 * than the C stack allows for a recursion.
 */
struct lay_frame {
	struct struct_def *s;
	struct field *next; /* the member to visit next */
};

static void layout_struct(struct fwgen *g, struct struct_def *root)
{
	struct lay_frame *stack = NULL;
	size_t depth = 0, cap = 0;

	if (root->visit)
		return;
	root->visit = 1;
	stack = malloc(sizeof(*stack) * (cap = 64));
	if (!stack)
		index_oom();
	stack[depth++] = (struct lay_frame){root, root->fields};
	while (depth) {
		struct lay_frame *top = &stack[depth - 1];
		struct field *f = top->next;
		struct struct_def *t;

		if (!f) {
			layout_one(g, top->s);
			depth--;
			continue;
		}
		top->next = f->next;
		if (f->type != FT_STRUCT || !f->target_def)
			continue;
		t = f->target_def;
		if (t->visit == 2)
			continue;
		if (t->visit == 1) {
			fw_error(g, t->loc,
				 "struct `%s` contains itself by value",
				 t->name);
			t->failed = true;
			continue;
		}
		t->visit = 1;
		if (depth == cap) {
			stack = realloc(stack, sizeof(*stack) * (cap *= 2));
			if (!stack)
				index_oom();
		}
		stack[depth++] = (struct lay_frame){t, t->fields};
	}
	free(stack);
}

/* ---- per-field checks across variants ---------------------------------- */

static void check_duplicates(struct fwgen *g, struct struct_def *s)
{
	int i = 0;

	for (struct field *f = s->fields; f; f = f->next, i++) {
		int j = 0;

		for (struct field *p = s->fields; p != f; p = p->next, j++) {
			if (strcmp(p->name, f->name))
				continue;
			for (int v = 0; v < g->nr_variants; v++) {
				if (!s->layout[v].fields[i].present ||
				    !s->layout[v].fields[j].present)
					continue;
				fw_error(g, f->loc,
					 "duplicate field `%s` in %s (also at "
					 "line %d): gate the two with `when` "
					 "so they never coexist",
					 f->name, g->variants[v].name,
					 p->loc.line);
				return;
			}
		}
	}
}

static bool is_hex_part(const char *s, size_t n)
{
	bool digit = false;

	if (!n || n > 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = true;
		else if (s[i] < 'a' || s[i] > 'f')
			return false;
	}
	return digit;
}

static bool is_dec_part(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/*
 * The offset a name states: `unk_3c` states 0x3c; `unk_3c_1` (a later insert)
 * also states 0x3c. Returns the number of candidate offsets (0..2) and where
 * the stated part starts and ends, for the rename hint.
 */
struct name_offset {
	int n;
	uint32_t off[2];
	size_t start[2], len[2];
};

static void name_offsets(const char *name, struct name_offset *no)
{
	const char *last = strrchr(name, '_');

	no->n = 0;
	if (!last || last == name)
		return;
	size_t llen = strlen(last + 1);
	const char *prev = last - 1;

	while (prev > name && *prev != '_')
		prev--;
	if (*prev == '_' && prev != name && is_dec_part(last + 1, llen) &&
	    is_hex_part(prev + 1, (size_t)(last - prev - 1))) {
		no->off[no->n] = (uint32_t)strtoul(prev + 1, NULL, 16);
		no->start[no->n] = (size_t)(prev + 1 - name);
		no->len[no->n++] = (size_t)(last - prev - 1);
	}
	if (is_hex_part(last + 1, llen)) {
		no->off[no->n] = (uint32_t)strtoul(last + 1, NULL, 16);
		no->start[no->n] = (size_t)(last + 1 - name);
		no->len[no->n++] = llen;
	}
}

/*
 * Entries sharing a name are one field that moves between variants (they
 * never coexist), so the name is checked in the oldest variant having any
 * of them, against the entry present there.
 */
static void check_name_offset(struct fwgen *g, struct struct_def *s,
			      struct field *f, int i)
{
	struct name_offset no;
	int v = -1, j = 0, owner = -1;

	name_offsets(f->name, &no);
	if (!no.n)
		return;
	for (int k = 0; k < g->nr_variants && v < 0; k++) {
		int vi = g->oldest_order[k];

		j = 0;
		for (struct field *p = s->fields; p; p = p->next, j++) {
			if (!strcmp(p->name, f->name) &&
			    s->layout[vi].fields[j].present) {
				v = vi;
				owner = j;
				break;
			}
		}
	}
	if (v < 0 || owner != i)
		return;
	uint32_t off = s->layout[v].fields[i].offset;

	for (int k = 0; k < no.n; k++)
		if (no.off[k] == off)
			return;
	fw_error(g, f->loc,
		 "field name `%s` says offset 0x%x, but in %s (the oldest "
		 "variant having it) it is at 0x%x: rename it `%.*s%x%s` or "
		 "fix the layout",
		 f->name, no.off[0], g->variants[v].name, off, (int)no.start[0],
		 f->name, off, f->name + no.start[0] + no.len[0]);
}

static void check_struct_fields(struct fwgen *g, struct struct_def *s)
{
	int i = 0;

	if (s->failed)
		return;
	check_duplicates(g, s);
	for (struct field *f = s->fields; f; f = f->next, i++)
		check_name_offset(g, s, f, i);
}

/* ---- driver ------------------------------------------------------------ */

int fwgen_check(struct fwgen *g)
{
	if (g->nr_errors)
		return -1;
	check_axes(g);
	if (g->nr_errors)
		return -1;
	build_indexes(g);
	check_variants(g);
	check_consts(g);
	check_enums(g);
	check_struct_decls(g);
	if (g->nr_errors)
		return -1;
	order_variants(g);
	eval_consts(g);
	for (struct enum_def *e = g->enums; e; e = e->next)
		eval_enum(g, e);
	if (g->nr_errors)
		return -1;
	for (struct struct_def *s = g->structs; s; s = s->next)
		layout_struct(g, s);
	for (struct struct_def *s = g->structs; s; s = s->next)
		check_struct_fields(g, s);
	if (g->nr_errors)
		return -1;
	g->checked = true;
	return 0;
}

int fwgen_const_value(const struct fwgen *g, const char *name, int variant,
		      uint64_t *out)
{
	if (!g->checked || variant < 0 || variant >= g->nr_variants)
		return -1;
	for (struct const_def *c = g->consts; c; c = c->next) {
		if (!strcmp(c->name, name)) {
			*out = c->value[variant];
			return 0;
		}
	}
	return -1;
}

static const char *const cmp_text[] = {
	[CMP_LT] = "<",	 [CMP_LE] = "<=", [CMP_GT] = ">",
	[CMP_GE] = ">=", [CMP_EQ] = "==", [CMP_NE] = "!=",
};

static size_t fmt(const struct pred *p, char *buf, size_t len, size_t at,
		  enum pred_kind parent)
{
#define PUT(...)                                                               \
	do {                                                                   \
		int n_ = snprintf(at < len ? buf + at : NULL,                  \
				  at < len ? len - at : 0, __VA_ARGS__);       \
		at += n_ > 0 ? (size_t)n_ : 0;                                 \
	} while (0)
	bool paren = (p->kind == P_OR && parent != P_OR) ||
		     (p->kind != P_NOT && parent == P_NOT);

	if (paren)
		PUT("(");
	switch (p->kind) {
	case P_CMP:
		PUT("%s %s %s", axis_letter[p->axis], cmp_text[p->op],
		    p->value);
		break;
	case P_NOT:
		PUT("!");
		at = fmt(p->l, buf, len, at, P_NOT);
		break;
	case P_AND:
	case P_OR:
		at = fmt(p->l, buf, len, at, p->kind);
		PUT(p->kind == P_AND ? " && " : " || ");
		at = fmt(p->r, buf, len, at, p->kind);
		break;
	}
	if (paren)
		PUT(")");
	return at;
#undef PUT
}

size_t fwgen_pred_format(const struct pred *p, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	return p ? fmt(p, buf, len, 0, P_OR) : 0;
}
