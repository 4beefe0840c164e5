/* SPDX-License-Identifier: MIT */
/*
 * Where gpuown-check finds its companions (the analyzer plugin, the
 * Coccinelle rules with run-cocci, run-sparse): relative to its own
 * executable in an installed tree, so a prefix can be moved or staged, and
 * in the build tree it was built in otherwise.
 */
#ifndef GPUOWN_CHECK_PATHS_H
#define GPUOWN_CHECK_PATHS_H

/*
 * @rel is the companion's path relative to the folder holding the running
 * executable (the installed layout); @fallback is its build-tree path.
 * Returns the first that exists, @fallback when neither does (the pre-check
 * then names it). The result lives until exit; call at most
 * GPUOWN_CHECK_MAX_PATHS times.
 */
const char *gpuown_check_locate(const char *rel, const char *fallback);

#define GPUOWN_CHECK_MAX_PATHS 8

#endif /* GPUOWN_CHECK_PATHS_H */
