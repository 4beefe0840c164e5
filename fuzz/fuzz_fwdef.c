// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: fwgen's lexer, parser and checker over any bytes as a
 * .fwdef, and the emitters when the definitions are accepted. Diagnostics go
 * to a null stream; the invariant is no crash and no leak.
 */
#include <stdint.h>
#include <stdio.h>

#include "fwgen.h"

/* libFuzzer's entry point, called with each input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct fwgen *g;

	if (!null)
		null = fopen("/dev/null", "w");
	g = fwgen_create(null);
	if (fwgen_load_buffer(g, "fuzz.fwdef", (const char *)data, size) == 0 &&
	    fwgen_check(g) == 0) {
		fwgen_emit_header(g, "fuzz", null);
		fwgen_emit_desc(g, "fuzz", null);
	}
	fwgen_destroy(g);
	return 0;
}
