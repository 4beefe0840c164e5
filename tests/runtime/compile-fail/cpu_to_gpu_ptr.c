// SPDX-License-Identifier: MIT
/* A CPU pointer assigned to a GPU pointer. */
/* expect-gcc: incompatible types when assigning to type 'struct gpu_ptr__fw_cmdbuf' from type 'struct fw_cmdbuf \*' */
/* expect-clang: assigning to 'struct gpu_ptr__fw_cmdbuf' from incompatible type 'struct fw_cmdbuf \*' */
#include "common.h"

void put(struct fw_cmdbuf *cpu);
void put(struct fw_cmdbuf *cpu)
{
	gpu_ptr(fw_cmdbuf) p;

	p = cpu; /* ERROR */
	(void)p;
}
