// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: GPUSAN_OPTIONS parsing (gpusan_options_parse). A refusal
 * is -EINVAL with a message; an accepted string leaves every option in its
 * documented range.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gpuown/gpusan.h>

/* libFuzzer's entry point, called with each input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpusan_options o;
	char *s = malloc(size + 1), err[256] = "";
	int ret;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	gpusan_options_default(&o);
	ret = gpusan_options_parse(s, &o, err, sizeof(err));
	if (ret && (ret != -EINVAL || !err[0]))
		abort(); /* a refusal always names the problem */
	if (!ret && (o.history < 1 || o.history > 256 || o.stack_depth > 64 ||
		     o.redzone > 65536))
		abort(); /* accepted values stay in range */
	free(s);
	return 0;
}
