// SPDX-License-Identifier: MIT
/*
 * Firmware-struct descriptors (field lookup by offset and name, variant
 * selection): gpuown's own source, compiled here by path so the kernel and
 * user space share one implementation. It lives in the portable core
 * (runtime/model/src) once the runtime is split, in runtime/src before.
 */
#if __has_include("../../runtime/model/src/layout.c")
#include "../../runtime/model/src/layout.c"
#else
#include "../../runtime/src/layout.c"
#endif
