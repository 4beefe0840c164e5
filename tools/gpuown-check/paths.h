/* SPDX-License-Identifier: MIT */
/*
 * Where gpuown-check finds its companions (the analyzer plugin, the
 * Coccinelle rules with run-cocci, run-sparse): relative to its own
 * executable in an installed tree, so a prefix can be moved or staged, and
 * in the build tree it was built in otherwise.
 */
#ifndef GPUOWN_CHECK_PATHS_H
#define GPUOWN_CHECK_PATHS_H

#include <stdbool.h>

/*
 * Whether the running executable sits in an installed prefix: the folder
 * GPUOWN_CHECK_REL_MARKER names (share/gpuown) exists next to it.
 */
bool gpuown_check_installed(void);

/*
 * @rel is the companion's path relative to the folder holding the running
 * executable (the installed layout); @fallback is its build- or source-tree
 * path. Installed, the result is always the prefix's path, whether it exists
 * or not (the pre-check then names it), so an installed or moved prefix
 * never reads the tree it was built from; otherwise @fallback. The result
 * lives until exit; call at most GPUOWN_CHECK_MAX_PATHS times.
 */
const char *gpuown_check_locate(const char *rel, const char *fallback);

#define GPUOWN_CHECK_MAX_PATHS 12

#ifndef GPUOWN_CHECK_REL_MARKER
#define GPUOWN_CHECK_REL_MARKER "../share/gpuown"
#endif

#endif /* GPUOWN_CHECK_PATHS_H */
