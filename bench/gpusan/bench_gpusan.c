// SPDX-License-Identifier: MIT
/*
 * bench_gpusan: what gpusan costs, each figure against a baseline measured in
 * the same run.
 *
 *   checked access   ns per 64-byte firmware read, no hooks vs gpusan
 *   operations       alloc+publish+reclaim+free per second, without vs with
 *   workload         gpuown-workload wall time without vs with --gpusan
 *   shadow           resident shadow bytes per mapped GPU byte
 *
 * Usage: bench_gpusan [--quick] [--access-only] [--workload PATH] [--jobs N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gpuown/gpusan.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define REPEATS 3

static unsigned long access_iters = 2000000, op_iters = 50000;
static const char *workload_path;
static unsigned workload_jobs = 2000;
static bool access_only;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static struct gpuown_mm *mm_new(bool san)
{
	struct gpuown_mm_config cfg = {.backing_bytes = 64u << 20,
				       .redzone = 64};
	struct gpusan_options o;
	struct gpuown_mm *mm;

	if (gpuown_mm_create(&cfg, &mm))
		exit(2);
	gpusan_options_default(&o);
	o.multi_shot = true;
	/* GPUSAN_OPTIONS applies here too, e.g. to price stack_depth. */
	if (gpusan_options_parse(getenv("GPUSAN_OPTIONS"), &o, NULL, 0))
		exit(2);
	if (san && gpusan_attach_opts(mm, &o))
		exit(2);
	return mm;
}

static void mm_done(struct gpuown_mm *mm)
{
	gpusan_detach(mm);
	gpuown_mm_destroy(mm);
}

static struct gpuown_obj *obj_new(struct gpuown_mm *mm, size_t size)
{
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_FW_PRIVATE,
				      .size = size};
	struct gpuown_obj *o;

	if (gpuown_obj_alloc(mm, &a, &o))
		exit(3);
	return o;
}

/* ns per checked 64-byte firmware read of a published object. */
static double bench_access(bool san)
{
	struct gpuown_mm *mm = mm_new(san);
	struct gpuown_obj *o = obj_new(mm, 256);
	fw_addr_t fa = gpuown_obj_fw_addr(o);
	uint8_t buf[64];
	double t, best = 1e9;
	unsigned long i;
	int r;

	gpuown_obj_publish(o, NULL);
	for (r = 0; r < REPEATS; r++) {
		t = now();
		for (i = 0; i < access_iters; i++)
			if (gpuown_fw_read(mm, fa, buf, sizeof(buf)))
				exit(4);
		t = (now() - t) * 1e9 / access_iters;
		if (t < best)
			best = t;
	}
	gpuown_obj_reclaim(o, NULL);
	gpuown_obj_free(o);
	mm_done(mm);
	return best;
}

/* Operations (alloc, publish, reclaim, free) per second. */
static double bench_ops(bool san)
{
	struct gpuown_mm *mm = mm_new(san);
	double t, best = 0;
	unsigned long i;
	int r;

	for (r = 0; r < REPEATS; r++) {
		t = now();
		for (i = 0; i < op_iters; i++) {
			struct gpuown_obj *o = obj_new(mm, 64 + (i % 8) * 64);

			if (gpuown_obj_publish(o, NULL) ||
			    gpuown_obj_reclaim(o, NULL) || gpuown_obj_free(o))
				exit(5);
			if (i % 256 == 0)
				gpuown_mm_fw_cache_flushed(mm);
		}
		t = 4.0 * op_iters / (now() - t);
		if (t > best)
			best = t;
	}
	mm_done(mm);
	return best;
}

/* Resident shadow bytes per mapped byte, for a mix of object sizes. */
static void bench_shadow(void)
{
	struct gpuown_mm *mm = mm_new(true);
	static struct gpuown_obj *objs[4096];
	uint64_t shadow, mapped;
	unsigned i;

	for (i = 0; i < 4096; i++)
		objs[i] = obj_new(mm, 64u << (i % 7)); /* 64 B .. 4 KiB */
	shadow = gpusan_shadow_bytes(mm);
	mapped = gpuown_mm_mapped_bytes(mm);
	printf("shadow: %llu bytes resident for %llu mapped bytes: 1/%.1f "
	       "(target <= 1/16)\n",
	       (unsigned long long)shadow, (unsigned long long)mapped,
	       shadow ? (double)mapped / shadow : 0.0);
	for (i = 0; i < 4096; i++)
		gpuown_obj_free(objs[i]);
	mm_done(mm);
}

/* Wall seconds of one run; its CPU seconds (user + sys) in *cpu. */
static double run_workload(bool san, double *cpu)
{
	struct rusage ru;
	char jobs[32];
	const char *argv[8];
	int argc = 0, st, fd;
	double t;
	pid_t pid;

	snprintf(jobs, sizeof(jobs), "%u", workload_jobs);
	argv[argc++] = workload_path;
	argv[argc++] = "--jobs";
	argv[argc++] = jobs;
	if (san)
		argv[argc++] = "--gpusan";
	argv[argc] = NULL;
	t = now();
	pid = fork();
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		execv(workload_path, (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		fprintf(stderr, "bench_gpusan: %s%s failed\n", workload_path,
			san ? " --gpusan" : "");
		return -1;
	}
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
	return now() - t;
}

static void bench_workload(void)
{
	double off = 1e9, on = 1e9, coff = 1e9, con = 1e9, t, c;
	int r;

	if (!workload_path || access(workload_path, X_OK)) {
		printf("workload: gpuown-workload not built; skipped\n");
		return;
	}
	/* Alternate, best of each: both see the same machine state. */
	for (r = 0; r < REPEATS; r++) {
		t = run_workload(false, &c);
		if (t < 0)
			return;
		off = t < off ? t : off;
		coff = c < coff ? c : coff;
		t = run_workload(true, &c);
		if (t < 0)
			return;
		on = t < on ? t : on;
		con = c < con ? c : con;
	}
	printf("workload: %u jobs x 5 variants: wall %.3f s without, %.3f s "
	       "with gpusan: ratio %.2f (target <= 1.5)\n",
	       workload_jobs, off, on, on / off);
	printf("workload: cpu time %.3f s without, %.3f s with gpusan: "
	       "ratio %.2f\n",
	       coff, con, con / coff);
}

static int parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			access_iters /= 10;
			op_iters /= 10;
			workload_jobs = 200;
		} else if (!strcmp(argv[i], "--access-only")) {
			access_only = true;
		} else if (!strcmp(argv[i], "--workload") && i + 1 < argc) {
			workload_path = argv[++i];
		} else if (!strcmp(argv[i], "--jobs") && i + 1 < argc) {
			workload_jobs = (unsigned)strtoul(argv[++i], NULL, 0);
			if (!workload_jobs) {
				fprintf(stderr, "bench_gpusan: --jobs: not a "
						"positive number\n");
				return -EINVAL;
			}
		} else {
			fprintf(stderr,
				"usage: bench_gpusan [--quick] [--access-only] "
				"[--workload PATH] [--jobs N]\n");
			return -EINVAL;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	double a0, a1, o0, o1;

#ifdef GPUOWN_WORKLOAD_PATH
	workload_path = GPUOWN_WORKLOAD_PATH;
#endif
	if (parse_args(argc, argv))
		return 2;
	a0 = bench_access(false);
	a1 = bench_access(true);
	printf("checked access: 64-byte firmware read: %.1f ns without hooks, "
	       "%.1f ns with gpusan: +%.1f ns, ratio %.2f\n",
	       a0, a1, a1 - a0, a1 / a0);
	if (access_only)
		return 0;
	o0 = bench_ops(false);
	o1 = bench_ops(true);
	printf("operations: alloc/publish/reclaim/free: %.0f ops/s without, "
	       "%.0f ops/s with gpusan: ratio %.2f\n",
	       o0, o1, o0 / o1);
	bench_shadow();
	bench_workload();
	return 0;
}
