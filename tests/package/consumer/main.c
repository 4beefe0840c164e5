// SPDX-License-Identifier: MIT
/*
 * Links the installed runtime and gpusan and uses a generated firmware set:
 * prints the version, attaches gpusan to a memory system and tears it down.
 */
#include <stdio.h>

#include <gpuown/gpusan.h>
#include <gpuown/mm.h>
#include <gpuown/version.h>
#include <gpuown_fw/consumer.h>

int main(void)
{
	struct gpuown_mm *mm;

	if (gpuown_mm_create(NULL, &mm)) {
		fputs("consumer: gpuown_mm_create failed\n", stderr);
		return 1;
	}
	if (gpusan_attach(mm)) {
		fputs("consumer: gpusan_attach failed\n", stderr);
		gpuown_mm_destroy(mm);
		return 1;
	}
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
	printf("consumer: gpuown %s, %u gpusan reports\n", GPUOWN_VERSION,
	       gpusan_report_count());
	return 0;
}
