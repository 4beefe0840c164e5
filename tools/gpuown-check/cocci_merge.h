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

#endif /* GPUOWN_CHECK_COCCI_MERGE_H */
