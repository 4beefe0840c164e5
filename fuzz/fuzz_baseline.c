// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: gpuown-check's SARIF baseline reader
 * (sarif_apply_baseline) over a findings list with one finding, so the
 * fingerprint matching runs too. Never a crash.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_file.h"
#include "sarif.h"

/* libFuzzer's entry point, called with each input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file_write("baseline.sarif", data, size);
	struct findings f = {0};

	if (findings_add(&f, "analyzer", "gpuown.Lifetime", "/src/a.c", 3, 5,
			 "use after free", NULL))
		return 0;
	findings_finish(&f, "/src");
	sarif_apply_baseline(path, &f);
	findings_free(&f);
	return 0;
}
