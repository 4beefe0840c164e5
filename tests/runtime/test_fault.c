// SPDX-License-Identifier: MIT
/* Fault injection (<gpuown/fault.h>): which calls fail, and replay by seed. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>

#include <gpuown/fault.h>

static void reset(void)
{
	gpuown_fault_clear();
	gpuown_fault_set_notify(NULL, NULL);
	gpuown_fault_set_site_matcher(NULL, NULL);
}

TestSuite(fault, .init = reset, .fini = reset);

/* The failing call numbers of the first @n calls, as a bit mask. */
static uint64_t failing_calls(enum gpuown_fault_op op, unsigned n)
{
	uint64_t mask = 0;

	for (unsigned i = 0; i < n; i++)
		if (gpuown_fault_should_fail(op, NULL))
			mask |= 1ull << i;
	return mask;
}

Test(fault, nothing_fails_unless_configured)
{
	cr_expect_eq(failing_calls(GPUOWN_FAULT_ALLOC, 64), 0);
	cr_expect_eq(gpuown_fault_calls(GPUOWN_FAULT_ALLOC), 0);
}

Test(fault, nth_call_fails_once)
{
	struct gpuown_fault_attr a = {.nth = 3};

	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_MAP, &a), 0);
	cr_expect_eq(failing_calls(GPUOWN_FAULT_MAP, 10), 1ull << 2);
	cr_expect_eq(gpuown_fault_calls(GPUOWN_FAULT_MAP), 10);
	cr_expect_eq(gpuown_fault_injected(GPUOWN_FAULT_MAP), 1);
	/* Other operations are untouched. */
	cr_expect_eq(failing_calls(GPUOWN_FAULT_ALLOC, 10), 0);
}

Test(fault, nth_with_times_fails_a_run_of_calls)
{
	struct gpuown_fault_attr a = {.nth = 2, .times = 3};

	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_FW_MSG, &a), 0);
	cr_expect_eq(failing_calls(GPUOWN_FAULT_FW_MSG, 10), 0xeull);
}

Test(fault, one_in_replays_by_seed)
{
	struct gpuown_fault_attr a = {.one_in = 4, .seed = 42};
	uint64_t first, again, other;

	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_FENCE_WAIT, &a), 0);
	first = failing_calls(GPUOWN_FAULT_FENCE_WAIT, 64);
	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_FENCE_WAIT, &a), 0);
	again = failing_calls(GPUOWN_FAULT_FENCE_WAIT, 64);
	a.seed = 43;
	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_FENCE_WAIT, &a), 0);
	other = failing_calls(GPUOWN_FAULT_FENCE_WAIT, 64);
	cr_expect_eq(first, again, "the same seed fails the same calls");
	cr_expect_neq(first, other, "another seed, other calls");
	/* Roughly one in four of 64 calls. */
	cr_expect(__builtin_popcountll(first) >= 6 &&
			  __builtin_popcountll(first) <= 30,
		  "%d of 64 calls failed", __builtin_popcountll(first));
}

Test(fault, times_caps_random_failures)
{
	struct gpuown_fault_attr a = {.one_in = 1, .times = 2};

	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_FW_JOB, &a), 0);
	cr_expect_eq(failing_calls(GPUOWN_FAULT_FW_JOB, 8), 0x3ull);
}

static bool match_alloc_site(const char *site, void *arg)
{
	return *(bool *)arg;
}

Test(fault, site_filter_counts_only_matching_calls)
{
	bool at_site = false;
	struct gpuown_fault_attr a = {.nth = 2, .site = "drv_job_alloc"};

	cr_expect_eq(gpuown_fault_set(GPUOWN_FAULT_ALLOC, &a), -EINVAL,
		     "a site needs a matcher");
	gpuown_fault_set_site_matcher(match_alloc_site, &at_site);
	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_ALLOC, &a), 0);
	cr_expect_eq(failing_calls(GPUOWN_FAULT_ALLOC, 5), 0);
	at_site = true;
	cr_expect_eq(failing_calls(GPUOWN_FAULT_ALLOC, 5), 1ull << 1);
	cr_expect_eq(gpuown_fault_calls(GPUOWN_FAULT_ALLOC), 5);
}

static unsigned notified;
static uint64_t notified_call;

static void count_notice(enum gpuown_fault_op op, uint64_t call,
			 const void *caller, void *arg)
{
	notified++;
	notified_call = call;
	cr_expect_eq(op, GPUOWN_FAULT_INVALIDATE);
	cr_expect_eq(arg, &notified);
}

Test(fault, every_injected_failure_is_notified)
{
	struct gpuown_fault_attr a = {.nth = 4};

	gpuown_fault_set_notify(count_notice, &notified);
	cr_assert_eq(gpuown_fault_set(GPUOWN_FAULT_INVALIDATE, &a), 0);
	failing_calls(GPUOWN_FAULT_INVALIDATE, 9);
	cr_expect_eq(notified, 1);
	cr_expect_eq(notified_call, 4);
}

Test(fault, bad_configuration_is_refused)
{
	struct gpuown_fault_attr none = {0}, nth = {.nth = 1};

	cr_expect_eq(gpuown_fault_set(GPUOWN_FAULT_ALLOC, &none), -EINVAL);
	cr_expect_eq(gpuown_fault_set(GPUOWN_FAULT_NR_OPS, &nth), -EINVAL);
	cr_expect_eq(gpuown_fault_set((enum gpuown_fault_op)-1, &nth),
		     -EINVAL);
	cr_expect_eq(gpuown_fault_set(GPUOWN_FAULT_ALLOC, NULL), -EINVAL);
	cr_expect_not(gpuown_fault_should_fail(GPUOWN_FAULT_NR_OPS, NULL));
}

Test(fault, names_round_trip)
{
	for (int op = 0; op < GPUOWN_FAULT_NR_OPS; op++)
		cr_expect_eq(gpuown_fault_op_from_name(
				     gpuown_fault_op_name((enum gpuown_fault_op)op)),
			     op);
	cr_expect_eq(gpuown_fault_op_from_name("alocate"), -EINVAL);
	cr_expect_str_eq(gpuown_fault_op_name(GPUOWN_FAULT_NR_OPS), "unknown");
}
