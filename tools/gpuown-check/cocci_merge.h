/* SPDX-License-Identifier: MIT */
/*
 * Several Coccinelle rule instances as one semantic patch, for one spatch
 * pass over each file in report mode (cocci_merge.c says what is renamed).
 */
#ifndef GPUOWN_CHECK_COCCI_MERGE_H
#define GPUOWN_CHECK_COCCI_MERGE_H

#include <stddef.h>

/*
 * Merge the @nr instances @texts of the rules named @rules into @out
 * (malloc'd). Reports print "[cocci.RULE] message". 0 or -errno.
 */
int cocci_merge(const char *const *rules, const char *const *texts, size_t nr,
		char **out);

/* The files a rule would have seen on its own (those holding its tokens). */
struct cocci_merge_scope {
	const char *const *files; /* as spatch is given them */
	size_t nr;
};

/*
 * cocci_merge(), each rule limited to the files of @scopes[i] (a spatch
 * `file in` dependency on every SmPL rule that inherits no metavariable),
 * so that a rule is matched only where it would be on its own: one pass
 * parses each file once, and a rule costs nothing on the others' files.
 * @scopes NULL, or a scope with no files, leaves a rule unscoped.
 */
int cocci_merge_scoped(const char *const *rules, const char *const *texts,
		       const struct cocci_merge_scope *scopes, size_t nr,
		       char **out);

/*
 * Whether one pass of the merged rule set pays over one spatch per rule:
 * @files files in all (the union of the rules' own), @pairs (rule, file)
 * pairs (the files each rule would parse on its own, summed), @jobs
 * parallel jobs. 1 or 0.
 */
int cocci_merge_pays(size_t files, size_t pairs, int jobs);

/*
 * Order @files (paths under @root, or absolute) for @chunks jobs that take
 * every chunks-th file from their own start (file i goes to job i %
 * chunks): largest first, dealt back and forth, so the jobs get about as
 * many bytes to parse, and the last job to finish is not the one that drew
 * the big files. Files that cannot be read count as empty. 0 or -errno.
 */
int cocci_merge_balance(char **files, size_t nr, const char *root,
			size_t chunks);

#endif /* GPUOWN_CHECK_COCCI_MERGE_H */
