// SPDX-License-Identifier: MIT
/*
 * The merged SARIF log as code-scanning services read it: encoded URIs,
 * artifacts matching every location (codeFlows included), rule metadata and
 * levels, the per-run result cap; fingerprints that ignore line numbers in
 * messages; compile-database commands made safe for clang.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compdb.h"
#include "sarif.h"

/* sarif.c takes its layers by pointer; these two stand in for the real ones. */
static const struct layer fake_analyzer = {.name = "analyzer",
					   .tool = "clang-analyzer-gpuown"};
static const struct layer fake_sparse = {.name = "sparse", .tool = "sparse"};

Test(sarif, uris_are_percent_encoded)
{
	char *s = sarif_uri_encode("dir with space/caf\xc3\xa9/a#b.c");

	cr_assert_str_eq(s, "dir%20with%20space/caf%C3%A9/a%23b.c");
	free(s);
}

static struct json_object *write_and_read(const struct findings *f,
					  const struct notices *n, int max)
{
	const struct layer *layers[] = {&fake_analyzer, &fake_sparse};
	struct sarif_opts o = {.root = "/src/my tree",
			       .help_base = "https://example.org/rules.md",
			       .max_results = max};
	char path[] = "/tmp/gpuown-sarif-XXXXXX";
	struct json_object *log;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(sarif_write(path, f, n, layers, 2, &o), 0);
	log = json_object_from_file(path);
	unlink(path);
	cr_assert_not_null(log);
	return log;
}

static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save)) {
		if (tok[0] >= '0' && tok[0] <= '9')
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else
			o = json_object_object_get(o, tok);
	}
	cr_assert_not_null(o, "%s", path);
	return o;
}

static const char *str(struct json_object *o, const char *path)
{
	return json_object_get_string(get(o, path));
}

Test(sarif, artifacts_cover_results_and_code_flows)
{
	struct findings f = {0};
	struct json_object *clang = json_tokener_parse(
		"{\"codeFlows\":[{\"threadFlows\":[{\"locations\":["
		"{\"location\":{\"physicalLocation\":{\"artifactLocation\":"
		"{\"uri\":\"file:///src/my%20tree/"
		"h\\u00e9ader.h\",\"index\":7},"
		"\"region\":{\"startLine\":3}},\"message\":{\"text\":\"freed\"}"
		"}},"
		"{\"location\":{\"physicalLocation\":{\"artifactLocation\":"
		"{\"uri\":\"file:///src/my%20tree/a b.c\",\"index\":0},"
		"\"region\":{\"startLine\":9}}}}]}]}]}");
	struct json_object *log, *run, *arts;

	cr_assert_not_null(clang);
	cr_assert_eq(findings_add(&f, "analyzer", "gpuown.Lifetime",
				  "/src/my tree/a b.c", 9, 2,
				  "Use of a freed object", clang),
		     0);
	findings_finish(&f, "/src/my tree");
	log = write_and_read(&f, NULL, 0);
	run = get(log, "runs.0");
	cr_assert_str_eq(str(run, "results.0.locations.0.physicalLocation."
				  "artifactLocation.uri"),
			 "a%20b.c");
	cr_assert_str_eq(str(run, "originalUriBaseIds.SRCROOT.uri"),
			 "file:///src/my%20tree/");
	arts = get(run, "artifacts");
	cr_assert_eq(json_object_array_length(arts), 2);
	cr_assert_str_eq(str(arts, "0.location.uri"), "a%20b.c");
	cr_assert_str_eq(str(arts, "1.location.uri"), "h%C3%A9ader.h");
	/* The flow's locations now index this run's artifacts, not clang's. */
	cr_assert_eq(
		json_object_get_int(get(
			run,
			"results.0.codeFlows.0.threadFlows.0.locations.0."
			"location.physicalLocation.artifactLocation.index")),
		1);
	cr_assert_eq(
		json_object_get_int(get(
			run,
			"results.0.codeFlows.0.threadFlows.0.locations.1."
			"location.physicalLocation.artifactLocation.index")),
		0);
	/* Rule metadata, level and tool version. */
	cr_assert_str_eq(str(run, "results.0.level"), "error");
	cr_assert_eq(json_object_get_int(get(run, "results.0.ruleIndex")), 0);
	cr_assert(
		strlen(str(run, "tool.driver.rules.0.shortDescription.text")) >
		10);
	cr_assert(strlen(str(run, "tool.driver.rules.0.fullDescription.text")) >
		  10);
	cr_assert_str_eq(str(run, "tool.driver.rules.0.helpUri"),
			 "https://example.org/rules.md#lifetime");
	cr_assert_str_eq(
		str(run, "tool.driver.rules.0.defaultConfiguration.level"),
		"error");
	cr_assert(strlen(str(run, "tool.driver.version")) > 0);
	json_object_put(log);
	findings_free(&f);
}

Test(sarif, runs_are_capped_with_a_notice)
{
	struct findings f = {0};
	struct json_object *log, *run;
	char msg[64];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(msg, sizeof(msg), "finding %d", i);
		findings_add(&f, "sparse", "sparse.bitwise", "/src/my tree/x.c",
			     i + 1, 1, msg, NULL);
	}
	findings_finish(&f, "/src/my tree");
	f.v[4].is_new = 1; /* the others known: the new one must be kept */
	for (i = 0; i < 4; i++)
		f.v[i].is_new = 0;
	log = write_and_read(&f, NULL, 3);
	run = get(log, "runs.1");
	cr_assert_eq(json_object_array_length(get(run, "results")), 3);
	cr_assert_str_eq(str(run, "results.2.message.text"), "finding 4");
	cr_assert(strstr(
		str(run,
		    "invocations.0.toolExecutionNotifications.0.message.text"),
		"2 results left out: a run holds at most 3"));
	cr_assert_str_eq(str(run, "results.0.level"), "warning");
	json_object_put(log);
	findings_free(&f);
}

Test(sarif, notices_are_tool_execution_notifications)
{
	struct findings f = {0};
	struct notices n = {0};
	struct json_object *log, *run;

	notices_add(&n, "analyzer", "timeout", "/src/my tree/slow.c",
		    "analyzer timed out: unit not analysed");
	log = write_and_read(&f, &n, 0);
	run = get(log, "runs.0");
	cr_assert_eq(json_object_get_boolean(
			     get(run, "invocations.0.executionSuccessful")),
		     0);
	cr_assert_str_eq(
		str(run,
		    "invocations.0.toolExecutionNotifications.0.descriptor.id"),
		"timeout");
	cr_assert_str_eq(
		str(run, "invocations.0.toolExecutionNotifications.0.locations."
			 "0.physicalLocation.artifactLocation.uri"),
		"slow.c");
	cr_assert_eq(json_object_get_boolean(get(
			     log, "runs.1.invocations.0.executionSuccessful")),
		     1);
	json_object_put(log);
	notices_free(&n);
}

Test(sarif, fingerprint_ignores_line_numbers_in_messages)
{
	struct findings f = {0};

	/* The same finding after two lines were added above both places. */
	findings_add(&f, "coccinelle", "cocci.use_after_free",
		     "/nonexistent/a.c", 10, 1, "use of obj freed on line 7",
		     NULL);
	findings_add(&f, "coccinelle", "cocci.use_after_free",
		     "/nonexistent/a.c", 12, 1, "use of obj freed on line 9",
		     NULL);
	findings_add(&f, "coccinelle", "cocci.use_after_free",
		     "/nonexistent/a.c", 14, 1, "use of obj freed at a.c:11",
		     NULL);
	findings_add(&f, "coccinelle", "cocci.use_after_free",
		     "/nonexistent/a.c", 16, 1, "use of obj freed at a.c:13",
		     NULL);
	findings_finish(&f, "/nonexistent");
	cr_assert_str_eq(f.v[0].fingerprint, f.v[1].fingerprint);
	cr_assert_str_eq(f.v[2].fingerprint, f.v[3].fingerprint);
	cr_assert_str_neq(f.v[0].fingerprint, f.v[2].fingerprint);
	findings_free(&f);
}

static char dbpath[] = "/tmp/gpuown-compdb-flags-XXXXXX";

static void load(const char *text, struct compdb *db)
{
	char err[512];
	int fd = mkstemp(dbpath);
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	cr_assert_eq(compdb_load(dbpath, db, err, sizeof(err)), 0, "%s", err);
	unlink(dbpath);
	memcpy(dbpath + strlen(dbpath) - 6, "XXXXXX", 6);
}

static int has(const struct compdb_entry *e, const char *a)
{
	int i;

	for (i = 0; i < e->argc; i++)
		if (!strcmp(e->argv[i], a))
			return 1;
	return 0;
}

Test(compdb_flags, gcc_kernel_flags_and_launchers)
{
	struct compdb db;

	load("[{\"directory\":\"/k\",\"file\":\"a.c\",\"command\":"
	     "\"ccache gcc -Iinclude -fconserve-stack -mrecord-mcount "
	     "-mindirect-branch=thunk-extern -mindirect-branch-register "
	     "-mfunction-return=thunk-extern -fno-allow-store-data-races "
	     "--param=allow-store-data-races=0 -O2 -c a.c\"},"
	     "{\"directory\":\"/k\",\"file\":\"b.c\",\"arguments\":"
	     "[\"/usr/bin/distcc\",\"cc\",\"-DX\",\"-c\",\"b.c\"]}]",
	     &db);
	cr_assert_str_eq(db.entries[0].argv[0], "gcc");
	cr_assert_eq(db.entries[0].argc, 5, "%d", db.entries[0].argc);
	cr_assert(has(&db.entries[0], "-Iinclude") &&
		  has(&db.entries[0], "-O2"));
	cr_assert_not(has(&db.entries[0], "-fconserve-stack"));
	cr_assert_not(has(&db.entries[0], "-mrecord-mcount"));
	cr_assert_str_eq(db.entries[1].argv[0], "cc");
	cr_assert_eq(db.stripped.nr, 0);
	compdb_free(&db);
}

Test(compdb_flags, every_code_loading_flag_is_stripped)
{
	struct compdb db;

	load("[{\"directory\":\"/k\",\"file\":\"a.c\",\"arguments\":[\"clang\","
	     "\"-fplugin=/x/p.so\",\"-fplugin-arg-p-k=v\",\"-fpass-plugin=/x/"
	     "q.so\","
	     "\"-Xclang\",\"-load\",\"-Xclang\",\"/x/r.so\","
	     "\"-Xclang\",\"-load=/x/s.so\",\"-load\",\"/x/t.so\","
	     "\"-Xclang\",\"-add-plugin\",\"-Xclang\",\"evil\","
	     "\"-Xclang\",\"-plugin-arg-evil\",\"-mllvm\",\"-load=/x/u.so\","
	     "\"-B\",\"/x/bin\",\"-B/x/bin2\",\"-specs=/x/specs\","
	     "\"-I/ok\",\"-c\",\"a.c\"]}]",
	     &db);
	cr_assert_eq(db.entries[0].argc, 4, "%d", db.entries[0].argc);
	cr_assert_str_eq(db.entries[0].argv[1], "-I/ok");
	cr_assert_eq(db.stripped.nr, 12, "%zu", db.stripped.nr);
	cr_assert_str_eq(db.stripped.v[3],
			 "/k/a.c: -Xclang -load -Xclang /x/r.so");
	cr_assert_str_eq(db.stripped.v[5], "/k/a.c: -load /x/t.so");
	compdb_free(&db);
}
