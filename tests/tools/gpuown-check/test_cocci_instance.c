// SPDX-License-Identifier: MIT
/*
 * Rule instances: a "// Unless OPT:" line keeps spatch's literal identifier
 * set unless the rule option is given, then the Python constraint.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cocci_instance.h"

static const char rule[] =
	"@free@\n"
	"// Unless free_fns: identifier f1 = {GPUOWN_ROLE_free_1};\n"
	"identifier f1 : script:python () { f1 in FREE[1] };\n"
	"// Unless free_fns: identifier f2 = {GPUOWN_ROLE_free_2};\n"
	"identifier f2 : script:python () { f2 in FREE[2] };\n"
	"// Unless: a comment, not a choice\n"
	"position p;\n"
	"@@\n"
	"f1@p(...)\n";

static char *instance(char *const *defines, int nr)
{
	struct role_entry v[] = {
		{"drv_free", "free", 1, 1},
		{"drv_bo_free", "free", 1, 1},
	};
	struct roles r = {v, 2, NULL, 0};
	char *out = NULL;

	cr_assert_eq(cocci_instance(rule, &r, defines, nr, &out), 0);
	cr_assert_not_null(out);
	return out;
}

Test(cocci_instance, without_the_option_the_literal_set_replaces_python)
{
	char *const defines[] = {"alloc_fns=a"};
	char *out = instance(defines, 1);

	cr_assert(strstr(out, "@free@\n"
			      "identifier f1 = {drv_bo_free, drv_free};\n"
			      "identifier f2 = {GPUOWN_NONE_free};\n"
			      "// Unless: a comment, not a choice\n"
			      "position p;\n"),
		  "%s", out);
	cr_assert_null(strstr(out, "script:python"), "%s", out);
	free(out);
}

Test(cocci_instance, with_the_option_the_python_constraint_stays)
{
	char *const defines[] = {"free_fns=x,y:2"};
	char *out = instance(defines, 1);

	cr_assert(strstr(out, "@free@\n"
			      "identifier f1 : script:python () { f1 in "
			      "FREE[1] };\n"
			      "identifier f2 : script:python () { f2 in "
			      "FREE[2] };\n"),
		  "%s", out);
	cr_assert_null(strstr(out, "// Unless free_fns"), "%s", out);
	cr_assert_null(strstr(out, "drv_free"), "%s", out);
	free(out);
}

Test(cocci_instance, an_option_name_is_matched_whole)
{
	/* free_fns_extra is another option: the literal set stays. */
	char *const defines[] = {"free_fns_extra=x", "free=y"};
	char *out = instance(defines, 2);

	cr_assert(strstr(out, "identifier f1 = {drv_bo_free, drv_free};\n"),
		  "%s", out);
	free(out);
}
