// SPDX-License-Identifier: MIT
/* Compiler-style diagnostics from sparse and Coccinelle into findings. */
#include <criterion/criterion.h>

#include "diag_parse.h"

Test(diag_parse, sparse_detail_lines_fold_into_the_warning)
{
	struct findings f = { 0 };

	cr_assert_eq(diag_parse("a.c:3:45: warning: incorrect type in return expression (different base types)\n"
				"a.c:3:45:    expected restricted gpu_addr_t\n"
				"a.c:3:45:    got unsigned long long x\n"
				"b.c:7:1: error: bad thing\n",
				"sparse", "sparse", "/w", &f),
		     2);
	cr_assert_str_eq(f.v[0].file, "/w/a.c");
	cr_assert_eq(f.v[0].line, 3);
	cr_assert_eq(f.v[0].col, 45);
	cr_assert_str_eq(f.v[0].message,
			 "incorrect type in return expression (different base types); "
			 "expected restricted gpu_addr_t; got unsigned long long x");
	cr_assert_str_eq(f.v[1].message, "bad thing");
	findings_free(&f);
}

Test(diag_parse, coccinelle_column_ranges)
{
	struct findings f = { 0 };

	cr_assert_eq(diag_parse("/abs/d.c:12:8-20: ERROR: use of job after free\n",
				"coccinelle", "cocci.use_after_free", "/w", &f),
		     1);
	cr_assert_str_eq(f.v[0].file, "/abs/d.c");
	cr_assert_eq(f.v[0].line, 12);
	cr_assert_eq(f.v[0].col, 8);
	cr_assert_str_eq(f.v[0].rule, "cocci.use_after_free");
	cr_assert_str_eq(f.v[0].message, "ERROR: use of job after free");
	findings_free(&f);
}

Test(diag_parse, ignores_noise_and_notes)
{
	struct findings f = { 0 };

	cr_assert_eq(diag_parse("init_defs_builtins: /usr/lib/coccinelle/standard.h\n"
				"x.c:1:2: note: declared here\n"
				"HANDLING: x.c\n\n",
				"coccinelle", "r", "/w", &f),
		     0);
	cr_assert_eq(f.nr, 0);
	findings_free(&f);
}

Test(findings, duplicates_from_several_units_collapse)
{
	struct findings f = { 0 };

	findings_add(&f, "analyzer", "gpuown.Lifetime", "/nonexistent/h.h", 4,
		     2, "Use after free", NULL);
	findings_add(&f, "analyzer", "gpuown.Lifetime", "/nonexistent/h.h", 4,
		     2, "Use after free", NULL);
	findings_add(&f, "analyzer", "gpuown.Lifetime", "/nonexistent/a.c", 1,
		     1, "Leak", NULL);
	findings_finish(&f, "/nonexistent");
	cr_assert_eq(f.nr, 2);
	cr_assert_str_eq(f.v[0].file, "/nonexistent/a.c");
	cr_assert_eq(strlen(f.v[0].fingerprint), 16);
	findings_free(&f);
}
