/* SPDX-License-Identifier: MIT */
/*
 * gpusan: KASAN-style runtime shadow tracker of GPU and firmware address spaces.
 *
 * Attach it to a memory system in a debug build; from then on every firmware,
 * GPU and checked CPU access and every ownership transition is checked against
 * a shadow of the address spaces, and each violation produces a report.
 * Options come from the GPUSAN_OPTIONS environment variable (docs/gpusan.md).
 */
#ifndef GPUOWN_GPUSAN_H
#define GPUOWN_GPUSAN_H

#include <stddef.h>

#include <gpuown/hooks.h>

/* Attach gpusan to @mm (before any object is allocated). 0 or -errno. */
int gpusan_attach(struct gpuown_mm *mm);
/* Detach before gpuown_mm_destroy(). */
void gpusan_detach(struct gpuown_mm *mm);
/* Reports produced since start (all memory systems). */
unsigned gpusan_report_count(void);
