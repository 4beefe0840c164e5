/* SPDX-License-Identifier: MIT */
/* Helpers shared by the driver suites. */
#ifndef DRV_TEST_H
#define DRV_TEST_H

#include <criterion/criterion.h>
#include <string.h>

#include <simgpu/drv.h>
#include <simgpu/hw.h>

static inline struct simgpu_dev *drv_test_probe(const char *gen, const char *fw)
{
	struct simgpu_probe_args a = {
		.gen = gen, .fw = fw, .max_buffer_size = 4096};
	struct simgpu_dev *dev = NULL;
	char err[256] = "";
	int ret;

	a.err = err;
	a.err_len = sizeof(err);
	ret = simgpu_probe(&a, &dev);
	cr_assert_eq(ret, 0, "probe %s_%s: %d (%s)", gen, fw, ret, err);
	return dev;
}

/* A job that fills its output with @value and checksums it. */
static inline int drv_test_fill(struct simgpu_dev *dev, uint32_t ctx,
				uint32_t value, uint32_t size, uint64_t dep,
				uint32_t flags, uint64_t *job)
{
	struct simgpu_cmd cmds[] = {
		{.op = SIMGPU_OP_FILL, .value = value, .len = size},
		{.op = SIMGPU_OP_CHECKSUM, .len = size},
	};
	struct simgpu_submit s = {
		.ctx = ctx,
		.output_size = size,
		.cmds = cmds,
		.nr_cmds = 2,
		.dep = dep,
		.flags = flags,
	};

	return simgpu_submit(dev, &s, job);
}

static inline void drv_test_expect_filled(struct simgpu_dev *dev, uint64_t job,
					  uint32_t value, uint32_t size)
{
	struct simgpu_job_info info;
	uint32_t buf[1024], i;

	cr_assert_leq(size, sizeof(buf));
	cr_assert_eq(simgpu_job_wait(dev, job, 10000), 0);
	cr_assert_eq(simgpu_job_info(dev, job, &info), 0);
	cr_assert(info.done);
	cr_assert_eq(info.status, 0, "job %llu status %d",
		     (unsigned long long)job, info.status);
	cr_assert_eq(simgpu_job_read_output(dev, job, 0, buf, size), 0);
	for (i = 0; i < size / 4; i++)
		cr_assert_eq(buf[i], value, "word %u: %#x != %#x", i, buf[i],
			     value);
	cr_assert_eq(info.checksum,
		     simgpu_hw_checksum(SIMGPU_CHECKSUM_INIT, buf, size));
}

#endif /* DRV_TEST_H */
