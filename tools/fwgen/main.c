// SPDX-License-Identifier: MIT
/*
 * fwgen: versioned firmware struct definitions (.fwdef) to plain C.
 *
 *   fwgen --set NAME --out DIR FILE.fwdef...   generate
 *   fwgen --check FILE.fwdef...                check only
 *
 * Exit status: 0 success, 1 errors in the definitions, 2 bad usage.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <gpuown/version.h>

#include "fwgen.h"

static void usage(FILE *out)
{
	fputs("usage: fwgen --set NAME --out DIR FILE.fwdef...\n"
	      "       fwgen --check FILE.fwdef...\n"
	      "Generates DIR/gpuown_fw/NAME.h, "
	      "DIR/gpuown_fw/NAME_instantiate.h and\n"
	      "DIR/NAME_desc.c from the definitions "
	      "(docs/fwdef-language.md).\n"
	      "\n"
	      "  --set NAME   prefix of the generated names and files\n"
	      "  --out DIR    where the three files are written\n"
	      "  --check      check the definitions, write nothing\n"
	      "  --help       this text\n"
	      "  --version    print the version\n"
	      "\n"
	      "Exit status: 0 success, 1 errors in the definitions, 2 bad "
	      "usage.\n",
	      out);
}

static bool is_c_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

struct opts {
	const char *set, *out;
	bool check;
	int first_file;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--check")) {
			o->check = true;
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(argv[i], "--version")) {
			printf("fwgen (gpuown) %s\n", GPUOWN_VERSION);
			exit(0);
		} else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
			o->set = argv[++i];
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			o->out = argv[++i];
		} else {
			fprintf(stderr,
				"fwgen: error: unknown or incomplete option "
				"`%s`\n",
				argv[i]);
			return -1;
		}
	}
	o->first_file = i;
	if (i == argc) {
		fputs("fwgen: error: no .fwdef files given\n", stderr);
		return -1;
	}
	if (o->check)
		return 0;
	if (!o->set || !o->out) {
		fputs("fwgen: error: --set and --out are required (or "
		      "--check)\n",
		      stderr);
		return -1;
	}
	if (!is_c_ident(o->set)) {
		fprintf(stderr,
			"fwgen: error: set name `%s` must be a C identifier\n",
			o->set);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct fwgen *g;
	int ret = 1;

	if (parse_opts(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	g = fwgen_create(stderr);
	for (int i = o.first_file; i < argc; i++)
		fwgen_load_file(g, argv[i]);
	if (fwgen_check(g))
		goto out;
	if (!o.check && fwgen_write(g, o.set, o.out))
		goto out;
	ret = 0;
out:
	if (g->nr_errors > FWGEN_MAX_ERRORS)
		fprintf(stderr, "fwgen: %d more errors not shown\n",
			g->nr_errors - FWGEN_MAX_ERRORS);
	fwgen_destroy(g);
	return ret;
}
