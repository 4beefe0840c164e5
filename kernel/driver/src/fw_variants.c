// SPDX-License-Identifier: MIT
/*
 * The simulated device and firmware's driver/firmware/fw_variants.c, compiled
 * here by path: the firmware runs on a kthread (compat/pthread.h); nothing is
 * copied.
 */
#include "../../../driver/firmware/fw_variants.c"
