// SPDX-License-Identifier: MIT
/* Companion lookup relative to the executable (paths.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

static char found[GPUOWN_CHECK_MAX_PATHS][PATH_MAX];
static int nr_found;

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

const char *gpuown_check_locate(const char *rel, const char *fallback)
{
	char dir[PATH_MAX];
	char *slot;
	int n;

	if (nr_found == GPUOWN_CHECK_MAX_PATHS)
		return fallback;
	exe_dir(dir, sizeof(dir));
	if (!dir[0])
		return fallback;
	slot = found[nr_found];
	n = snprintf(slot, PATH_MAX, "%s/%s", dir, rel);
	if (n < 0 || n >= PATH_MAX || access(slot, F_OK) != 0)
		return fallback;
	nr_found++;
	return slot;
}
