// SPDX-License-Identifier: MIT
#include "findings.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int findings_add(struct findings *f, const char *layer, const char *rule,
		 const char *file, int line, int col, const char *message,
		 struct json_object *sarif)
{
	struct finding *n;

	if (f->nr == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct finding *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	n = &f->v[f->nr++];
	memset(n, 0, sizeof(*n));
	n->layer = layer;
	n->rule = strdup(rule);
	n->file = strdup(file);
	n->line = line;
	n->col = col;
	n->message = strdup(message);
	n->sarif = sarif;
	n->is_new = 1;
	return 0;
}

static void finding_free(struct finding *n)
{
	free(n->rule);
	free(n->file);
	free(n->message);
	json_object_put(n->sarif);
}

void findings_free(struct findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		finding_free(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

const char *findings_relpath(const char *file, const char *root)
{
	size_t n = root ? strlen(root) : 0;

	if (n && strncmp(file, root, n) == 0 && file[n] == '/')
		return file + n + 1;
	return file;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h ^ 0xff; /* field separator */
}

/* The source line, whitespace-trimmed: survives edits elsewhere in the file. */
static void source_line(const char *file, int line, char *buf, size_t len)
{
	FILE *f = fopen(file, "r");
	char *s, *e;
	int n = 0;

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(buf, (int)len, f) && ++n < line)
		;
	fclose(f);
	if (n != line) {
		buf[0] = '\0';
		return;
	}
	for (s = buf; isspace((unsigned char)*s); s++)
		;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	memmove(buf, s, strlen(s) + 1);
}

/*
 * The message without line numbers ("line 12", "lines 3-4", "file.c:12"):
 * a message naming where something else happened still matches once lines
 * above it move.
 */
static void message_identity(const char *msg, char *buf, size_t len)
{
	size_t n = 0;
	const char *s = msg;

	while (*s && n + 1 < len) {
		int after_line =
			(s - msg >= 5 && !strncmp(s - 5, "line ", 5)) ||
			(s - msg >= 6 && !strncmp(s - 6, "lines ", 6));
		int after_colon = s > msg && s[-1] == ':';

		if (isdigit((unsigned char)*s) && (after_line || after_colon)) {
			while (isdigit((unsigned char)*s) ||
			       (*s == '-' && isdigit((unsigned char)s[1])))
				s++;
			buf[n++] = '#';
			continue;
		}
		buf[n++] = *s++;
	}
	buf[n] = '\0';
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line - y->line;
	if (x->col != y->col)
		return x->col - y->col;
	c = strcmp(x->rule, y->rule);
	return c ? c : strcmp(x->message, y->message);
}

void findings_finish(struct findings *f, const char *root)
{
	char text[4096], msg[4096];
	size_t i, kept = 0;

	for (i = 0; i < f->nr; i++) {
		struct finding *n = &f->v[i];
		uint64_t h = 0xcbf29ce484222325ULL;

		source_line(n->file, n->line, text, sizeof(text));
		h = fnv1a(h, n->rule);
		h = fnv1a(h, findings_relpath(n->file, root));
		h = fnv1a(h, text);
		message_identity(n->message, msg, sizeof(msg));
		h = fnv1a(h, msg);
		snprintf(n->fingerprint, sizeof(n->fingerprint), "%016llx",
			 (unsigned long long)h);
	}
	if (f->nr)
		qsort(f->v, f->nr, sizeof(*f->v), cmp_finding);
	for (i = 0; i < f->nr; i++) {
		if (kept && cmp_finding(&f->v[kept - 1], &f->v[i]) == 0) {
			finding_free(&f->v[i]);
			continue;
		}
		f->v[kept++] = f->v[i];
	}
	f->nr = kept;
}
