/* SPDX-License-Identifier: MIT */
/*
 * The foreign driver's firmware structs, one definition per firmware variant
 * (GPU generation G, firmware version V), named and numbered the way fwgen's
 * generated headers name them: that naming is what per-variant code and its
 * #if GPUOWN_V / GPUOWN_G guards are written against. No annotations: which
 * field is versioned is said by profile.h (GPUOWN_FIELD_FACT).
 */
#ifndef MY_FW_H
#define MY_FW_H

#include <stdint.h>

#define FW_V_V1_0 0x010000
#define FW_V_V2_0 0x020000
#define FW_V_V2_1 0x020100
#define FW_G_G10 10
#define FW_G_G11 11

/* Boot arguments: firmware 2.0 added the boot flags. */
struct my_fw_boot__G10_V1_0 {
	uint32_t magic;
	uint32_t log_level;
};

struct my_fw_boot__G11_V2_1 {
	uint32_t magic;
	uint32_t log_level;
	uint64_t boot_flags;
};

#endif /* MY_FW_H */
