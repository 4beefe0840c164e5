// SPDX-License-Identifier: MIT
/*
 * The rule set as one semantic patch: what two rules could both define is
 * renamed apart, references follow, reports keep their rule.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cocci_merge.h"

static const char rule_a[] =
	"// SPDX-License-Identifier: MIT\n"
	"/// Rule a.\n"
	"virtual report\n"
	"virtual gpuown_opt_a\n"
	"\n"
	"@initialize:python@\n"
	"@@\n"
	"def expr(e):\n"
	"\treturn str(e)\n"
	"def mark(*positions):\n"
	"\tpass\n"
	"ONLY_A = 1\n"
	"\n"
	"@r exists@\n"
	"identifier gf : script:python () { gf in ONLY_A };\n"
	"position p;\n"
	"@@\n"
	"gf@p(...);\n"
	"\n"
	"@script:python depends on report && r@\n"
	"p << r.p;\n"
	"gf << r.gf;\n"
	"@@\n"
	"coccilib.report.print_report(p[0], \"a: %s\" % expr(gf))\n";

static const char rule_b[] =
	"// SPDX-License-Identifier: MIT\n"
	"virtual report\n"
	"\n"
	"@initialize:python@\n"
	"@@\n"
	"def expr(e):\n"
	"\treturn str(e).strip()\n"
	"\n"
	"@r@\n"
	"identifier gf = {g};\n"
	"position p;\n"
	"@@\n"
	"gf@p(...);\n"
	"\n"
	"@script:python@\n"
	"p << r.p;\n"
	"gf << r.gf;\n"
	"mark << r.gf;\n"
	"@@\n"
	"coccilib.report.print_report(p[0], \"b: %s\" % expr(gf))\n";

static char *merge(void)
{
	const char *rules[] = {"a", "b"}, *texts[] = {rule_a, rule_b};
	char *out = NULL;

	cr_assert_eq(cocci_merge(rules, texts, 2, &out), 0);
	cr_assert_not_null(out);
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

Test(cocci_merge, rule_names_and_their_references_are_renamed_apart)
{
	char *out = merge();

	cr_assert(strstr(out, "\n@a__r exists@\n"), "%s", out);
	cr_assert(strstr(out, "\n@b__r@\n"), "%s", out);
	cr_assert(strstr(out, "@script:python depends on report && a__r@"),
		  "%s", out);
	cr_assert(strstr(out, "p << a__r.p;"), "%s", out);
	cr_assert(strstr(out, "p << b__r.p;"), "%s", out);
	free(out);
}

Test(cocci_merge, virtual_rules_are_declared_once)
{
	char *out = merge();

	cr_assert_eq(count(out, "virtual report\n"), 1, "%s", out);
	cr_assert_eq(count(out, "virtual gpuown_opt_a\n"), 1, "%s", out);
	free(out);
}

Test(cocci_merge, every_python_global_gets_the_rule_prefix)
{
	char *out = merge();

	/* The rules share one interpreter: b's binding "mark << r.gf" would
	 * rebind a's function mark() to a string, so a's globals are a's. */
	cr_assert(strstr(out, "def a__expr(e):"), "%s", out);
	cr_assert(strstr(out, "def b__expr(e):"), "%s", out);
	cr_assert(strstr(out, "\"a: %s\" % a__expr("), "%s", out);
	cr_assert(strstr(out, "def a__mark("), "%s", out);
	cr_assert(strstr(out, "a__ONLY_A = 1"), "%s", out);
	cr_assert(strstr(out, "mark << b__r.gf;"), "%s", out);
	cr_assert_null(strstr(out, "def mark("), "%s", out);
	free(out);
}

Test(cocci_merge, constrained_metavariables_are_the_rules_own)
{
	char *out = merge();

	/* a's gf carries a script constraint: spatch would take every later
	 * gf for it, so a's are renamed, b's stay. */
	cr_assert(strstr(out, "identifier a__gf : script:python () { a__gf in "
			      "a__ONLY_A };"),
		  "%s", out);
	cr_assert(strstr(out, "a__gf@p(...);"), "%s", out);
	cr_assert(strstr(out, "gf << a__r.a__gf;"), "%s", out);
	cr_assert(strstr(out, "identifier gf = {g};"), "%s", out);
	cr_assert(strstr(out, "gf << b__r.gf;"), "%s", out);
	free(out);
}

Test(cocci_merge, reports_name_their_rule)
{
	char *out = merge();

	cr_assert(strstr(out, "def gpuown_report__(rule, p, msg):"), "%s", out);
	cr_assert(strstr(out, "gpuown_report__(\"a\", p[0], \"a: %s\""), "%s",
		  out);
	cr_assert(strstr(out, "gpuown_report__(\"b\", p[0], \"b: %s\""), "%s",
		  out);
	cr_assert_eq(count(out, "coccilib.report.print_report("), 1, "%s", out);
	free(out);
}

/* Rule c: a root rule with a dependency, one that inherits, one without. */
static const char rule_c[] = "// SPDX-License-Identifier: MIT\n"
			     "virtual report\n"
			     "virtual context\n"
			     "\n"
			     "@put depends on !context@\n"
			     "expression O;\n"
			     "position p;\n"
			     "@@\n"
			     "put@p(O)\n"
			     "\n"
			     "@use exists@\n"
			     "expression put.O;\n"
			     "position put.p, p2;\n"
			     "@@\n"
			     "put@p(...)\n"
			     "...\n"
			     "O@p2\n"
			     "\n"
			     "@plain disable drop_cast@\n"
			     "@@\n"
			     "put(...)\n";

static char *merge_scoped(const char *const *files, size_t nr)
{
	const char *rules[] = {"b", "c"}, *texts[] = {rule_b, rule_c};
	struct cocci_merge_scope scopes[] = {{NULL, 0}, {files, nr}};
	char *out = NULL;

	cr_assert_eq(cocci_merge_scoped(rules, texts, scopes, 2, &out), 0);
	cr_assert_not_null(out);
	return out;
}

Test(cocci_merge, a_scoped_rule_sees_only_its_own_files)
{
	const char *files[] = {"drivers/x/put.c", "drivers/x/b.c"};
	char *out = merge_scoped(files, 2);

	/* Rule and file names alike ("put"): the paths are not renamed. */
	cr_assert(strstr(out, "\n@c__put depends on (!context) && "
			      "(file in \"drivers/x/put.c\" || "
			      "file in \"drivers/x/b.c\")@\n"),
		  "%s", out);
	cr_assert(strstr(out, "\n@c__plain depends on (file in "
			      "\"drivers/x/put.c\" || file in "
			      "\"drivers/x/b.c\") disable drop_cast@\n"),
		  "%s", out);
	/* Inheriting put's metavariables, use runs only where put matched. */
	cr_assert(strstr(out, "\n@c__use exists@\n"), "%s", out);
	/* b has no scope: as cocci_merge() writes it. */
	cr_assert(strstr(out, "\n@b__r@\n"), "%s", out);
	free(out);
}

Test(cocci_merge, a_path_spatch_would_misread_leaves_the_rule_unscoped)
{
	const char *files[] = {"drivers/x/a.c", "drivers/x/we\"ird.c"};
	char *out = merge_scoped(files, 2);

	cr_assert(strstr(out, "\n@c__put depends on !context@\n"), "%s", out);
	cr_assert_null(strstr(out, "file in"), "%s", out);
	free(out);
}

Test(cocci_merge, one_pass_pays_on_few_files_or_shared_files)
{
	/* A few files per job: the start-up dominates. */
	cr_assert(cocci_merge_pays(16, 16, 2));
	/* Many files, each parsed for two rules or more on average. */
	cr_assert(cocci_merge_pays(90, 328, 2));
	/* Many files the rules hardly share: one spatch per rule. */
	cr_assert_not(cocci_merge_pays(90, 120, 2));
	cr_assert(cocci_merge_pays(8, 9, 0));
}

Test(cocci_merge, the_jobs_get_about_as_many_bytes)
{
	char dir[] = "/tmp/gpuown-balance-XXXXXX", path[64];
	char *files[] = {"a.c", "b.c", "c.c", "d.c", "e.c"};
	const size_t sizes[] = {100, 500, 300, 400, 200};
	size_t k;

	cr_assert_not_null(mkdtemp(dir));
	for (k = 0; k < 5; k++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		for (size_t i = 0; i < sizes[k]; i++)
			fputc('x', f);
		fclose(f);
	}
	cr_assert_eq(cocci_merge_balance(files, 5, dir, 2), 0);
	/* Largest first (b d c e a), dealt to jobs 0 1, 1 0, 0; job 0 takes
	 * the even indexes: b, e, a (800 bytes), job 1 d, c (700). */
	cr_assert_str_eq(files[0], "b.c");
	cr_assert_str_eq(files[1], "d.c");
	cr_assert_str_eq(files[2], "e.c");
	cr_assert_str_eq(files[3], "c.c");
	cr_assert_str_eq(files[4], "a.c");
	for (k = 0; k < 5; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		remove(path);
	}
	remove(dir);
}
