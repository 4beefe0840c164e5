/* SPDX-License-Identifier: MIT */
/*
 * fwlayout: prints and compares the layouts in one set's descriptor tables
 * (the same tables the runtime and gpusan use). Each set gets its own binary,
 * <set>-fwlayout, built by gpuown_fw_structs() from a generic main.
 */
#ifndef FWLAYOUT_H
#define FWLAYOUT_H

#include <stdio.h>

#include <gpuown/layout.h>

/*
 * Runs one command (argv[1..]) over @tbl: show, diff, changed, list.
 * Results go to @out, errors to @err. Returns the exit status: 0 success,
 * 1 unknown name or nothing to compare, 2 bad usage.
 */
int fwlayout_main(const struct gpuown_variant_table *tbl, int argc, char **argv,
		  FILE *out, FILE *err);

#endif /* FWLAYOUT_H */
