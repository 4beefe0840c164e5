// SPDX-License-Identifier: MIT
/* A GPU pointer converted to an integer (only the runtime's API may do it). */
/* expect-gcc: aggregate value used where an integer was expected */
/* expect-clang: operand of type 'struct gpu_ptr__fw_cmdbuf' where arithmetic or pointer type is required */
#include "common.h"

uint64_t raw(gpu_ptr(fw_cmdbuf) p);
uint64_t raw(gpu_ptr(fw_cmdbuf) p)
{
	return (uint64_t)p; /* ERROR */
}
