// SPDX-License-Identifier: MIT
/* Loading compile databases: good ones, and broken ones named precisely. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "compdb.h"

static char path[] = "/tmp/gpuown-compdb-XXXXXX";

static const char *write_db(const char *text)
{
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

static void cleanup(void)
{
	unlink(path);
}

TestSuite(compdb, .fini = cleanup);

Test(compdb, loads_command_and_arguments_forms)
{
	struct compdb db;
	char err[512];

	write_db("[{\"directory\":\"/src\",\"file\":\"a.c\","
		 "\"command\":\"cc -I inc -DX='1 2' -c a.c\"},"
		 "{\"directory\":\"/src\",\"file\":\"/abs/b.c\","
		 "\"arguments\":[\"cc\",\"-c\",\"/abs/b.c\"]}]");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db.nr, 2);
	cr_assert_str_eq(db.entries[0].file, "/src/a.c");
	cr_assert_eq(db.entries[0].argc, 6);
	cr_assert_str_eq(db.entries[0].argv[3], "-DX=1 2");
	cr_assert_str_eq(db.entries[1].file, "/abs/b.c");
	compdb_free(&db);
}

Test(compdb, never_runs_command_substitution)
{
	struct compdb db;
	char err[512];

	write_db("[{\"directory\":\"/\",\"file\":\"a.c\","
		 "\"command\":\"cc $(touch /tmp/gpuown-pwned) a.c\"}]");
	cr_assert_neq(compdb_load(path, &db, err, sizeof(err)), 0);
	cr_assert(access("/tmp/gpuown-pwned", F_OK) != 0);
	cr_assert(strstr(err, "entry 0 (a.c): unusable compile command"), "%s",
		  err);
}

Test(compdb, truncated_json_names_file_and_line)
{
	struct compdb db;
	char err[512], want[600];

	write_db("[\n{\"directory\":\"/\",\n");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:3: not valid JSON: unexpected end of file (truncated?)",
		 path);
	cr_assert_str_eq(err, want);
}

Test(compdb, missing_member_names_entry)
{
	struct compdb db;
	char err[512], want[600];

	write_db("[{\"directory\":\"/\",\"file\":\"a.c\",\"command\":\"cc a.c\"},"
		 "{\"directory\":\"/\",\"command\":\"cc b.c\"}]");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s: entry 1 lacks a string \"file\" member", path);
	cr_assert_str_eq(err, want);
}

Test(compdb, not_an_array)
{
	struct compdb db;
	char err[512];

	write_db("{\"directory\":\"/\"}");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "top level is not an array of entries"), "%s",
		  err);
}

Test(compdb, no_command_at_all)
{
	struct compdb db;
	char err[512];

	write_db("[{\"directory\":\"/\",\"file\":\"a.c\"}]");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "entry 0 (a.c) has neither \"arguments\" nor \"command\""),
		  "%s", err);
}

Test(compdb, preproc_args_keep_only_preprocessor_flags)
{
	struct compdb db;
	char err[512], **v;
	int n;

	write_db("[{\"directory\":\"/\",\"file\":\"a.c\",\"arguments\":"
		 "[\"cc\",\"-O2\",\"-I\",\"inc\",\"-Idir\",\"-DA=1\",\"-fsanitize=address\","
		 "\"-include\",\"h.h\",\"-std=gnu11\",\"-c\",\"a.c\"]}]");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(compdb_preproc_args(&db.entries[0], &v, &n), 0);
	cr_assert_eq(n, 7);
	cr_assert_str_eq(v[0], "-I");
	cr_assert_str_eq(v[1], "inc");
	cr_assert_str_eq(v[2], "-Idir");
	cr_assert_str_eq(v[3], "-DA=1");
	cr_assert_str_eq(v[4], "-include");
	cr_assert_str_eq(v[6], "-std=gnu11");
	free(v);
	compdb_free(&db);
}

Test(compdb, filter_by_path_prefix)
{
	struct compdb db;
	char err[512];
	char *prefixes[] = { "/src/driver" };

	write_db("[{\"directory\":\"/src\",\"file\":\"driver/a.c\",\"command\":\"cc a.c\"},"
		 "{\"directory\":\"/src\",\"file\":\"driverx/b.c\",\"command\":\"cc b.c\"},"
		 "{\"directory\":\"/src\",\"file\":\"runtime/c.c\",\"command\":\"cc c.c\"}]");
	cr_assert_eq(compdb_load(path, &db, err, sizeof(err)), 0, "%s", err);
	compdb_filter(&db, prefixes, 1);
	cr_assert_eq(db.nr, 1);
	cr_assert_str_eq(db.entries[0].file, "/src/driver/a.c");
	compdb_free(&db);
}
