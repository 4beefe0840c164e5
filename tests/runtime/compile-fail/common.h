/* SPDX-License-Identifier: MIT */
/* Types shared by the compile-fail snippets. */
#include <stdint.h>

#include <gpuown/annotations.h>
#include <gpuown/mm.h>

struct fw_cmdbuf {
	uint64_t addr;
};

GPUOWN_DECLARE_PTRS(fw_cmdbuf);
GPUOWN_DECLARE_PTRS(fw_job_desc);
