// SPDX-License-Identifier: MIT
/*
 * gpuown-check: every static layer (the analyzer plugin, sparse, Coccinelle)
 * over a compile database, in parallel, with one merged SARIF log and a
 * non-zero exit when something new is found.
 */
#include "atomic_out.h"
#include "cache.h"
#include "cocci_instance.h"
#include "ninja_out.h"
#include "layer.h"
#include "paths.h"
#include "roles.h"
#include "rules_meta.h"
#include "sarif.h"

#include <dirent.h>
#include <json-c/json.h>
#include <ftw.h>
#include <signal.h>
#include <time.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gpuown/version.h>

#ifndef GPUOWN_CHECK_DEFAULT_PLUGIN
#define GPUOWN_CHECK_DEFAULT_PLUGIN "GpuownAnalyzer.so"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_COCCI_DIR
#define GPUOWN_CHECK_DEFAULT_COCCI_DIR "cocci"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_ANNOTATIONS
#define GPUOWN_CHECK_DEFAULT_ANNOTATIONS "annotations/gpuown/annotations.h"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_HELP_BASE
#define GPUOWN_CHECK_DEFAULT_HELP_BASE NULL
#endif
/* Relative to the installed executable's folder (cmake/GpuownInstall.cmake). */
#ifndef GPUOWN_CHECK_REL_PLUGIN
#define GPUOWN_CHECK_REL_PLUGIN "../lib/gpuown/GpuownAnalyzer.so"
#endif
#ifndef GPUOWN_CHECK_REL_COCCI_DIR
#define GPUOWN_CHECK_REL_COCCI_DIR "../share/gpuown/cocci"
#endif
#ifndef GPUOWN_CHECK_REL_SPARSE_FLAGS
#define GPUOWN_CHECK_REL_SPARSE_FLAGS "../share/gpuown/sparse/flags"
#endif
#ifndef GPUOWN_CHECK_REL_ROLES_HEADER
#define GPUOWN_CHECK_REL_ROLES_HEADER "../include/gpuown/object.h"
#endif
#ifndef GPUOWN_CHECK_REL_INCLUDE
#define GPUOWN_CHECK_REL_INCLUDE "../include"
#endif
#ifndef GPUOWN_CHECK_REL_HELP
#define GPUOWN_CHECK_REL_HELP "../share/doc/gpuown/rules.md"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_ROLES_HEADER
#define GPUOWN_CHECK_DEFAULT_ROLES_HEADER "runtime/include/gpuown/object.h"
#endif
#ifndef GPUOWN_CHECK_INCLUDE_DIRS
#define GPUOWN_CHECK_INCLUDE_DIRS "annotations:runtime/include"
#endif
#ifndef GPUOWN_CHECK_REL_ANNOTATIONS
#define GPUOWN_CHECK_REL_ANNOTATIONS "../include/gpuown/annotations.h"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_SPARSE_FLAGS
#define GPUOWN_CHECK_DEFAULT_SPARSE_FLAGS "sparse/flags"
#endif

#define MAX_CONF_LINES 64

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

struct options {
	struct check_config cfg;
	const char *compdb;
	const char *sarif;
	const char *baseline;
	const char *layers;
	const char *help_base;
	char root[PATH_MAX];
	char profile[PATH_MAX];
	int jobs;
	int quiet;
	int print_roles;
	const char *macros_out; /* --write-cocci-macros */
	/* --cocci-profile lines, owned here. */
	char *conf_lines[MAX_CONF_LINES];
	int nr_conf_lines;
	/* Repeatable options, each in its own array of argc slots. */
	char **rules, **defines, **fw_headers;
	int fail_on_notice;
	int max_results;
	int no_cache;
	const char *cache_dir;
	struct cache cache;
	int cache_on;
	const char *ninja; /* write the job graph here instead of running it */
	char ninja_dir[PATH_MAX];  /* the jobs' outputs under --ninja */
	char from_ninja[PATH_MAX]; /* merge the outputs a Ninja run left */
	int argc;
	char **argv;
	int progress; /* a status line on stderr (a terminal) */
	int root_given;
	char found_compdb[PATH_MAX];
	char abs_paths[4][PATH_MAX];
	int print_paths;
	int print_units;
};

/* More jobs than this many per CPU only thrash: the pool is capped there. */
#define JOBS_PER_CPU 4

static const struct layer *const all_layers[] = {
	&layer_analyzer,
	&layer_sparse,
	&layer_cocci,
};

#define NR_LAYERS ((int)(sizeof(all_layers) / sizeof(all_layers[0])))

int layer_push_job(struct job ***jobs, size_t *nr, struct job *job)
{
	struct job **v = realloc(*jobs, (*nr + 1) * sizeof(*v));

	if (!v) {
		job_free(job);
		return -ENOMEM;
	}
	v[(*nr)++] = job;
	*jobs = v;
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: gpuown-check -p BUILD_DIR|compile_commands.json "
		"[options] [PATH...]\n"
		"\n"
		"Run the gpuown static layers over the units of a compile "
		"database\n"
		"whose source lies under PATH (all units if none), in "
		"parallel.\n"
		"\n"
		"  -p, --compdb PATH        compile database, or the folder "
		"holding it\n"
		"                           (default: the nearest "
		"compile_commands.json\n"
		"                           in . or above, as a kernel build "
		"writes it)\n"
		"  -o, --sarif FILE         write one merged SARIF 2.1.0 log\n"
		"  -l, --layers LIST        analyzer,sparse,coccinelle "
		"(default: all)\n"
		"  -j, --jobs N             parallel jobs (default: nproc)\n"
		"      --baseline FILE      SARIF log of known findings: only "
		"new ones fail\n"
		"      --profile HEADER     header re-declaring the driver's "
		"own functions\n"
		"                           with gpuown annotations "
		"(force-included after\n"
		"                           the unit's own -include's)\n"
		"  -I DIR, -D NAME[=V], -U NAME  added to every unit, after "
		"its own flags\n"
		"      --analyzer-config K=V  an analyzer option "
		"(-analyzer-config K=V)\n"
		"  -Xclang ARG              passed to the analyzer's clang "
		"-cc1\n"
		"      --root DIR           source root for relative paths "
		"(default: the\n"
		"                           kernel tree holding the database, "
		"else .)\n"
		"      --timeout S          per-file timeout in seconds "
		"(default: 200)\n"
		"      --all-analyzer-checkers  report clang's stock checkers "
		"too\n"
		"Coccinelle (the function names come from the annotated "
		"headers):\n"
		"  -m, --mode MODE          report (default), patch, context "
		"or org;\n"
		"                           patch, context and org print "
		"spatch's output\n"
		"  -r, --rule RULE          run only this rule (repeatable)\n"

		"      --fw-header FILE     generated firmware-struct header "
		"(default with\n"
		"                           -p: "
		"BUILD_DIR/gen/*/gpuown_fw/*.h)\n"
		"      --print-roles        print the roles read from the "
		"headers (JSON)\n"
		"      --cocci-define NAME=VALUE  a rule option "
		"(docs/coccinelle.md)\n"
		"      --cocci-profile FILE NAME=VALUE rule options, one a "
		"line\n"
		"      --write-cocci-macros FILE  write spatch's macro file "
		"(from\n"
		"                           annotations.h) and exit\n"
		"  Without -p, --layers coccinelle checks the .c and .h files "
		"under PATH.\n"
		"\n"
		"      --plugin SO, --clang BIN, --sparse BIN, --sparse-flags "
		"FILE,\n"
		"      --cocci-dir DIR, --spatch BIN, --annotations FILE  tool "
		"locations\n"
		"      --fail-on-notice     a unit not analysed (timed out, "
		"unparsable)\n"
		"                           fails the run (exit 1) instead of "
		"a notice\n"
		"      --help-uri-base URI  rules' helpUri prefix in the SARIF "
		"log\n"
		"      --max-results N      results per SARIF run (default: "
		"5000)\n"
		"      --no-cache           analyse every unit, read and write "
		"no "
		"cache\n"
		"      --cache-dir DIR      findings cache (default:\n"
		"                           $XDG_CACHE_HOME/gpuown/check)\n"
		"      --ninja FILE         write the jobs as a Ninja file "
		"(outputs in\n"
		"                           FILE.d, a final `merge` edge "
		"writes the "
		"log)\n"
		"                           instead of running them\n"
		"      --from-ninja DIR     merge what a run of that Ninja "
		"file left\n"
		"  -q, --quiet              no per-finding lines on stdout\n"
		"      --print-paths        print the plugin, rules and runner "
		"in use, and exit\n"
		"      --print-units        print the database's units under "
		"PATH (JSON:\n"
		"                           directory, file, arguments as "
		"the layers\n"
		"                           get them) and exit\n"
		"      --list-rules         print every check and violation "
		"(ruleId or name,\n"
		"                           level, docs/rules.md anchor) and "
		"exit\n"
		"      --version            print the version and exit\n"
		"  -h, --help\n"
		"\n"
		"Exit status: 0 no new finding, 1 new findings, 2 error.\n");
}

static int layer_listed(const struct layer **v, int n, const struct layer *l)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == l)
			return 1;
	return 0;
}

/* Each layer at most once, so @out needs NR_LAYERS entries. */
static int parse_layers(const char *list, const struct layer **out)
{
	char buf[256], *tok, *save = NULL;
	int n = 0, i;

	if (strlen(list) >= sizeof(buf)) {
		fprintf(stderr, "gpuown-check: --layers list too long\n");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_LAYERS; i++)
			if (!strcmp(tok, all_layers[i]->name))
				break;
		if (i == NR_LAYERS) {
			fprintf(stderr,
				"gpuown-check: unknown layer '%s' (analyzer, "
				"sparse, coccinelle)\n",
				tok);
			return -EINVAL;
		}
		if (layer_listed(out, n, all_layers[i]))
			continue;
		out[n++] = all_layers[i];
	}
	if (n == 0) {
		fprintf(stderr, "gpuown-check: --layers names no layer "
				"(analyzer, sparse, coccinelle)\n");
		return -EINVAL;
	}
	return n;
}

/*
 * -I DIR, -D NAME[=V], -U NAME. Jobs run in each unit's own folder, so a
 * relative include folder is made absolute here.
 */
static int add_preproc(struct options *o, int c, const char *arg)
{
	char real[PATH_MAX], *a;

	if (c == 'I' && realpath(arg, real))
		arg = real;
	if (asprintf(&a, "-%c%s", c, arg) < 0)
		return -ENOMEM;
	o->cfg.preproc_args[o->cfg.nr_preproc_args++] = a;
	return 0;
}

/*
 * The compile database a kernel build writes (make compile_commands.json, or
 * scripts/clang-tools/gen_compile_commands.py) sits at the top of the tree:
 * look in the current folder and its parents, as git does for .git.
 */
static int find_compdb(struct options *o)
{
	char dir[PATH_MAX], *slash;

	if (!getcwd(dir, sizeof(dir)))
		return -ENOENT;
	for (;;) {
		snprintf(o->found_compdb, sizeof(o->found_compdb),
			 "%.*s/compile_commands.json", PATH_MAX - 32, dir);
		if (access(o->found_compdb, R_OK) == 0) {
			o->compdb = o->found_compdb;
			return 0;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return -ENOENT;
		*slash = '\0';
	}
}

/*
 * -Xclang ARG is spelled like the compiler's own option, which getopt would
 * read as -X with "clang": take the pairs out before getopt runs.
 */
static int take_xclang(int *argc, char **argv, struct options *o)
{
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "-Xclang") != 0) {
			argv[n++] = argv[i];
			continue;
		}
		if (i + 1 >= *argc) {
			fprintf(stderr,
				"gpuown-check: -Xclang needs an argument\n");
			return -EINVAL;
		}
		o->cfg.cc1_args[o->cfg.nr_cc1_args++] = argv[++i];
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

static void make_absolute(const char **path, char *buf)
{
	if (*path && (*path)[0] != '/' && realpath(*path, buf))
		*path = buf;
}

/* A kernel tree's top folder: Kbuild and the Kconfig root beside the database.
 */
static int is_kernel_tree(const char *dir)
{
	char p[PATH_MAX + 16];

	snprintf(p, sizeof(p), "%s/Kbuild", dir);
	if (access(p, R_OK))
		return 0;
	snprintf(p, sizeof(p), "%s/Kconfig", dir);
	return access(p, R_OK) == 0;
}

/*
 * --cocci-profile FILE: NAME=VALUE rule options, one a line, added to the
 * --cocci-define ones (names on top of those of the --profile header).
 */
static int read_cocci_conf(struct options *o, const char *path)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "gpuown-check: Coccinelle profile %s: %s\n",
			path, strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strchr(line, '=') || o->nr_conf_lines == MAX_CONF_LINES) {
			fprintf(stderr,
				"gpuown-check: %s: expected NAME=VALUE (at "
				"most %d lines), got '%s'\n",
				path, MAX_CONF_LINES, line);
			fclose(f);
			return -EINVAL;
		}
		o->conf_lines[o->nr_conf_lines] = strdup(line);
		if (!o->conf_lines[o->nr_conf_lines])
			break;
		o->defines[o->cfg.nr_cocci_defines++] =
			o->conf_lines[o->nr_conf_lines++];
	}
	fclose(f);
	return 0;
}

/*
 * @path made absolute against the working directory: the jobs run in each
 * unit's own directory, where a relative path means something else.
 */
static int absolute(const char *path, char *out, const char *what)
{
	if (realpath(path, out))
		return 0;
	fprintf(stderr, "gpuown-check: %s %s: %s\n", what, path,
		strerror(errno));
	return -ENOENT;
}

static int cap_jobs(long v)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), cap;

	cap = (cpus > 0 ? cpus : 1) * JOBS_PER_CPU;
	if (v <= cap)
		return (int)v;
	fprintf(stderr, "gpuown-check: --jobs %ld capped at %ld (%d per CPU)\n",
		v, cap, JOBS_PER_CPU);
	return (int)cap;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum {
		O_BASELINE = 256,
		O_PROFILE,
		O_ROOT,
		O_TIMEOUT,
		O_ALL,
		O_PLUGIN,
		O_CLANG,
		O_SPARSE,
		O_SRUNNER,
		O_CDIR,
		O_CPROFILE,
		O_FWHEADER,
		O_PRINTROLES,
		O_SPATCH,
		O_ANNOT,
		O_MACROS,
		O_CDEFINE,
		O_FAIL_NOTICE,
		O_HELP_BASE,
		O_MAX_RESULTS,
		O_NO_CACHE,
		O_CACHE_DIR,
		O_NINJA,
		O_FROM_NINJA,
		O_ACONFIG,
		O_XCLANG,
		O_VERSION,
		O_PATHS,
		O_LIST_RULES,
		O_PRINT_UNITS
	};
	static const struct option longopts[] = {
		{"compdb", required_argument, NULL, 'p'},
		{"sarif", required_argument, NULL, 'o'},
		{"layers", required_argument, NULL, 'l'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"baseline", required_argument, NULL, O_BASELINE},
		{"profile", required_argument, NULL, O_PROFILE},
		{"root", required_argument, NULL, O_ROOT},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"all-analyzer-checkers", no_argument, NULL, O_ALL},
		{"plugin", required_argument, NULL, O_PLUGIN},
		{"clang", required_argument, NULL, O_CLANG},
		{"sparse", required_argument, NULL, O_SPARSE},
		{"sparse-flags", required_argument, NULL, O_SRUNNER},
		{"mode", required_argument, NULL, 'm'},
		{"rule", required_argument, NULL, 'r'},
		{"cocci-define", required_argument, NULL, O_CDEFINE},
		{"fw-header", required_argument, NULL, O_FWHEADER},
		{"print-roles", no_argument, NULL, O_PRINTROLES},
		{"spatch", required_argument, NULL, O_SPATCH},
		{"annotations", required_argument, NULL, O_ANNOT},
		{"write-cocci-macros", required_argument, NULL, O_MACROS},
		{"cocci-dir", required_argument, NULL, O_CDIR},
		{"cocci-profile", required_argument, NULL, O_CPROFILE},
		{"fail-on-notice", no_argument, NULL, O_FAIL_NOTICE},
		{"help-uri-base", required_argument, NULL, O_HELP_BASE},
		{"max-results", required_argument, NULL, O_MAX_RESULTS},
		{"no-cache", no_argument, NULL, O_NO_CACHE},
		{"cache-dir", required_argument, NULL, O_CACHE_DIR},
		{"ninja", required_argument, NULL, O_NINJA},
		{"from-ninja", required_argument, NULL, O_FROM_NINJA},
		{"analyzer-config", required_argument, NULL, O_ACONFIG},
		{"Xclang", required_argument, NULL, O_XCLANG},
		{"version", no_argument, NULL, O_VERSION},
		{"print-paths", no_argument, NULL, O_PATHS},
		{"list-rules", no_argument, NULL, O_LIST_RULES},
		{"print-units", no_argument, NULL, O_PRINT_UNITS},
		{0}};
	char *end;
	int c;

	o->rules = calloc((size_t)argc + 1, sizeof(char *));
	o->defines = calloc((size_t)argc + 1 + MAX_CONF_LINES, sizeof(char *));
	o->fw_headers = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->rules || !o->defines || !o->fw_headers)
		return -ENOMEM;
	o->cfg.cocci_rules = o->rules;
	o->cfg.cocci_defines = o->defines;
	o->cfg.fw_headers = o->fw_headers;
	while ((c = getopt_long(argc, argv, "p:o:l:j:qhI:D:U:m:r:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			o->cfg.cocci_mode = optarg;
			break;
		case 'r':
			o->rules[o->cfg.nr_cocci_rules++] = optarg;
			break;
		case O_CDEFINE:
			o->defines[o->cfg.nr_cocci_defines++] = optarg;
			break;
		case O_FWHEADER:
			o->fw_headers[o->cfg.nr_fw_headers++] = optarg;
			break;
		case O_PRINTROLES:
			o->print_roles = 1;
			break;
		case O_SPATCH:
			o->cfg.spatch = optarg;
			break;
		case O_ANNOT:
			o->cfg.annotations = optarg;
			break;
		case O_MACROS:
			o->macros_out = optarg;
			break;
		case 'p':
			o->compdb = optarg;
			break;
		case 'o':
			o->sarif = optarg;
			break;
		case 'l':
			o->layers = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_CLEAN);
		case O_BASELINE:
			o->baseline = optarg;
			break;
		case O_PROFILE:
			if (absolute(optarg, o->profile, "profile"))
				return -EINVAL;
			o->cfg.profile = o->profile;
			break;
		case O_FAIL_NOTICE:
			o->fail_on_notice = 1;
			break;
		case O_HELP_BASE:
			o->help_base = optarg;
			break;
		case O_NO_CACHE:
			o->no_cache = 1;
			break;
		case O_CACHE_DIR:
			o->cache_dir = optarg;
			break;
		case O_NINJA:
			o->ninja = optarg;
			break;
		case O_FROM_NINJA:
			if (absolute(optarg, o->from_ninja, "--from-ninja"))
				return -EINVAL;
			break;
		case O_ALL:
			o->cfg.all_analyzer_checkers = 1;
			break;
		case O_PLUGIN:
			o->cfg.plugin = optarg;
			break;
		case O_CLANG:
			o->cfg.clang = optarg;
			break;
		case O_SPARSE:
			o->cfg.sparse = optarg;
			break;
		case O_SRUNNER:
			o->cfg.sparse_flags = optarg;
			break;
		case O_CDIR:
			o->cfg.cocci_dir = optarg;
			break;
		case O_CPROFILE:
			if (read_cocci_conf(o, optarg))
				return -EINVAL;
			break;
		case 'I':
		case 'D':
		case 'U':
			if (add_preproc(o, c, optarg))
				return -EINVAL;
			break;
		case O_ACONFIG:
			if (!strchr(optarg, '=')) {
				fprintf(stderr,
					"gpuown-check: --analyzer-config wants "
					"KEY=VALUE, got '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->cfg.cc1_args[o->cfg.nr_cc1_args++] =
				"-analyzer-config";
			o->cfg.cc1_args[o->cfg.nr_cc1_args++] = optarg;
			break;
		case O_XCLANG:
			o->cfg.cc1_args[o->cfg.nr_cc1_args++] = optarg;
			break;
		case O_VERSION:
			printf("gpuown-check (gpuown) %s\n", GPUOWN_VERSION);
			exit(EXIT_CLEAN);
		case O_PATHS:
			o->print_paths = 1;
			break;
		case O_PRINT_UNITS:
			o->print_units = 1;
			break;
		case O_LIST_RULES:
			rules_meta_list(stdout);
			exit(EXIT_CLEAN);
		case O_ROOT:
			o->root_given = 1;
			if (!realpath(optarg, o->root)) {
				fprintf(stderr, "gpuown-check: --root %s: %s\n",
					optarg, strerror(errno));
				return -EINVAL;
			}
			break;
		case 'j':
		case O_MAX_RESULTS:
		case O_TIMEOUT: {
			long v = strtol(optarg, &end, 10);

			if (*end || v <= 0 || v > 100000) {
				fprintf(stderr,
					"gpuown-check: %s wants a positive "
					"number, got '%s'\n",
					c == 'j'	 ? "--jobs"
					: c == O_TIMEOUT ? "--timeout"
							 : "--max-results",
					optarg);
				return -EINVAL;
			}
			if (c == 'j')
				o->jobs = cap_jobs(v);
			else if (c == O_MAX_RESULTS)
				o->max_results = (int)v;
			else
				o->cfg.timeout = (int)v;
			break;
		}
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	/*
	 * Jobs run in each unit's folder (a kernel tree's top): tool paths
	 * given relative to the caller's folder are made absolute.
	 */
	make_absolute(&o->cfg.plugin, o->abs_paths[0]);
	make_absolute(&o->cfg.cocci_dir, o->abs_paths[1]);
	make_absolute(&o->cfg.sparse_flags, o->abs_paths[2]);
	make_absolute(&o->cfg.annotations, o->abs_paths[3]);
	if (o->print_paths) {
		printf("plugin: %s\ncocci-dir: %s\nsparse-flags: %s\n"
		       "annotations: %s\nroles-header: %s\n"
		       "include-dirs: %s\nhelp-uri-base: %s\n",
		       o->cfg.plugin, o->cfg.cocci_dir, o->cfg.sparse_flags,
		       o->cfg.annotations, o->cfg.roles_header,
		       o->cfg.include_dirs,
		       o->help_base ? o->help_base : "(none)");
		exit(EXIT_CLEAN);
	}
	return 0;
}

/*
 * Coccinelle alone may run over files without a database (run-cocci does),
 * and only it has modes other than report.
 */
static int check_cocci_options(struct options *o, const struct layer **layers,
			       int nl)
{
	static const char *const modes[] = {"report", "patch", "context", "org",
					    NULL};
	int i, cocci_only = nl == 1 && layers[0] == &layer_cocci;

	for (i = 0; modes[i]; i++)
		if (!strcmp(o->cfg.cocci_mode, modes[i]))
			break;
	if (!modes[i]) {
		fprintf(stderr,
			"gpuown-check: unknown mode '%s' (report, patch, "
			"context, org)\n",
			o->cfg.cocci_mode);
		return -EINVAL;
	}
	if (strcmp(o->cfg.cocci_mode, "report") && !cocci_only) {
		fprintf(stderr,
			"gpuown-check: --mode %s needs --layers coccinelle\n",
			o->cfg.cocci_mode);
		return -EINVAL;
	}
	for (i = 0; i < o->cfg.nr_cocci_defines; i++) {
		const char *d = o->cfg.cocci_defines[i];
		size_t n = strspn(d, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");

		if (!n || (d[0] >= '0' && d[0] <= '9') ||
		    (d[n] && d[n] != '=')) {
			fprintf(stderr,
				"gpuown-check: bad -D '%s': expected NAME or "
				"NAME=VALUE\n",
				d);
			return -EINVAL;
		}
	}
	/* run-cocci without -p checks the files it is given, no database. */
	if (!o->compdb && !(cocci_only || o->print_roles || o->macros_out) &&
	    find_compdb(o)) {
		fprintf(stderr, "gpuown-check: no -p, and no "
				"compile_commands.json in . or above\n");
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static int check_file(const char *what, const char *path, int mode)
{
	if (access(path, mode) == 0)
		return 0;
	fprintf(stderr, "gpuown-check: %s %s: %s\n", what, path,
		strerror(errno));
	return -ENOENT;
}

/* Fail early, with the tool named, rather than with 100 failed jobs. */
static int check_tools(const struct options *o, const struct layer **layers,
		       int n)
{
	int i, ret = 0;

	if (o->cfg.profile)
		ret |= check_file("profile", o->cfg.profile, R_OK);
	for (i = 0; i < n; i++) {
		if (layers[i] == &layer_analyzer)
			ret |= check_file("analyzer plugin", o->cfg.plugin,
					  R_OK);
		if (layers[i] == &layer_cocci) {
			ret |= check_file("Coccinelle rules", o->cfg.cocci_dir,
					  R_OK | X_OK);
			/* The roles action lives in the plugin. */
			ret |= check_file("analyzer plugin", o->cfg.plugin,
					  R_OK);
			ret |= check_file("annotations header",
					  o->cfg.annotations, R_OK);
		}
	}
	return ret ? -ENOENT : 0;
}

/*
 * The folder of a database named compile_commands.json (what run-cocci's -p
 * takes), or NULL for a database under another name.
 */
static const char *compdb_dir(const char *path, char *buf, size_t len)
{
	struct stat st;
	const char *slash;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(buf, len, "%s", path);
		return buf;
	}
	slash = strrchr(path, '/');
	if (strcmp(slash ? slash + 1 : path, "compile_commands.json") != 0)
		return NULL;
	if (!slash)
		snprintf(buf, len, ".");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
	return buf;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* The private temporary folder, with whatever the jobs left in it. */
static void remove_tree(const char *dir)
{
	if (dir[0])
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_macros(const struct check_config *cfg, const char *out)
{
	char extra[PATH_MAX];

	snprintf(extra, sizeof(extra), "%s/gpuown-macros.h", cfg->cocci_dir);
	if (cocci_macro_file(cfg->clang, cfg->annotations, extra, out,
			     cfg->timeout, cfg->tmpdir))
		return EXIT_ERROR;
	return EXIT_CLEAN;
}

/*
 * The units of the database under the given paths, as every layer reads them
 * (launcher and code-loading flags gone), for front ends and test harnesses
 * that run a compiler themselves: they never read a database on their own.
 */
static int print_units(const struct compdb *db)
{
	struct json_object *arr = json_object_new_array();
	size_t i;
	int k, ret = 0;

	if (!arr)
		return EXIT_ERROR;
	for (i = 0; i < db->nr && !ret; i++) {
		const struct compdb_entry *e = &db->entries[i];
		struct json_object *u = json_object_new_object();
		struct json_object *a = json_object_new_array();

		if (!u || !a) {
			json_object_put(u);
			json_object_put(a);
			ret = -ENOMEM;
			break;
		}
		json_object_object_add(u, "directory",
				       json_object_new_string(e->directory));
		json_object_object_add(u, "file",
				       json_object_new_string(e->file));
		for (k = 0; k < e->argc; k++)
			json_object_array_add(
				a, json_object_new_string(e->argv[k]));
		json_object_object_add(u, "arguments", a);
		json_object_array_add(arr, u);
	}
	if (!ret)
		ret = puts(json_object_to_json_string_ext(
			      arr, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_NOSLASHESCAPE)) < 0
			      ? -EIO
			      : 0;
	json_object_put(arr);
	if (ret)
		fprintf(stderr, "gpuown-check: cannot print the units: %s\n",
			strerror(-ret));
	return ret ? EXIT_ERROR : EXIT_CLEAN;
}

static int print_roles(const struct check_config *cfg, const struct compdb *db)
{
	struct roles r = {0};
	int ret = roles_load(cfg, db, &r);

	if (!ret)
		roles_print(&r);
	roles_free(&r);
	return ret ? EXIT_ERROR : EXIT_CLEAN;
}

static void print_findings(const struct findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++) {
		const struct finding *n = &f->v[i];

		printf("%s:%d:%d: warning: %s [%s]%s\n", n->file, n->line,
		       n->col, n->message, n->rule,
		       n->is_new ? "" : " (known)");
	}
}

struct run_state {
	struct options *o;
	const struct layer **layers;
	size_t *owner; /* job index -> layer index */
	struct job **jobs;
	struct findings *f;
	char (*keys)[CACHE_KEY_LEN + 1]; /* per job; "" when not cacheable */
	size_t done, total;
	int failed;
	time_t start;
};

static void progress(struct run_state *st, int last)
{
	if (!st->o->progress)
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %zu findings, %lds", st->done,
		st->total, st->f->nr, (long)(time(NULL) - st->start));
	if (last)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* A job ended: its findings now, so the progress line can count them. */
static int job_done(struct job *job, void *ctx)
{
	struct run_state *st = ctx;
	size_t i, before = st->f->nr, notices = st->o->cfg.notices->nr;
	int ret = 0;

	for (i = 0; i < st->total && st->jobs[i] != job; i++)
		;
	if (i < st->total)
		ret = st->layers[st->owner[i]]->parse(&st->o->cfg, job, st->f);
	if (ret < 0)
		st->failed = 1;
	/* Only a clean, complete answer is worth remembering. */
	else if (i < st->total && st->keys && st->keys[i][0] &&
		 st->o->cfg.notices->nr == notices)
		cache_store(&st->o->cache, st->keys[i], st->f, before);
	free(job->output); /* parsed: a big unit's output need not wait */
	job->output = NULL;
	st->done++;
	progress(st, 0);
	return 0;
}

static int run_all(struct options *o, const struct layer **layers, int nl,
		   struct compdb *db, struct findings *f)
{
	struct run_state st = {.o = o, .layers = layers, .f = f};
	struct job **jobs = NULL;
	size_t nr = 0, i, *owner = NULL, start;
	int l, ret = 0;

	/*
	 * Coccinelle caches per (rule, unit) while it makes its jobs. Not with
	 * --ninja: the merge run must make the jobs the Ninja file ran.
	 */
	if (o->cache_on && !o->ninja && !o->from_ninja[0]) {
		o->cfg.cache = &o->cache;
		o->cfg.cached = f;
	}
	for (l = 0; l < nl; l++) {
		start = nr;
		ret = layers[l]->add_jobs(&o->cfg, db, &jobs, &nr);
		if (ret)
			goto out;
		owner = realloc(owner, (nr ? nr : 1) * sizeof(*owner));
		if (!owner) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = start; i < nr; i++)
			owner[i] = (size_t)l;
	}
	st.owner = owner;
	st.jobs = jobs;
	st.total = nr;
	if (o->cache_on) {
		st.keys = calloc(nr ? nr : 1, sizeof(*st.keys));
		if (!st.keys) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < nr; i++) {
			if (cache_key(&o->cache, layers[owner[i]], &o->cfg,
				      jobs[i], jobs[i]->unit, st.keys[i])) {
				st.keys[i][0] = '\0';
				continue;
			}
			if (cache_load(&o->cache, st.keys[i], f)) {
				jobs[i]->skip = 1;
				st.done++;
			}
		}
	}
	st.start = time(NULL);
	if (o->ninja) {
		ret = ninja_write(o->ninja, o->ninja_dir, jobs, nr,
				  o->cfg.timeout, o->argc, o->argv);
		if (!ret)
			fprintf(stderr,
				"gpuown-check: wrote %s: %zu jobs, outputs in "
				"%s; run: ninja -f %s\n",
				o->ninja, nr, o->ninja_dir, o->ninja);
		goto out;
	}
	if (o->from_ninja[0]) {
		ret = ninja_collect(o->from_ninja, jobs, nr, job_done, &st);
		if (!ret && st.failed)
			ret = -EIO;
		goto out;
	}
	progress(&st, 0);
	ret = jobs_run(jobs, nr, o->jobs, o->cfg.timeout, o->cfg.tmpdir,
		       job_done, &st);
	progress(&st, 1);
	if (!ret && st.failed)
		ret = -EIO;
out:
	for (i = 0; i < nr; i++)
		job_free(jobs[i]);
	free(jobs);
	free(owner);
	free(st.keys);
	return ret;
}

static void print_notices(const struct notices *n)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		fprintf(stderr, "gpuown-check: notice: %s%s%s [%s.%s]\n",
			n->v[i].file ? n->v[i].file : "",
			n->v[i].file ? ": " : "", n->v[i].message,
			n->v[i].layer, n->v[i].id);
}

/* A private folder under $TMPDIR, which the jobs use as theirs too. */
static int make_tmpdir(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	if (!t || !*t)
		t = "/tmp";
	if (snprintf(buf, len, "%s/gpuown-check.XXXXXX", t) >= (int)len ||
	    !mkdtemp(buf)) {
		fprintf(stderr,
			"gpuown-check: cannot make a folder in %s: %s\n", t,
			strerror(errno));
		buf[0] = '\0';
		return -1;
	}
	setenv("TMPDIR", buf, 1);
	return 0;
}

static void print_stripped(const struct compdb_stripped *s)
{
	size_t i;

	if (!s->nr)
		return;
	fprintf(stderr,
		"gpuown-check: %zu code-loading flag(s) in the compile "
		"database, not passed on:\n",
		s->nr);
	for (i = 0; i < s->nr && i < 10; i++)
		fprintf(stderr, "  %s\n", s->v[i]);
	if (s->nr > 10)
		fprintf(stderr, "  ... and %zu more\n", s->nr - 10);
}

int main(int argc, char **argv)
{
	struct options o = {
		.cfg =
			{
				.clang = "clang-14",
				.plugin = GPUOWN_CHECK_DEFAULT_PLUGIN,
				.sparse = "sparse",
				.sparse_flags =
					GPUOWN_CHECK_DEFAULT_SPARSE_FLAGS,
				.cocci_dir = GPUOWN_CHECK_DEFAULT_COCCI_DIR,
				.spatch = "spatch",
				.annotations = GPUOWN_CHECK_DEFAULT_ANNOTATIONS,
				.cocci_mode = "report",
				.timeout = 200,
			},
		.layers = "analyzer,sparse,coccinelle",
		.help_base = GPUOWN_CHECK_DEFAULT_HELP_BASE,
	};
	const struct layer *layers[NR_LAYERS];
	char tmpdir[PATH_MAX] = "", err[1024], dbdir[PATH_MAX], real[PATH_MAX];
	struct findings f = {0};
	struct notices notices = {0};
	struct sarif_opts so;
	struct compdb db = {0};
	int nl, ret, fresh, status = EXIT_ERROR, sig;

	if (!getcwd(o.root, sizeof(o.root)))
		o.root[0] = '\0';
	o.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o.jobs < 1)
		o.jobs = 1;
	o.progress = isatty(STDERR_FILENO);
	/* The command line as given, for the --ninja merge edge. */
	o.argc = argc;
	o.argv = calloc((size_t)argc + 1, sizeof(char *));
	/* Each option adds at most two arguments. */
	o.cfg.preproc_args = calloc((size_t)argc + 1, sizeof(char *));
	o.cfg.cc1_args = calloc(2 * (size_t)argc + 1, sizeof(char *));
	if (!o.argv || !o.cfg.preproc_args || !o.cfg.cc1_args) {
		fprintf(stderr, "gpuown-check: out of memory\n");
		goto out_args;
	}
	memcpy(o.argv, argv, (size_t)argc * sizeof(char *));
	/* Installed companions first, then the build tree (paths.h). */
	o.cfg.plugin = gpuown_check_locate(GPUOWN_CHECK_REL_PLUGIN,
					   GPUOWN_CHECK_DEFAULT_PLUGIN);
	o.cfg.cocci_dir = gpuown_check_locate(GPUOWN_CHECK_REL_COCCI_DIR,
					      GPUOWN_CHECK_DEFAULT_COCCI_DIR);
	o.cfg.sparse_flags =
		gpuown_check_locate(GPUOWN_CHECK_REL_SPARSE_FLAGS,
				    GPUOWN_CHECK_DEFAULT_SPARSE_FLAGS);
	o.cfg.annotations = gpuown_check_locate(
		GPUOWN_CHECK_REL_ANNOTATIONS, GPUOWN_CHECK_DEFAULT_ANNOTATIONS);
	o.cfg.roles_header =
		gpuown_check_locate(GPUOWN_CHECK_REL_ROLES_HEADER,
				    GPUOWN_CHECK_DEFAULT_ROLES_HEADER);
	o.cfg.include_dirs = gpuown_check_locate(GPUOWN_CHECK_REL_INCLUDE,
						 GPUOWN_CHECK_INCLUDE_DIRS);
	if (gpuown_check_installed()) {
		/* The installed copy of docs/rules.md, made absolute below. */
		static char help[PATH_MAX + 8];
		char abs[PATH_MAX];
		const char *rules =
			gpuown_check_locate(GPUOWN_CHECK_REL_HELP, NULL);

		if (rules && realpath(rules, abs)) {
			snprintf(help, sizeof(help), "file://%s", abs);
			o.help_base = help;
		}
	}
	if (take_xclang(&argc, argv, &o) || parse_options(argc, argv, &o))
		goto out_args;
	nl = parse_layers(o.layers, layers);
	if (nl <= 0 || check_cocci_options(&o, layers, nl))
		goto out_args;
	o.cfg.jobs = o.jobs;
	if (o.compdb) {
		ret = compdb_load(o.compdb, &db, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "gpuown-check: %s\n", err);
			goto out_args;
		}
		compdb_filter(&db, argv + optind, argc - optind);
		o.cfg.compdb_dir = compdb_dir(o.compdb, dbdir, sizeof(dbdir));
	}
	print_stripped(&db.stripped);
	if (o.print_units) {
		if (!o.compdb) {
			fprintf(stderr, "gpuown-check: --print-units needs "
					"-p\n");
			goto out_db;
		}
		if (db.nr == 0) {
			fprintf(stderr,
				"gpuown-check: no compile-database entry "
				"under the given paths\n");
			goto out_db;
		}
		status = print_units(&db);
		goto out_db;
	}
	if (check_tools(&o, layers, nl))
		goto out_db;
	o.cfg.paths = argv + optind;
	o.cfg.nr_paths = argc - optind;
	o.cfg.root = o.root;
	o.cfg.notices = &notices;
	if (o.macros_out || o.print_roles) {
		/* Their clang jobs, too, run in a private folder. */
		if (make_tmpdir(tmpdir, sizeof(tmpdir)))
			goto out_db;
		o.cfg.tmpdir = tmpdir;
		status = o.macros_out ? write_macros(&o.cfg, o.macros_out)
				      : print_roles(&o.cfg, &db);
		goto out;
	}
	if (!o.compdb && !o.cfg.nr_paths) {
		fprintf(stderr, "gpuown-check: without -p, name the files or "
				"folders to check\n");
		goto out_db;
	}
	/* SARIF paths relative to the kernel tree (drivers/gpu/drm/...). */
	if (!o.root_given && o.cfg.compdb_dir &&
	    is_kernel_tree(o.cfg.compdb_dir) &&
	    !realpath(o.cfg.compdb_dir, o.root))
		snprintf(o.root, sizeof(o.root), "%s", o.cfg.compdb_dir);
	if (o.compdb && db.nr == 0) {
		fprintf(stderr, "gpuown-check: no compile-database entry under "
				"the given paths\n");
		goto out_db;
	}
	jobs_catch_signals();
	if (o.ninja) {
		/* The jobs' outputs beside the Ninja file, kept for the merge.
		 */
		if (snprintf(o.ninja_dir, sizeof(o.ninja_dir), "%s.d",
			     o.ninja) >= (int)sizeof(o.ninja_dir) ||
		    (mkdir(o.ninja_dir, 0755) && errno != EEXIST) ||
		    !realpath(o.ninja_dir, real)) {
			fprintf(stderr, "gpuown-check: %s: %s\n", o.ninja_dir,
				strerror(errno));
			goto out_db;
		}
		snprintf(o.ninja_dir, sizeof(o.ninja_dir), "%s", real);
		o.cfg.tmpdir = o.ninja_dir;
		ret = run_all(&o, layers, nl, &db, &f);
		status = ret ? EXIT_ERROR : EXIT_CLEAN;
		goto out;
	}
	/*
	 * The cache keys on the database's units: files checked without one,
	 * and spatch's printed patches, are never cached.
	 */
	if (!o.compdb || strcmp(o.cfg.cocci_mode, "report"))
		o.no_cache = 1;
	if (o.from_ninja[0]) {
		o.cfg.tmpdir = o.from_ninja;
		o.no_cache = 1;
	} else {
		if (make_tmpdir(tmpdir, sizeof(tmpdir)))
			goto out_db;
		o.cfg.tmpdir = tmpdir;
	}
	if (!o.no_cache) {
		ret = cache_open(&o.cache, o.cache_dir, &o.cfg, &db, o.jobs);
		if (ret == -EINTR)
			goto out;
		o.cache_on = !ret;
		if (ret)
			fprintf(stderr,
				"gpuown-check: running without a cache\n");
	}

	ret = run_all(&o, layers, nl, &db, &f);
	if (ret == -EINTR)
		goto out;
	findings_finish(&f, o.root);
	fresh = (int)f.nr;
	if (o.baseline) {
		fresh = sarif_apply_baseline(o.baseline, &f);
		if (fresh < 0)
			goto out;
	}
	if (!o.quiet)
		print_findings(&f);
	print_notices(&notices);
	fprintf(stderr,
		"gpuown-check: %zu units, %zu findings (%d new), %zu notices",
		db.nr, f.nr, fresh, notices.nr);
	if (o.cache_on)
		fprintf(stderr, ", cache %zu/%zu jobs", o.cache.hits,
			o.cache.hits + o.cache.misses);
	fprintf(stderr, "%s\n", ret ? ", some layer jobs FAILED" : "");
	/* Only a completed run replaces the previous log. */
	if (ret)
		goto out;
	so = (struct sarif_opts){.root = o.root,
				 .help_base = o.help_base,
				 .cocci_dir = o.cfg.cocci_dir,
				 .max_results = o.max_results};
	if (o.sarif && sarif_write(o.sarif, &f, &notices, layers, nl, &so))
		goto out;
	status = fresh || (o.fail_on_notice && notices.nr) ? EXIT_FINDINGS
							   : EXIT_CLEAN;
out:
	cache_close(&o.cache);
	remove_tree(tmpdir);
	findings_free(&f);
	notices_free(&notices);
out_db:
	compdb_free(&db);
out_args:
	while (o.nr_conf_lines)
		free(o.conf_lines[--o.nr_conf_lines]);
	free(o.rules);
	free(o.defines);
	free(o.fw_headers);
	for (nl = 0; o.cfg.preproc_args && nl < o.cfg.nr_preproc_args; nl++)
		free(o.cfg.preproc_args[nl]);
	free(o.cfg.preproc_args);
	free(o.cfg.cc1_args);
	free(o.argv);
	sig = jobs_stop_signal();
	if (sig) {
		/* Die of the signal, as a shell expects of an interrupted tool.
		 */
		atomic_out_cleanup();
		fprintf(stderr, "gpuown-check: interrupted (%s)\n",
			strsignal(sig));
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return status;
}
