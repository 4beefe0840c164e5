// SPDX-License-Identifier: MIT
/* The pkg-config build of the package test: runtime and gpusan only. */
#include <stdio.h>

#include <gpuown/gpusan.h>
#include <gpuown/mm.h>
#include <gpuown/version.h>

int main(void)
{
	struct gpuown_mm *mm;

	if (gpuown_mm_create(NULL, &mm) || gpusan_attach(mm)) {
		fputs("pkgconfig-consumer: setup failed\n", stderr);
		return 1;
	}
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
	printf("pkgconfig-consumer: gpuown %s\n", GPUOWN_VERSION);
	return 0;
}
