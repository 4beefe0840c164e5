// SPDX-License-Identifier: MIT
/*
 * ASan integration: with gpusan attached, the CPU view of an object the CPU
 * must not touch is poisoned, so a plain dereference in driver code is
 * trapped by ASan and gpusan appends the ownership state to ASan's report.
 * Each case runs the access in a child and matches the child's stderr.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

#define OUT_MAX (64 * 1024)

static char out[OUT_MAX];

static struct gpuown_obj *child_obj(struct gpuown_mm **mm,
				    const struct gpuown_struct_desc *l)
{
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_FW_PRIVATE,
		.layout = l,
		.flags = GPUOWN_ALLOC_ZERO,
	};
	struct gpuown_obj *o = NULL;

	if (gpuown_mm_create(NULL, mm) || gpusan_attach(*mm) ||
	    gpuown_obj_alloc(*mm, &a, &o))
		_exit(90);
	return o;
}

/* Run @fn in a child with stderr captured in out[]; its exit status. */
static int run_child(void (*fn)(void))
{
	size_t len = 0;
	ssize_t n;
	int p[2], status;
	pid_t pid;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		fn();
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_fw_owned(void)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *o = child_obj(&mm, &fx_result);
	volatile uint32_t *cpu = gpuown_obj_cpu(o);

	if (gpuown_obj_publish(o, NULL))
		_exit(91);
	cpu[1] = 0x1234; /* the firmware owns it and writes it */
}

Test(asan, plain_write_to_published_object_traps)
{
	int st = run_child(write_fw_owned);

	cr_assert_neq(st, 0, "child survived:\n%s", out);
	cr_assert(strstr(out, "AddressSanitizer: use-after-poison"), "%s", out);
	cr_assert(strstr(out, "BUG: GPUSAN: cpu-write-while-firmware-owned in "
			      "write_fw_owned"),
		  "%s", out);
	cr_assert(strstr(out, "The object: fx_result (variant G11_V2_1)"), "%s",
		  out);
	cr_assert(strstr(out, "field checksum_4 (u32, offset 0x4)"), "%s", out);
	cr_assert(strstr(out, "Ownership history"), "%s", out);
	cr_assert(strstr(out, "publish"), "%s", out);
}

static void write_after_reclaim(void)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *o = child_obj(&mm, &fx_result);
	volatile uint32_t *cpu = gpuown_obj_cpu(o);

	if (gpuown_obj_publish(o, NULL) || gpuown_obj_reclaim(o, NULL))
		_exit(91);
	cpu[1] = 0x1234;
	if (gpuown_obj_free(o))
		_exit(92);
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
}

Test(asan, plain_write_after_reclaim_twin)
{
	int st = run_child(write_after_reclaim);

	cr_assert_eq(st, 0, "%s", out);
	cr_assert_null(strstr(out, "AddressSanitizer"), "%s", out);
	cr_assert_null(strstr(out, "GPUSAN"), "%s", out);
}

static void read_freed(void)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *o = child_obj(&mm, &fx_job);
	volatile uint64_t *cpu = gpuown_obj_cpu(o);
	uint64_t v;

	if (gpuown_obj_free(o))
		_exit(91);
	v = cpu[4]; /* stale CPU pointer into a quarantined object */
	(void)v;
}

Test(asan, plain_read_of_freed_object_traps)
{
	int st = run_child(read_freed);

	cr_assert_neq(st, 0, "child survived:\n%s", out);
	cr_assert(strstr(out, "AddressSanitizer: use-after-poison"), "%s", out);
	cr_assert(strstr(out, "BUG: GPUSAN: use-after-free in read_freed"),
		  "%s", out);
	cr_assert(strstr(out, "field stamp_value_20 (u64, offset 0x20)"), "%s",
		  out);
	cr_assert(strstr(out, "Freed by thread"), "%s", out);
}

static void read_fw_read_object(void)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *o = child_obj(&mm, &fx_job);
	volatile uint64_t *cpu = gpuown_obj_cpu(o);
	uint64_t v;

	if (gpuown_obj_publish(o, NULL))
		_exit(91);
	v = cpu[4]; /* the firmware only reads a job: reading is fine */
	(void)v;
	if (gpuown_obj_reclaim(o, NULL) || gpuown_obj_free(o))
		_exit(92);
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
}

Test(asan, plain_read_of_fw_read_object_twin)
{
	int st = run_child(read_fw_read_object);

	cr_assert_eq(st, 0, "%s", out);
	cr_assert_null(strstr(out, "AddressSanitizer"), "%s", out);
}

static void detach_unpoisons(void)
{
	struct gpuown_mm *mm;
	struct gpuown_obj *o = child_obj(&mm, &fx_result);
	volatile uint32_t *cpu = gpuown_obj_cpu(o);

	if (gpuown_obj_publish(o, NULL))
		_exit(91);
	gpusan_detach(mm);
	/* gpusan gone: its poison must be gone too. */
	cpu[1] = 1;
	gpuown_mm_destroy(mm);
}

Test(asan, detach_removes_poison_twin)
{
	int st = run_child(detach_unpoisons);

	cr_assert_eq(st, 0, "%s", out);
	cr_assert_null(strstr(out, "AddressSanitizer"), "%s", out);
}
