// SPDX-License-Identifier: MIT
/* Companion lookup relative to the executable (paths.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

static char found[GPUOWN_CHECK_MAX_PATHS][PATH_MAX];
static int nr_found;
static int installed = -1; /* unknown yet */

/* The folder of the running executable, or "" when /proc is not there. */
static void exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n <= 0) {
		dir[0] = '\0';
		return;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
}

bool gpuown_check_installed(void)
{
	char dir[PATH_MAX], marker[PATH_MAX + 32];

	if (installed < 0) {
		exe_dir(dir, sizeof(dir));
		snprintf(marker, sizeof(marker), "%s/%s", dir,
			 GPUOWN_CHECK_REL_MARKER);
		installed = dir[0] && access(marker, F_OK) == 0;
	}
	return installed;
}

const char *gpuown_check_locate(const char *rel, const char *fallback)
{
	char dir[PATH_MAX];
	char *slot;
	int n;

	if (nr_found == GPUOWN_CHECK_MAX_PATHS || !gpuown_check_installed())
		return fallback;
	exe_dir(dir, sizeof(dir));
	slot = found[nr_found];
	n = snprintf(slot, PATH_MAX, "%s/%s", dir, rel);
	/*
	 * Installed: the prefix's own copy even when it is missing (the
	 * pre-check names it), never the tree it was built from.
	 */
	if (n < 0 || n >= PATH_MAX)
		return fallback;
	nr_found++;
	return slot;
}
