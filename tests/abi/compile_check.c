// SPDX-License-Identifier: MIT
/* Every AGX variant's static asserts, under strict gcc and clang. */
#include <gpuown_fw/agx.h>
