// SPDX-License-Identifier: MIT
/*
 * One semantic patch out of several rule instances, so that one spatch
 * process parses each file once for the whole rule set in report mode.
 * Each spatch process costs about a second of CPU before it reads a file
 * (OCaml and the embedded Python starting, the rule and the macro file
 * parsed), and each file is parsed again by every rule that looks at it; on a
 * small driver the first, on a large one the second, is most of the
 * Coccinelle layer's time.
 *
 * The rules are written to stand alone, so merging renames what two of them
 * could both define:
 *   - rule names: `@use exists@` of use_after_put becomes
 *     `@use_after_put__use exists@`, with every reference to it (`depends
 *     on use`, `use.p`, `p << use.p;`) renamed alike;
 *   - every Python global a rule defines (`expr`, `CTX`, `mark`) becomes
 *     `<rule>__NAME` in its script code and in its `script:python`
 *     constraints: the rules share one interpreter, and a script rule's
 *     binding (`names << virtual.free_fns;`) rebinds a global of the same
 *     name that another rule defined as a function;
 *   - `virtual` lines are written once.
 * A report is printed through gpuown_report__(RULE, ...), which puts the
 * rule's id in front of the message, so the findings keep their rule.
 */
#include "cocci_merge.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_NAMES 512

struct names {
	char *v[MAX_NAMES];
	size_t nr;
};

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static int names_has(const struct names *n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		if (strlen(n->v[i]) == len && !strncmp(n->v[i], s, len))
			return 1;
	return 0;
}

static int names_add(struct names *n, const char *s, size_t len)
{
	if (names_has(n, s, len))
		return 0;
	if (n->nr == MAX_NAMES)
		return -E2BIG;
	n->v[n->nr] = strndup(s, len);
	if (!n->v[n->nr])
		return -ENOMEM;
	n->nr++;
	return 0;
}

static void names_free(struct names *n)
{
	while (n->nr)
		free(n->v[--n->nr]);
}

/* A rule header: "@...@" on its own line, "@@" excepted. */
static int is_header(const char *line, size_t len)
{
	while (len && isspace((unsigned char)line[len - 1]))
		len--;
	return len > 2 && line[0] == '@' && line[len - 1] == '@' &&
	       line[1] != '@';
}

static int is_sep(const char *line, size_t len)
{
	return len >= 2 && line[0] == '@' && line[1] == '@';
}

/* "@name ...@" -> name; 0 for anonymous rules and unnamed script rules. */
static size_t header_name(const char *line, const char **name)
{
	const char *p = line + 1;
	size_t len = 0;

	/* A script rule that binds new metavariables: @script:python NAME@. */
	if (!strncmp(p, "script:python ", 14)) {
		p += 14;
		while (*p == ' ')
			p++;
	}
	while (is_ident((unsigned char)p[len]))
		len++;
	*name = p;
	if (!len || p[len] == ':')
		return 0;
	if ((len == 7 && !strncmp(p, "depends", 7)) ||
	    (len == 7 && !strncmp(p, "disable", 7)) ||
	    (len == 6 && !strncmp(p, "exists", 6)) ||
	    (len == 6 && !strncmp(p, "forall", 6)))
		return 0;
	return len;
}

enum region { PREAMBLE, HEADER, METAVARS, SMPL, SCRIPT };

/* The Python globals a rule's initialize blocks define at column 0. */
static int python_globals(const char *text, struct names *out)
{
	const char *line = text;
	int in_init = 0, ret = 0;

	while (*line && !ret) {
		size_t len = strcspn(line, "\n");

		if (is_header(line, len))
			in_init = !strncmp(line, "@initialize:python", 18);
		else if (in_init && !is_sep(line, len)) {
			const char *p = line;
			size_t n = 0;

			if (!strncmp(p, "def ", 4))
				p += 4;
			else if (!strncmp(p, "class ", 6))
				p += 6;
			while (is_ident((unsigned char)p[n]))
				n++;
			if (n && !isdigit((unsigned char)p[0])) {
				const char *q = p + n;

				while (*q == ' ')
					q++;
				if ((p != line && (*q == '(' || *q == ':')) ||
				    (p == line && *q == '=' && q[1] != '='))
					ret = names_add(out, p, n);
			}
		}
		line += len + (line[len] == '\n');
	}
	return ret;
}

/*
 * Metavariables declared with a script constraint
 * ("identifier gf : script:python () { gf in GET };"). spatch takes such a
 * name, once declared, for a constrained metavariable everywhere after it:
 * another rule's `gf << leak.gf;` no longer parses. Each rule's own are
 * renamed in all of its SmPL (declarations, code, bindings' right sides).
 */
static int constrained_metavars(const char *text, struct names *out)
{
	const char *line = text;
	int ret = 0;

	while (*line && !ret) {
		size_t len = strcspn(line, "\n");
		const char *c = memmem(line, len, "script:python", 13);

		if (c && line[0] != '@') {
			const char *e = c;

			/* Back over ": " to the name before it. */
			while (e > line && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (e > line && e[-1] == ':') {
				const char *b;

				e--;
				while (e > line &&
				       (e[-1] == ' ' || e[-1] == '\t'))
					e--;
				b = e;
				while (b > line &&
				       is_ident((unsigned char)b[-1]))
					b--;
				if (b < e)
					ret = names_add(out, b,
							(size_t)(e - b));
			}
		}
		line += len + (line[len] == '\n');
	}
	return ret;
}

/* What to rename in a span of text (NULL sets are left alone). */
struct renames {
	const struct names *rules; /* rule names, when followed by '.' */
	const struct names *meta;  /* constrained metavariables, anywhere */
	const struct names *py;	   /* Python globals, not after a '.' */
};

/* Copy @s[0..len) to @o, prefixing each renamed word with "@rule__". */
static void rename_words(FILE *o, const char *s, size_t len, const char *rule,
			 const struct renames *rn)
{
	size_t i = 0;

	while (i < len) {
		size_t n = 0;

		/*
		 * spatch's lexer reads "(*" in script code as the start of an
		 * OCaml comment that a later "*)" (in a regular expression of
		 * another rule) would close, swallowing the rules between.
		 */
		if (rn->py && s[i] == '(' && i + 1 < len && s[i + 1] == '*') {
			fputs("( ", o);
			i++;
			continue;
		}
		if (!is_ident((unsigned char)s[i]) ||
		    (i && is_ident((unsigned char)s[i - 1]))) {
			fputc(s[i++], o);
			continue;
		}
		while (i + n < len && is_ident((unsigned char)s[i + n]))
			n++;
		if ((rn->rules && names_has(rn->rules, s + i, n) &&
		     i + n < len && s[i + n] == '.') ||
		    (rn->meta && names_has(rn->meta, s + i, n)) ||
		    (rn->py && names_has(rn->py, s + i, n) &&
		     (!i || s[i - 1] != '.')))
			fprintf(o, "%s__", rule);
		fwrite(s + i, 1, n, o);
		i += n;
	}
}

/*
 * A metavariable line: rule references and constrained metavariables, and
 * the Python globals in a script constraint's body.
 */
static void metavar_line(FILE *o, const char *line, size_t len,
			 const char *rule, const struct names *rules,
			 const struct names *meta, const struct names *py)
{
	struct renames decl = {rules, meta, NULL}, body = {NULL, meta, py};
	const char *c = NULL, *p;
	size_t i;

	for (p = line; p + 13 <= line + len; p++)
		if (!strncmp(p, "script:python", 13)) {
			c = memchr(p, '{', (size_t)(line + len - p));
			break;
		}
	if (!c) {
		rename_words(o, line, len, rule, &decl);
		return;
	}
	i = (size_t)(c - line);
	rename_words(o, line, i, rule, &decl);
	rename_words(o, c, len - i, rule, &body);
}

/*
 * A script rule's binding, "x << rule.meta;": the local name stays, the
 * rule and the metavariable it names are renamed.
 */
static void binding_line(FILE *o, const char *line, size_t len,
			 const char *rule, const struct names *rules,
			 const struct names *meta)
{
	const char *arrow = memmem(line, len, "<<", 2);
	struct renames rn = {rules, meta, NULL};
	size_t i;

	if (!arrow) {
		fwrite(line, 1, len, o);
		return;
	}
	i = (size_t)(arrow - line);
	fwrite(line, 1, i, o);
	rename_words(o, arrow, len - i, rule, &rn);
}

/* The header with the rule's own name and the rule names it depends on. */
static void header_line(FILE *o, const char *line, size_t len, const char *rule,
			const struct names *rules)
{
	size_t i = 0;

	while (i < len) {
		size_t n = 0;

		if (!is_ident((unsigned char)line[i]) ||
		    (i && (is_ident((unsigned char)line[i - 1]) ||
			   line[i - 1] == ':'))) {
			fputc(line[i++], o);
			continue;
		}
		while (i + n < len && is_ident((unsigned char)line[i + n]))
			n++;
		if (names_has(rules, line + i, n))
			fprintf(o, "%s__", rule);
		fwrite(line + i, 1, n, o);
		i += n;
	}
}

/* A script body line, with the report call pointed at the rule's id. */
static void script_line(FILE *o, const char *line, size_t len, const char *rule,
			const struct names *py)
{
	static const char call[] = "coccilib.report.print_report(";
	struct renames rn = {NULL, NULL, py};
	const char *hit = NULL, *p;

	for (p = line; p + sizeof(call) - 1 <= line + len; p++)
		if (!strncmp(p, call, sizeof(call) - 1)) {
			hit = p;
			break;
		}
	if (!hit) {
		rename_words(o, line, len, rule, &rn);
		return;
	}
	rename_words(o, line, (size_t)(hit - line), rule, &rn);
	fprintf(o, "gpuown_report__(\"%s\", ", rule);
	p = hit + sizeof(call) - 1;
	rename_words(o, p, (size_t)(line + len - p), rule, &rn);
}

/*
 * Whether the SmPL rule whose metavariables start at @line inherits one of
 * another rule's (`expression put.O;`): it then runs only where that rule
 * matched, and needs no scope of its own.
 */
static int inherits(const char *line, const struct names *rules)
{
	while (*line) {
		size_t len = strcspn(line, "\n"), i;

		if (is_sep(line, len) || is_header(line, len))
			return 0;
		for (i = 0; i < len; i++) {
			size_t n = 0;

			if (!is_ident((unsigned char)line[i]) ||
			    (i && is_ident((unsigned char)line[i - 1])))
				continue;
			while (i + n < len &&
			       is_ident((unsigned char)line[i + n]))
				n++;
			if (i + n < len && line[i + n] == '.' &&
			    names_has(rules, line + i, n))
				return 1;
			i += n;
		}
		line += len + (line[len] == '\n');
	}
	return 0;
}

/* A path spatch reads whole inside a SmPL string: no quote, no escape. */
static int plain_path(const char *f)
{
	return *f && !strpbrk(f, "\"\\\n");
}

/* The files a rule is scoped to, spatch's `file in` dependency: (...). */
static void write_scope(FILE *o, const struct cocci_merge_scope *scope)
{
	size_t i;

	fputc('(', o);
	for (i = 0; i < scope->nr; i++)
		fprintf(o, "%sfile in \"%s\"", i ? " || " : "",
			scope->files[i]);
	fputc(')', o);
}

/*
 * A SmPL rule's header (already renamed, in @h) limited to @scope: the
 * dependency becomes `depends on (OLD) && (file in "a.c" || ...)`, or
 * `depends on (file in ...)` after the name when it had none. What may
 * follow a dependency in a header: using, disable, exists, forall.
 */
static void scoped_header(FILE *o, const char *h, size_t hlen,
			  const struct cocci_merge_scope *scope)
{
	static const char *const after[] = {" using ", " disable ", " exists",
					    " forall"};
	const char *dep = memmem(h, hlen, " depends on ", 12);
	const char *end = h + hlen - 1; /* the closing '@' */
	size_t i, n = 0;

	if (!dep) {
		/* "@name" then the rest. */
		n = 1;
		while (n < hlen && is_ident((unsigned char)h[n]))
			n++;
		fwrite(h, 1, n, o);
		fputs(" depends on ", o);
		write_scope(o, scope);
		fwrite(h + n, 1, hlen - n, o);
		return;
	}
	dep += 12;
	for (i = 0; i < sizeof(after) / sizeof(*after); i++) {
		const char *a = memmem(dep, (size_t)(end - dep), after[i],
				       strlen(after[i]));

		if (a && a < end)
			end = a;
	}
	fwrite(h, 1, (size_t)(dep - h), o);
	fputc('(', o);
	fwrite(dep, 1, (size_t)(end - dep), o);
	fputs(") && ", o);
	write_scope(o, scope);
	fwrite(end, 1, (size_t)(h + hlen - end), o);
}

static int merge_one(FILE *o, const char *rule, const char *text,
		     const struct cocci_merge_scope *scope)
{
	struct names rules = {0}, own = {0}, py = {0}, meta = {0};
	struct renames code = {NULL, &meta, NULL};
	const char *line;
	enum region r = PREAMBLE;
	size_t i;
	int ret = 0;

	/* The rule's names, and the Python globals it defines. */
	for (line = text; *line && !ret;) {
		size_t len = strcspn(line, "\n"), n;
		const char *name;

		if (is_header(line, len) && (n = header_name(line, &name)))
			ret = names_add(&rules, name, n);
		line += len + (line[len] == '\n');
	}
	if (!ret)
		ret = python_globals(text, &own);
	if (!ret)
		ret = constrained_metavars(text, &meta);
	for (i = 0; i < own.nr && !ret; i++)
		ret = names_add(&py, own.v[i], strlen(own.v[i]));
	if (ret)
		goto out;
	fprintf(o, "\n// ---- %s\n", rule);
	for (line = text; *line;) {
		size_t len = strcspn(line, "\n");
		const char *name;
		int script = 0;

		if (is_header(line, len)) {
			script = !strncmp(line, "@script:", 8) ||
				 !strncmp(line, "@initialize:", 12) ||
				 !strncmp(line, "@finalize:", 10);
			if (!script && scope && header_name(line, &name) &&
			    !inherits(line + len + (line[len] == '\n'),
				      &rules)) {
				char *h = NULL;
				size_t hlen = 0;
				FILE *m = open_memstream(&h, &hlen);

				if (!m) {
					ret = -errno;
					goto out;
				}
				header_line(m, line, len, rule, &rules);
				if (fclose(m)) {
					free(h);
					ret = -ENOMEM;
					goto out;
				}
				scoped_header(o, h, hlen, scope);
				free(h);
			} else {
				header_line(o, line, len, rule, &rules);
			}
			r = script ? HEADER : METAVARS;
			/* Remember the kind through the metavariable part. */
			if (script)
				r = HEADER;
		} else if (r == PREAMBLE) {
			/* Comments and virtual lines: written once, above. */
			line += len + (line[len] == '\n');
			continue;
		} else if (is_sep(line, len)) {
			fwrite(line, 1, len, o);
			r = r == HEADER ? SCRIPT : SMPL;
		} else if (r == HEADER) {
			/* A script rule's bindings: p << rule.p; */
			binding_line(o, line, len, rule, &rules, &meta);
		} else if (r == METAVARS) {
			metavar_line(o, line, len, rule, &rules, &meta, &py);
		} else if (r == SCRIPT) {
			script_line(o, line, len, rule, &py);
		} else {
			rename_words(o, line, len, rule, &code);
		}
		fputc('\n', o);
		line += len + (line[len] == '\n');
	}
out:
	names_free(&rules);
	names_free(&own);
	names_free(&py);
	names_free(&meta);
	return ret;
}

int cocci_merge(const char *const *rules, const char *const *texts, size_t nr,
		char **out)
{
	return cocci_merge_scoped(rules, texts, NULL, nr, out);
}

int cocci_merge_scoped(const char *const *rules, const char *const *texts,
		       const struct cocci_merge_scope *scopes, size_t nr,
		       char **out)
{
	struct names virt = {0};
	size_t olen = 0, i;
	FILE *o;
	int ret = 0;

	*out = NULL;
	/* Every virtual rule, once. */
	for (i = 0; i < nr && !ret; i++) {
		const char *line = texts[i];

		while (*line && !ret) {
			size_t len = strcspn(line, "\n"), n = 0;

			if (!strncmp(line, "virtual ", 8)) {
				while (is_ident((unsigned char)line[8 + n]))
					n++;
				ret = names_add(&virt, line + 8, n);
			}
			line += len + (line[len] == '\n');
		}
	}
	o = ret ? NULL : open_memstream(out, &olen);
	if (!o) {
		ret = ret ? ret : -errno;
		goto out;
	}
	fprintf(o, "// Generated by gpuown-check: %zu rules in one pass.\n",
		nr);
	for (i = 0; i < virt.nr; i++)
		fprintf(o, "virtual %s\n", virt.v[i]);
	fprintf(o, "\n@initialize:python@\n@@\n"
		   "def gpuown_report__(rule, p, msg):\n"
		   "\tcoccilib.report.print_report(p, \"[cocci.%%s] %%s\" %% "
		   "(rule, msg))\n");
	for (i = 0; i < nr && !ret; i++) {
		const struct cocci_merge_scope *sc = scopes ? &scopes[i] : NULL;
		size_t k;

		/* A file spatch would misread in a string: no scope. */
		for (k = 0; sc && k < sc->nr; k++)
			if (!plain_path(sc->files[k]))
				sc = NULL;
		ret = merge_one(o, rules[i], texts[i],
				sc && sc->nr ? sc : NULL);
	}
	if (fclose(o) && !ret)
		ret = -EIO;
	if (ret) {
		free(*out);
		*out = NULL;
	}
out:
	names_free(&virt);
	return ret;
}

/*
 * A spatch process costs about a second before it reads a file, and parsing
 * a file costs about as much as matching a rule over it (amdgpu: 0.09 CPU s
 * per file parsed, 45 CPU s for 12 rules over 328 (rule, file) pairs, of
 * which 30 parsing). In one pass each file is parsed once, but every rule is
 * matched over every file of the union, also those without its tokens,
 * where it fails early (its first pattern finds nothing): about 0.02 CPU s
 * per rule and file on amdgpu. So one pass pays
 *   - on a few files per job, where the start-up dominates (msm a6xx, 2
 *     units: 3.7 CPU s one spatch per rule, 1.4 in one pass);
 *   - when the rules share their files, each parsed twice or more on
 *     average (amdgpu: 90 files, 328 pairs, 44 CPU s one spatch per rule,
 *     25 in one pass, the same findings).
 */
#define MERGE_FILES_PER_JOB 8
#define MERGE_MIN_SHARING 2

int cocci_merge_pays(size_t files, size_t pairs, int jobs)
{
	if (files <= MERGE_FILES_PER_JOB * (size_t)(jobs > 0 ? jobs : 1))
		return 1;
	return pairs >= MERGE_MIN_SHARING * files;
}

struct sized {
	char *path;
	long long size;
};

static int cmp_size_desc(const void *a, const void *b)
{
	const struct sized *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return strcmp(x->path, y->path);
}

int cocci_merge_balance(char **files, size_t nr, const char *root,
			size_t chunks)
{
	struct sized *v;
	size_t k;

	if (chunks < 2 || nr < 2)
		return 0;
	v = calloc(nr, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (k = 0; k < nr; k++) {
		char full[4096];
		struct stat st;

		snprintf(full, sizeof(full), "%s%s%s",
			 files[k][0] == '/' ? "" : root,
			 files[k][0] == '/' ? "" : "/", files[k]);
		v[k].path = files[k];
		v[k].size = stat(full, &st) ? 0 : (long long)st.st_size;
	}
	qsort(v, nr, sizeof(*v), cmp_size_desc);
	/* Round r deals its chunks files to jobs 0..n-1, then n-1..0. */
	for (k = 0; k < nr; k++) {
		size_t r = k / chunks, j = k % chunks;
		size_t c = r % 2 ? chunks - 1 - j : j;

		/* A last, short round fills its slots in order. */
		if ((r + 1) * chunks > nr)
			c = j;
		files[r * chunks + c] = v[k].path;
	}
	free(v);
	return 0;
}
