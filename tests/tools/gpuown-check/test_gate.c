// SPDX-License-Identifier: MIT
/*
 * gpuown-check as a CI gate: logs replaced only by a completed run, children
 * killed and reaped with their whole group, timeouts as notices, bounded and
 * validated inputs, sane option handling.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jobs.h"

static char dir[] = "/tmp/gpuown-gate-test-XXXXXX";
static char tmp[300], cache[300], out[16384], err[16384];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	cr_assert_eq(mkdir(tmp, 0700), 0);
	/* Everything gpuown-check and its jobs make must land here. */
	setenv("TMPDIR", tmp, 1);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	setenv("XDG_CACHE_HOME", cache, 1);
}

static void teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(gate, .init = setup, .fini = teardown, .timeout = 300);

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static int dir_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' ||
		     (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

struct run_opts {
	const char *cwd;
	long fsize;	   /* RLIMIT_FSIZE in bytes, or 0 */
	int term_after_ms; /* send @sig after this long, or 0 */
	/*
	 * With term_after_ms: wait for this file to exist first (up to 60 s),
	 * so a loaded machine's slow start-up does not race the signal.
	 */
	const char *wait_for;
	int sig;
	int tmp_entries; /* out: entries in $TMPDIR just before the signal */
};

/* Run gpuown-check with @args; capture both streams; exit code or 128+sig. */
static int run_ex(struct run_opts *ro, const char *const *args)
{
	char o[400], e[400];
	const char *argv[48];
	int n = 0, status;
	pid_t pid;

	argv[n++] = getenv("GPUOWN_CHECK");
	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(o, sizeof(o), "%s/stdout", dir);
	snprintf(e, sizeof(e), "%s/stderr", dir);
	pid = fork();
	if (pid == 0) {
		if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr))
			_exit(127);
		if (ro && ro->cwd && chdir(ro->cwd))
			_exit(127);
		if (ro && ro->fsize) {
			struct rlimit rl = {ro->fsize, ro->fsize};

			/* A full disk: writes past the limit fail with EFBIG.
			 */
			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (ro && ro->term_after_ms) {
		for (n = 0;
		     ro->wait_for && n < 600 && access(ro->wait_for, F_OK); n++)
			usleep(100 * 1000);
		usleep((useconds_t)ro->term_after_ms * 1000);
		ro->tmp_entries = dir_entries(tmp);
		kill(pid, ro->sig ? ro->sig : SIGTERM);
	}
	waitpid(pid, &status, 0);
	slurp(o, out, sizeof(out));
	slurp(e, err, sizeof(err));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define run(...) run_ex(NULL, (const char *const[]){__VA_ARGS__, NULL})

/* A compile database of @n units, all data/@file; returns its path. */
static const char *compdb_n(const char *file, int n)
{
	static char path[400];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
	f = fopen(path, "w");
	fputs("[", f);
	for (i = 0; i < n; i++)
		fprintf(f,
			"%s{\"directory\":\"%s\",\"file\":\"%s\","
			"\"arguments\":[\"clang-14\",\"-I%s\",\"-I%s\",\"-"
			"DUNIT=%d\",\"-c\",\"%s\"]}",
			i ? "," : "", getenv("GPUOWN_CHECK_DATA"), file,
			getenv("GPUOWN_ANNOTATIONS"),
			getenv("GPUOWN_RUNTIME_INCLUDE"), i, file);
	fputs("]\n", f);
	fclose(f);
	return path;
}

static const char *fake_cocci(void)
{
	static char path[400];

	snprintf(path, sizeof(path), "%s/fake-cocci",
		 getenv("GPUOWN_CHECK_DATA"));
	return path;
}

Test(gate, failed_run_leaves_the_previous_log)
{
	char sarif[400], before[16384], after[16384];

	snprintf(sarif, sizeof(sarif), "%s/out.sarif", dir);
	cr_assert_eq(run("-p", compdb_n("address_mix.c", 1), "-l", "sparse",
			 "-o", sarif),
		     1, "%s", err);
	slurp(sarif, before, sizeof(before));
	cr_assert(strstr(before, "sparse.bitwise"));
	/* A layer that fails is exit 2: the log stays as it was. */
	cr_assert_eq(run("-p", compdb_n("address_mix.c", 1), "-l",
			 "sparse,analyzer", "--clang", "/bin/false", "--plugin",
			 "/dev/null", "-o", sarif),
		     2, "%s", err);
	slurp(sarif, after, sizeof(after));
	cr_assert_str_eq(after, before);
}

Test(gate, full_disk_leaves_the_previous_log)
{
	struct run_opts ro = {.fsize = 200};
	char sarif[400], before[16384], after[16384];

	snprintf(sarif, sizeof(sarif), "%s/out.sarif", dir);
	spit(sarif, "{\"previous\": \"log\"}\n");
	slurp(sarif, before, sizeof(before));
	cr_assert_eq(run_ex(&ro,
			    (const char *const[]){
				    "-p", compdb_n("address_mix.c", 1), "-l",
				    "sparse", "-o", sarif, NULL}),
		     2, "%s", err);
	cr_assert(strstr(err, "cannot write") &&
			  strstr(err, "(left as it was)"),
		  "%s", err);
	slurp(sarif, after, sizeof(after));
	cr_assert_str_eq(after, before);
	/* The log, the captured streams, the cache: no temporary file left. */
	cr_assert_eq(dir_entries(dir), 6, "entries in %s", dir);
}

Test(gate, device_output_is_written_not_replaced)
{
	struct stat st;

	cr_assert_eq(run("-p", compdb_n("address_mix.c", 1), "-l", "sparse",
			 "-o", "/dev/full"),
		     2, "%s", err);
	cr_assert(
		strstr(err, "cannot write /dev/full: No space left on device"),
		"%s", err);
	cr_assert_eq(stat("/dev/full", &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
}

static int alive(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return access(path, F_OK) == 0;
}

static const char *fake_tool(void)
{
	static char path[400];

	snprintf(path, sizeof(path), "%s/run-cocci", fake_cocci());
	return path;
}

/* Every process the fake run-cocci started is gone, not left to init. */
static void assert_all_reaped(const char *pids)
{
	char buf[4096], *s = buf, *end;
	int n = 0;

	slurp(pids, buf, sizeof(buf));
	for (;;) {
		long p = strtol(s, &end, 10);

		if (end == s)
			break;
		cr_assert_not(alive((pid_t)p),
			      "process %ld outlived gpuown-check", p);
		n++;
		s = end;
	}
	cr_assert_gt(n, 0, "the fake run-cocci never ran");
}

static void signal_kills_and_reaps(int sig)
{
	struct run_opts ro = {.term_after_ms = 1500, .sig = sig};
	char pids[400];

	snprintf(pids, sizeof(pids), "%s/pids", dir);
	ro.wait_for = pids;
	setenv("FAKE_COCCI_PIDS", pids, 1);
	setenv("FAKE_COCCI_SLEEP", "60", 1);
	cr_assert_eq(
		/* A unit holding the rule's tokens: its prefilter keeps it. */
		run_ex(&ro,
		       (const char *const[]){
			       "-p", compdb_n("use_after_free.c", 1), "-l",
			       "coccinelle", "--spatch", fake_tool(), "--rule",
			       "use_after_free", "--no-cache", NULL}),
		128 + sig, "%s", err);
	/* Its private folder was under $TMPDIR, and is gone with the job's. */
	cr_assert_eq(ro.tmp_entries, 1, "nothing made in $TMPDIR");
	assert_all_reaped(pids);
	cr_assert_eq(dir_entries(tmp), 0, "temporary files left in $TMPDIR");
}

Test(gate, sigterm_kills_and_reaps_the_job_groups)
{
	signal_kills_and_reaps(SIGTERM);
}

Test(gate, sigint_kills_and_reaps_the_job_groups)
{
	signal_kills_and_reaps(SIGINT);
}

/* The analyzer's clang never ends: a notice, and the group is killed. */
Test(gate, timeout_is_a_notice_in_output_and_sarif)
{
	char pids[400], sarif[400];
	struct json_object *log, *v;

	snprintf(pids, sizeof(pids), "%s/pids", dir);
	snprintf(sarif, sizeof(sarif), "%s/out.sarif", dir);
	setenv("FAKE_COCCI_PIDS", pids, 1);
	setenv("FAKE_COCCI_SLEEP", "60", 1);
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "analyzer",
			 "--clang", fake_tool(), "--plugin", "/dev/null",
			 "--timeout", "1", "-o", sarif),
		     0, "%s", err);
	cr_assert(strstr(err, "data/clean.c: analyzer timed out: unit not "
			      "analysed [analyzer.timeout]"),
		  "%s", err);
	cr_assert(strstr(err, "1 notices"), "%s", err);
	assert_all_reaped(pids);
	cr_assert_eq(dir_entries(tmp), 0, "temporary files left in $TMPDIR");
	log = json_object_from_file(sarif);
	cr_assert_not_null(log);
	v = json_object_array_get_idx(json_object_object_get(log, "runs"), 0);
	v = json_object_array_get_idx(json_object_object_get(v, "invocations"),
				      0);
	cr_assert_not(json_object_get_boolean(
		json_object_object_get(v, "executionSuccessful")));
	v = json_object_array_get_idx(
		json_object_object_get(v, "toolExecutionNotifications"), 0);
	cr_assert(strstr(json_object_to_json_string(v), "timed out"));
	json_object_put(log);
	/* And the flag makes it fail the run. */
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "analyzer",
			 "--clang", fake_tool(), "--plugin", "/dev/null",
			 "--timeout", "1", "--fail-on-notice"),
		     1, "%s", err);
}

/* A file spatch gives up on is a notice naming it, not a clean pass. */
Test(gate, spatch_timeout_on_a_file_is_a_notice)
{
	char cocci[400], cmd[1600], path[400];
	FILE *f;
	int i;

	/* One real rule: a folder with it and the macro and type files. */
	snprintf(cocci, sizeof(cocci), "%s/cocci", dir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir %s && for f in gpuown-macros.h gpuown-types.h "
		 "use_after_free.cocci; do ln -s %s/$f %s/$f; done",
		 cocci, getenv("GPUOWN_COCCI_DIR"), cocci);
	cr_assert_eq(system(cmd), 0);
	/* A function whose paths spatch cannot walk in 1 s. */
	snprintf(path, sizeof(path), "%s/slow.c", dir);
	f = fopen(path, "w");
	fputs("void f(int *p)\n{\n", f);
	for (i = 0; i < 3000; i++)
		fprintf(f,
			"\tif (p[%d]) { gpuown_obj_free(p); } else { p[%d] = "
			"%d; }\n",
			i, i, i);
	fputs("}\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/slow.json", dir);
	snprintf(cmd, sizeof(cmd),
		 "[{\"directory\":\"%s\",\"file\":\"slow.c\","
		 "\"arguments\":[\"cc\",\"-c\",\"slow.c\"]}]",
		 dir);
	spit(path, cmd);
	cr_assert_eq(run("-p", path, "-l", "coccinelle", "--cocci-dir", cocci,
			 "--timeout", "1", "--fail-on-notice"),
		     1, "%s%s", out, err);
	cr_assert(strstr(err, "/slow.c: Coccinelle rule cocci.use_after_free "
			      "timed out on this file (1 s): not checked "
			      "[coccinelle.timeout]"),
		  "%s", err);
}

Test(gate, unbounded_inputs_are_errors)
{
	cr_assert_eq(run("-p", "/dev/zero", "-l", "sparse"), 2);
	cr_assert(strstr(err, "/dev/zero:1: not valid JSON"), "%s", err);
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "sparse",
			 "--baseline", "/dev/zero"),
		     2);
	cr_assert(strstr(err, "baseline /dev/zero:1: not valid JSON"), "%s",
		  err);
}

Test(gate, malformed_baseline_is_an_error)
{
	char bl[400];

	snprintf(bl, sizeof(bl), "%s/bl.sarif", dir);
	spit(bl, "{\"runs\":[{\"results\":\"x\"}]}");
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "sparse",
			 "--baseline", bl),
		     2);
	cr_assert(strstr(err, "runs[0].results is not an array"), "%s", err);
	spit(bl, "{\"runs\":[7]}");
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "sparse",
			 "--baseline", bl),
		     2);
	cr_assert(strstr(err, "runs[0] is not an object"), "%s", err);
	spit(bl, "{\"runs\":{}}");
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "sparse",
			 "--baseline", bl),
		     2);
	cr_assert(strstr(err, "not a SARIF log (no \"runs\" array)"), "%s",
		  err);
}

Test(gate, empty_layer_list_is_named)
{
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", ""), 2);
	cr_assert(strstr(err, "--layers names no layer"), "%s", err);
}

Test(gate, huge_pool_is_capped)
{
	cr_assert_eq(run("-p", compdb_n("clean.c", 1), "-l", "sparse", "-j",
			 "100000"),
		     0, "%s", err);
	cr_assert(strstr(err, "--jobs 100000 capped at"), "%s", err);
}

Test(gate, relative_profile_is_resolved_against_the_working_directory)
{
	struct run_opts ro = {.cwd = getenv("GPUOWN_CHECK_DATA")};

	cr_assert_eq(run_ex(&ro,
			    (const char *const[]){
				    "-p", compdb_n("foreign/pfx_job.c", 1),
				    "-l", "sparse", "--profile",
				    "foreign/pfx-profile.h", NULL}),
		     0, "%s%s", out, err);
	cr_assert_null(strstr(out, "builtin"), "%s", out);
}

Test(gate, no_progress_line_off_a_terminal)
{
	cr_assert_eq(run("-p", compdb_n("clean.c", 2), "-l", "sparse"), 0);
	cr_assert_null(strchr(err, '\r'), "%s", err);
}

Test(gate, code_loading_flags_are_stripped_and_reported)
{
	char db[400], text[2048];

	snprintf(db, sizeof(db), "%s/db.json", dir);
	snprintf(text, sizeof(text),
		 "[{\"directory\":\"%s\",\"file\":\"clean.c\",\"arguments\":"
		 "[\"ccache\",\"gcc\",\"-I%s\",\"-fplugin=/tmp/evil.so\","
		 "\"-Xclang\",\"-load\",\"-Xclang\",\"/tmp/evil2.so\","
		 "\"-fconserve-stack\",\"-mrecord-mcount\",\"-c\",\"clean.c\"]}"
		 "]",
		 getenv("GPUOWN_CHECK_DATA"), getenv("GPUOWN_ANNOTATIONS"));
	spit(db, text);
	cr_assert_eq(run("-p", db, "-l", "sparse"), 0, "%s", err);
	cr_assert(strstr(err, "2 code-loading flag(s) in the compile database, "
			      "not passed on"),
		  "%s", err);
	cr_assert(strstr(err, "clean.c: -fplugin=/tmp/evil.so\n"), "%s", err);
	cr_assert(strstr(err, "clean.c: -Xclang -load -Xclang /tmp/evil2.so\n"),
		  "%s", err);
}

/* Three units, copies of data/@file in our folder, so one can change. */
static const char *compdb_copies(const char *file)
{
	static char path[400];
	char cmd[1200];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/cc.json", dir);
	f = fopen(path, "w");
	fputs("[", f);
	for (i = 0; i < 3; i++) {
		snprintf(cmd, sizeof(cmd), "cp %s/%s %s/u%d.c",
			 getenv("GPUOWN_CHECK_DATA"), file, dir, i);
		cr_assert_eq(system(cmd), 0);
		fprintf(f,
			"%s{\"directory\":\"%s\",\"file\":\"u%d.c\","
			"\"arguments\":[\"cc\",\"-I%s\",\"-I%s\",\"-c\",\"u%d."
			"c\"]}",
			i ? "," : "", dir, i, getenv("GPUOWN_ANNOTATIONS"),
			getenv("GPUOWN_RUNTIME_INCLUDE"), i);
	}
	fputs("]\n", f);
	fclose(f);
	return path;
}

static void same_file(const char *a, const char *b)
{
	static char x[65536], y[65536];

	slurp(a, x, sizeof(x));
	slurp(b, y, sizeof(y));
	cr_assert_str_eq(x, y, "%s and %s differ", a, b);
}

static void cache_round(const char *layers, const char *file, int found)
{
	const char *plugin = getenv("GPUOWN_CHECK_PLUGIN");
	const char *db = compdb_copies(file);
	char cold[400], warm[400], none[400], cmd[600];

	snprintf(cold, sizeof(cold), "%s/cold.sarif", dir);
	snprintf(warm, sizeof(warm), "%s/warm.sarif", dir);
	snprintf(none, sizeof(none), "%s/none.sarif", dir);
	cr_assert_eq(run("-p", db, "-l", layers, "--plugin", plugin, "--root",
			 dir, "-o", cold),
		     found, "%s", err);
	cr_assert(strstr(err, "cache 0/3 jobs"), "%s", err);
	cr_assert_eq(run("-p", db, "-l", layers, "--plugin", plugin, "--root",
			 dir, "-o", warm),
		     found, "%s", err);
	cr_assert(strstr(err, "cache 3/3 jobs"), "%s", err);
	same_file(cold, warm);
	cr_assert_eq(run("-p", db, "-l", layers, "--plugin", plugin, "--root",
			 dir, "--no-cache", "-o", none),
		     found, "%s", err);
	cr_assert_null(strstr(err, "cache "), "%s", err);
	same_file(cold, none);
	/* One unit changes: only its job runs again. */
	snprintf(cmd, sizeof(cmd), "echo 'int touched;' >> %s/u1.c", dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(run("-p", db, "-l", layers, "--plugin", plugin, "--root",
			 dir, "-o", warm),
		     found, "%s", err);
	cr_assert(strstr(err, "cache 2/3 jobs"), "%s", err);
}

Test(gate, cache_reuses_unchanged_units_with_identical_sarif)
{
	cache_round("sparse", "address_mix.c", 1);
}

Test(gate, cache_keeps_analyzer_path_notes)
{
	const char *plugin = getenv("GPUOWN_CHECK_PLUGIN");

	if (!plugin || !*plugin)
		cr_skip_test("the analyzer plugin is not built");
	cache_round("analyzer", "use_after_free.c", 1);
}

/* "cache H/N jobs" in the summary: H, N. */
static void cache_counts(unsigned *hits, unsigned *total)
{
	const char *p = strstr(err, ", cache ");

	cr_assert(p && sscanf(p, ", cache %u/%u jobs", hits, total) == 2, "%s",
		  err);
}

/*
 * Coccinelle runs a rule over many units in one spatch; it is cached per
 * (rule, unit), so a one-file change re-runs every rule over that unit only.
 */
Test(gate, cache_coccinelle_per_unit_with_identical_sarif)
{
	const char *plugin = getenv("GPUOWN_CHECK_PLUGIN");
	char cold[400], warm[400], none[400], cmd[600];
	unsigned hits, total, rules;
	const char *db;

	if (!plugin || !*plugin)
		cr_skip_test("the analyzer plugin is not built (roles)");
	db = compdb_copies("use_after_free.c");
	snprintf(cold, sizeof(cold), "%s/cold.sarif", dir);
	snprintf(warm, sizeof(warm), "%s/warm.sarif", dir);
	snprintf(none, sizeof(none), "%s/none.sarif", dir);
	cr_assert_eq(run("-p", db, "-l", "coccinelle", "--rule",
			 "use_after_free", "--plugin", plugin, "--root", dir,
			 "-o", cold),
		     1, "%s", err);
	cache_counts(&hits, &total);
	/* The rule over each of the three units: nothing stored yet. */
	cr_assert_eq(hits, 0, "%s", err);
	cr_assert_eq(total, 3, "%s", err);
	rules = total / 3;
	cr_assert_eq(run("-p", db, "-l", "coccinelle", "--rule",
			 "use_after_free", "--plugin", plugin, "--root", dir,
			 "-o", warm),
		     1, "%s", err);
	cache_counts(&hits, &total);
	cr_assert_eq(hits, 3 * rules, "%s", err);
	cr_assert_eq(total, 3 * rules, "%s", err);
	same_file(cold, warm);
	cr_assert_eq(run("-p", db, "-l", "coccinelle", "--rule",
			 "use_after_free", "--plugin", plugin, "--root", dir,
			 "--no-cache", "-o", none),
		     1, "%s", err);
	same_file(cold, none);
	/* One unit changes: each rule runs again over that unit alone. */
	snprintf(cmd, sizeof(cmd), "echo 'int touched;' >> %s/u1.c", dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(run("-p", db, "-l", "coccinelle", "--rule",
			 "use_after_free", "--plugin", plugin, "--root", dir,
			 "-o", warm),
		     1, "%s", err);
	cache_counts(&hits, &total);
	cr_assert_eq(hits, 2 * rules, "%s", err);
	cr_assert_eq(total, 3 * rules, "%s", err);
	same_file(cold, warm);
}

Test(gate, ninja_file_runs_the_jobs_and_merges_the_same_log)
{
	const char *db = compdb_copies("address_mix.c");
	char nj[400], direct[400], merged[400], cmd[1200];

	snprintf(nj, sizeof(nj), "%s/check jobs.ninja", dir);
	snprintf(direct, sizeof(direct), "%s/direct.sarif", dir);
	snprintf(merged, sizeof(merged), "%s/merged.sarif", dir);
	cr_assert_eq(run("-p", db, "-l", "sparse", "--root", dir, "--no-cache",
			 "-o", direct),
		     1, "%s", err);
	cr_assert_eq(run("-p", db, "-l", "sparse", "--root", dir, "-o", merged,
			 "--ninja", nj),
		     0, "%s", err);
	cr_assert(strstr(err, "3 jobs"), "%s", err);
	cr_assert_eq(access(merged, F_OK), -1, "--ninja ran the jobs");
	/* ninja fails the merge edge as the run would: exit 1, new findings. */
	snprintf(cmd, sizeof(cmd), "ninja -f '%s' >'%s/ninja.out' 2>&1", nj,
		 dir);
	cr_assert_neq(system(cmd), 0);
	same_file(direct, merged);
}

Test(gate, progress_line_on_a_terminal)
{
	char cmd[1600], path[400];
	int status;

	/* script(1) gives gpuown-check a terminal for stderr. */
	snprintf(path, sizeof(path), "%s/tty.out", dir);
	snprintf(cmd, sizeof(cmd),
		 "script -qec \"'%s' -p '%s' -l sparse\" /dev/null >'%s' 2>&1",
		 getenv("GPUOWN_CHECK"), compdb_n("address_mix.c", 2), path);
	status = system(cmd);
	slurp(path, out, sizeof(out));
	cr_assert_eq(WEXITSTATUS(status), 1, "%s: %s", cmd, out);
	cr_assert(strstr(out, "\r\033[K[0/2] 0 findings, 0s"), "%s", out);
	cr_assert(strstr(out, "[2/2] 2 findings, "), "%s", out);
}

/* The pool's deadline is the per-file timeout times the files a job covers. */
Test(gate, timeout_is_per_file)
{
	char *slow[] = {"sleep", "2", NULL};
	struct job *a = job_new(slow, NULL, NULL),
		   *b = job_new(slow, NULL, NULL);
	struct job *jobs[] = {a, b};

	a->nr_files = 3; /* 3 s for its 2 s */
	b->nr_files = 1; /* 1 s: killed */
	cr_assert_eq(jobs_run(jobs, 2, 2, 1, tmp, NULL, NULL), 0);
	cr_assert_not(a->timed_out);
	cr_assert_eq(a->status, 0);
	cr_assert(b->timed_out);
	job_free(a);
	job_free(b);
}
