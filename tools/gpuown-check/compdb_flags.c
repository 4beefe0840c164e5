// SPDX-License-Identifier: MIT
/*
 * Compile databases as real builds write them: a kernel built with gcc, a
 * ccache or distcc launcher in front of the compiler, flags that would load
 * code into the compiler we run. The database is data: nothing in it may
 * choose what code runs.
 */
#include "compdb.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const launchers[] = {"ccache",  "distcc",	 "icecc",
					"sccache", "buildcache", NULL};

/*
 * gcc-only flags clang 14 rejects or would misread, as the kernel filters
 * them out of its gcc flags before handing them to libclang (bindgen). They
 * only steer code generation, which the analyzer never does.
 */
static const char *const gcc_only[] = {"-mno-fp-ret-in-387",
				       "-mpreferred-stack-boundary=*",
				       "-mskip-rax-setup",
				       "-mgeneral-regs-only",
				       "-msign-return-address=*",
				       "-mindirect-branch=*",
				       "-mindirect-branch-register",
				       "-mindirect-branch-cs-prefix",
				       "-mfunction-return=*",
				       "-mrecord-mcount",
				       "-mabi=lp64",
				       "-mstack-protector-guard*",
				       "-mtraceback=*",
				       "-mno-pointers-to-nested-functions",
				       "-mno-string",
				       "-mno-strict-align",
				       "-mstrict-align",
				       "-fconserve-stack",
				       "-falign-jumps=*",
				       "-falign-loops=*",
				       "-femit-struct-debug-baseonly",
				       "-fno-ipa-cp-clone",
				       "-fno-ipa-sra",
				       "-fno-partial-inlining",
				       "-fno-reorder-blocks",
				       "-fno-allow-store-data-races",
				       "-fasan-shadow-offset=*",
				       "-fzero-call-used-regs=*",
				       "-fno-stack-clash-protection",
				       "-fno-inline-functions-called-once",
				       "-fsanitize=bounds-strict",
				       "-fstrict-flex-arrays=*",
				       "-fmin-function-alignment=*",
				       "-fno-var-tracking-assignments",
				       "-fno-code-hoisting",
				       "-fno-tree-loop-im",
				       "--param=*",
				       NULL};

/* Flags that load code: "flag VALUE" when it has a separate value. */
static const char *const loader_with_value[] = {
	"-load",  "-plugin", "-add-plugin", "-B",
	"-specs", "--specs", "--prefix",    NULL};
static const char *const loader_joined[] = {
	"-fplugin*", "-fpass-plugin*", "-load=*",	"-B?*", "-specs=*",
	"--specs=*", "--prefix=*",     "-plugin-arg-*", NULL};

static int matches(const char *const *patterns, const char *a)
{
	int i;

	for (i = 0; patterns[i]; i++)
		if (fnmatch(patterns[i], a, 0) == 0)
			return 1;
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int record(struct compdb_stripped *s, const char *file, char **argv,
		  int n)
{
	char **v = realloc(s->v, (s->nr + 1) * sizeof(*v));
	char *text;
	size_t len = strlen(file) + 3;
	int i;

	if (!v)
		return -ENOMEM;
	s->v = v;
	for (i = 0; i < n; i++)
		len += strlen(argv[i]) + 1;
	text = malloc(len);
	if (!text)
		return -ENOMEM;
	strcpy(text, file);
	strcat(text, ": ");
	for (i = 0; i < n; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	s->v[s->nr++] = text;
	return 0;
}

/*
 * How many arguments at @i load code (0: none). Handles the -Xclang and
 * -mllvm forms, where each piece of the flag has its own -Xclang.
 */
static int loader_span(char **argv, int argc, int i)
{
	const char *a = argv[i];
	int n;

	if ((!strcmp(a, "-Xclang") || !strcmp(a, "-mllvm")) && i + 1 < argc) {
		const char *b = argv[i + 1];

		if (matches(loader_joined, b) || !strncmp(b, "-load", 5))
			n = 2;
		else if (matches(loader_with_value, b))
			n = 2;
		else
			return 0;
		/* The value passed on with its own -Xclang. */
		if (matches(loader_with_value, b) && i + 3 < argc &&
		    !strcmp(argv[i + 2], a))
			n = 4;
		return n;
	}
	if (matches(loader_with_value, a))
		return i + 1 < argc ? 2 : 1;
	if (matches(loader_joined, a))
		return 1;
	return 0;
}

int compdb_normalise(struct compdb_entry *e, struct compdb_stripped *stripped)
{
	int i, k, n = 0, span, ret;

	/* A launcher runs the real compiler named after it. */
	while (e->argc > 1 && matches(launchers, base_name(e->argv[0]))) {
		free(e->argv[0]);
		memmove(e->argv, e->argv + 1, (size_t)e->argc * sizeof(char *));
		e->argc--;
	}
	for (i = 0; i < e->argc; i += span) {
		span = i ? loader_span(e->argv, e->argc, i) : 0;
		if (span) {
			ret = record(stripped, e->file, e->argv + i, span);
			for (k = i; k < i + span; k++)
				free(e->argv[k]);
			if (ret) {
				/* Keep the entry freeable: close the gap. */
				e->argc = n;
				e->argv[n] = NULL;
				return ret;
			}
			continue;
		}
		span = 1;
		if (i && matches(gcc_only, e->argv[i])) {
			free(e->argv[i]);
			continue;
		}
		e->argv[n++] = e->argv[i];
	}
	e->argc = n;
	e->argv[n] = NULL;
	return 0;
}
