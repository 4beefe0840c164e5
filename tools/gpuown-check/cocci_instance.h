/* SPDX-License-Identifier: MIT */
/*
 * What spatch gets from the annotated headers: each rule instantiated with the
 * driver's function names, and the macro file that defines the annotation
 * vocabulary away.
 */
#ifndef GPUOWN_CHECK_COCCI_INSTANCE_H
#define GPUOWN_CHECK_COCCI_INSTANCE_H

#include "roles.h"

/*
 * Expand the role placeholders of the rule text @tmpl into @out (malloc'd):
 *   GPUOWN_ROLE_<role>     the functions with <role> on any parameter or on
 *                          the function: `name` or `\(a\|b\)`, so spatch's
 *                          prefilter sees every literal name
 *   GPUOWN_ROLE_<role>_<N> the same, with <role> on parameter N
 *   "GPUOWN_ROLE_..."      inside a string (Python code): "a,b", the
 *                          profile's functions first
 *   {GPUOWN_ROLE_...}      a metavariable's identifier set: {a, b}
 *   on a line a patch adds ('+'): one name, the profile's function if it
 *                          has one, else gpuown's own API's
 *   "GPUOWN_FIELDS_<role>" a Python string: the fields holding <role>, as
 *                          "field=arg;..." (roles_field_list())
 * A role no function holds becomes GPUOWN_NONE_<role>, a name no code holds
 * (an empty string in Python).
 *
 * A line "// Unless OPT: DECL" chooses between two declarations of one
 * metavariable: without rule option OPT among @defines ("NAME=VALUE", the
 * rule options given), DECL (typically a literal identifier set, matched
 * by spatch itself) replaces the line after it (the same metavariable
 * with a Python constraint reading the option, called for every candidate
 * and so much slower); with OPT, that next line stays. Returns 0 or -errno.
 */
int cocci_instance(const char *tmpl, const struct roles *r,
		   char *const *defines, int nr_defines, char **out);

/*
 * Write spatch's macro file to @out_path: every macro annotations.h
 * (@annotations) defines, with the body a C compiler without the analyzer
 * or sparse sees (@cc -E -dM) and GPUOWN_ANNOTATE() calls removed, followed
 * by the hand-kept macros of @extra (firmware-struct instantiation names,
 * list macros), if not NULL. 0 or -errno with a message.
 */
int cocci_macro_file(const char *cc, const char *annotations, const char *extra,
		     const char *out_path, int timeout, const char *tmpdir);

/*
 * The tokens a rule cannot match without, from its `// Tokens:` header line
 * (docs/coccinelle.md): words, *SUFFIX (any identifier ending in SUFFIX),
 * GPUOWN_ROLE_<role>[_<N>] placeholders (the functions holding the role) and
 * $NAME, the comma-separated names of the option NAME=VALUE among @defines
 * (a ":N" suffix dropped). spatch's own
 * token prefilter gives up on a rule whose names arrive through a Python
 * constraint; gpuown-check skips the files holding none of these instead.
 * Returns the number of tokens written to @tokens (malloc'd strings, free
 * with cocci_tokens_free()), 0 when the rule has no Tokens line (every file
 * is checked), or -errno.
 */
int cocci_tokens(const char *tmpl, const struct roles *r, char *const *defines,
		 int nr_defines, char ***tokens);
void cocci_tokens_free(char **tokens, int n);

/* Does the file at @path hold one of @tokens as a whole word? */
int cocci_file_has_token(const char *path, char *const *tokens, int n);

/* Read a whole file; NULL with errno set on failure. */
char *cocci_read_file(const char *path);

#endif /* GPUOWN_CHECK_COCCI_INSTANCE_H */
