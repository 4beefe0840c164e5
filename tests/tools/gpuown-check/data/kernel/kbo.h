/* SPDX-License-Identifier: MIT */
/* A kernel-shaped buffer-object API, written with no knowledge of gpuown. */
#ifndef KBO_H
#define KBO_H

struct kbo {
	u32 size;
	u32 handle;
};

struct kbo *kbo_new(u32 size);
void kbo_put(struct kbo *bo);

#endif
