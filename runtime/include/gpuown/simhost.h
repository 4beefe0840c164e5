/* SPDX-License-Identifier: MIT */
/*
 * Hooks of the user-space simulator host (runtime/src/host.c) for the
 * components that complete it, i.e. gpusan's stack capture and libdw
 * symboliser. Not part of the driver-facing API.
 */
#ifndef GPUOWN_SIMHOST_H
#define GPUOWN_SIMHOST_H

#include <gpuown/host.h>

/* How the simulator saves, prints and symbolises stacks (host.h semantics). */
struct gpuown_sim_stacks {
	gpuown_stack_t (*save)(void *caller, unsigned depth);
	void (*print)(struct gpuown_report_sink *sink, gpuown_stack_t stack);
	const char *(*symbolize)(void *pc, char *loc, size_t loc_len);
	unsigned (*frames)(gpuown_stack_t stack, void **pcs, unsigned max);
};

/* Install @stacks (static storage) for the whole process; NULL removes. */
void gpuown_sim_set_stacks(const struct gpuown_sim_stacks *stacks);

#endif /* GPUOWN_SIMHOST_H */
