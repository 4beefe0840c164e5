/* SPDX-License-Identifier: MIT */
/* Parsing compiler-style diagnostics: "file:line:col: [warning: ]message". */
#ifndef GPUOWN_CHECK_DIAG_PARSE_H
#define GPUOWN_CHECK_DIAG_PARSE_H

#include "findings.h"

/*
 * Add one finding per diagnostic line of @text. Lines that start with white
 * space continue the previous message. The rule id is @rule, or, when NULL,
 * the message up to its first ':' is not used and @rule_of computes it.
 * Paths are made absolute against @cwd. Returns the number added or -errno.
 */
int diag_parse(const char *text, const char *layer, const char *rule,
	       const char *cwd, struct findings *out);

#endif /* GPUOWN_CHECK_DIAG_PARSE_H */
