// SPDX-License-Identifier: MIT
/* Names of states, violations and operations, for reports and tests. */
#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
	[GPUOWN_V_DOUBLE_FREE] = "double-free",
	[GPUOWN_V_INVALID_FREE] = "invalid-free",
	[GPUOWN_V_FREE_WHILE_FW_OWNED] = "free-while-firmware-owned",
	[GPUOWN_V_FREE_WHILE_SHARED] = "free-while-shared",
	[GPUOWN_V_PUBLISH_TWICE] = "publish-twice",
	[GPUOWN_V_PUBLISH_FREED] = "publish-freed",
	[GPUOWN_V_PUBLISH_DANGLING] = "publish-dangling",
	[GPUOWN_V_PUBLISH_UNPUBLISHED] = "publish-unpublished",
	[GPUOWN_V_RECLAIM_NOT_PUBLISHED] = "reclaim-not-published",
	[GPUOWN_V_RECLAIM_BEFORE_COMPLETION] = "reclaim-before-completion",
	[GPUOWN_V_ILLEGAL_TRANSITION] = "illegal-transition",
	[GPUOWN_V_CPU_WRITE_FW_OWNED] = "cpu-write-firmware-owned",
	[GPUOWN_V_CPU_READ_FW_WRITES] = "cpu-read-firmware-writes",
	[GPUOWN_V_CPU_ACCESS_GPU_ONLY] = "cpu-access-gpu-only",
	[GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED] =
		"cpu-access-shared-undeclared",
	[GPUOWN_V_USE_AFTER_FREE] = "use-after-free",
	[GPUOWN_V_DANGLING_AT_FREE] = "dangling-pointer-at-free",
	[GPUOWN_V_PTR_TYPE_MISMATCH] = "pointer-type-mismatch",
	[GPUOWN_V_LIFECYCLE_ILLEGAL] = "lifecycle-illegal-transition",
	[GPUOWN_V_LIFECYCLE_NOT_PERMITTED] = "lifecycle-not-permitted",
	[GPUOWN_V_OUT_OF_BOUNDS] = "out-of-bounds",
	[GPUOWN_V_WILD_ADDRESS] = "wild-address",
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
};

_Static_assert(ARRAY_SIZE(state_names) == GPUOWN_STATE_RELEASED + 1,
	       "a state has no name");
_Static_assert(ARRAY_SIZE(violation_names) == GPUOWN_V_NR,
	       "a violation has no name");
_Static_assert(ARRAY_SIZE(op_names) == GPUOWN_OP_NR,
	       "an operation has no name");

const char *gpuown_state_name(enum gpuown_state st)
{
	if ((unsigned)st >= ARRAY_SIZE(state_names))
		return "unknown-state";
	return state_names[st];
}

const char *gpuown_violation_name(enum gpuown_violation v)
{
	if ((unsigned)v >= ARRAY_SIZE(violation_names))
		return "unknown-violation";
	return violation_names[v];
}

const char *gpuown_op_name(enum gpuown_op op)
{
	if ((unsigned)op >= ARRAY_SIZE(op_names))
		return "unknown-op";
	return op_names[op];
}
