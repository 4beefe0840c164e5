/* SPDX-License-Identifier: MIT */
/*
 * The readers under test take a path: each input is written to a file of
 * the given name in a private folder under $TMPDIR, made once per process.
 */
#ifndef GPUOWN_FUZZ_FILE_H
#define GPUOWN_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline const char *fuzz_file_write(const char *name, const uint8_t *data,
					  size_t size)
{
	static char dir[4096], path[4200];
	FILE *f;

	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/gpuown-fuzz.XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("fuzz: mkdtemp");
			abort();
		}
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror("fuzz: writing the input");
		abort();
	}
	return path;
}

#endif /* GPUOWN_FUZZ_FILE_H */
