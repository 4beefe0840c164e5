/* SPDX-License-Identifier: MIT */
/* Findings from every layer, in one shape, with stable fingerprints. */
#ifndef GPUOWN_CHECK_FINDINGS_H
#define GPUOWN_CHECK_FINDINGS_H

#include <stddef.h>

struct json_object;

struct finding {
	const char *layer; /* "analyzer", "sparse", "coccinelle" (static) */
	char *rule; /* rule id, e.g. "gpuown.Lifetime", "cocci.use_after_free"
		     */
	char *file; /* absolute path */
	int line, col;
	char *message;
	char fingerprint[17];	   /* 64-bit hex; stable across line shifts */
	int is_new;		   /* not in the baseline */
	struct json_object *sarif; /* the tool's own SARIF result, if any */
};

struct findings {
	struct finding *v;
	size_t nr, cap;
};

/* Append a finding (strings are copied; @sarif's reference is taken). */
int findings_add(struct findings *f, const char *layer, const char *rule,
		 const char *file, int line, int col, const char *message,
		 struct json_object *sarif);
void findings_free(struct findings *f);

/*
 * Compute fingerprints (rule, path relative to @root, the text of the source
 * line, message with any line numbers in it masked), sort by file and line, and
 * drop duplicates (a finding in a header is reported once per translation unit
 * that includes it).
 */
void findings_finish(struct findings *f, const char *root);

/* Path of @file relative to @root when it lies below it, else @file. */
const char *findings_relpath(const char *file, const char *root);

#endif /* GPUOWN_CHECK_FINDINGS_H */
