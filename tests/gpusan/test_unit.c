// SPDX-License-Identifier: MIT
/* gpusan units on their own: the shadow encoding and the option parser. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <gpuown/gpusan.h>

#include <gpuown/shadow.h>

static struct gs_shadow *sh;

static void sh_setup(void)
{
	cr_assert_eq(gs_shadow_create(&sh), 0);
}

static void sh_teardown(void)
{
	gs_shadow_destroy(sh);
}

TestSuite(shadow, .init = sh_setup, .fini = sh_teardown);
TestSuite(options);

#define ALL_BUT(s) (~0u & ~(1u << (s)))

Test(shadow, unmapped_by_default)
{
	uint64_t bad;
	uint8_t b;

	cr_assert_eq(gs_shadow_get(sh, 0x1000), 0);
	cr_assert_not(
		gs_shadow_check(sh, 0x1000, 8, ALL_BUT(GS_UNMAPPED), &bad, &b));
	cr_assert_eq(bad, 0x1000);
	cr_assert_eq(gs_shadow_chunks(sh), 0);
}

Test(shadow, partial_granule)
{
	uint64_t va = 0x1000000040ull, bad;
	uint8_t b;

	cr_assert_eq(gs_shadow_paint(sh, va, 0x48, GS_CPU, 0), 0);
	cr_assert_eq(gs_shadow_get(sh, va), GS_BYTE(GS_CPU, 0));
	cr_assert_eq(gs_shadow_get(sh, va + 0x40), GS_BYTE(GS_CPU, 8));
	cr_assert(gs_shadow_check(sh, va + 0x40, 8, 1u << GS_CPU, &bad, &b));
	cr_assert_not(
		gs_shadow_check(sh, va + 0x44, 8, 1u << GS_CPU, &bad, &b));
	cr_assert_eq(bad, va + 0x48);
	cr_assert_eq(b, GS_BYTE(GS_CPU, 8));
}

Test(shadow, state_mismatch_names_first_bad_byte)
{
	uint64_t va = 0x2000, bad;
	uint8_t b;

	gs_shadow_paint(sh, va, 0x40, GS_CPU, 0);
	gs_shadow_paint(sh, va + 0x20, 0x10, GS_QUARANTINED, 0);
	cr_assert_not(gs_shadow_check(sh, va, 0x40, 1u << GS_CPU, &bad, &b));
	cr_assert_eq(bad, va + 0x20);
	cr_assert_eq(GS_STATE(b), GS_QUARANTINED);
	/* Access starting mid-granule reports its own first byte. */
	cr_assert_not(
		gs_shadow_check(sh, va + 0x24, 4, 1u << GS_CPU, &bad, &b));
	cr_assert_eq(bad, va + 0x24);
}

Test(shadow, only_over_protects_neighbours)
{
	gs_shadow_paint(sh, 0x3000, 0x40, GS_FW_R, 0);
	gs_shadow_paint(sh, 0x2fc0, 0x100, GS_REDZONE, 1u << GS_UNMAPPED);
	cr_assert_eq(GS_STATE(gs_shadow_get(sh, 0x3000)), GS_FW_R);
	cr_assert_eq(GS_STATE(gs_shadow_get(sh, 0x2fc0)), GS_REDZONE);
	cr_assert_eq(GS_STATE(gs_shadow_get(sh, 0x3080)), GS_REDZONE);
}

Test(shadow, crosses_chunks)
{
	uint64_t va = GS_CHUNK_VA - 0x20, bad;
	uint8_t b;

	cr_assert_eq(gs_shadow_paint(sh, va, 0x40, GS_SHARED_RW, 0), 0);
	cr_assert_eq(gs_shadow_chunks(sh), 2);
	cr_assert(gs_shadow_check(sh, va, 0x40, 1u << GS_SHARED_RW, &bad, &b));
	cr_assert_not(
		gs_shadow_check(sh, va, 0x41, 1u << GS_SHARED_RW, &bad, &b));
	cr_assert_eq(bad, va + 0x40);
}

Test(shadow, sparse_48_bit_and_wild)
{
	uint64_t top = (1ull << 48) - 0x100, bad;
	uint8_t b;

	cr_assert_eq(gs_shadow_paint(sh, top, 0x100, GS_GPU_ONLY, 0), 0);
	cr_assert(gs_shadow_check(sh, top, 0x100, 1u << GS_GPU_ONLY, &bad, &b));
	cr_assert_eq(gs_shadow_paint(sh, top, 0x200, GS_CPU, 0), -ERANGE);
	cr_assert_eq(gs_shadow_paint(sh, 8, 0x10, GS_CPU, 0), -EINVAL);
	/* Beyond 48 bits, and wrapping ranges: unmapped, never a crash. */
	cr_assert_eq(gs_shadow_get(sh, 1ull << 60), 0);
	cr_assert_not(gs_shadow_check(sh, ~0ull - 4, 16, ~0u, &bad, &b));
	cr_assert_not(gs_shadow_check(sh, 1ull << 50, 8, ~0u, &bad, &b));
	cr_assert_eq(gs_shadow_chunks(sh), 1);
}

Test(shadow, uniform_blocks_cost_no_storage)
{
	uint64_t va = 0x2000000000ull, bad;
	uint8_t b;

	/* 64 KiB in one state: 64 uniform blocks, no block stored. */
	cr_assert_eq(gs_shadow_paint(sh, va, 1u << 16, GS_FW_RW, 0), 0);
	cr_assert_eq(gs_shadow_chunks(sh), 0);
	cr_assert(gs_shadow_check(sh, va, 1u << 16, 1u << GS_FW_RW, &bad, &b));
	cr_assert(gs_shadow_check_fast(sh, va + 0x400, 64, 1u << GS_FW_RW));
	cr_assert_not(gs_shadow_check_fast(sh, va, 64, 1u << GS_CPU));
	/* A granule of one block changes: only that block is stored, and its
	 * neighbours keep their state. */
	cr_assert_eq(gs_shadow_paint(sh, va + 0x410, 0x10, GS_QUARANTINED, 0),
		     0);
	cr_assert_eq(gs_shadow_chunks(sh), 1);
	cr_assert_eq(gs_shadow_get(sh, va + 0x400), GS_BYTE(GS_FW_RW, 0));
	cr_assert_eq(gs_shadow_get(sh, va + 0x410), GS_BYTE(GS_QUARANTINED, 0));
	cr_assert_eq(gs_shadow_get(sh, va + 0x420), GS_BYTE(GS_FW_RW, 0));
	cr_assert_not(
		gs_shadow_check(sh, va + 0x400, 64, 1u << GS_FW_RW, &bad, &b));
	cr_assert_eq(bad, va + 0x410);
	cr_assert_not(gs_shadow_check_fast(sh, va + 0x400, 64, 1u << GS_FW_RW));
	/* Repainting a whole block makes it uniform again. */
	cr_assert_eq(gs_shadow_paint(sh, va, 1u << 16, GS_CPU, 0), 0);
	cr_assert(gs_shadow_check_fast(sh, va + 0x400, 64, 1u << GS_CPU));
	/* Filtered paints never materialise tables for unmapped VA. */
	cr_assert_eq(gs_shadow_paint(sh, 0x7000000000ull, 1u << 20, GS_UNMAPPED,
				     1u << GS_QUARANTINED),
		     0);
	cr_assert_eq(gs_shadow_get(sh, 0x7000000000ull), 0);
}

Test(shadow, fast_check_is_never_wrong)
{
	uint64_t va = 0x3000000040ull;

	/* 0x48 bytes: a partial last granule the fast check leaves to the
	 * exact one. */
	cr_assert_eq(gs_shadow_paint(sh, va, 0x48, GS_CPU, 0), 0);
	cr_assert_not(gs_shadow_check_fast(sh, va + 0x40, 8, 1u << GS_CPU));
	cr_assert(gs_shadow_check_fast(sh, va, 0x40, 1u << GS_CPU));
	/* Across one block boundary: both blocks are checked. */
	cr_assert_eq(
		gs_shadow_paint(sh, 0x3000000000ull + 0x3f0, 0x20, GS_CPU, 0),
		0);
	cr_assert(gs_shadow_check_fast(sh, 0x3000000000ull + 0x3f0, 0x20,
				       1u << GS_CPU));
	cr_assert_not(gs_shadow_check_fast(sh, 0x3000000000ull + 0x3f0, 0x30,
					   1u << GS_CPU));
	cr_assert_not(gs_shadow_check_fast(sh, 0x3000000000ull + 0x3e0, 0x20,
					   1u << GS_CPU));
	/* Uniform blocks on both sides (never painted: unmapped). */
	cr_assert(gs_shadow_check_fast(sh, 0x3100000000ull + 0x3f0, 0x20,
				       1u << GS_UNMAPPED));
	/* Three blocks, then one granule of the third not allowed. */
	cr_assert_eq(gs_shadow_paint(sh, 0x3200000000ull, 0x1000, GS_CPU, 0),
		     0);
	cr_assert(gs_shadow_check_fast(sh, 0x3200000000ull + 0x3f0, 0x420,
				       1u << GS_CPU));
	cr_assert_not(gs_shadow_check_fast(sh, 0x3200000000ull + 0x3f0, 0xc20,
					   1u << GS_CPU));
	/* More than 64 blocks: left to the exact check. */
	cr_assert_eq(gs_shadow_paint(sh, 0x3300000000ull, 0x20000, GS_CPU, 0),
		     0);
	cr_assert_not(gs_shadow_check_fast(sh, 0x3300000000ull, 0x10400,
					   1u << GS_CPU));
	cr_assert(gs_shadow_check_fast(sh, 0x3300000000ull, 0x10000,
				       1u << GS_CPU));
	/* Into a leaf (64 KiB) never painted: unmapped, allowed or not. */
	cr_assert_eq(gs_shadow_paint(sh, 0x340000fc00ull, 0x400, GS_CPU, 0), 0);
	cr_assert(
		gs_shadow_check_fast(sh, 0x340000fc00ull, 0x400, 1u << GS_CPU));
	cr_assert_not(
		gs_shadow_check_fast(sh, 0x340000fc00ull, 0x800, 1u << GS_CPU));
	cr_assert(gs_shadow_check_fast(sh, 0x340000fc00ull, 0x800,
				       (1u << GS_CPU) | (1u << GS_UNMAPPED)));
	cr_assert(gs_shadow_check(sh, 0x3200000000ull + 0x3f0, 0x420,
				  1u << GS_CPU, &(uint64_t){0}, &(uint8_t){0}));
	cr_assert_not(gs_shadow_check_fast(sh, va, 0, 1u << GS_CPU));
}

Test(shadow, resident_is_small)
{
	uint64_t before = gs_shadow_resident(sh);

	/* 1 MiB in one state: uniform blocks, leaves only (sixteen of 520
	 * bytes, 64 KiB of VA each, and their index), under a third of the
	 * 64 KiB 1/16 allows. */
	cr_assert_eq(gs_shadow_paint(sh, 0x1000000000ull, 1u << 20, GS_CPU, 0),
		     0);
	cr_assert_leq(gs_shadow_resident(sh) - before,
		      (16u << 10) + 4 * sizeof(struct gs_leaf));
	cr_assert_eq(gs_shadow_chunks(sh), 0);
	cr_assert_eq(gs_state_name(GS_QUARANTINED)[0], 'f');
	cr_assert_str_eq(gs_state_name(GS_NR_STATES), "invalid");
}

Test(options, defaults_and_all_options)
{
	struct gpusan_options o;
	char err[256];

	gpusan_options_default(&o);
	cr_assert(o.refuse_bad_access && o.print && !o.multi_shot);
	cr_assert_eq(o.history, 16);
	cr_assert_eq(
		gpusan_options_parse(
			"halt_on_error=1:multi_shot=true,quarantine_budget=8M "
			"history=4:stack_depth=0:report_file=/tmp/r.txt:"
			"poison_cpu=0:symbolize=no:print=0:refuse_bad_access=0:"
			"redzone=128",
			&o, err, sizeof(err)),
		0, "%s", err);
	cr_assert(o.halt_on_error && o.multi_shot && !o.poison_cpu &&
		  !o.symbolize && !o.print && !o.refuse_bad_access);
	cr_assert(o.quarantine_set);
	cr_assert_eq(o.quarantine_budget, 8u << 20);
	cr_assert_eq(o.history, 4);
	cr_assert_eq(o.stack_depth, 0);
	cr_assert_eq(o.redzone, 128);
	cr_assert_str_eq(o.report_file, "/tmp/r.txt");
	cr_assert_eq(gpusan_options_parse("quarantine_budget=4096", &o, err,
					  sizeof(err)),
		     0);
	cr_assert_eq(o.quarantine_budget, 4096);
	cr_assert_eq(gpusan_options_parse(NULL, &o, err, sizeof(err)), 0);
	cr_assert_eq(gpusan_options_parse("", &o, err, sizeof(err)), 0);
}

Test(options, numbers_are_decimal_or_0x_hex)
{
	struct gpusan_options o;
	char err[256];

	gpusan_options_default(&o);
	/* A leading zero is not octal: "010" is ten (was read as eight). */
	cr_assert_eq(gpusan_options_parse("history=010", &o, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(o.history, 10);
	cr_assert_eq(gpusan_options_parse("redzone=0x40:quarantine_budget=08k",
					  &o, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(o.redzone, 64);
	cr_assert_eq(o.quarantine_budget, 8u << 10);
}

static void bad_option(const char *str, const char *needle)
{
	struct gpusan_options o;
	char err[512] = "";

	gpusan_options_default(&o);
	cr_assert_eq(gpusan_options_parse(str, &o, err, sizeof(err)), -EINVAL,
		     "'%s' accepted", str);
	cr_assert(strstr(err, needle), "'%s': message '%s' lacks '%s'", str,
		  err, needle);
}

Test(options, malformed_options_name_the_option)
{
	bad_option("bogus=1", "unknown option 'bogus'");
	bad_option("halt_on_error=2", "option 'halt_on_error'");
	bad_option("multi_shot=", "option 'multi_shot'");
	bad_option("quarantine_budget=8X", "option 'quarantine_budget'");
	bad_option("quarantine_budget=-1", "option 'quarantine_budget'");
	bad_option("quarantine_budget=99999999999999999999",
		   "option 'quarantine_budget'");
	bad_option("history=0", "option 'history'");
	bad_option("history=257", "option 'history'");
	bad_option("history=0x", "option 'history'");
	bad_option("stack_depth=65", "option 'stack_depth'");
	bad_option("report_file=", "option 'report_file'");
	bad_option("redzone=65537", "option 'redzone'");
	bad_option("halt_on_error", "option 'halt_on_error' has no value");
	bad_option("print=1:verbose=1", "unknown option 'verbose'");
}

Test(options, long_names_do_not_overflow)
{
	char str[600];

	memset(str, 'a', sizeof(str) - 3);
	strcpy(str + sizeof(str) - 3, "=1");
	bad_option(str, "too long");
}

Test(options, fault_injection_options)
{
	struct gpusan_options o;
	char err[256] = "";

	gpusan_options_default(&o);
	cr_expect_eq(o.fail_op, -1, "nothing injected by default");
	cr_assert_eq(gpusan_options_parse("fail_op=map:fail_nth=010:fail_seed="
					  "18446744073709551615:fail_times=2:"
					  "fail_site=drv_job_bind",
					  &o, err, sizeof(err)),
		     0, "%s", err);
	cr_expect_eq(o.fail_op, 1);
	cr_expect_eq(o.fail_nth, 10, "decimal, not octal");
	cr_expect_eq(o.fail_seed, 18446744073709551615ull);
	cr_expect_eq(o.fail_times, 2);
	cr_expect_str_eq(o.fail_site, "drv_job_bind");
}

Test(options, malformed_fault_options_name_the_option)
{
	bad_option("fail_op=allocate:fail_nth=1", "'fail_op' (expected alloc");
	bad_option("fail_op=map:fail_nth=0x10", "option 'fail_nth'");
	bad_option("fail_op=map:fail_nth=-1", "option 'fail_nth'");
	bad_option("fail_op=map:fail_one_in=4294967296", "'fail_one_in'");
	bad_option("fail_op=map:fail_seed=18446744073709551616",
		   "option 'fail_seed'");
	bad_option("fail_op=map:fail_site=", "option 'fail_site'");
	bad_option("fail_op=map:fail_every=3", "unknown option 'fail_every'");
	bad_option("fail_op=map", "fail_op=map needs fail_nth or fail_one_in");
}
