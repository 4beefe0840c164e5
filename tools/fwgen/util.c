// SPDX-License-Identifier: MIT
/* Arena, diagnostics and small helpers shared by the fwgen passes. */
#include <errno.h>
#include <search.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fwgen.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_CHUNK (64 * 1024)

static void oom(void)
{
	fputs("fwgen: out of memory\n", stderr);
	exit(2);
}

void *fw_alloc(struct fwgen *g, size_t size)
{
	struct arena_chunk *c = g->arena;
	size_t need =
		(size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);

	if (!c || c->cap - c->used < need) {
		size_t cap = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			oom();
		c->used = 0;
		c->cap = cap;
		c->next = g->arena;
		g->arena = c;
	}
	void *p = (char *)c->data + c->used;

	c->used += need;
	memset(p, 0, size);
	return p;
}

char *fw_strdup(struct fwgen *g, const char *s, size_t len)
{
	char *p = fw_alloc(g, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *fw_printf(struct fwgen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = fw_alloc(g, (size_t)n + 1);

	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void fw_error(struct fwgen *g, struct fw_loc loc, const char *fmt, ...)
{
	va_list ap;

	g->nr_errors++;
	if (g->nr_errors > FWGEN_MAX_ERRORS)
		return;
	fprintf(g->err, "%s:%d:%d: error: ", loc.file ? loc.file : "<input>",
		loc.line, loc.col);
	va_start(ap, fmt);
	vfprintf(g->err, fmt, ap);
	va_end(ap);
	fputc('\n', g->err);
}

void *fw_vec_push(struct fwgen *g, void *vecp, int *nr, int *cap, size_t elem)
{
	char **vec = vecp;

	if (*nr == *cap) {
		int ncap = *cap ? *cap * 2 : 8;
		char *n = fw_alloc(g, elem * (size_t)ncap);

		if (*nr)
			memcpy(n, *vec, elem * (size_t)*nr);
		*vec = n;
		*cap = ncap;
	}
	char *slot = *vec + elem * (size_t)*nr;

	(*nr)++;
	memset(slot, 0, elem);
	return slot;
}

struct fwgen *fwgen_create(FILE *err)
{
	struct fwgen *g = calloc(1, sizeof(*g));

	if (!g)
		oom();
	g->err = err ? err : stderr;
	g->consts_tail = &g->consts;
	g->enums_tail = &g->enums;
	g->structs_tail = &g->structs;
	g->order_tail = &g->order;
	return g;
}

void fwgen_destroy(struct fwgen *g)
{
	if (!g)
		return;
	if (g->struct_index)
		hdestroy_r(g->struct_index);
	if (g->const_index)
		hdestroy_r(g->const_index);
	free(g->struct_index);
	free(g->const_index);
	while (g->arena) {
		struct arena_chunk *c = g->arena;

		g->arena = c->next;
		free(c);
	}
	free(g);
}

int fwgen_load_buffer(struct fwgen *g, const char *name, const char *buf,
		      size_t len)
{
	const char **slot;
	struct token *toks;
	int nr;

	slot = fw_vec_push(g, &g->files, &g->nr_files, &g->cap_files,
			   sizeof(*g->files));
	*slot = fw_strdup(g, name, strlen(name));
	toks = fw_lex(g, *slot, buf, len, &nr);
	if (!toks)
		return -1;
	return fw_parse(g, toks, nr);
}

int fwgen_load_file(struct fwgen *g, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int ret = -1;

	if (!f) {
		fprintf(g->err, "%s: error: cannot open: %s\n", path,
			strerror(errno));
		g->nr_errors++;
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			char *n = realloc(buf, cap);

			if (!n)
				oom();
			buf = n;
		}
		size_t got = fread(buf + len, 1, cap - len, f);

		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(g->err, "%s: error: cannot read: %s\n", path,
			strerror(errno));
		g->nr_errors++;
		goto out;
	}
	ret = fwgen_load_buffer(g, path, buf, len);
out:
	free(buf);
	fclose(f);
	return ret;
}
