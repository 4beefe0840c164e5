// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: gpuown-check's compile-database reader (compdb_load,
 * compdb_preproc_args). Any bytes as compile_commands.json: an error with a
 * message or a database, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compdb.h"
#include "fuzz_file.h"

/* libFuzzer's entry point, called with each input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file_write("compile_commands.json", data, size);
	struct compdb db = {0};
	char err[512];

	if (compdb_load(path, &db, err, sizeof(err)))
		return 0;
	for (size_t i = 0; i < db.nr; i++) {
		char **argv;
		int n;

		/* The array is new; its strings are the entry's. */
		if (compdb_preproc_args(&db.entries[i], &argv, &n) == 0)
			free(argv);
	}
	compdb_free(&db);
	return 0;
}
