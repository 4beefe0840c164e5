// SPDX-License-Identifier: MIT
/*
 * gpuown-check: every static layer (the analyzer plugin, sparse, Coccinelle)
 * over a compile database, in parallel, with one merged SARIF log and a
 * non-zero exit when something new is found.
 */
#include "cocci_instance.h"
#include "layer.h"
#include "roles.h"
#include "sarif.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GPUOWN_CHECK_DEFAULT_PLUGIN
#define GPUOWN_CHECK_DEFAULT_PLUGIN "GpuownAnalyzer.so"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_COCCI_DIR
#define GPUOWN_CHECK_DEFAULT_COCCI_DIR "cocci"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_ANNOTATIONS
#define GPUOWN_CHECK_DEFAULT_ANNOTATIONS "annotations/gpuown/annotations.h"
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
	char root[PATH_MAX];
	int jobs;
	int quiet;
	int print_roles;
	const char *macros_out; /* --write-cocci-macros */
	/* --cocci-profile lines, owned here. */
	char *conf_lines[MAX_CONF_LINES];
	int nr_conf_lines;
	/* Repeatable options, each in its own array of argc slots. */
	char **rules, **defines, **fw_headers;
	int root_given;
	char profile[PATH_MAX];
	char found_compdb[PATH_MAX];
	char abs_paths[4][PATH_MAX];
};

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
		"usage: gpuown-check -p BUILD_DIR|compile_commands.json [options] [PATH...]\n"
		"\n"
		"Run the gpuown static layers over the units of a compile database\n"
		"whose source lies under PATH (all units if none), in parallel.\n"
		"\n"
		"  -p, --compdb PATH        compile database, or the folder holding it\n"
		"                           (default: the nearest compile_commands.json\n"
		"                           in . or above, as a kernel build writes it)\n"
		"  -o, --sarif FILE         write one merged SARIF 2.1.0 log\n"
		"  -l, --layers LIST        analyzer,sparse,coccinelle (default: all)\n"
		"  -j, --jobs N             parallel jobs (default: nproc)\n"
		"      --baseline FILE      SARIF log of known findings: only new ones fail\n"
		"      --profile HEADER     header re-declaring the driver's own functions\n"
		"                           with gpuown annotations (force-included after\n"
		"                           the unit's own -include's)\n"
		"  -I DIR, -D NAME[=V], -U NAME  added to every unit, after its own flags\n"
		"      --analyzer-config K=V  an analyzer option (-analyzer-config K=V)\n"
		"  -Xclang ARG              passed to the analyzer's clang -cc1\n"
		"      --root DIR           source root for relative paths (default: the\n"
		"                           kernel tree holding the database, else .)\n"
		"      --timeout S          per-file timeout in seconds (default: 200)\n"
		"      --all-analyzer-checkers  report clang's stock checkers too\n"
		"Coccinelle (the function names come from the annotated headers):\n"
		"  -m, --mode MODE          report (default), patch, context or org;\n"
		"                           patch, context and org print spatch's output\n"
		"  -r, --rule RULE          run only this rule (repeatable)\n"

		"      --fw-header FILE     generated firmware-struct header (default with\n"
		"                           -p: BUILD_DIR/gen/*/gpuown_fw/*.h)\n"
		"      --print-roles        print the roles read from the headers (JSON)\n"
		"      --cocci-define NAME=VALUE  a rule option (docs/coccinelle.md)\n"
		"      --cocci-profile FILE NAME=VALUE rule options, one a line\n"
		"      --write-cocci-macros FILE  write spatch's macro file (from\n"
		"                           annotations.h) and exit\n"
		"  Without -p, --layers coccinelle checks the .c and .h files under PATH.\n"
		"\n"
		"      --plugin SO, --clang BIN, --sparse BIN, --sparse-flags FILE,\n"
		"      --cocci-dir DIR, --spatch BIN, --annotations FILE  tool locations\n"
		"  -q, --quiet              no per-finding lines on stdout\n"
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

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_LAYERS; i++)
			if (!strcmp(tok, all_layers[i]->name))
				break;
		if (i == NR_LAYERS) {
			fprintf(stderr,
				"gpuown-check: unknown layer '%s' (analyzer, sparse, coccinelle)\n",
				tok);
			return -EINVAL;
		}
		if (layer_listed(out, n, all_layers[i]))
			continue;
		out[n++] = all_layers[i];
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
			fprintf(stderr, "gpuown-check: -Xclang needs an argument\n");
			return -EINVAL;
		}
		o->cfg.cc1_args[o->cfg.nr_cc1_args++] = argv[++i];
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

static void absolute(const char **path, char *buf)
{
	if (*path && (*path)[0] != '/' && realpath(*path, buf))
		*path = buf;
}

/* A kernel tree's top folder: Kbuild and the Kconfig root beside the database. */
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
		fprintf(stderr, "gpuown-check: Coccinelle profile %s: %s\n", path,
			strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strchr(line, '=') || o->nr_conf_lines == MAX_CONF_LINES) {
			fprintf(stderr, "gpuown-check: %s: expected NAME=VALUE (at most %d lines), got '%s'\n",
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

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { O_BASELINE = 256, O_PROFILE, O_ROOT, O_TIMEOUT, O_ALL,
	       O_PLUGIN, O_CLANG, O_SPARSE, O_SRUNNER, O_CDIR, O_CPROFILE,
	       O_FWHEADER, O_PRINTROLES, O_SPATCH, O_ANNOT, O_MACROS,
	       O_ACONFIG, O_XCLANG, O_CDEFINE };
	static const struct option longopts[] = {
		{ "compdb", required_argument, NULL, 'p' },
		{ "sarif", required_argument, NULL, 'o' },
		{ "layers", required_argument, NULL, 'l' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "root", required_argument, NULL, O_ROOT },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "all-analyzer-checkers", no_argument, NULL, O_ALL },
		{ "plugin", required_argument, NULL, O_PLUGIN },
		{ "clang", required_argument, NULL, O_CLANG },
		{ "sparse", required_argument, NULL, O_SPARSE },
		{ "sparse-flags", required_argument, NULL, O_SRUNNER },
		{ "cocci-dir", required_argument, NULL, O_CDIR },
		{ "cocci-profile", required_argument, NULL, O_CPROFILE },
		{ "mode", required_argument, NULL, 'm' },
		{ "rule", required_argument, NULL, 'r' },
		{ "cocci-define", required_argument, NULL, O_CDEFINE },
		{ "fw-header", required_argument, NULL, O_FWHEADER },
		{ "print-roles", no_argument, NULL, O_PRINTROLES },
		{ "spatch", required_argument, NULL, O_SPATCH },
		{ "annotations", required_argument, NULL, O_ANNOT },
		{ "write-cocci-macros", required_argument, NULL, O_MACROS },
		{ "analyzer-config", required_argument, NULL, O_ACONFIG },
		{ "Xclang", required_argument, NULL, O_XCLANG },
		{ 0 }
	};
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
		case 'm': o->cfg.cocci_mode = optarg; break;
		case 'r': o->rules[o->cfg.nr_cocci_rules++] = optarg; break;
		case O_CDEFINE: o->defines[o->cfg.nr_cocci_defines++] = optarg; break;
		case O_FWHEADER: o->fw_headers[o->cfg.nr_fw_headers++] = optarg; break;
		case O_PRINTROLES: o->print_roles = 1; break;
		case O_SPATCH: o->cfg.spatch = optarg; break;
		case O_ANNOT: o->cfg.annotations = optarg; break;
		case O_MACROS: o->macros_out = optarg; break;
		case O_CPROFILE:
			if (read_cocci_conf(o, optarg))
				return -EINVAL;
			break;
		case 'p': o->compdb = optarg; break;
		case 'o': o->sarif = optarg; break;
		case 'l': o->layers = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(EXIT_CLEAN);
		case O_BASELINE: o->baseline = optarg; break;
		case O_PROFILE:
			/* Jobs run in each unit's folder: make it absolute. */
			o->cfg.profile = realpath(optarg, o->profile) ? o->profile :
									optarg;
			break;
		case O_ALL: o->cfg.all_analyzer_checkers = 1; break;
		case O_PLUGIN: o->cfg.plugin = optarg; break;
		case O_CLANG: o->cfg.clang = optarg; break;
		case O_SPARSE: o->cfg.sparse = optarg; break;
		case O_SRUNNER: o->cfg.sparse_flags = optarg; break;
		case O_CDIR: o->cfg.cocci_dir = optarg; break;
		case 'I':
		case 'D':
		case 'U':
			if (add_preproc(o, c, optarg))
				return -EINVAL;
			break;
		case O_ACONFIG:
			if (!strchr(optarg, '=')) {
				fprintf(stderr,
					"gpuown-check: --analyzer-config wants KEY=VALUE, got '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->cfg.cc1_args[o->cfg.nr_cc1_args++] = "-analyzer-config";
			o->cfg.cc1_args[o->cfg.nr_cc1_args++] = optarg;
			break;
		case O_XCLANG:
			o->cfg.cc1_args[o->cfg.nr_cc1_args++] = optarg;
			break;
		case O_ROOT:
			o->root_given = 1;
			if (!realpath(optarg, o->root)) {
				fprintf(stderr, "gpuown-check: --root %s: %s\n",
					optarg, strerror(errno));
				return -EINVAL;
			}
			break;
		case 'j':
		case O_TIMEOUT: {
			long v = strtol(optarg, &end, 10);

			if (*end || v <= 0 || v > 100000) {
				fprintf(stderr,
					"gpuown-check: %s wants a positive number, got '%s'\n",
					c == 'j' ? "--jobs" : "--timeout", optarg);
				return -EINVAL;
			}
			if (c == 'j')
				o->jobs = (int)v;
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
	 * Jobs run in each unit's folder (a kernel tree's top): tool paths given
	 * relative to the caller's folder are made absolute.
	 */
	absolute(&o->cfg.plugin, o->abs_paths[0]);
	absolute(&o->cfg.cocci_dir, o->abs_paths[1]);
	absolute(&o->cfg.sparse_flags, o->abs_paths[2]);
	absolute(&o->cfg.annotations, o->abs_paths[3]);
	return 0;
}

/*
 * Coccinelle alone may run over files without a database (run-cocci does),
 * and only it has modes other than report.
 */
static int check_cocci_options(struct options *o,
			       const struct layer **layers, int nl)
{
	static const char *const modes[] = { "report", "patch", "context",
					     "org", NULL };
	int i, cocci_only = nl == 1 && layers[0] == &layer_cocci;

	for (i = 0; modes[i]; i++)
		if (!strcmp(o->cfg.cocci_mode, modes[i]))
			break;
	if (!modes[i]) {
		fprintf(stderr,
			"gpuown-check: unknown mode '%s' (report, patch, context, org)\n",
			o->cfg.cocci_mode);
		return -EINVAL;
	}
	if (strcmp(o->cfg.cocci_mode, "report") && !cocci_only) {
		fprintf(stderr, "gpuown-check: --mode %s needs --layers coccinelle\n",
			o->cfg.cocci_mode);
		return -EINVAL;
	}
	for (i = 0; i < o->cfg.nr_cocci_defines; i++) {
		const char *d = o->cfg.cocci_defines[i];
		size_t n = strspn(d, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");

		if (!n || (d[0] >= '0' && d[0] <= '9') || (d[n] && d[n] != '=')) {
			fprintf(stderr,
				"gpuown-check: bad -D '%s': expected NAME or NAME=VALUE\n",
				d);
			return -EINVAL;
		}
	}
	/* run-cocci without -p checks the files it is given, no database. */
	if (!o->compdb && !(cocci_only || o->print_roles || o->macros_out) &&
	    find_compdb(o)) {
		fprintf(stderr, "gpuown-check: no -p, and no compile_commands.json in . or above\n");
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static int check_file(const char *what, const char *path, int mode)
{
	if (access(path, mode) == 0)
		return 0;
	fprintf(stderr, "gpuown-check: %s %s: %s\n", what, path, strerror(errno));
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
			ret |= check_file("analyzer plugin", o->cfg.plugin, R_OK);
		if (layers[i] == &layer_cocci) {
			ret |= check_file("Coccinelle rules", o->cfg.cocci_dir,
					  R_OK | X_OK);
			/* The roles action lives in the plugin. */
			ret |= check_file("analyzer plugin", o->cfg.plugin, R_OK);
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

static void remove_tree(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	char path[PATH_MAX + 300];

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

static int write_macros(const struct check_config *cfg, const char *out)
{
	char extra[PATH_MAX];

	snprintf(extra, sizeof(extra), "%s/gpuown-macros.h", cfg->cocci_dir);
	if (cocci_macro_file(cfg->clang, cfg->annotations, extra,
			     out, cfg->timeout))
		return EXIT_ERROR;
	return EXIT_CLEAN;
}

static int print_roles(const struct check_config *cfg, const struct compdb *db)
{
	struct roles r = { 0 };
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
		       n->col, n->message, n->rule, n->is_new ? "" : " (known)");
	}
}

static int run_all(struct options *o, const struct layer **layers, int nl,
		   struct compdb *db, struct findings *f)
{
	struct job **jobs = NULL;
	size_t nr = 0, i, *owner = NULL, start;
	int l, ret = 0, failed = 0;

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
	ret = jobs_run(jobs, nr, o->jobs, o->cfg.timeout);
	if (ret)
		goto out;
	for (i = 0; i < nr; i++)
		failed |= layers[owner[i]]->parse(&o->cfg, jobs[i], f) < 0;
	ret = failed ? -EIO : 0;
out:
	for (i = 0; i < nr; i++)
		job_free(jobs[i]);
	free(jobs);
	free(owner);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o = {
		.cfg = {
			.clang = "clang-14",
			.plugin = GPUOWN_CHECK_DEFAULT_PLUGIN,
			.sparse = "sparse",
			.sparse_flags = GPUOWN_CHECK_DEFAULT_SPARSE_FLAGS,
			.cocci_dir = GPUOWN_CHECK_DEFAULT_COCCI_DIR,
			.spatch = "spatch",
			.annotations = GPUOWN_CHECK_DEFAULT_ANNOTATIONS,
			.cocci_mode = "report",
			.timeout = 200,
		},
		.layers = "analyzer,sparse,coccinelle",
	};
	const struct layer *layers[NR_LAYERS];
	char tmpdir[] = "/tmp/gpuown-check.XXXXXX", err[1024], dbdir[PATH_MAX];
	struct findings f = { 0 };
	struct compdb db = { 0 };
	int nl, ret, fresh, status = EXIT_ERROR;

	if (!getcwd(o.root, sizeof(o.root)))
		o.root[0] = '\0';
	o.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o.jobs < 1)
		o.jobs = 1;
	/* Each option adds at most two arguments. */
	o.cfg.preproc_args = calloc((size_t)argc + 1, sizeof(char *));
	o.cfg.cc1_args = calloc(2 * (size_t)argc + 1, sizeof(char *));
	if (!o.cfg.preproc_args || !o.cfg.cc1_args) {
		fprintf(stderr, "gpuown-check: out of memory\n");
		goto out_args;
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
	if (check_tools(&o, layers, nl))
		goto out_db;
	o.cfg.paths = argv + optind;
	o.cfg.nr_paths = argc - optind;
	o.cfg.root = o.root;
	if (o.macros_out) {
		status = write_macros(&o.cfg, o.macros_out);
		goto out_db;
	}
	if (o.print_roles) {
		status = print_roles(&o.cfg, &db);
		goto out_db;
	}
	if (!o.compdb && !o.cfg.nr_paths) {
		fprintf(stderr, "gpuown-check: without -p, name the files or folders to check\n");
		goto out_db;
	}
	/* SARIF paths relative to the kernel tree (drivers/gpu/drm/...). */
	if (!o.root_given && o.cfg.compdb_dir &&
	    is_kernel_tree(o.cfg.compdb_dir) &&
	    !realpath(o.cfg.compdb_dir, o.root))
		snprintf(o.root, sizeof(o.root), "%s", o.cfg.compdb_dir);
	if (o.compdb && db.nr == 0) {
		fprintf(stderr, "gpuown-check: no compile-database entry under the given paths\n");
		goto out_db;
	}
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "gpuown-check: mkdtemp: %s\n", strerror(errno));
		goto out_db;
	}
	o.cfg.tmpdir = tmpdir;

	ret = run_all(&o, layers, nl, &db, &f);
	findings_finish(&f, o.root);
	fresh = (int)f.nr;
	if (o.baseline) {
		fresh = sarif_apply_baseline(o.baseline, &f);
		if (fresh < 0)
			goto out;
	}
	if (!o.quiet)
		print_findings(&f);
	if (o.sarif && sarif_write(o.sarif, &f, layers, nl, o.root))
		goto out;
	fprintf(stderr, "gpuown-check: %zu units, %zu findings (%d new)%s\n",
		db.nr, f.nr, fresh, ret ? ", some layer jobs FAILED" : "");
	if (ret)
		goto out;
	status = fresh ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	remove_tree(tmpdir);
	findings_free(&f);
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
	return status;
}
