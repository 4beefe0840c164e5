// SPDX-License-Identifier: MIT
/*
 * Rule instances with literal names. spatch skips a file that holds none of a
 * rule's tokens before parsing it, which is most of why Coccinelle is fast
 * on a kernel tree; a name that arrives as an option (a Python set, an
 * identifier constraint) is no token, so the rules name roles and this file
 * writes the names in.
 */
#include "cocci_instance.h"
#include "jobs.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACEHOLDER "GPUOWN_ROLE_"
#define FIELDS_PLACEHOLDER "GPUOWN_FIELDS_"
#define MAX_NAMES 256

char *cocci_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	int err;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		err = ferror(f) ? EIO : 0;
		free(buf);
		buf = err ? NULL : strdup("");
	}
	fclose(f);
	return buf;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/* "free_2" -> role "free", param 2; "publish" -> "publish", -1. */
static void split_role(const char *tok, size_t len, char *role, size_t rlen,
		       int *param)
{
	size_t i = len;

	*param = -1;
	while (i > 0 && isdigit((unsigned char)tok[i - 1]))
		i--;
	if (i < len && i > 1 && tok[i - 1] == '_') {
		*param = atoi(tok + i);
		len = i - 1;
	}
	snprintf(role, rlen, "%.*s", (int)len, tok);
}

static int put(FILE *o, const char *s)
{
	return fputs(s, o) < 0 ? -EIO : 0;
}

/* The previous / next character that is not white space. */
static char prev_char(const char *start, const char *p)
{
	while (p > start && isspace((unsigned char)p[-1]))
		p--;
	return p > start ? p[-1] : '\0';
}

static char next_char(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return *p;
}

/* Is @p on a line a patch adds (a SmPL line starting with '+')? */
static int added_line(const char *start, const char *p)
{
	while (p > start && p[-1] != '\n')
		p--;
	return *p == '+';
}

/*
 * @pos holds the positions written after the placeholder ("@p1@p2"); in a
 * disjunction each name carries them: \(a@p1\|b@p1\).
 */
static void expand_one(FILE *o, const struct roles *r, const char *tok,
		       size_t len, char ctx, const char *pos, size_t poslen)
{
	const char *names[MAX_NAMES];
	char role[128];
	size_t n, i;
	int param;

	split_role(tok, len, role, sizeof(role), &param);
	n = roles_functions(r, role, param, names, MAX_NAMES);
	if (n == 0) {
		if (ctx != '"')
			fprintf(o, "GPUOWN_NONE_%s%.*s", role, (int)poslen,
				pos);
		return;
	}
	/* Code a patch adds names one function: the profile's, if it has one.
	 */
	if (ctx == '+')
		n = 1;
	if (ctx == '\0' && n > 1)
		put(o, "\\(");
	for (i = 0; i < n; i++) {
		if (i)
			put(o, ctx == '"' ? "," : ctx == '{' ? ", " : "\\|");
		put(o, names[i]);
		fprintf(o, "%.*s", (int)poslen, pos);
	}
	if (ctx == '\0' && n > 1)
		put(o, "\\)");
}

/* "GPUOWN_FIELDS_<role>" (a Python string) -> "field=arg;field=arg". */
static int expand_fields(const char *tmpl, const struct roles *r, char **out)
{
	size_t plen = strlen(FIELDS_PLACEHOLDER), olen = 0;
	const char *s = tmpl, *hit;
	FILE *o = open_memstream(out, &olen);
	int ret = 0;

	if (!o)
		return -errno;
	while (!ret && (hit = strstr(s, FIELDS_PLACEHOLDER))) {
		const char *tok = hit + plen, *end = tok;
		char role[128], *list = NULL;

		while (is_ident((unsigned char)*end))
			end++;
		/* Only a whole Python string: "GPUOWN_FIELDS_versioned". */
		if (hit == tmpl || hit[-1] != '"' || *end != '"' ||
		    (size_t)(end - tok) >= sizeof(role)) {
			fwrite(s, 1, (size_t)(end - s), o);
			s = end;
			continue;
		}
		fwrite(s, 1, (size_t)(hit - s), o);
		s = end;
		snprintf(role, sizeof(role), "%.*s", (int)(end - tok), tok);
		ret = roles_field_list(r, role, &list);
		if (!ret)
			put(o, list);
		free(list);
	}
	put(o, s);
	if (fclose(o) || ret) {
		free(*out);
		*out = NULL;
		return ret ? ret : -EIO;
	}
	return 0;
}

/* Is option @name (@len bytes) among @defines ("NAME=VALUE")? */
static int option_given(const char *name, size_t len, char *const *defines,
			int nr_defines)
{
	int k;

	for (k = 0; k < nr_defines; k++)
		if (!strncmp(defines[k], name, len) && defines[k][len] == '=')
			return 1;
	return 0;
}

#define UNLESS "// Unless "

/* The "// Unless OPT: DECL" choices of @tmpl made (cocci_instance.h). */
static int choose_declarations(const char *tmpl, char *const *defines,
			       int nr_defines, char **out)
{
	size_t olen = 0, ulen = strlen(UNLESS);
	const char *line = tmpl;
	FILE *o = open_memstream(out, &olen);

	if (!o)
		return -errno;
	while (*line) {
		size_t len = strcspn(line, "\n"), n = 0;
		const char *opt = line + ulen, *next;

		if (strncmp(line, UNLESS, ulen)) {
			fwrite(line, 1, len + (line[len] == '\n'), o);
			line += len + (line[len] == '\n');
			continue;
		}
		while (is_ident((unsigned char)opt[n]))
			n++;
		next = line + len + (line[len] == '\n');
		if (!n || opt[n] != ':') {
			/* Not a directive: a comment like any other. */
			fwrite(line, 1, (size_t)(next - line), o);
			line = next;
			continue;
		}
		if (option_given(opt, n, defines, nr_defines)) {
			/* The next line, the option's, stays. */
			line = next;
			continue;
		}
		opt += n + 1;
		while (*opt == ' ' || *opt == '\t')
			opt++;
		fwrite(opt, 1, (size_t)(line + len - opt), o);
		fputc('\n', o);
		/* In place of the next line. */
		line = next + strcspn(next, "\n");
		if (*line == '\n')
			line++;
	}
	if (fclose(o)) {
		free(*out);
		*out = NULL;
		return -EIO;
	}
	return 0;
}

int cocci_instance(const char *tmpl, const struct roles *r,
		   char *const *defines, int nr_defines, char **out)
{
	size_t plen = strlen(PLACEHOLDER), olen = 0;
	const char *s, *hit;
	char *fields = NULL, *chosen = NULL;
	FILE *o;
	int ret = choose_declarations(tmpl, defines, nr_defines, &chosen);

	if (!ret)
		ret = expand_fields(chosen, r, &fields);
	free(chosen);
	if (ret)
		return ret;
	s = tmpl = fields;
	o = open_memstream(out, &olen);
	if (!o) {
		free(fields);
		return -errno;
	}
	while ((hit = strstr(s, PLACEHOLDER))) {
		const char *tok = hit + plen, *end = tok, *pos;
		char before = hit > tmpl ? hit[-1] : '\0', ctx = '\0';
		char pc = prev_char(tmpl, hit), nc;

		while (is_ident((unsigned char)*end))
			end++;
		if (hit > tmpl && is_ident((unsigned char)before)) {
			/* Part of a longer identifier: copy as is. */
			fwrite(s, 1, (size_t)(end - s), o);
			s = end;
			continue;
		}
		pos = end;
		while (*pos == '@' && is_ident((unsigned char)pos[1])) {
			pos++;
			while (is_ident((unsigned char)*pos))
				pos++;
		}
		nc = next_char(pos);
		if (before == '"' && *end == '"')
			ctx = '"';
		else if (added_line(tmpl, hit))
			ctx = '+';
		else if ((pc == '{' || pc == ',') && (nc == '}' || nc == ','))
			ctx = '{'; /* an entry of an identifier set */
		fwrite(s, 1, (size_t)(hit - s), o);
		expand_one(o, r, tok, (size_t)(end - tok), ctx, end,
			   (size_t)(pos - end));
		s = pos;
	}
	put(o, s);
	free(fields);
	if (fclose(o)) {
		free(*out);
		*out = NULL;
		return -EIO;
	}
	return 0;
}

static int push_token(char ***v, int *n, const char *s, size_t len)
{
	char **nv;

	if (!len)
		return 0;
	nv = realloc(*v, sizeof(char *) * (size_t)(*n + 1));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strndup(s, len);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* The names of option @name ("free_fns") among @defines, "a,b:2" split. */
static int option_tokens(const char *name, size_t len, char *const *defines,
			 int nr_defines, char ***v, int *n)
{
	int k, ret = 0;

	for (k = 0; k < nr_defines && !ret; k++) {
		const char *d = defines[k], *p;

		if (strncmp(d, name, len) || d[len] != '=')
			continue;
		for (p = d + len + 1; *p && !ret;) {
			size_t l = strcspn(p, ",");

			ret = push_token(v, n, p,
					 strcspn(p, ",:") < l ? strcspn(p, ",:")
							      : l);
			p += l + (p[l] == ',');
		}
	}
	return ret;
}

int cocci_tokens(const char *tmpl, const struct roles *r, char *const *defines,
		 int nr_defines, char ***tokens)
{
	const char *key = "// Tokens:", *line = tmpl, *p, *end;
	size_t plen = strlen(PLACEHOLDER);
	char **v = NULL;
	int n = 0, ret = 0;

	*tokens = NULL;
	while (line && strncmp(line, key, strlen(key))) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line)
		return 0;
	p = line + strlen(key);
	end = p + strcspn(p, "\n");
	while (p < end && !ret) {
		size_t len;

		while (p < end && isspace((unsigned char)*p))
			p++;
		len = 0;
		if (*p == '$' || *p == '*')
			len = 1;
		while (p + len < end && is_ident((unsigned char)p[len]))
			len++;
		if (!len)
			break;
		if (*p == '$') {
			ret = option_tokens(p + 1, len - 1, defines, nr_defines,
					    &v, &n);
		} else if (len > plen && !strncmp(p, PLACEHOLDER, plen)) {
			const char *names[MAX_NAMES];
			char role[128];
			size_t i, m;
			int param;

			split_role(p + plen, len - plen, role, sizeof(role),
				   &param);
			m = roles_functions(r, role, param, names, MAX_NAMES);
			for (i = 0; i < m && !ret; i++)
				ret = push_token(&v, &n, names[i],
						 strlen(names[i]));
		} else {
			ret = push_token(&v, &n, p, len);
		}
		p += len;
	}
	if (ret) {
		cocci_tokens_free(v, n);
		return ret;
	}
	/* A Tokens line naming nothing present: no file can match. */
	if (!n && push_token(&v, &n, "GPUOWN_NONE", 11)) {
		cocci_tokens_free(v, n);
		return -ENOMEM;
	}
	*tokens = v;
	return n;
}

void cocci_tokens_free(char **tokens, int n)
{
	while (n > 0)
		free(tokens[--n]);
	free(tokens);
}

int cocci_file_has_token(const char *path, char *const *tokens, int n)
{
	char *text = cocci_read_file(path);
	int k, found = 0;

	/* An unreadable file is spatch's to report. */
	if (!text)
		return 1;
	for (k = 0; k < n && !found; k++) {
		/* "*_lookup": any identifier ending so. */
		int suffix = tokens[k][0] == '*';
		const char *tok = tokens[k] + suffix, *p = text;
		size_t len = strlen(tok);

		while (!found && (p = strstr(p, tok))) {
			found = (suffix || p == text ||
				 !is_ident((unsigned char)p[-1])) &&
				!is_ident((unsigned char)p[len]);
			p += len;
		}
	}
	free(text);
	return found;
}

/* Remove every GPUOWN_ANNOTATE(...) call from @body, in place. */
static void strip_annotate(char *body)
{
	const char *key = "GPUOWN_ANNOTATE(";
	char *p;

	while ((p = strstr(body, key))) {
		char *q = p + strlen(key);
		int depth = 1;

		while (*q && depth) {
			if (*q == '(')
				depth++;
			else if (*q == ')')
				depth--;
			q++;
		}
		memmove(p, q, strlen(q) + 1);
	}
}

/* Is "#define NAME" written in @text (a macro of annotations.h itself)? */
static int defined_in(const char *text, const char *name, size_t len)
{
	const char *p = text;

	while ((p = strstr(p, "#define "))) {
		p += 8;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, name, len) && !is_ident((unsigned char)p[len]))
			return 1;
	}
	return 0;
}

int cocci_macro_file(const char *cc, const char *annotations, const char *extra,
		     const char *out_path, int timeout, const char *tmpdir)
{
	char *argv[] = {(char *)cc,	     "-E", "-dM", "-x", "c",
			(char *)annotations, NULL};
	char *text = NULL, *xtext = NULL, *line, *save = NULL;
	struct job *job = job_new(argv, ".", NULL);
	FILE *o = NULL;
	int ret;

	if (!job)
		return -ENOMEM;
	ret = jobs_run(&job, 1, 1, timeout, tmpdir, NULL, NULL);
	if (!ret && (job->status != 0 || !job->output)) {
		fprintf(stderr, "gpuown-check: %s -E -dM %s failed:\n%s\n", cc,
			annotations, job->output ? job->output : "");
		ret = -EIO;
	}
	if (ret)
		goto out;
	text = cocci_read_file(annotations);
	if (!text || (extra && !(xtext = cocci_read_file(extra)))) {
		ret = -errno;
		fprintf(stderr, "gpuown-check: cannot read %s: %s\n",
			text ? extra : annotations, strerror(errno));
		goto out;
	}
	o = fopen(out_path, "w");
	if (!o) {
		ret = -errno;
		fprintf(stderr, "gpuown-check: %s: %s\n", out_path,
			strerror(errno));
		goto out;
	}
	fprintf(o, "/* Generated by gpuown-check from %s: do not edit. */\n",
		annotations);
	for (line = strtok_r(job->output, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *name = line + 8;
		size_t len = 0;
		char *body;

		if (strncmp(line, "#define ", 8))
			continue;
		while (is_ident((unsigned char)name[len]))
			len++;
		if (!defined_in(text, name, len))
			continue;
		/*
		 * Attributes and type names only: an expression macro
		 * (gpu_ptr_is_null()) stays a call, which is what rules match,
		 * and an include guard is no use.
		 */
		if (strncmp(name, "__", 2) && strncmp(name, "GPUOWN_", 7) &&
		    !strstr(name + len, ") struct "))
			continue;
		if (len > 2 && !strncmp(name + len - 2, "_H", 2))
			continue;
		/* Struct definitions spatch needs no part of. */
		if (len == 19 && !strncmp(name, "GPUOWN_DECLARE_PTRS", len)) {
			fprintf(o, "#define GPUOWN_DECLARE_PTRS(tag)\n");
			continue;
		}
		/* Only the body: the name may be GPUOWN_ANNOTATE itself. */
		body = (char *)name + len;
		if (*body == '(')
			body += strcspn(body, ")") +
				(body[strcspn(body, ")")] ? 1 : 0);
		if (len == 15 && !strncmp(name, "GPUOWN_ANNOTATE", len))
			*body = '\0';
		strip_annotate(body);
		fprintf(o, "%s\n", line);
	}
	if (xtext)
		fprintf(o, "\n%s", xtext);
	if (fclose(o)) {
		ret = -EIO;
		fprintf(stderr, "gpuown-check: cannot write %s\n", out_path);
	}
out:
	free(text);
	free(xtext);
	job_free(job);
	return ret;
}
