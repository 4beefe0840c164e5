// SPDX-License-Identifier: MIT
/*
 * The reference driver's driver/drv_context.c, compiled here by path (kbuild
 * builds objects under this directory only): the kernel and user space share
 * one source; nothing is copied.
 */
#include "../../../driver/drv_context.c"
