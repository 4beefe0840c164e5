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
	int from_profile; /* the driver's --profile, not gpuown's own API */
};

/*
 * A field of a struct in the annotated headers: annotated in place or by a
 * GPUOWN_FIELD_FACT() of the profile ("versioned", arg the predicate), or,
 * in a file holding a versioned field, not annotated at all (role "").
 */
struct field_entry {
	char *field;
	char *record;
	char *role;
	char *arg;
};

struct roles {
	struct role_entry *v;
	size_t nr;
	struct field_entry *fields;
	size_t nr_fields;
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
 * or the function itself, when @param is -1), into @names (at most @max
 * pointers into @r): the driver profile's first, then gpuown's own API's,
 * each sorted. Returns how many.
 */
size_t roles_functions(const struct roles *r, const char *role, int param,
		       const char **names, size_t max);

/*
 * The fields holding @role whose name no field without an annotation also
 * has (a syntactic rule cannot tell such a name's structs apart), as
 * "field=arg;field=arg" (malloc'd, "" for none) into @out. 0 or -ENOMEM.
 */
int roles_field_list(const struct roles *r, const char *role, char **out);

/* Print @r as the JSON the action prints (for --print-roles). */
void roles_print(const struct roles *r);

#endif /* GPUOWN_CHECK_ROLES_H */
