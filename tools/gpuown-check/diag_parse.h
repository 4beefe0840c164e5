/* SPDX-License-Identifier: MIT */
/* Parsing compiler-style diagnostics: "file:line:col: [warning: ]message". */
#ifndef GPUOWN_CHECK_DIAG_PARSE_H
#define GPUOWN_CHECK_DIAG_PARSE_H

#include "findings.h"

/*
 * Add one finding of @layer and rule id @rule per diagnostic line of @text
 * (the caller refines the rule afterwards, as the sparse layer does from the
 * message). A line that starts with white space, or repeats the previous
 * line's position with an indented detail (sparse's "expected"/"got"),
 * continues the previous message, joined with "; ". Relative paths are made
 * absolute against @cwd. Returns the number added or -errno.
 */
int diag_parse(const char *text, const char *layer, const char *rule,
	       const char *cwd, struct findings *out);

#endif /* GPUOWN_CHECK_DIAG_PARSE_H */
