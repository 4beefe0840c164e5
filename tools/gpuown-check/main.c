// SPDX-License-Identifier: MIT
/*
 * gpuown-check: every static layer (the analyzer plugin, sparse, Coccinelle)
 * over a compile database, in parallel, with one merged SARIF log and a
 * non-zero exit when something new is found.
 */
#include "layer.h"
#include "paths.h"
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

#include <gpuown/version.h>

#ifndef GPUOWN_CHECK_DEFAULT_PLUGIN
#define GPUOWN_CHECK_DEFAULT_PLUGIN "GpuownAnalyzer.so"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_COCCI_DIR
#define GPUOWN_CHECK_DEFAULT_COCCI_DIR "cocci"
#endif
/* Relative to the installed executable's folder (cmake/GpuownInstall.cmake). */
#ifndef GPUOWN_CHECK_REL_PLUGIN
#define GPUOWN_CHECK_REL_PLUGIN "../lib/gpuown/GpuownAnalyzer.so"
#endif
#ifndef GPUOWN_CHECK_REL_COCCI_DIR
#define GPUOWN_CHECK_REL_COCCI_DIR "../share/gpuown/cocci"
#endif
#ifndef GPUOWN_CHECK_REL_SPARSE_RUNNER
#define GPUOWN_CHECK_REL_SPARSE_RUNNER "run-sparse"
#endif
#ifndef GPUOWN_CHECK_DEFAULT_SPARSE_RUNNER
#define GPUOWN_CHECK_DEFAULT_SPARSE_RUNNER "run-sparse"
#endif

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
	int root_given;
	char profile[PATH_MAX];
	char found_compdb[PATH_MAX];
	char abs_paths[4][PATH_MAX];
	int print_paths;
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
		"      --cocci-profile FILE the driver's names for the Coccinelle rules\n"
		"                           (NAME=VALUE lines, see docs/coccinelle.md)\n"
		"      --plugin SO, --clang BIN, --sparse BIN, --sparse-runner SCRIPT,\n"
		"      --cocci-dir DIR      tool locations\n"
		"  -q, --quiet              no per-finding lines on stdout\n"
		"      --print-paths        print the plugin, rules and runner in use, and exit\n"
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

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { O_BASELINE = 256, O_PROFILE, O_ROOT, O_TIMEOUT, O_ALL,
	       O_PLUGIN, O_CLANG, O_SPARSE, O_SRUNNER, O_CDIR, O_CPROFILE,
	       O_ACONFIG, O_XCLANG, O_VERSION, O_PATHS };
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
		{ "sparse-runner", required_argument, NULL, O_SRUNNER },
		{ "cocci-dir", required_argument, NULL, O_CDIR },
		{ "cocci-profile", required_argument, NULL, O_CPROFILE },
		{ "analyzer-config", required_argument, NULL, O_ACONFIG },
		{ "Xclang", required_argument, NULL, O_XCLANG },
		{ "version", no_argument, NULL, O_VERSION },
		{ "print-paths", no_argument, NULL, O_PATHS },
		{ 0 }
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "p:o:l:j:qhI:D:U:", longopts,
				NULL)) != -1) {
		switch (c) {
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
		case O_SRUNNER: o->cfg.sparse_runner = optarg; break;
		case O_CDIR: o->cfg.cocci_dir = optarg; break;
		case O_CPROFILE: o->cfg.cocci_profile = optarg; break;
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
		case O_VERSION:
			printf("gpuown-check (gpuown) %s\n", GPUOWN_VERSION);
			exit(EXIT_CLEAN);
		case O_PATHS: o->print_paths = 1; break;
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
	absolute(&o->cfg.sparse_runner, o->abs_paths[2]);
	absolute(&o->cfg.cocci_profile, o->abs_paths[3]);
	if (o->print_paths) {
		printf("plugin: %s\ncocci-dir: %s\nsparse-runner: %s\n",
		       o->cfg.plugin, o->cfg.cocci_dir, o->cfg.sparse_runner);
		exit(EXIT_CLEAN);
	}
	if (!o->compdb && find_compdb(o)) {
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
			if (o->cfg.cocci_profile)
				ret |= check_file("Coccinelle profile",
						  o->cfg.cocci_profile, R_OK);
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
			.sparse_runner = GPUOWN_CHECK_DEFAULT_SPARSE_RUNNER,
			.cocci_dir = GPUOWN_CHECK_DEFAULT_COCCI_DIR,
			.timeout = 200,
		},
		.layers = "analyzer,sparse,coccinelle",
	};
	const struct layer *layers[NR_LAYERS];
	char tmpdir[] = "/tmp/gpuown-check.XXXXXX", err[1024], dbdir[PATH_MAX];
	struct findings f = { 0 };
	struct compdb db;
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
	/* Installed companions first, then the build tree (paths.h). */
	o.cfg.plugin = gpuown_check_locate(GPUOWN_CHECK_REL_PLUGIN,
					   GPUOWN_CHECK_DEFAULT_PLUGIN);
	o.cfg.cocci_dir = gpuown_check_locate(GPUOWN_CHECK_REL_COCCI_DIR,
					      GPUOWN_CHECK_DEFAULT_COCCI_DIR);
	o.cfg.sparse_runner = gpuown_check_locate(
		GPUOWN_CHECK_REL_SPARSE_RUNNER, GPUOWN_CHECK_DEFAULT_SPARSE_RUNNER);
	if (take_xclang(&argc, argv, &o) || parse_options(argc, argv, &o))
		goto out_args;
	nl = parse_layers(o.layers, layers);
	if (nl <= 0)
		goto out_args;
	ret = compdb_load(o.compdb, &db, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "gpuown-check: %s\n", err);
		goto out_args;
	}
	if (check_tools(&o, layers, nl))
		goto out_db;
	compdb_filter(&db, argv + optind, argc - optind);
	o.cfg.paths = argv + optind;
	o.cfg.nr_paths = argc - optind;
	o.cfg.root = o.root;
	o.cfg.compdb_dir = compdb_dir(o.compdb, dbdir, sizeof(dbdir));
	/* SARIF paths relative to the kernel tree (drivers/gpu/drm/...). */
	if (!o.root_given && o.cfg.compdb_dir &&
	    is_kernel_tree(o.cfg.compdb_dir) &&
	    !realpath(o.cfg.compdb_dir, o.root))
		snprintf(o.root, sizeof(o.root), "%s", o.cfg.compdb_dir);
	if (db.nr == 0) {
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
	for (nl = 0; o.cfg.preproc_args && nl < o.cfg.nr_preproc_args; nl++)
		free(o.cfg.preproc_args[nl]);
	free(o.cfg.preproc_args);
	free(o.cfg.cc1_args);
	return status;
}
