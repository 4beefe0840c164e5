// SPDX-License-Identifier: MIT
/* A GPU pointer dereferenced by the CPU. */
/* expect-gcc: invalid type argument of unary '\*' \(have 'struct gpu_ptr__fw_cmdbuf'\) */
/* expect-clang: indirection requires pointer operand \('struct gpu_ptr__fw_cmdbuf' invalid\) */
#include "common.h"

uint64_t peek(gpu_ptr(fw_cmdbuf) p);
uint64_t peek(gpu_ptr(fw_cmdbuf) p)
{
	return (*p).addr; /* ERROR */
}
