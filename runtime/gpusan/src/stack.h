/* SPDX-License-Identifier: MIT */
/*
 * Stack capture (raw PCs, cheap, at every event), a deduplicating depot of
 * saved stacks (handles for the core's metadata, like the kernel's
 * stack_depot), and symbolization with libdw (only when a report is printed).
 */
#ifndef GPUSAN_STACK_H
#define GPUSAN_STACK_H

#include <stdbool.h>
#include <stdio.h>

#include <gpuown/host.h>

/* A captured stack; @pcs holds @cap entries owned by whoever set it up. */
struct gs_stack {
	unsigned n, cap;
	int tid;
	void **pcs;
};

/*
 * Capture up to @depth frames (and at most st->cap). When @caller (a return
 * address inside the stack) is found, the stack starts at the frame that called
 * it, so gpusan's and the runtime's internal frames are dropped: the first
 * frame shown is the public entry point.
 */
void gs_stack_capture(struct gs_stack *st, unsigned depth, void *caller);

/* "  #i 0x... in fn file:line" lines. */
void gs_stack_print(FILE *f, const struct gs_stack *st);

/* Function name (and "file:line" into @loc) for a return address. */
const char *gs_symbolize(void *ret_addr, char *loc, size_t loc_len);

/* Enable/disable libdw symbolization (off: raw addresses and module+offset). */
void gs_symbolize_enable(bool on);
/* Drop the libdw session (at the last detach). */
void gs_symbolize_fini(void);

/* Make the simulator host save, print and symbolize stacks with these. */
void gs_stack_install(void);

int gs_gettid(void);

#endif /* GPUSAN_STACK_H */
