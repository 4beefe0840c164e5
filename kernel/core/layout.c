// SPDX-License-Identifier: MIT
/*
 * Firmware-struct descriptors (field lookup by offset and name, variant
 * selection): the portable core's source, compiled here by path so the
 * kernel and user space share one implementation.
 */
#include "../../runtime/model/src/layout.c"
