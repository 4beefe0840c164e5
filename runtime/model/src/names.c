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
	[GPUOWN_V_FOREIGN_OBJECT] = "foreign-object",
	[GPUOWN_V_FREE_WHILE_REFERENCED] = "free-while-referenced",
	[GPUOWN_V_REF_NOT_OWNED] = "reference-not-owned",
	[GPUOWN_V_FREE_WHILE_BOUND] = "free-while-bound",
	[GPUOWN_V_FREE_BEFORE_COMPLETION] = "free-before-completion",
	[GPUOWN_V_REUSE_BEFORE_COMPLETION] = "reuse-before-completion",
	[GPUOWN_V_DETACH_WHILE_FW_HOLDS] = "detach-while-firmware-holds",
	[GPUOWN_V_FREE_SIZE_MISMATCH] = "free-size-mismatch",
	[GPUOWN_V_DEVICE_READ_UNSYNCED] = "device-read-unsynced",
	[GPUOWN_V_CPU_READ_UNSYNCED] = "cpu-read-unsynced",
	[GPUOWN_V_ADDR_KIND_MISMATCH] = "address-kind-mismatch",
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
