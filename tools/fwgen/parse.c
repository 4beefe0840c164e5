// SPDX-License-Identifier: MIT
/*
 * Parser: tokens to the model in fwgen.h. Names are not resolved here (a
 * set may declare its axes in another file); the checker does that. The
 * first syntax error stops the file, since everything after it would only
 * produce follow-on noise.
 */
#include <string.h>

#include "fwgen.h"

/* Bounds keep the recursive predicate code far from the stack's limit. */
#define MAX_PRED_DEPTH 64
#define MAX_PRED_NODES 1024

struct parser {
	struct fwgen *g;
	struct token *t;
	int pos, nr;
	int depth, nodes; /* of the predicate being parsed */
};

static struct token *cur(struct parser *ps)
{
	return &ps->t[ps->pos];
}

static struct token *advance(struct parser *ps)
{
	struct token *t = cur(ps);

	if (t->kind != T_EOF)
		ps->pos++;
	return t;
}

static bool is(struct parser *ps, enum tok_kind k)
{
	return cur(ps)->kind == k;
}

static bool is_word(struct parser *ps, const char *w)
{
	return is(ps, T_IDENT) && !strcmp(cur(ps)->text, w);
}

static int expected(struct parser *ps, const char *what)
{
	fw_error(ps->g, cur(ps)->loc, "expected %s, found %s", what,
		 fw_tok_describe(ps->g, cur(ps)));
	return -1;
}

static int expect(struct parser *ps, enum tok_kind k, const char *what)
{
	if (!is(ps, k))
		return expected(ps, what);
	advance(ps);
	return 0;
}

static void skip_nl(struct parser *ps)
{
	while (is(ps, T_NL))
		advance(ps);
}

static int end_of_line(struct parser *ps, const char *after)
{
	/* `}` may close a body on the line of its last member. */
	if (is(ps, T_EOF) || is(ps, T_RBRACE))
		return 0;
	if (!is(ps, T_NL)) {
		fw_error(ps->g, cur(ps)->loc, "unexpected %s after %s",
			 fw_tok_describe(ps->g, cur(ps)), after);
		return -1;
	}
	skip_nl(ps);
	return 0;
}

/* ---- predicates ------------------------------------------------------ */

static struct pred *parse_or(struct parser *ps);

static struct pred *new_pred(struct parser *ps, enum pred_kind kind,
			     struct fw_loc loc)
{
	struct pred *p;

	if (++ps->nodes > MAX_PRED_NODES) {
		fw_error(ps->g, loc,
			 "predicate too long (more than %d operators and "
			 "comparisons)",
			 MAX_PRED_NODES);
		return NULL;
	}
	p = fw_alloc(ps->g, sizeof(*p));
	p->kind = kind;
	p->loc = loc;
	return p;
}

/* A whole predicate: the entry point that resets the bounds. */
static struct pred *parse_pred(struct parser *ps)
{
	ps->depth = 0;
	ps->nodes = 0;
	return parse_or(ps);
}

static const struct {
	enum tok_kind tok;
	enum cmp_op op;
} cmp_ops[] = {
	{T_LT, CMP_LT}, {T_LE, CMP_LE}, {T_GT, CMP_GT},
	{T_GE, CMP_GE}, {T_EQ, CMP_EQ}, {T_NE, CMP_NE},
};

static int cmp_op_of(enum tok_kind k)
{
	for (size_t i = 0; i < sizeof(cmp_ops) / sizeof(cmp_ops[0]); i++)
		if (cmp_ops[i].tok == k)
			return (int)cmp_ops[i].op;
	return -1;
}

static struct pred *parse_cmp(struct parser *ps)
{
	struct token *ax = cur(ps);
	struct pred *p;
	int op;

	if (!is(ps, T_IDENT)) {
		expected(ps, "a comparison such as `V >= V2_0`");
		return NULL;
	}
	if (strcmp(ax->text, "G") && strcmp(ax->text, "V")) {
		fw_error(ps->g, ax->loc,
			 "`%s` is not an axis: a comparison starts with `G` "
			 "(GPU generation) or `V` (firmware version)",
			 ax->text);
		return NULL;
	}
	advance(ps);
	op = cmp_op_of(cur(ps)->kind);
	if (op < 0) {
		expected(ps, "a comparison operator (< <= == != >= >)");
		return NULL;
	}
	advance(ps);
	if (!is(ps, T_IDENT)) {
		expected(ps, fw_printf(ps->g, "a value of axis %s", ax->text));
		return NULL;
	}
	p = new_pred(ps, P_CMP, ax->loc);
	if (!p)
		return NULL;
	p->axis = ax->text[0] == 'G' ? AXIS_G : AXIS_V;
	p->op = (enum cmp_op)op;
	p->value = cur(ps)->text;
	p->value_loc = cur(ps)->loc;
	advance(ps);
	return p;
}

static struct pred *parse_unary(struct parser *ps);

static struct pred *parse_nested(struct parser *ps)
{
	struct fw_loc loc = cur(ps)->loc;
	struct pred *p = NULL;

	if (is(ps, T_NOT)) {
		advance(ps);
		struct pred *l = parse_unary(ps);

		p = l ? new_pred(ps, P_NOT, loc) : NULL;
		if (p)
			p->l = l;
		return p;
	}
	advance(ps);
	p = parse_or(ps);
	if (!p || expect(ps, T_RPAREN, "`)` closing the `(`"))
		return NULL;
	return p;
}

static struct pred *parse_unary(struct parser *ps)
{
	struct pred *p;

	if (!is(ps, T_NOT) && !is(ps, T_LPAREN))
		return parse_cmp(ps);
	if (++ps->depth > MAX_PRED_DEPTH) {
		fw_error(ps->g, cur(ps)->loc,
			 "predicate nested too deeply (more than %d levels of "
			 "`(` and `!`)",
			 MAX_PRED_DEPTH);
		return NULL;
	}
	p = parse_nested(ps);
	ps->depth--;
	return p;
}

static struct pred *parse_binary(struct parser *ps, enum tok_kind tok,
				 enum pred_kind kind,
				 struct pred *(*sub)(struct parser *))
{
	struct pred *l = sub(ps);

	while (l && is(ps, tok)) {
		struct fw_loc loc = cur(ps)->loc;

		advance(ps);
		struct pred *r = sub(ps);

		if (!r)
			return NULL;
		struct pred *p = new_pred(ps, kind, loc);

		if (!p)
			return NULL;
		p->l = l;
		p->r = r;
		l = p;
	}
	return l;
}

static struct pred *parse_and(struct parser *ps)
{
	return parse_binary(ps, T_AND, P_AND, parse_unary);
}

static struct pred *parse_or(struct parser *ps)
{
	return parse_binary(ps, T_OR, P_OR, parse_and);
}

/* ---- values and alternatives ------------------------------------------ */

static int parse_valref(struct parser *ps, struct valref *v, bool names,
			const char *what)
{
	v->loc = cur(ps)->loc;
	if (is(ps, T_NUM)) {
		v->num = advance(ps)->num;
		return 0;
	}
	if (names && is(ps, T_IDENT)) {
		v->name = advance(ps)->text;
		return 0;
	}
	return expected(ps, what);
}

/* v [when pred] { | v [when pred] } -- a final unconditional value ends it. */
static struct alt *parse_alts(struct parser *ps, bool names, const char *what)
{
	struct alt *head = NULL, **tail = &head;

	for (;;) {
		struct alt *a = fw_alloc(ps->g, sizeof(*a));

		if (parse_valref(ps, &a->val, names, what))
			return NULL;
		*tail = a;
		tail = &a->next;
		if (!is_word(ps, "when"))
			return head;
		advance(ps);
		a->when = parse_pred(ps);
		if (!a->when)
			return NULL;
		if (!is(ps, T_BAR))
			return head;
		advance(ps);
	}
}

/* ---- declarations ------------------------------------------------------ */

static int parse_axis(struct parser *ps)
{
	struct token *kw = advance(ps);
	struct axis *ax;

	if (!is(ps, T_IDENT))
		return expected(ps, "an axis name (`G` or `V`)");
	struct token *name = advance(ps);

	if (strcmp(name->text, "G") && strcmp(name->text, "V")) {
		fw_error(ps->g, name->loc,
			 "unknown axis `%s`: the axes are `G` (GPU generation) "
			 "and `V` (firmware version)",
			 name->text);
		return -1;
	}
	ax = &ps->g->axes[name->text[0] == 'G' ? AXIS_G : AXIS_V];
	if (ax->declared) {
		fw_error(ps->g, kw->loc,
			 "axis %s declared twice (first at %s:%d)", name->text,
			 ax->loc.file, ax->loc.line);
		return -1;
	}
	ax->declared = true;
	ax->loc = kw->loc;
	if (expect(ps, T_COLON, "`:` after the axis name"))
		return -1;
	int cap = 0, cap2 = 0, n2 = 0;

	while (is(ps, T_IDENT)) {
		const char **slot = fw_vec_push(ps->g, &ax->names, &ax->count,
						&cap, sizeof(*slot));
		struct fw_loc *lslot = fw_vec_push(ps->g, &ax->locs, &n2, &cap2,
						   sizeof(*lslot));

		*lslot = cur(ps)->loc;
		*slot = advance(ps)->text;
	}
	if (!ax->count)
		return expected(ps, "the axis values, oldest first");
	return end_of_line(ps, "the axis values");
}

static int parse_variant(struct parser *ps)
{
	struct token *kw = advance(ps);
	struct fwgen *g = ps->g;

	if (!is(ps, T_IDENT))
		return expected(ps, "a GPU generation (`variant <G> <V>`)");
	struct token *gen = advance(ps);

	if (!is(ps, T_IDENT))
		return expected(ps, "a firmware version (`variant <G> <V>`)");
	struct token *fw = advance(ps);
	struct variant *v = fw_vec_push(g, &g->variants, &g->nr_variants,
					&g->cap_variants, sizeof(*v));

	v->loc = kw->loc;
	v->gen_name = gen->text;
	v->gen_loc = gen->loc;
	v->fw_name = fw->text;
	v->fw_loc = fw->loc;
	v->name = fw_printf(g, "%s_%s", gen->text, fw->text);
	return end_of_line(ps, "the variant");
}

static int parse_const(struct parser *ps)
{
	struct const_def *c = fw_alloc(ps->g, sizeof(*c));

	c->loc = advance(ps)->loc;
	if (!is(ps, T_IDENT))
		return expected(ps, "a constant name");
	c->name = advance(ps)->text;
	if (expect(ps, T_ASSIGN, "`=` after the constant name"))
		return -1;
	c->alts = parse_alts(ps, false, "a number");
	if (!c->alts)
		return -1;
	*ps->g->consts_tail = c;
	ps->g->consts_tail = &c->next;
	return end_of_line(ps, "the constant's value");
}

static int parse_enum_item(struct parser *ps, struct enum_item *it)
{
	it->loc = cur(ps)->loc;
	it->name = advance(ps)->text;
	if (is(ps, T_ASSIGN)) {
		advance(ps);
		if (!is(ps, T_NUM))
			return expected(ps, "a number after `=`");
		it->has_value = true;
		it->value = advance(ps)->num;
	}
	if (is_word(ps, "when")) {
		advance(ps);
		it->when = parse_pred(ps);
		if (!it->when)
			return -1;
	}
	return end_of_line(ps, "the enum value");
}

static int parse_enum(struct parser *ps)
{
	struct enum_def *e = fw_alloc(ps->g, sizeof(*e));
	struct enum_item **tail = &e->items;

	e->loc = advance(ps)->loc;
	if (!is(ps, T_IDENT))
		return expected(ps, "an enum name");
	e->name = advance(ps)->text;
	if (expect(ps, T_LBRACE, "`{` after the enum name"))
		return -1;
	skip_nl(ps);
	while (!is(ps, T_RBRACE)) {
		if (!is(ps, T_IDENT))
			return expected(ps, "an enum value name or `}`");
		struct enum_item *it = fw_alloc(ps->g, sizeof(*it));

		if (parse_enum_item(ps, it))
			return -1;
		*tail = it;
		tail = &it->next;
	}
	advance(ps);
	if (!e->items) {
		fw_error(ps->g, e->loc, "enum `%s` has no values", e->name);
		return -1;
	}
	*ps->g->enums_tail = e;
	ps->g->enums_tail = &e->next;
	return end_of_line(ps, "the enum's `}`");
}

static int parse_dir(struct parser *ps, struct struct_def *s, const char *cls)
{
	static const char *const names[] = {"read", "write", "rw"};
	static const unsigned int dirs[] = {DIR_READ, DIR_WRITE,
					    DIR_READ | DIR_WRITE};

	if (expect(ps, T_LPAREN,
		   fw_printf(ps->g, "`(` after `%s`: %s(read|write|rw)", cls,
			     cls)))
		return -1;
	for (int i = 0; i < 3; i++) {
		if (is_word(ps, names[i])) {
			advance(ps);
			s->dir = dirs[i];
			return expect(ps, T_RPAREN, "`)`");
		}
	}
	return expected(ps, "the firmware's direction: read, write or rw");
}

static int parse_class(struct parser *ps, struct struct_def *s)
{
	if (is_word(ps, "cpu")) {
		advance(ps);
		s->cls = CLS_CPU;
		return 0;
	}
	if (is_word(ps, "gpu_only")) {
		advance(ps);
		s->cls = CLS_GPU_ONLY;
		s->dir = DIR_READ | DIR_WRITE;
		return 0;
	}
	if (is_word(ps, "fw") || is_word(ps, "shared")) {
		s->cls = is_word(ps, "fw") ? CLS_FW : CLS_SHARED;
		return parse_dir(ps, s, advance(ps)->text);
	}
	return expected(ps, "an ownership class: cpu, fw(read|write|rw), "
			    "shared(read|write|rw) or gpu_only");
}

static const struct {
	const char *name;
	enum ftype type;
} scalar_types[] = {
	{"u8", FT_U8},
	{"u16", FT_U16},
	{"u32", FT_U32},
	{"u64", FT_U64},
	{"s8", FT_S8},
	{"s16", FT_S16},
	{"s32", FT_S32},
	{"s64", FT_S64},
	{"fw_shared_u32", FT_SHARED_U32},
	{"fw_shared_u64", FT_SHARED_U64},
};

static const struct {
	const char *name;
	enum ftype type;
} ptr_types[] = {
	{"gpu_ptr", FT_GPU_PTR},
	{"gpu_weak_ptr", FT_GPU_WEAK_PTR},
	{"fw_ptr", FT_FW_PTR},
	{"fw_weak_ptr", FT_FW_WEAK_PTR},
};

static int parse_target(struct parser *ps, struct field *f)
{
	if (!is(ps, T_IDENT))
		return expected(ps, "a struct name");
	f->target_loc = cur(ps)->loc;
	f->target = advance(ps)->text;
	return 0;
}

static int parse_type(struct parser *ps, struct field *f)
{
	struct token *t = cur(ps);

	for (size_t i = 0; i < sizeof(scalar_types) / sizeof(scalar_types[0]);
	     i++) {
		if (!strcmp(t->text, scalar_types[i].name)) {
			advance(ps);
			f->type = scalar_types[i].type;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(ptr_types) / sizeof(ptr_types[0]); i++) {
		if (!strcmp(t->text, ptr_types[i].name)) {
			advance(ps);
			f->type = ptr_types[i].type;
			if (expect(ps, T_LPAREN,
				   fw_printf(ps->g, "`(` after `%s`",
					     t->text)) ||
			    parse_target(ps, f))
				return -1;
			return expect(ps, T_RPAREN,
				      "`)` after the struct name");
		}
	}
	if (!strcmp(t->text, "struct")) {
		advance(ps);
		f->type = FT_STRUCT;
		return parse_target(ps, f);
	}
	fw_error(ps->g, t->loc,
		 "unknown type `%s`: use u8..u64, s8..s64, fw_shared_u32, "
		 "fw_shared_u64, gpu_ptr(T), gpu_weak_ptr(T), fw_ptr(T), "
		 "fw_weak_ptr(T) or struct T",
		 t->text);
	return -1;
}

static int parse_dims(struct parser *ps, struct field *f)
{
	while (is(ps, T_LBRACK)) {
		if (f->nr_dims == FWGEN_MAX_DIMS) {
			fw_error(ps->g, cur(ps)->loc,
				 "too many array dimensions (at most %d)",
				 FWGEN_MAX_DIMS);
			return -1;
		}
		advance(ps);
		if (parse_valref(ps, &f->dims[f->nr_dims++], true,
				 "an array size (a number or a const)") ||
		    expect(ps, T_RBRACK, "`]` after the array size"))
			return -1;
	}
	return 0;
}

static int parse_field_flag(struct parser *ps, struct field *f)
{
	unsigned int flag = is_word(ps, "fw_writes") ? FF_FW_WRITES :
			    is_word(ps, "packed")    ? FF_PACKED :
						       FF_PADDING;

	if (f->flags & flag) {
		fw_error(ps->g, cur(ps)->loc, "`%s` given twice",
			 cur(ps)->text);
		return -1;
	}
	f->flags |= flag;
	advance(ps);
	return 0;
}

/* After the name: `when`, `@` alternatives and flags, in that order. */
static int parse_field_tail(struct parser *ps, struct field *f)
{
	while (!is(ps, T_NL) && !is(ps, T_EOF) && !is(ps, T_RBRACE)) {
		if (is_word(ps, "fw_writes") || is_word(ps, "padding") ||
		    is_word(ps, "packed")) {
			if (parse_field_flag(ps, f))
				return -1;
		} else if (is_word(ps, "when") && !f->when && !f->at) {
			advance(ps);
			f->when = parse_pred(ps);
			if (!f->when)
				return -1;
		} else if (is(ps, T_AT) && !f->at) {
			f->at_loc = advance(ps)->loc;
			f->at = parse_alts(ps, false, "an offset after `@`");
			if (!f->at)
				return -1;
		} else {
			fw_error(ps->g, cur(ps)->loc,
				 "unexpected %s in field `%s`: after the name "
				 "come `when <predicate>`, then `@<offset> "
				 "[when ...] | ...`, then the flags fw_writes, "
				 "padding and packed",
				 fw_tok_describe(ps->g, cur(ps)), f->name);
			return -1;
		}
	}
	skip_nl(ps);
	return 0;
}

static int parse_field(struct parser *ps, struct struct_def *s,
		       struct field ***tail)
{
	struct field *f = fw_alloc(ps->g, sizeof(*f));

	if (parse_type(ps, f))
		return -1;
	if (!is(ps, T_IDENT))
		return expected(ps, "a field name");
	f->loc = cur(ps)->loc;
	f->name = advance(ps)->text;
	if (parse_dims(ps, f) || parse_field_tail(ps, f))
		return -1;
	**tail = f;
	*tail = &f->next;
	s->nr_fields++;
	return 0;
}

static int parse_size(struct parser *ps, struct struct_def *s)
{
	if (s->size) {
		fw_error(ps->g, cur(ps)->loc,
			 "`size` given twice in struct `%s`: list every "
			 "variant's size as alternatives of one `size` line",
			 s->name);
		return -1;
	}
	s->size_loc = advance(ps)->loc;
	s->size = parse_alts(ps, false, "a size");
	if (!s->size)
		return -1;
	return end_of_line(ps, "the size");
}

static int parse_struct_body(struct parser *ps, struct struct_def *s)
{
	struct field **tail = &s->fields;

	skip_nl(ps);
	while (!is(ps, T_RBRACE)) {
		if (is(ps, T_EOF)) {
			fw_error(ps->g, cur(ps)->loc,
				 "end of file inside struct `%s`: missing `}`",
				 s->name);
			return -1;
		}
		if (!is(ps, T_IDENT))
			return expected(ps, "a field, `size` or `}`");
		if (is_word(ps, "size")) {
			if (parse_size(ps, s))
				return -1;
			continue;
		}
		if (parse_field(ps, s, &tail))
			return -1;
	}
	s->end_loc = advance(ps)->loc;
	return 0;
}

static int parse_struct(struct parser *ps)
{
	struct struct_def *s = fw_alloc(ps->g, sizeof(*s));

	s->loc = advance(ps)->loc;
	if (!is(ps, T_IDENT))
		return expected(ps, "a struct name");
	s->name = advance(ps)->text;
	if (parse_class(ps, s))
		return -1;
	if (is_word(ps, "footprint")) {
		s->footprint_loc = advance(ps)->loc;
		s->footprint = parse_alts(ps, false, "a footprint in bytes");
		if (!s->footprint)
			return -1;
	}
	if (expect(ps, T_LBRACE, "`{` starting the struct's fields"))
		return -1;
	if (parse_struct_body(ps, s))
		return -1;
	*ps->g->structs_tail = s;
	ps->g->structs_tail = &s->next;
	return end_of_line(ps, "the struct's `}`");
}

static int parse_decl(struct parser *ps)
{
	static const struct {
		const char *kw;
		int (*fn)(struct parser *);
	} decls[] = {
		{"axis", parse_axis},	  {"variant", parse_variant},
		{"const", parse_const},	  {"enum", parse_enum},
		{"struct", parse_struct},
	};

	for (size_t i = 0; i < sizeof(decls) / sizeof(decls[0]); i++)
		if (is_word(ps, decls[i].kw))
			return decls[i].fn(ps);
	return expected(ps, "`axis`, `variant`, `const`, `enum` or `struct`");
}

int fw_parse(struct fwgen *g, struct token *toks, int nr)
{
	struct parser ps = {.g = g, .t = toks, .nr = nr};

	skip_nl(&ps);
	while (!is(&ps, T_EOF)) {
		if (parse_decl(&ps))
			return -1;
		skip_nl(&ps);
	}
	return 0;
}
