// SPDX-License-Identifier: MIT
// The foreign driver's per-variant code, built once per firmware variant it
// supports (here G11 with firmware 2.1): the names fwgen's instantiation
// header would define, written out.
#include "my_fw.h"

#define GPUOWN_G FW_G_G11
#define GPUOWN_V FW_V_V2_1
#define FW_T(name) struct name##__G11_V2_1
#define FW_FN(fn) fn##__G11_V2_1
#include "my_fw_boot.h"
