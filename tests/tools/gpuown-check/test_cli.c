// SPDX-License-Identifier: MIT
/*
 * gpuown-check end to end, through the sparse layer (always installed):
 * findings, exit codes, merged SARIF, baselines and bad input.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/gpuown-check-test-XXXXXX";
static char out[8192], err[8192];

static void setup(void)
{
	char cache[300];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	setenv("XDG_CACHE_HOME", cache, 1);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(cli, .init = setup, .fini = teardown);

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Run gpuown-check with @args (NULL-terminated); capture both streams. */
static int run(const char *const *args)
{
	char o[300], e[300];
	const char *argv[32];
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
		/* No compile_commands.json above: the -p default finds none. */
		cr_assert_eq(chdir(dir), 0);
		cr_assert(freopen(o, "w", stdout));
		cr_assert(freopen(e, "w", stderr));
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	slurp(o, out, sizeof(out));
	slurp(e, err, sizeof(err));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A one-unit compile database for data/@file; returns its path. */
static const char *compdb_for(const char *file)
{
	static char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
	f = fopen(path, "w");
	fprintf(f,
		"[{\"directory\":\"%s\",\"file\":\"%s\","
		"\"arguments\":[\"clang-14\",\"-I%s\",\"-I%s\",\"-c\",\"%s\"]}]"
		"\n",
		getenv("GPUOWN_CHECK_DATA"), file, getenv("GPUOWN_ANNOTATIONS"),
		getenv("GPUOWN_RUNTIME_INCLUDE"), file);
	fclose(f);
	return path;
}

Test(cli, reports_a_sparse_finding_and_fails)
{
	cr_assert_eq(run((const char *[]){"-p", compdb_for("address_mix.c"),
					  "-l", "sparse", NULL}),
		     1, "%s", err);
	cr_assert(strstr(out, "address_mix.c:4:50: warning: incorrect type in "
			      "return expression "
			      "(different base types); expected restricted "
			      "gpu_addr_t; "
			      "got unsigned long long x [sparse.bitwise]\n"),
		  "stdout: %s", out);
	cr_assert(strstr(err, "1 units, 1 findings (1 new)"), "%s", err);
}

Test(cli, clean_unit_exits_zero)
{
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"), "-l",
					  "sparse", NULL}),
		     0, "%s%s", out, err);
	cr_assert_str_eq(out, "");
}

static struct json_object *first_result(const char *sarif)
{
	struct json_object *log = json_object_from_file(sarif), *runs, *res;

	cr_assert_not_null(log, "SARIF not JSON");
	cr_assert(json_object_object_get_ex(log, "runs", &runs));
	cr_assert_eq(json_object_array_length(runs), 1);
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(runs, 0),
					    "results", &res));
	cr_assert_eq(json_object_array_length(res), 1);
	res = json_object_get(json_object_array_get_idx(res, 0));
	json_object_put(log);
	return res;
}

Test(cli, sarif_has_rule_location_and_fingerprint)
{
	char sarif[300];
	struct json_object *r, *v;

	snprintf(sarif, sizeof(sarif), "%s/out.sarif", dir);
	run((const char *[]){"-p", compdb_for("address_mix.c"), "-l", "sparse",
			     "-o", sarif, "--root", getenv("GPUOWN_CHECK_DATA"),
			     NULL});
	r = first_result(sarif);
	cr_assert(json_object_object_get_ex(r, "ruleId", &v));
	cr_assert_str_eq(json_object_get_string(v), "sparse.bitwise");
	v = json_object_object_get(r, "locations");
	v = json_object_object_get(json_object_array_get_idx(v, 0),
				   "physicalLocation");
	cr_assert_str_eq(
		json_object_get_string(json_object_object_get(
			json_object_object_get(v, "artifactLocation"), "uri")),
		"address_mix.c");
	cr_assert_eq(json_object_get_int(json_object_object_get(
			     json_object_object_get(v, "region"), "startLine")),
		     4);
	v = json_object_object_get(r, "partialFingerprints");
	cr_assert_eq(strlen(json_object_get_string(
			     json_object_object_get(v, "gpuown/v1"))),
		     16);
	json_object_put(r);
}

Test(cli, baseline_makes_known_findings_pass)
{
	char sarif[300];

	snprintf(sarif, sizeof(sarif), "%s/base.sarif", dir);
	cr_assert_eq(run((const char *[]){"-p", compdb_for("address_mix.c"),
					  "-l", "sparse", "-o", sarif, NULL}),
		     1);
	cr_assert_eq(
		run((const char *[]){"-p", compdb_for("address_mix.c"), "-l",
				     "sparse", "--baseline", sarif, NULL}),
		0, "%s", err);
	cr_assert(strstr(out, "[sparse.bitwise] (known)"), "%s", out);
	cr_assert(strstr(err, "1 findings (0 new)"), "%s", err);
}

Test(cli, broken_database_is_an_error_naming_it)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/broken.json", dir);
	f = fopen(path, "w");
	fputs("[{\"directory\": 3}]", f);
	fclose(f);
	cr_assert_eq(run((const char *[]){"-p", path, NULL}), 2);
	cr_assert(strstr(err, "broken.json: entry 0 lacks a string "
			      "\"directory\" member"),
		  "%s", err);
}

Test(cli, bad_options_are_errors)
{
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"), "-l",
					  "lint", NULL}),
		     2);
	cr_assert(strstr(err, "unknown layer 'lint'"), "%s", err);
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"), "-j",
					  "zero", NULL}),
		     2);
	cr_assert(strstr(err, "--jobs wants a positive number, got 'zero'"),
		  "%s", err);
	unlink(compdb_for("clean.c")); /* none in the folder it runs in */
	cr_assert_eq(run((const char *[]){"-l", "sparse", NULL}), 2);
	cr_assert(strstr(err,
			 "no -p, and no compile_commands.json in . or above"),
		  "%s", err);
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"),
					  "--analyzer-config", "mode", NULL}),
		     2);
	cr_assert(strstr(err, "--analyzer-config wants KEY=VALUE, got 'mode'"),
		  "%s", err);
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"),
					  "-Xclang", NULL}),
		     2);
	cr_assert(strstr(err, "-Xclang needs an argument"), "%s", err);
}

Test(cli, missing_plugin_is_named)
{
	cr_assert_eq(
		run((const char *[]){"-p", compdb_for("clean.c"), "-l",
				     "analyzer", "--plugin",
				     "/nonexistent/GpuownAnalyzer.so", NULL}),
		2);
	cr_assert(strstr(err, "analyzer plugin /nonexistent/GpuownAnalyzer.so: "
			      "No such file or directory"),
		  "%s", err);
}

Test(cli, path_filter_matching_nothing_is_an_error)
{
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"), "-l",
					  "sparse", "/nonexistent", NULL}),
		     2);
	cr_assert(
		strstr(err, "no compile-database entry under the given paths"),
		"%s", err);
}

/* The two other layers on one seeded bug: each names it with its own rule. */
Test(cli, analyzer_layer_reports_use_after_free)
{
	const char *plugin = getenv("GPUOWN_CHECK_PLUGIN");

	if (!plugin || !*plugin)
		cr_skip_test("the analyzer plugin is not built");
	cr_assert_eq(
		run((const char *[]){"-p", compdb_for("use_after_free.c"), "-l",
				     "analyzer", "--plugin", plugin, NULL}),
		1, "%s%s", out, err);
	cr_assert(strstr(out, "use_after_free.c:15:") &&
			  strstr(out, "[gpuown.Lifetime]"),
		  "stdout: %s", out);
}

Test(cli, coccinelle_layer_reports_use_after_free)
{
	cr_assert_eq(run((const char *[]){"-p", compdb_for("use_after_free.c"),
					  "-l", "coccinelle", NULL}),
		     1, "%s%s", out, err);
	cr_assert(strstr(out, "use_after_free.c:15:") &&
			  strstr(out, "[cocci.use_after_free]"),
		  "stdout: %s", out);
}

Test(cli, missing_coccinelle_profile_is_named)
{
	cr_assert_eq(run((const char *[]){"-p", compdb_for("clean.c"), "-l",
					  "coccinelle", "--cocci-profile",
					  "/nonexistent/drv.conf", NULL}),
		     2);
	cr_assert(strstr(err, "Coccinelle profile /nonexistent/drv.conf: No "
			      "such file or directory"),
		  "%s", err);
}

/*
 * A profile: a driver written with no knowledge of gpuown is checked once its
 * own functions are re-declared with annotations in a header; unchanged
 * without it.
 */
Test(cli, profile_brings_a_foreign_driver_under_the_checkers)
{
	const char *plugin = getenv("GPUOWN_CHECK_PLUGIN");
	char profile[512];

	if (!plugin || !*plugin)
		cr_skip_test("the analyzer plugin is not built");
	snprintf(profile, sizeof(profile), "%s/foreign/pfx-profile.h",
		 getenv("GPUOWN_CHECK_DATA"));
	cr_assert_eq(run((const char *[]){"-p", compdb_for("foreign/pfx_job.c"),
					  "-l", "analyzer", "--plugin", plugin,
					  NULL}),
		     0, "%s%s", out, err);
	cr_assert_eq(run((const char *[]){"-p", compdb_for("foreign/pfx_job.c"),
					  "-l", "analyzer", "--plugin", plugin,
					  "--profile", profile, NULL}),
		     1, "%s%s", out, err);
	cr_assert(strstr(out,
			 "pfx_job.c:12:9: warning: Read of a freed GPU object "
			 "through its handle [gpuown.Lifetime]"),
		  "stdout: %s", out);
}

Test(cli, a_layer_named_twice_runs_once)
{
	cr_assert_eq(run((const char *[]){
			     "-p", compdb_for("address_mix.c"), "-l",
			     "sparse,sparse,sparse,sparse,sparse,sparse,"
			     "sparse,sparse,sparse,sparse,sparse,sparse,sparse",
			     NULL}),
		     1, "%s", err);
	cr_assert(strstr(err, "1 units, 1 findings (1 new)"), "%s", err);
}

/*
 * A kernel-shaped unit: its command force-includes the header defining u32,
 * the profile uses u32 (so it must come after), finds the annotations through
 * -I and needs a -D; analyzer options pass through to clang -cc1.
 */
static const char *kernel_compdb(void)
{
	static char path[300];
	const char *data = getenv("GPUOWN_CHECK_DATA");
	FILE *f;

	snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
	f = fopen(path, "w");
	fprintf(f,
		"[{\"directory\":\"%s/kernel\",\"file\":\"kbo_user.c\","
		"\"arguments\":[\"clang\",\"-include\",\"./ktypes.h\","
		"\"-c\",\"-o\",\"kbo_user.o\",\"kbo_user.c\"]}]\n",
		data);
	fclose(f);
	return path;
}

Test(cli, profile_after_the_units_forced_includes_with_I_and_D)
{
	const char *plugin = getenv("GPUOWN_CHECK_PLUGIN");
	char profile[512], inc[512];

	if (!plugin || !*plugin)
		cr_skip_test("the analyzer plugin is not built");
	snprintf(profile, sizeof(profile), "%s/kernel/kbo-profile.h",
		 getenv("GPUOWN_CHECK_DATA"));
	snprintf(inc, sizeof(inc), "%s", getenv("GPUOWN_ANNOTATIONS"));
	cr_assert_eq(run((const char *[]){
			     "-p", kernel_compdb(), "-l", "analyzer",
			     "--plugin", plugin, "--profile", profile, "-I",
			     inc, "-D", "KBO_PROFILE", "--analyzer-config",
			     "ipa-always-inline-size=3", "-Xclang",
			     "-analyzer-max-loop", "-Xclang", "4", NULL}),
		     1, "%s%s", out, err);
	cr_assert(strstr(out,
			 "kbo_user.c:13:9: warning: Read of a freed GPU object "
			 "through its handle [gpuown.Lifetime]"),
		  "stdout: %s", out);
	/*
	 * Without -D the profile's #error stops the unit: a notice naming it
	 * (unparsable), which --fail-on-notice makes fail the run.
	 */
	cr_assert_eq(
		run((const char *[]){"-p", kernel_compdb(), "-l", "analyzer",
				     "--plugin", plugin, "--profile", profile,
				     "-I", inc, "--fail-on-notice", NULL}),
		1, "%s%s", out, err);
	cr_assert(strstr(err, "[analyzer.unparsable]"), "%s", err);
	cr_assert(strstr(err, "KBO_PROFILE is defined with gpuown-check -D"),
		  "%s", err);
}
