// SPDX-License-Identifier: MIT
/* A GPU virtual address used where a firmware address belongs. */
/* expect-gcc: incompatible types when assigning to type 'struct fw_ptr__fw_cmdbuf' from type 'struct gpu_ptr__fw_cmdbuf' */
/* expect-clang: assigning to 'struct fw_ptr__fw_cmdbuf' from incompatible type 'struct gpu_ptr__fw_cmdbuf' */
#include "common.h"

void to_fw(gpu_ptr(fw_cmdbuf) g);
void to_fw(gpu_ptr(fw_cmdbuf) g)
{
	fw_ptr(fw_cmdbuf) f;

	f = g; /* ERROR */
	(void)f;
}
