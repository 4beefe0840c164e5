/* SPDX-License-Identifier: MIT */
/*
 * The roles a driver's annotated header gives its functions, as the analyzer
 * plugin's gpuown-roles action lists them. The Coccinelle rules are written
 * against roles (GPUOWN_ROLE_free_2, GPUOWN_ROLE_publish), never against
 * function names; cocci_instance.c turns a rule into an instance with the
 * literal names of this list, which keeps spatch's file prefilter working.
 */
#ifndef GPUOWN_CHECK_ROLES_H
#define GPUOWN_CHECK_ROLES_H

#include "compdb.h"

#include <stddef.h>

struct role_entry {
	char *function;
	char *role; /* the annotation without "gpuown_" and its ':' argument */
	int param;  /* 1-based parameter; 0: the function (its return value) */
};

struct roles {
	struct role_entry *v;
	size_t nr;
};

struct check_config;

/*
 * Run the plugin's gpuown-roles action over gpuown's own runtime API header
 * (the default profile) and over @cfg->profile when given, with the
 * preprocessor flags of @db's first unit, and collect the roles. 0 or -errno
 * with a message on stderr naming the header and what went wrong.
 */
int roles_load(const struct check_config *cfg, const struct compdb *db,
	       struct roles *out);

/*
 * Parse one JSON array printed by the gpuown-roles action and append its
 * entries. @what names the source in error messages. 0 or -EINVAL.
 */
int roles_parse_json(const char *text, const char *what, struct roles *out);

void roles_free(struct roles *r);

/*
 * The distinct functions holding @role, on parameter @param (any parameter,
 * or the function itself, when @param is -1), sorted, into @names (at most
 * @max pointers into @r). Returns how many.
 */
size_t roles_functions(const struct roles *r, const char *role, int param,
		       const char **names, size_t max);

/* Print @r as the JSON the action prints (for --print-roles). */
void roles_print(const struct roles *r);

#endif /* GPUOWN_CHECK_ROLES_H */
