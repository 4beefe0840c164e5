/* SPDX-License-Identifier: MIT */
/*
 * Profile for the kbo API. It needs u32 from the unit's forced include, the
 * annotations from -I, and KBO_PROFILE from -D: gpuown-check supplies all three.
 */
#ifndef KBO_PROFILE
#error "KBO_PROFILE is defined with gpuown-check -D"
#endif
#include <gpuown/annotations.h>

struct kbo;
struct kbo *kbo_new(u32 size) __gpuown_alloc;
void kbo_put(struct kbo *bo __gpuown_frees);
