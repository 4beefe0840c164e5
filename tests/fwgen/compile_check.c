// SPDX-License-Identifier: MIT
/*
 * One translation unit with everything fwgen generates for the sample set
 * (header, every variant instantiated), compiled warning-free by gcc and
 * clang in strict C11 and checked by sparse (tests/fwgen/CMakeLists.txt).
 */
#include <string.h>

#include <gpuown_fw/sample.h>

struct job_ops {
	const char *variant;
	int index;
	unsigned int submit_msg;
	unsigned int job_slots;
	int (*fill_job)(void *buf, size_t len, uint64_t stamp);
	const char *(*check_desc)(void);
};

/* Declares every instance: job_ops__G10_V1_0, job_ops__G11_V1_2, ... */
#define JOB_OPS_NAME(gen, fw, idx) job_ops__##gen##_##fw
extern const struct job_ops sample_VARIANTS(JOB_OPS_NAME);

#define GPUOWN_VERSIONED_SOURCE "versioned_job.c"
#include <gpuown_fw/sample_instantiate.h>

#define JOB_OPS(gen, fw, idx) [idx] = &job_ops__##gen##_##fw
extern const struct job_ops *const compile_check_ops[FW_VARIANT_COUNT];
const struct job_ops *const compile_check_ops[FW_VARIANT_COUNT] = {
	sample_VARIANTS(JOB_OPS)};
