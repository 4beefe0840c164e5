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

struct gpuown_vm;
struct gs_shadow;

/*
 * The shadow (<gpuown/shadow.h>) gpusan keeps of @vm, or NULL: with
 * gpuown_hooks.gpu_inline, the access path checks a GPU access through @vm
 * against it inline, without calling on_access when the check is sure.
 * @sh must outlive its use: clear it before freeing the shadow. A @vm that
 * does not exist (destroyed) is ignored; -EINVAL then, else 0.
 */
int gpuown_sim_vm_set_shadow(struct gpuown_vm *vm, const struct gs_shadow *sh);

#endif /* GPUOWN_SIMHOST_H */
