/* SPDX-License-Identifier: MIT */
/*
 * Stands for what a kernel unit force-includes (-include kconfig.h,
 * compiler_types.h): the profile may use these types only because gpuown-check
 * includes it after the unit's own forced includes.
 */
typedef unsigned int u32;
