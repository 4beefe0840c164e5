// SPDX-License-Identifier: MIT
/*
 * Lexer. Line ends are tokens (one field or declaration per line), except
 * where a line obviously continues: after `|`, `&&`, `||`, `!`, `(`, `=`,
 * `@`, and before a line starting with `|`, `&&` or `||`, so alternatives
 * and long predicates can be written one per line.
 */
#include <ctype.h>
#include <string.h>

#include "fwgen.h"

struct lexer {
	struct fwgen *g;
	const char *file;
	const char *p, *end;
	int line;
	const char *line_start;
	struct token *toks;
	int nr, cap;
};

static struct fw_loc here(const struct lexer *lx)
{
	return (struct fw_loc){lx->file, lx->line,
			       (int)(lx->p - lx->line_start) + 1};
}

static struct token *push(struct lexer *lx, enum tok_kind kind,
			  struct fw_loc loc, const char *s, size_t len)
{
	struct token *t =
		fw_vec_push(lx->g, &lx->toks, &lx->nr, &lx->cap, sizeof(*t));

	t->kind = kind;
	t->loc = loc;
	t->text = fw_strdup(lx->g, s, len);
	return t;
}

static bool continues_line(enum tok_kind k)
{
	return k == T_BAR || k == T_AND || k == T_OR || k == T_NOT ||
	       k == T_LPAREN || k == T_ASSIGN || k == T_AT || k == T_NL;
}

/* Is the next token (past blanks, line ends and comments) a continuation? */
static bool next_line_continues(const struct lexer *lx)
{
	const char *q = lx->p;

	while (q < lx->end) {
		if (*q == '#') {
			while (q < lx->end && *q != '\n')
				q++;
			continue;
		}
		if (*q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
			break;
		q++;
	}
	if (q < lx->end && *q == '|')
		return true;
	return lx->end - q >= 2 && q[0] == '&' && q[1] == '&';
}

static void newline(struct lexer *lx)
{
	struct fw_loc loc = here(lx);

	lx->p++;
	lx->line++;
	lx->line_start = lx->p;
	if (lx->nr && continues_line(lx->toks[lx->nr - 1].kind))
		return;
	if (!lx->nr || next_line_continues(lx))
		return;
	push(lx, T_NL, loc, "", 0);
}

static int number(struct lexer *lx)
{
	struct fw_loc loc = here(lx);
	const char *s = lx->p;
	uint64_t v = 0;
	int base = 10;
	bool any = false;

	while (lx->p < lx->end &&
	       (isalnum((unsigned char)*lx->p) || *lx->p == '_'))
		lx->p++;
	size_t len = (size_t)(lx->p - s);
	const char *d = s;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d += 2;
	}
	for (; d < lx->p; d++) {
		int c = tolower((unsigned char)*d), dig;

		if (isdigit(c))
			dig = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			dig = c - 'a' + 10;
		else
			goto bad;
		if (v > (UINT64_MAX - (uint64_t)dig) / (uint64_t)base) {
			fw_error(lx->g, loc, "number `%.*s` is too large",
				 (int)len, s);
			return -1;
		}
		v = v * (uint64_t)base + (uint64_t)dig;
		any = true;
	}
	if (!any)
		goto bad;
	push(lx, T_NUM, loc, s, len)->num = v;
	return 0;
bad:
	fw_error(lx->g, loc,
		 "bad number `%.*s`: write a decimal number or 0x followed by "
		 "hex digits",
		 (int)len, s);
	return -1;
}

struct punct {
	const char *s;
	enum tok_kind kind;
};

static const struct punct puncts[] = {
	{"&&", T_AND},	 {"||", T_OR},	  {"<=", T_LE},	   {">=", T_GE},
	{"==", T_EQ},	 {"!=", T_NE},	  {"<", T_LT},	   {">", T_GT},
	{"!", T_NOT},	 {"|", T_BAR},	  {"=", T_ASSIGN}, {"@", T_AT},
	{":", T_COLON},	 {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACK},
	{"]", T_RBRACK}, {"{", T_LBRACE}, {"}", T_RBRACE},
};

static int punct(struct lexer *lx)
{
	struct fw_loc loc = here(lx);
	size_t left = (size_t)(lx->end - lx->p);

	for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
		size_t n = strlen(puncts[i].s);

		if (n <= left && !memcmp(lx->p, puncts[i].s, n)) {
			push(lx, puncts[i].kind, loc, lx->p, n);
			lx->p += n;
			return 0;
		}
	}
	unsigned char c = (unsigned char)*lx->p;

	if (c == '&')
		fw_error(lx->g, loc, "unexpected `&`: write `&&` for \"and\"");
	else if (isprint(c))
		fw_error(lx->g, loc, "unexpected character `%c`", c);
	else
		fw_error(lx->g, loc, "unexpected byte 0x%02x", c);
	return -1;
}

static int lex_one(struct lexer *lx)
{
	char c = *lx->p;

	if (c == '\n') {
		newline(lx);
		return 0;
	}
	if (c == ' ' || c == '\t' || c == '\r') {
		lx->p++;
		return 0;
	}
	if (c == '#') {
		while (lx->p < lx->end && *lx->p != '\n')
			lx->p++;
		return 0;
	}
	if (isdigit((unsigned char)c))
		return number(lx);
	if (isalpha((unsigned char)c) || c == '_') {
		struct fw_loc loc = here(lx);
		const char *s = lx->p;

		while (lx->p < lx->end &&
		       (isalnum((unsigned char)*lx->p) || *lx->p == '_'))
			lx->p++;
		push(lx, T_IDENT, loc, s, (size_t)(lx->p - s));
		return 0;
	}
	return punct(lx);
}

struct token *fw_lex(struct fwgen *g, const char *file, const char *buf,
		     size_t len, int *nr)
{
	struct lexer lx = {
		.g = g,
		.file = file,
		.p = buf,
		.end = buf + len,
		.line = 1,
		.line_start = buf,
	};

	while (lx.p < lx.end) {
		if (lex_one(&lx))
			return NULL;
	}
	if (lx.nr && lx.toks[lx.nr - 1].kind != T_NL)
		push(&lx, T_NL, here(&lx), "", 0);
	push(&lx, T_EOF, here(&lx), "", 0);
	*nr = lx.nr;
	return lx.toks;
}

const char *fw_tok_describe(struct fwgen *g, const struct token *t)
{
	if (t->kind == T_EOF)
		return "end of file";
	if (t->kind == T_NL)
		return "end of line";
	return fw_printf(g, "`%s`", t->text);
}
