// SPDX-License-Identifier: MIT
/*
 * The portable core's runtime/model/src/handover.c, compiled here by path
 * (kbuild builds objects under this directory only): the kernel and user space
 * share one implementation; nothing is copied.
 */
#include "../../runtime/model/src/handover.c"
