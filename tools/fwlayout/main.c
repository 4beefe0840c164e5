// SPDX-License-Identifier: MIT
/* Generic main of <set>-fwlayout; the set's table is chosen at build time. */
#include "fwlayout.h"

#ifndef GPUOWN_FWLAYOUT_TABLE
#error "build with -DGPUOWN_FWLAYOUT_TABLE=<set>_variant_table"
#endif

extern const struct gpuown_variant_table GPUOWN_FWLAYOUT_TABLE;

int main(int argc, char **argv)
{
	return fwlayout_main(&GPUOWN_FWLAYOUT_TABLE, argc, argv, stdout,
			     stderr);
}
