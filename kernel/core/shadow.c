// SPDX-License-Identifier: MIT
/*
 * The gpusan shadow (a lazily populated three-level table, one byte per
 * 16-byte granule): the portable core's source, compiled here by path. Its
 * memory comes from the kernel host (gpusan_host.c).
 */
#include "../../runtime/model/src/shadow.c"
