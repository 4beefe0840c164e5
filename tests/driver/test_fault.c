// SPDX-License-Identifier: MIT
/*
 * The firmware fault path: a job whose output address does not translate, a
 * descriptor the firmware cannot parse and a command outside its buffer each
 * become a fault event with the GPU address; the driver retires the job with
 * an error and the context keeps working.
 */
#include <errno.h>

#include <simgpu/hw.h>

#include "drv_test.h"

#define SZ 512

static uint64_t expect_fault(struct simgpu_dev *dev, uint64_t job, int status)
{
	struct simgpu_job_info info;

	cr_assert_eq(simgpu_job_wait(dev, job, 10000), 0);
	cr_assert_eq(simgpu_job_info(dev, job, &info), 0);
	cr_assert(info.done);
	cr_assert_eq(info.status, status, "status %d, expected %d", info.status,
		     status);
	cr_assert_neq(info.fault_addr, 0, "fault without a GPU address");
	return info.fault_addr;
}

static uint64_t output_va(struct simgpu_dev *dev, uint64_t job)
{
	struct simgpu_job_info info;

	cr_assert_eq(simgpu_job_info(dev, job, &info), 0);
	return info.output_va;
}

static void fault_then_recover(const char *gen, const char *fw, uint32_t flags,
			       int status)
{
	struct simgpu_dev *dev = drv_test_probe(gen, fw);
	struct simgpu_stats st;
	uint64_t bad, good, addr;
	uint32_t ctx;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &ctx), 0);
	cr_assert_eq(drv_test_fill(dev, ctx, 7, SZ, 0, flags, &bad), 0);
	addr = expect_fault(dev, bad, status);
	/* The first write of the FILL is the first address that fails. */
	if (flags & SIMGPU_SUBMIT_UNMAPPED_OUTPUT)
		cr_assert_eq(addr, output_va(dev, bad), "fault at %#llx",
			     (unsigned long long)addr);
	else
		cr_assert_neq(addr, output_va(dev, bad));
	cr_assert_eq(drv_test_fill(dev, ctx, 9, SZ, bad, 0, &good), 0);
	drv_test_expect_filled(dev, good, 9, SZ);
	simgpu_get_stats(dev, &st);
	cr_assert_eq(st.fault_events, 1);
	cr_assert_eq(st.jobs_faulted, 1);
	cr_assert_eq(st.warnings, 0);
	cr_assert_eq(simgpu_remove(dev), 0);
}

Test(fault, unmapped_output_address)
{
	fault_then_recover("G10", "V1_0", SIMGPU_SUBMIT_UNMAPPED_OUTPUT,
			   -EFAULT);
}

Test(fault, unmapped_output_address_newest_firmware)
{
	fault_then_recover("G12", "V3_0", SIMGPU_SUBMIT_UNMAPPED_OUTPUT,
			   -EFAULT);
}

Test(fault, unparsable_descriptor)
{
	fault_then_recover("G11", "V2_1", SIMGPU_SUBMIT_BAD_MAGIC, -EINVAL);
}

Test(fault, command_outside_its_buffer)
{
	struct simgpu_dev *dev = drv_test_probe("G11", "V1_2");
	struct simgpu_cmd cmd = {
		.op = SIMGPU_OP_FILL, .dst_off = SZ - 4, .len = 8};
	struct simgpu_submit s = {
		.output_size = SZ, .cmds = &cmd, .nr_cmds = 1};
	uint64_t job, good;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &s.ctx), 0);
	cr_assert_eq(simgpu_submit(dev, &s, &job), 0);
	/* The address of the offending command, in the command buffer. */
	cr_assert_neq(expect_fault(dev, job, -EINVAL), output_va(dev, job));
	cr_assert_eq(drv_test_fill(dev, s.ctx, 3, SZ, 0, 0, &good), 0);
	drv_test_expect_filled(dev, good, 3, SZ);
	cr_assert_eq(simgpu_remove(dev), 0);
}

Test(fault, bad_submissions_are_refused_before_the_firmware)
{
	struct simgpu_dev *dev = drv_test_probe("G10", "V1_0");
	struct simgpu_cmd cmd = {.op = SIMGPU_OP_FILL, .len = 16};
	struct simgpu_submit s = {
		.output_size = 16, .cmds = &cmd, .nr_cmds = 1};
	uint64_t job;

	cr_assert_eq(simgpu_ctx_create(dev, 0, &s.ctx), 0);
	s.output_size = 6;
	cr_assert_eq(simgpu_submit(dev, &s, &job), -EINVAL);
	s.output_size = 1u << 20;
	cr_assert_eq(simgpu_submit(dev, &s, &job), -EINVAL);
	s.output_size = 16;
	s.nr_cmds = SIMGPU_MAX_CMDS + 1;
	cr_assert_eq(simgpu_submit(dev, &s, &job), -EINVAL);
	s.nr_cmds = 1;
	s.ctx = 12345;
	cr_assert_eq(simgpu_submit(dev, &s, &job), -ENOENT);
	cr_assert_eq(simgpu_remove(dev), 0);
}
