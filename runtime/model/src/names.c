// SPDX-License-Identifier: MIT
/* Names of states, violations and operations, for reports and tests. */
#include "core.h"

static const char *const state_names[] = {
	[GPUOWN_STATE_CPU] = "cpu-owned",
	[GPUOWN_STATE_FW] = "firmware-owned",
	[GPUOWN_STATE_SHARED] = "shared",
	[GPUOWN_STATE_GPU_ONLY] = "gpu-only",
	[GPUOWN_STATE_QUARANTINED] = "quarantined",
	[GPUOWN_STATE_RELEASED] = "released",
};

static const char *const violation_names[] = {
	[GPUOWN_OK] = "ok",
#define GPUOWN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	[GPUOWN_V_##id] = name,
#include <gpuown/violations.def>
};

static const char *const op_names[] = {
	[GPUOWN_OP_ALLOC] = "alloc",
	[GPUOWN_OP_FREE] = "free",
	[GPUOWN_OP_RELEASE] = "release",
	[GPUOWN_OP_PUBLISH] = "publish",
	[GPUOWN_OP_FW_GET] = "fw_get",
	[GPUOWN_OP_RECLAIM] = "reclaim",
	[GPUOWN_OP_SHARE] = "share",
	[GPUOWN_OP_DETACH] = "detach",
	[GPUOWN_OP_CPU_BEGIN] = "cpu_begin",
	[GPUOWN_OP_CPU_END] = "cpu_end",
	[GPUOWN_OP_STORE_PTR] = "store_ptr",
	[GPUOWN_OP_CLEAR_PTR] = "clear_ptr",
	[GPUOWN_OP_BIND] = "bind",
	[GPUOWN_OP_UNBIND] = "unbind",
	[GPUOWN_OP_LIFECYCLE] = "lifecycle",
	[GPUOWN_OP_CPU_ACCESS] = "cpu_access",
	[GPUOWN_OP_MM_DESTROY] = "mm_destroy",
	[GPUOWN_OP_GPU_ACCESS] = "gpu_access",
	[GPUOWN_OP_VM_DESTROY] = "vm_destroy",
	[GPUOWN_OP_GET] = "get",
	[GPUOWN_OP_PUT] = "put",
	[GPUOWN_OP_INSERT] = "insert",
	[GPUOWN_OP_REMOVE] = "remove",
	[GPUOWN_OP_BUSY] = "busy_until",
	[GPUOWN_OP_SYNC] = "sync",
	[GPUOWN_OP_HAND_OVER] = "hand_over",
};

_Static_assert(GPUOWN_ARRAY_SIZE(state_names) == GPUOWN_STATE_RELEASED + 1,
	       "a state has no name");
_Static_assert(GPUOWN_ARRAY_SIZE(violation_names) == GPUOWN_V_NR,
	       "a violation has no name");
_Static_assert(GPUOWN_ARRAY_SIZE(op_names) == GPUOWN_OP_NR,
	       "an operation has no name");

const char *gpuown_state_name(enum gpuown_state st)
{
	if ((unsigned)st >= GPUOWN_ARRAY_SIZE(state_names))
		return "unknown-state";
	return state_names[st];
}

const char *gpuown_violation_name(enum gpuown_violation v)
{
	if ((unsigned)v >= GPUOWN_ARRAY_SIZE(violation_names))
		return "unknown-violation";
	return violation_names[v];
}

const char *gpuown_op_name(enum gpuown_op op)
{
	if ((unsigned)op >= GPUOWN_ARRAY_SIZE(op_names))
		return "unknown-op";
	return op_names[op];
}
