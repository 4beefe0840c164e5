// SPDX-License-Identifier: MIT
/* A GPU pointer to one firmware struct stored as a pointer to another. */
/* expect-gcc: incompatible types when assigning to type 'struct gpu_ptr__fw_job_desc' from type 'struct gpu_ptr__fw_cmdbuf' */
/* expect-clang: assigning to 'struct gpu_ptr__fw_job_desc' from incompatible type 'struct gpu_ptr__fw_cmdbuf' */
#include "common.h"

void link(gpu_ptr(fw_cmdbuf) cb);
void link(gpu_ptr(fw_cmdbuf) cb)
{
	gpu_ptr(fw_job_desc) job;

	job = cb; /* ERROR */
	(void)job;
}
