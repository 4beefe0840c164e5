// SPDX-License-Identifier: MIT
/*
 * gpusan's sharper reports: wrapper frames skipped in the BUG line and the
 * history, wrong-kind addresses named in their real address space, leaks
 * one by one at teardown, the ownership graph as DOT. Each positive case
 * checks the report text and the exact file:line; each has a silent twin.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gpuown/shadow.h>

#include "fixture.h"

#define FW_PRIV GPUOWN_MAP_FW_PRIVATE
#define FW_SHARED GPUOWN_MAP_FW_SHARED

TestSuite(wrappers, .init = fx_setup, .fini = fx_teardown);
TestSuite(wrongkind, .init = fx_setup, .fini = fx_teardown);
TestSuite(leaks, .init = fx_setup, .fini = fx_teardown);
TestSuite(dot, .fini = fx_teardown);

/*
 * A driver's buffer-object layer: the report must name its caller. The
 * empty asm keeps each call from becoming a tail call in optimised builds.
 */
static int bo_put_line;

static __attribute__((noinline)) int bo_put(struct gpuown_obj *o)
{
	int ret;

	bo_put_line = __LINE__ + 1;
	ret = gpuown_obj_free(o);
	__asm__ volatile("" ::: "memory");
	return ret;
}

static __attribute__((noinline)) int bo_put_outer(struct gpuown_obj *o)
{
	int ret = bo_put(o);

	__asm__ volatile("" ::: "memory");
	return ret;
}

/* "in <fn> gpusan/test_reports.c:<line>" for the fixture's checks. */
static char *at_line(char *buf, size_t len, const char *fn, int line)
{
	snprintf(buf, len, "in %s gpusan/test_reports.c:%d", fn, line);
	return buf;
}

/* ------------------------------------------------------------------------
 * Wrapper frames
 */
FX_TEST(wrappers, bug_line_names_the_wrappers_caller)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;
	char want[128];
	int free_line;

	cr_assert_eq(gpusan_add_wrapper("bo_put"), 0);
	free_line = __LINE__ + 1;
	cr_assert_eq(bo_put(o), 0);
	cr_assert_eq(FX_AT(bo_put(o)), -EINVAL);
	r = fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert_str_eq(r->fn, "fx_body_wrappers_bug_line_names_the_wrappers_"
				"caller");
	cr_assert(strstr(r->text, "BUG: GPUSAN: double-free in "
				  "fx_body_wrappers_bug_line_names_the_"
				  "wrappers_caller gpusan/test_reports.c:"),
		  "%s", r->text);
	/* The history names the driver's line of the first free too. */
	at_line(want, sizeof(want),
		"fx_body_wrappers_bug_line_names_the_wrappers_caller",
		free_line);
	cr_assert(strstr(r->text, want), "no '%s' in:\n%s", want, r->text);
	/* The call trace keeps every frame, the wrapper's included. */
	cr_assert(strstr(r->text, " in bo_put gpusan/test_reports.c:"), "%s",
		  r->text);
}

FX_TEST(wrappers, without_wrappers_the_wrapper_is_named)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(bo_put(o), 0);
	cr_assert_eq(bo_put(o), -EINVAL);
	fx_line = bo_put_line; /* bo_put's gpuown_obj_free() */
	r = fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert_str_eq(r->fn, "bo_put");
}

FX_TEST(wrappers, nested_wrappers_by_prefix)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpusan_add_wrapper("bo_*"), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(FX_AT(bo_put_outer(o)), -EINVAL);
	r = fx_expect(GPUSAN_DOUBLE_FREE, "fw_job_desc");
	cr_assert_str_eq(r->fn, "fx_body_wrappers_nested_wrappers_by_prefix");
}

FX_TEST(wrappers, file_pattern_skips_the_fixture_in_the_history)
{
	struct gpuown_obj *o;
	const struct fx_report *r;
	char want[160];
	int alloc_line;

	cr_assert_eq(gpusan_add_wrapper("fixture.c"), 0);
	o = fx_alloc(&fx_job, FW_PRIV, 0), alloc_line = __LINE__;
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	r = fx_expect(GPUSAN_FREE_WHILE_FW_OWNED, "fw_job_desc");
	snprintf(want, sizeof(want),
		 "#1 alloc     (new) -> cpu-owned holders=0 thread ");
	cr_assert(strstr(r->text, want), "%s", r->text);
	at_line(want, sizeof(want),
		"fx_body_wrappers_file_pattern_skips_the_fixture_in_the_"
		"history",
		alloc_line);
	cr_assert(strstr(r->text, want), "no '%s' in:\n%s", want, r->text);
	cr_assert_null(strstr(r->text, "thread 0 in fx_alloc"), "%s", r->text);
}

FX_TEST(wrappers, history_twin_names_the_fixture)
{
	struct gpuown_obj *o = fx_alloc(&fx_job, FW_PRIV, 0);
	const struct fx_report *r;

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(o)), -EBUSY);
	r = fx_expect(GPUSAN_FREE_WHILE_FW_OWNED, "fw_job_desc");
	cr_assert(strstr(r->text, " in fx_alloc gpusan/fixture.c:"), "%s",
		  r->text);
}

Test(wrappers, api_and_option_errors)
{
	struct gpusan_options o;
	char err[256] = "";
	char big[80];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(gpusan_add_wrapper(""), -EINVAL);
	cr_assert_eq(gpusan_add_wrapper(NULL), -EINVAL);
	cr_assert_eq(gpusan_add_wrapper(big), -EINVAL);
	gpusan_options_default(&o);
	cr_assert_eq(gpusan_options_parse("wrappers=drv_obj_alloc|drv_bo.c", &o,
					  err, sizeof(err)),
		     0);
	cr_assert_str_eq(o.wrappers, "drv_obj_alloc|drv_bo.c");
	cr_assert_eq(
		gpusan_options_parse("wrappers=a||b", &o, err, sizeof(err)),
		-EINVAL);
	cr_assert(strstr(err, "option 'wrappers'"), "%s", err);
}

/* ------------------------------------------------------------------------
 * Wrong-kind addresses
 */
FX_TEST(wrongkind, gpu_va_given_to_the_firmware)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	uint64_t va = fx_va(o), fa = gpuown_fw_addr_to_u64(fx_fa(o, 8));
	const struct fx_report *r;
	char want[256];
	uint8_t buf[8];

	fw_addr_t bad = gpuown_fw_addr_from_u64(va + 8);

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, bad, buf, 8)), -EFAULT);
	r = fx_expect(GPUSAN_ADDR_KIND_MISMATCH, "fx_buf");
	snprintf(want, sizeof(want),
		 " [fw addr 0x%llx is not a firmware address: it is a gpu va "
		 "of the firmware vm, 8 bytes into object fx_buf id %llu, "
		 "whose fw addr is 0x%llx]\n",
		 (unsigned long long)va + 8, (unsigned long long)r->obj_id,
		 (unsigned long long)fa);
	cr_assert(strstr(r->text, want), "no '%s' in:\n%s", want, r->text);
	cr_assert(strstr(r->text, "The address belongs, as another kind, to "
				  "the object fx_buf"),
		  "%s", r->text);
	cr_assert(strstr(r->text, " in field data_8[0] (u8[56], offset 0x8)"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "BUG: GPUSAN: address-kind-mismatch in "),
		  "%s", r->text);
}

FX_TEST(wrongkind, firmware_address_twin)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	uint8_t buf[8];

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(o, 8), buf, sizeof(buf)), 0);
}

FX_TEST(wrongkind, cpu_pointer_given_to_the_firmware)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	uint64_t cpu = (uint64_t)(uintptr_t)gpuown_obj_cpu(o);
	const struct fx_report *r;
	uint8_t buf[4];

	fw_addr_t bad = gpuown_fw_addr_from_u64(cpu);

	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, bad, buf, 4)), -EFAULT);
	r = fx_expect(GPUSAN_ADDR_KIND_MISMATCH, "fx_buf");
	cr_assert(strstr(r->text, "is not a firmware address: it is a cpu "
				  "pointer, 0 bytes into object fx_buf"),
		  "%s", r->text);
}

FX_TEST(wrongkind, fw_address_given_to_the_gpu)
{
	struct gpuown_obj *o = fx_alloc(&fx_buf, FW_PRIV, 0);
	uint64_t fa = gpuown_fw_addr_to_u64(fx_fa(o, 0));
	const struct fx_report *r;
	struct gpuown_vm *vm;
	uint8_t buf[4];

	gpu_addr_t bad = gpuown_gpu_addr_from_u64(fa);

	cr_assert_eq(gpuown_vm_create(fx_mm, "ctx0", &vm), 0);
	cr_assert_eq(FX_AT(gpuown_gpu_read(vm, bad, buf, 4)), -EFAULT);
	r = fx_expect(GPUSAN_ADDR_KIND_MISMATCH, "fx_buf");
	cr_assert(strstr(r->text, "is not a gpu va of this vm: it is a "
				  "firmware address, 0 bytes into object "
				  "fx_buf"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "whose gpu va is 0x"), "%s", r->text);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
}

FX_TEST(wrongkind, truly_wild_address_stays_wild)
{
	const struct fx_report *r;
	uint8_t buf[4];

	fw_addr_t bad = gpuown_fw_addr_from_u64(0x1234);

	fx_alloc(&fx_buf, FW_PRIV, 0);
	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, bad, buf, 4)), -EFAULT);
	r = fx_expect(GPUSAN_WILD_ADDRESS, "");
	cr_assert(strstr(r->text, "does not translate"), "%s", r->text);
	cr_assert_null(strstr(r->text, "is not a firmware address"), "%s",
		       r->text);
}

/* ------------------------------------------------------------------------
 * Leaks
 */
FX_TEST(leaks, each_leak_reported_at_teardown)
{
	struct gpuown_obj *a, *b;
	const struct fx_report *r;
	char want[160];
	int line_a, line_b;

	cr_assert_eq(gpusan_add_wrapper("fx_alloc"), 0);
	a = fx_alloc(&fx_job, FW_PRIV, 0), line_a = __LINE__;
	b = fx_alloc(&fx_buf, FW_PRIV, 0), line_b = __LINE__;
	cr_assert_eq(gpuown_obj_free(fx_alloc(&fx_buf, FW_PRIV, 0)), 0);
	cr_assert_eq(gpuown_obj_publish(b, NULL), 0);
	(void)a;
	gpusan_detach(fx_mm);

	fx_line = line_a;
	r = fx_expect(GPUSAN_LEAK, "fw_job_desc");
	cr_assert(strstr(r->text, "BUG: GPUSAN: leak in "
				  "fx_body_leaks_each_leak_reported_at_"
				  "teardown gpusan/test_reports.c:"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "Object fw_job_desc id 1 of size 72 was "
				  "never freed: still cpu-owned at teardown\n"),
		  "%s", r->text);
	cr_assert(strstr(r->text, "Found at teardown:\n  #0 "), "%s", r->text);
	cr_assert(strstr(r->text, "Allocated by thread "), "%s", r->text);
	cr_assert(strstr(r->text, "Ownership history (last 1 of 1 "
				  "operations):"),
		  "%s", r->text);

	fx_line = line_b;
	r = fx_expect(GPUSAN_LEAK, "fx_buf");
	cr_assert(strstr(r->text, "still firmware-owned at teardown"), "%s",
		  r->text);
	at_line(want, sizeof(want),
		"fx_body_leaks_each_leak_reported_at_teardown", line_b);
	cr_assert(strstr(r->text, want), "%s", r->text);
	cr_assert(strstr(r->text, "#2 publish   cpu-owned -> firmware-owned"),
		  "%s", r->text);
}

FX_TEST(leaks, everything_freed_twin)
{
	struct gpuown_obj *a = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *b = fx_alloc(&fx_buf, FW_PRIV, 0);

	cr_assert_eq(gpuown_obj_publish(b, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(b, NULL), 0);
	cr_assert_eq(gpuown_obj_free(a), 0);
	cr_assert_eq(gpuown_obj_free(b), 0);
	gpusan_detach(fx_mm);
}

Test(leaks, summary_line_and_detect_leaks_off)
{
	char path[] = "/tmp/gpusan-leaks-XXXXXX", line[512];
	struct gpusan_options o;
	unsigned leaks = 0, before;
	bool summary = false;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	gpusan_options_default(&o);
	o.multi_shot = false; /* leaks are all printed regardless */
	snprintf(o.report_file, sizeof(o.report_file), "%s", path);
	fx_setup_opts(&o);
	fx_alloc(&fx_job, FW_PRIV, 0);
	fx_alloc(&fx_job, FW_PRIV, 0);
	gpusan_detach(fx_mm);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "BUG: GPUSAN: leak in ", 21))
			leaks++;
		if (strstr(line, "gpusan: 2 objects leaked (never freed) at "
				 "gpusan_detach() of memory system"))
			summary = true;
	}
	fclose(f);
	unlink(path);
	cr_assert_eq(leaks, 2);
	cr_assert(summary);
	fx_nseen = fx_nreports;
	gpuown_mm_destroy(fx_mm);
	fx_mm = NULL;

	/* detect_leaks=0: nothing at detach. */
	cr_assert_eq(gpusan_options_parse("detect_leaks=0", &o, NULL, 0), 0);
	o.report_file[0] = '\0';
	o.print = false;
	fx_setup_opts(&o);
	fx_alloc(&fx_job, FW_PRIV, 0);
	before = gpusan_report_count();
	gpusan_detach(fx_mm);
	cr_assert_eq(gpusan_report_count(), before);
}

/* ------------------------------------------------------------------------
 * The ownership graph as DOT
 */
static char dot_tmp[64];

static void dot_setup(bool on)
{
	struct gpusan_options o;

	gpusan_options_default(&o);
	o.multi_shot = true;
	o.print = false;
	snprintf(dot_tmp, sizeof(dot_tmp), "/tmp/gpusan-dot-XXXXXX");
	cr_assert_not_null(mkdtemp(dot_tmp));
	if (on)
		snprintf(o.dot_dir, sizeof(o.dot_dir), "%s", dot_tmp);
	fx_setup_opts(&o);
}

/*
 * Graphviz (installed by scripts/setup.sh) must accept the file; with
 * GPUSAN_TEST_DOT_SVG=path it also renders it there and copies the DOT to
 * path.dot (the example in docs/gpusan.md).
 */
static void dot_validate(const char *path)
{
	const char *svg = getenv("GPUSAN_TEST_DOT_SVG");
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "dot -Tsvg -o '%s' '%s'",
		 svg ? svg : "/dev/null", path);
	cr_assert_eq(system(cmd), 0, "graphviz rejected %s", path);
	if (svg) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s.dot'", path, svg);
		cr_assert_eq(system(cmd), 0);
	}
}

/* The one file in dot_tmp (read into @buf), removing it and the folder. */
static int dot_read(char *buf, size_t len)
{
	struct dirent *de;
	char path[256];
	int files = 0;
	DIR *d = opendir(dot_tmp);
	FILE *f;
	size_t n;

	buf[0] = '\0';
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		files++;
		if (snprintf(path, sizeof(path), "%s/%s", dot_tmp,
			     de->d_name) >= (int)sizeof(path))
			continue;
		f = fopen(path, "r");
		if (f) {
			n = fread(buf, 1, len - 1, f);
			buf[n] = '\0';
			fclose(f);
		}
		dot_validate(path);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dot_tmp);
	return files;
}

/* A table of jobs pointing at a command buffer that is then freed. */
static void dangling_chain(void)
{
	struct gpuown_obj *buf = fx_alloc(&fx_buf, FW_PRIV, 0);
	struct gpuown_obj *job = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *job2 = fx_alloc(&fx_job, FW_PRIV, 0);
	struct gpuown_obj *queue = fx_alloc(NULL, FW_PRIV, 64);

	/* A second level: a raw queue page holding the published job. */
	cr_assert_eq(gpuown_store_gpu_ptr(queue, 0x10, job), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(job, 0x8, buf), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(job2, 0x8, buf), 0);
	cr_assert_eq(gpuown_obj_publish(buf, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(job, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(buf, NULL), 0);
	cr_assert_neq(FX_AT(gpuown_obj_free(buf)), 0);
}

Test(dot, dangling_pointer_graph)
{
	const struct fx_report *r;
	char text[8192];

	dot_setup(true);
	dangling_chain();
	r = fx_expect(GPUSAN_DANGLING_AT_FREE, "fx_buf");
	cr_assert(strstr(r->text, "Ownership graph (DOT): /tmp/gpusan-dot-"),
		  "%s", r->text);
	cr_assert_eq(dot_read(text, sizeof(text)), 1);
	cr_assert(strstr(text, "digraph gpusan {\n  graph [label=\"gpusan: "
			       "dangling-gpu-pointer in dangling_chain "
			       "gpusan/test_reports.c:"),
		  "%s", text);
	cr_assert(strstr(text, "  n0 [label=\"fx_buf id 1\\nG11_V2_1\\n"
			       "cpu-owned holders=0\\ngpu va 0x"),
		  "%s", text);
	cr_assert(strstr(text, "penwidth=3"), "%s", text);
	cr_assert(strstr(text, "[label=\"fw_job_desc id 2\\nG11_V2_1\\n"
			       "firmware-owned holders=1"),
		  "%s", text);
	cr_assert(strstr(text, "[label=\"fw_job_desc id 3\\nG11_V2_1\\n"
			       "cpu-owned holders=0"),
		  "%s", text);
	cr_assert(strstr(text, " -> n0 [label=\"cmdbuf_8 (gpu_ptr(fx_buf), "
			       "offset 0x8)\\n(gpu va)\"];"),
		  "%s", text);
	cr_assert(strstr(text, "}\n"), "%s", text);
	fx_expect_none();
}

Test(dot, no_dot_dir_twin)
{
	const struct fx_report *r;
	char text[256];

	dot_setup(false);
	dangling_chain();
	r = fx_expect(GPUSAN_DANGLING_AT_FREE, "fx_buf");
	cr_assert_null(strstr(r->text, "Ownership graph"), "%s", r->text);
	cr_assert_eq(dot_read(text, sizeof(text)), 0);
	fx_expect_none();
}

/* ------------------------------------------------------------------------
 * Sampled mode
 */
TestSuite(sample, .fini = fx_teardown);

#define NOBJ 64

static void sample_setup(unsigned n, unsigned long long seed)
{
	struct gpusan_options o;

	gpusan_options_default(&o);
	o.multi_shot = true;
	o.print = getenv("GPUSAN_TEST_PRINT") != NULL;
	o.sample = n;
	o.sample_seed = seed;
	o.sample_seed_set = true;
	fx_setup_opts(&o);
}

/* Allocate NOBJ objects; the index of the first (un)tracked one. */
static int sample_objs(struct gpuown_obj **objs, bool tracked,
		       unsigned *ntracked)
{
	int i, first = -1;

	*ntracked = 0;
	for (i = 0; i < NOBJ; i++) {
		objs[i] = fx_alloc(&fx_buf, FW_PRIV, 0);
		if (gpusan_obj_tracked(objs[i]))
			(*ntracked)++;
		if (first < 0 && gpusan_obj_tracked(objs[i]) == tracked)
			first = i;
	}
	return first;
}

Test(sample, tracked_object_use_after_free_is_reported)
{
	struct gpuown_obj *objs[NOBJ];
	const struct fx_report *r;
	unsigned ntracked;
	uint8_t buf[4];
	fw_addr_t fa;
	int i;

	sample_setup(4, 7);
	i = sample_objs(objs, true, &ntracked);
	cr_assert_geq(i, 0);
	cr_assert(ntracked >= 4 && ntracked <= 32, "%u of %d tracked", ntracked,
		  NOBJ);
	fa = fx_fa(objs[i], 0);
	cr_assert_eq(gpuown_obj_free(objs[i]), 0);
	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, fa, buf, 4)), -EACCES);
	r = fx_expect(GPUSAN_USE_AFTER_FREE, "fx_buf");
	cr_assert(strstr(r->text, "Freed by thread"), "%s", r->text);
	fx_expect_none();
}

Test(sample, untracked_object_costs_nothing_twin)
{
	struct gpuown_obj *objs[NOBJ];
	unsigned ntracked;
	uint8_t buf[4];
	fw_addr_t fa;
	int i;

	sample_setup(4, 7);
	i = sample_objs(objs, false, &ntracked);
	cr_assert_geq(i, 0);
	fa = fx_fa(objs[i], 0);
	/* No shadow for it, so no report: the bug goes unseen this run. */
	cr_assert_eq(gpusan_shadow_byte(fx_mm, NULL, fx_va(objs[i])), 0);
	cr_assert_eq(gpuown_obj_publish(objs[i], NULL), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fa, buf, 4), 0);
	cr_assert_eq(gpuown_obj_reclaim(objs[i], NULL), 0);
	cr_assert_eq(gpuown_obj_free(objs[i]), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fa, buf, 4), 0);
	fx_expect_none();
}

Test(sample, untracked_refusal_still_reported)
{
	struct gpuown_obj *objs[NOBJ];
	const struct fx_report *r;
	unsigned ntracked;
	int i;

	sample_setup(4, 7);
	i = sample_objs(objs, false, &ntracked);
	cr_assert_eq(gpuown_obj_publish(objs[i], NULL), 0);
	cr_assert_eq(FX_AT(gpuown_obj_free(objs[i])), -EBUSY);
	r = fx_expect(GPUSAN_FREE_WHILE_FW_OWNED, "fx_buf");
	cr_assert(strstr(r->text, "(not sampled: gpusan keeps no stacks or "
				  "history for it)"),
		  "%s", r->text);
	fx_expect_none();
}

/*
 * Only a tracked object pays for a redzone: on a memory system with none of
 * its own, untracked objects sit side by side, and a tracked one has
 * gpusan's redzone on both sides, so an overrun into it is still caught.
 * Tracked objects sit in the window's pool, apart from the others (as
 * KFENCE's objects sit in its own pool).
 */
Test(sample, redzone_only_around_tracked_objects)
{
	struct gpuown_mm_config cfg = {.backing_bytes = 16u << 20};
	struct gpuown_obj *objs[NOBJ];
	struct gpusan_options o;
	int i, t = -1, u = -1, t2 = -1;
	uint8_t buf[4];

	gpusan_options_default(&o);
	o.multi_shot = true;
	o.print = getenv("GPUSAN_TEST_PRINT") != NULL;
	o.sample = 4;
	o.sample_seed = 7;
	o.sample_seed_set = true;
	fx_setup_cfg(&cfg, &o);
	for (i = 0; i < NOBJ; i++)
		objs[i] = fx_alloc(&fx_buf, FW_PRIV, 0);
	for (i = 0; i + 1 < NOBJ; i++) {
		bool a = gpusan_obj_tracked(objs[i]);
		bool b = gpusan_obj_tracked(objs[i + 1]);

		if (u < 0 && !a && !b)
			u = i;
		if (t < 0 && !a && b)
			t = i + 1;
	}
	for (i = t + 1; t >= 0 && i < NOBJ && t2 < 0; i++)
		if (gpusan_obj_tracked(objs[i]))
			t2 = i;
	cr_assert(u >= 0 && t >= 0 && t2 >= 0);
	/* Untracked neighbours touch: the memory system has no redzone. */
	cr_assert_eq(fx_va(objs[u + 1]), fx_va(objs[u]) + 0x40);
	cr_assert_eq(gpusan_shadow_byte(fx_mm, NULL, fx_va(objs[u])), 0);
	/* The pool (the window's first 4 MiB) holds the tracked ones only. */
	cr_assert_lt(fx_va(objs[t]), fx_va(objs[u]));
	cr_assert_geq(fx_va(objs[u]) - fx_va(objs[t]), (4u << 20) - 0x1000);
	/* The tracked ones have gpusan's 64 bytes each side. */
	cr_assert_geq(fx_va(objs[t2]), fx_va(objs[t]) + 0x40 + 64);
	cr_assert_eq(gpusan_shadow_byte(fx_mm, NULL, fx_va(objs[t]) - 16),
		     GS_BYTE(GS_REDZONE, 0));
	cr_assert_eq(gpusan_shadow_byte(fx_mm, NULL, fx_va(objs[t]) + 0x40),
		     GS_BYTE(GS_REDZONE, 0));
	cr_assert_eq(gpuown_obj_publish(objs[t], NULL), 0);
	cr_assert_eq(FX_AT(gpuown_fw_read(fx_mm, fx_fa(objs[t], 0x40), buf, 4)),
		     -EACCES);
	fx_expect(GPUSAN_OUT_OF_BOUNDS, "fx_buf");
	cr_assert_eq(gpuown_obj_reclaim(objs[t], NULL), 0);
	for (i = 0; i < NOBJ; i++)
		cr_assert_eq(gpuown_obj_free(objs[i]), 0);
	fx_expect_none();
}

/* The twin: an untracked object's overrun into its untracked neighbour. */
Test(sample, untracked_overrun_unseen_twin)
{
	struct gpuown_mm_config cfg = {.backing_bytes = 16u << 20};
	struct gpuown_obj *objs[NOBJ];
	struct gpusan_options o;
	int i, u = -1;
	uint8_t buf[4];

	gpusan_options_default(&o);
	o.multi_shot = true;
	o.sample = 4;
	o.sample_seed = 7;
	o.sample_seed_set = true;
	fx_setup_cfg(&cfg, &o);
	for (i = 0; i < NOBJ; i++)
		objs[i] = fx_alloc(&fx_buf, FW_PRIV, 0);
	for (i = 0; u < 0 && i + 1 < NOBJ; i++)
		if (!gpusan_obj_tracked(objs[i]) &&
		    !gpusan_obj_tracked(objs[i + 1]))
			u = i;
	cr_assert_geq(u, 0);
	cr_assert_eq(gpuown_obj_publish(objs[u], NULL), 0);
	cr_assert_eq(gpuown_obj_publish(objs[u + 1], NULL), 0);
	cr_assert_eq(gpuown_fw_read(fx_mm, fx_fa(objs[u], 0x40), buf, 4), 0);
	cr_assert_eq(gpuown_obj_reclaim(objs[u], NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(objs[u + 1], NULL), 0);
	for (i = 0; i < NOBJ; i++)
		cr_assert_eq(gpuown_obj_free(objs[i]), 0);
	fx_expect_none();
}

Test(sample, same_seed_same_choice)
{
	struct gpuown_obj *objs[NOBJ];
	bool first[NOBJ];
	unsigned ntracked, again = 0;
	int i;

	sample_setup(8, 12345);
	sample_objs(objs, true, &ntracked);
	for (i = 0; i < NOBJ; i++)
		first[i] = gpusan_obj_tracked(objs[i]);
	gpusan_detach(fx_mm);
	gpuown_mm_destroy(fx_mm);
	fx_mm = NULL;
	for (i = 0; i < (int)fx_nreports; i++) /* the leaks of this run */
		free(fx_reports[i].text);
	/* Object ids are never reused: compare by order of allocation. */
	sample_setup(8, 12345);
	sample_objs(objs, true, &again);
	cr_assert_gt(ntracked, 0);
	for (i = 0; i < NOBJ; i++)
		if (first[i] != gpusan_obj_tracked(objs[i]))
			again = ~0u;
	cr_assert(again != ~0u || ntracked == 0);
}

Test(sample, full_mode_tracks_everything)
{
	struct gpuown_obj *objs[NOBJ];
	unsigned ntracked;

	sample_setup(1, 0);
	sample_objs(objs, true, &ntracked);
	cr_assert_eq(ntracked, NOBJ);
}

Test(sample, option_range)
{
	struct gpusan_options o;
	char err[256];

	gpusan_options_default(&o);
	cr_assert_eq(gpusan_options_parse("sample=100:sample_seed=0x2a", &o,
					  err, sizeof(err)),
		     0);
	cr_assert_eq(o.sample, 100);
	cr_assert_eq(o.sample_seed, 42);
	cr_assert(o.sample_seed_set);
	cr_assert_eq(
		gpusan_options_parse("sample=2000000", &o, err, sizeof(err)),
		-EINVAL);
	cr_assert(strstr(err, "'sample'"), "%s", err);
}
