// SPDX-License-Identifier: MIT
/*
 * bench_gpusan: what gpusan costs, each figure against a baseline measured in
 * the same run.
 *
 *   checked access   ns per 64-byte firmware read: no hooks, full gpusan,
 *                    sampled gpusan (an object the sampler left out)
 *   operations       alloc+publish+reclaim+free per second, without vs with
 *   shadow           resident shadow bytes per mapped GPU byte
 *   workload         gpuown-workload wall time: without, full, sampled
 *   detection        how often sampled mode catches a known bug (a firmware
 *                    read of a freed object), as a function of N
 *
 * Usage: bench_gpusan [--quick] [--access-only] [--workload-only]
 *                     [--workload PATH] [--jobs N] [--rounds N] [--sample N]
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
static unsigned workload_rounds = 5; /* --rounds */
static unsigned sample_n = 64;	     /* --sample: N of the sampled figures */
static unsigned detect_trials = 400;
static bool access_only, workload_only;

enum san_mode { SAN_OFF, SAN_FULL, SAN_SAMPLED, SAN_NR };

static const char *const mode_names[SAN_NR] = {"without gpusan", "full",
					       "sampled"};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* gpusan off, on every object, or on 1 object in @sample (seeded). */
static struct gpuown_mm *mm_new_opts(bool san, unsigned sample,
				     unsigned long long seed, size_t backing)
{
	struct gpuown_mm_config cfg = {.backing_bytes = backing, .redzone = 64};
	struct gpusan_options o;
	struct gpuown_mm *mm;

	if (gpuown_mm_create(&cfg, &mm))
		exit(2);
	gpusan_options_default(&o);
	o.multi_shot = true;
	/* GPUSAN_OPTIONS applies here too, e.g. to price stack_depth. */
	if (gpusan_options_parse(getenv("GPUSAN_OPTIONS"), &o, NULL, 0))
		exit(2);
	if (sample) {
		o.sample = sample > 1 ? sample : 0;
		o.sample_seed = seed;
		o.sample_seed_set = true;
		o.print = false;
		o.detect_leaks = false;
	}
	if (san && gpusan_attach_opts(mm, &o))
		exit(2);
	return mm;
}

static struct gpuown_mm *mm_new(bool san)
{
	return mm_new_opts(san, 0, 0, 64u << 20);
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

/* One memory system per mode, each with a published 256-byte object. */
struct access_setup {
	struct gpuown_mm *mm;
	struct gpuown_obj *o, *skipped[64];
	unsigned n;
	fw_addr_t fa;
};

static void access_setup(struct access_setup *a, enum san_mode mode)
{
	a->mm = mm_new_opts(mode != SAN_OFF, mode == SAN_SAMPLED ? sample_n : 0,
			    1, 64u << 20);
	a->n = 0;
	a->o = obj_new(a->mm, 256);
	/* Sampled: time an object the sampler left out (the common case). */
	while (mode == SAN_SAMPLED && gpusan_obj_tracked(a->o) && a->n < 64) {
		a->skipped[a->n++] = a->o;
		a->o = obj_new(a->mm, 256);
	}
	a->fa = gpuown_obj_fw_addr(a->o);
	gpuown_obj_publish(a->o, NULL);
}

static void access_done(struct access_setup *a)
{
	gpuown_obj_reclaim(a->o, NULL);
	gpuown_obj_free(a->o);
	while (a->n)
		gpuown_obj_free(a->skipped[--a->n]);
	mm_done(a->mm);
}

/*
 * ns per checked 64-byte firmware read, for each mode: short bursts, the
 * modes interleaved, the fastest burst of each kept, so that a machine
 * busy with other work slows all of them alike and the minimum is what
 * the code costs.
 */
static void bench_access(double ns[SAN_NR])
{
	struct access_setup a[SAN_NR];
	unsigned long burst = access_iters / 20, i;
	uint8_t buf[64];
	double t;
	int r, m;

	for (m = 0; m < SAN_NR; m++) {
		access_setup(&a[m], (enum san_mode)m);
		ns[m] = 1e9;
	}
	for (r = 0; r < 20 * REPEATS; r++) {
		for (m = 0; m < SAN_NR; m++) {
			t = now();
			for (i = 0; i < burst; i++)
				if (gpuown_fw_read(a[m].mm, a[m].fa, buf,
						   sizeof(buf)))
					exit(4);
			t = (now() - t) * 1e9 / burst;
			if (t < ns[m])
				ns[m] = t;
		}
	}
	for (m = 0; m < SAN_NR; m++)
		access_done(&a[m]);
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
	printf("shadow: %llu bytes resident (tables included) for %llu mapped "
	       "bytes: 1/%.1f (target <= 1/16: %s)\n",
	       (unsigned long long)shadow, (unsigned long long)mapped,
	       shadow ? (double)mapped / shadow : 0.0,
	       shadow * 16 <= mapped ? "met" : "NOT met");
	for (i = 0; i < 4096; i++)
		gpuown_obj_free(objs[i]);
	mm_done(mm);
}

/* Wall seconds of one run; its CPU seconds (user + sys) in *cpu. */
static double run_workload(enum san_mode mode, double *cpu)
{
	char jobs[32], opts[512];
	const char *argv[8], *env = getenv("GPUSAN_OPTIONS");
	struct rusage ru;
	int argc = 0, st, fd;
	double t;
	pid_t pid;

	snprintf(jobs, sizeof(jobs), "%u", workload_jobs);
	argv[argc++] = workload_path;
	argv[argc++] = "--jobs";
	argv[argc++] = jobs;
	if (mode != SAN_OFF)
		argv[argc++] = "--gpusan";
	argv[argc] = NULL;
	snprintf(opts, sizeof(opts), "%s%ssample=%u", env ? env : "",
		 env && *env ? ":" : "", sample_n);
	t = now();
	pid = fork();
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		if (mode == SAN_SAMPLED)
			setenv("GPUSAN_OPTIONS", opts, 1);
		execv(workload_path, (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		fprintf(stderr, "bench_gpusan: %s (%s) failed\n", workload_path,
			mode_names[mode]);
		return -1;
	}
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
	return now() - t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of @n values (sorted in place). */
static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MAX_ROUNDS 64

/*
 * The three modes run back to back in each round, in an order that rotates
 * from round to round, so a machine busy with other work slows all of them
 * alike within a round. Printed: the ratio of each mode's fastest run (the
 * target lines), and the median and range of the per-round ratios, which
 * a burst of load during one run moves less.
 */
static void bench_workload(void)
{
	static double rw[SAN_NR][MAX_ROUNDS], rc[SAN_NR][MAX_ROUNDS];
	double wall[SAN_NR], cpu[SAN_NR], rf[MAX_ROUNDS], rs[MAX_ROUNDS], t, c;
	unsigned r, k;
	int m;

	if (!workload_path || access(workload_path, X_OK)) {
		printf("workload: gpuown-workload not built; skipped\n");
		return;
	}
	for (m = 0; m < SAN_NR; m++)
		wall[m] = cpu[m] = 1e9;
	for (r = 0; r < workload_rounds; r++) {
		for (k = 0; k < SAN_NR; k++) {
			m = (int)((k + r) % SAN_NR);
			t = run_workload((enum san_mode)m, &c);
			if (t < 0)
				return;
			rw[m][r] = t;
			rc[m][r] = c;
			wall[m] = t < wall[m] ? t : wall[m];
			cpu[m] = c < cpu[m] ? c : cpu[m];
		}
	}
	printf("workload: %u jobs x 5 variants: wall %.3f s without, %.3f s "
	       "full gpusan: ratio %.3f (target <= 1.3)\n",
	       workload_jobs, wall[SAN_OFF], wall[SAN_FULL],
	       wall[SAN_FULL] / wall[SAN_OFF]);
	printf("workload: wall %.3f s sampled 1/%u: overhead %+.1f%% (target "
	       "<= 2%%)\n",
	       wall[SAN_SAMPLED], sample_n,
	       100.0 * (wall[SAN_SAMPLED] / wall[SAN_OFF] - 1));
	printf("workload: cpu time %.3f s without, %.3f s full (ratio %.3f), "
	       "%.3f s sampled (%+.1f%%)\n",
	       cpu[SAN_OFF], cpu[SAN_FULL], cpu[SAN_FULL] / cpu[SAN_OFF],
	       cpu[SAN_SAMPLED], 100.0 * (cpu[SAN_SAMPLED] / cpu[SAN_OFF] - 1));
	for (k = 0; k < 2; k++) {
		double(*v)[MAX_ROUNDS] = k ? rc : rw;
		double lo_f = 1e9, hi_f = 0, lo_s = 1e9, hi_s = 0;

		for (r = 0; r < workload_rounds; r++) {
			rf[r] = v[SAN_FULL][r] / v[SAN_OFF][r];
			rs[r] = v[SAN_SAMPLED][r] / v[SAN_OFF][r];
			lo_f = rf[r] < lo_f ? rf[r] : lo_f;
			hi_f = rf[r] > hi_f ? rf[r] : hi_f;
			lo_s = rs[r] < lo_s ? rs[r] : lo_s;
			hi_s = rs[r] > hi_s ? rs[r] : hi_s;
		}
		printf("workload: %s per round (%u rounds): full ratio median "
		       "%.3f [%.3f, %.3f], sampled median %+.1f%% [%+.1f%%, "
		       "%+.1f%%]\n",
		       k ? "cpu " : "wall", workload_rounds,
		       median(rf, workload_rounds), lo_f, hi_f,
		       100.0 * (median(rs, workload_rounds) - 1),
		       100.0 * (lo_s - 1), 100.0 * (hi_s - 1));
	}
}

/*
 * Sampled mode's detection rate of one known bug: among 32 objects, the
 * driver frees one the firmware still reads (a use-after-free). Each trial
 * is a new memory system with its own seed; the bug is seen only when the
 * sampler chose the victim.
 */
static void bench_detection(void)
{
	static const unsigned ns[] = {1, 2, 4, 16, 64, 256};
	unsigned i, t, k, seen;
	struct gpuown_obj *objs[32];
	uint8_t buf[8];

	printf("detection: a firmware read of a freed object, %u trials per "
	       "N:\n",
	       detect_trials);
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		seen = 0;
		for (t = 0; t < detect_trials; t++) {
			struct gpuown_mm *mm = mm_new_opts(
				true, ns[i], t * 7919ull + 1, 1u << 20);
			unsigned before = gpusan_report_count();
			fw_addr_t fa;

			for (k = 0; k < 32; k++)
				objs[k] = obj_new(mm, 64 + (k % 4) * 64);
			k = t % 32;
			fa = gpuown_obj_fw_addr(objs[k]);
			gpuown_obj_free(objs[k]);
			gpuown_fw_read(mm, fa, buf, sizeof(buf));
			seen += gpusan_report_count() != before;
			for (k = 0; k < 32; k++)
				if (k != t % 32)
					gpuown_obj_free(objs[k]);
			mm_done(mm);
		}
		printf("detection: sample=%-4u detected %3u of %u: %5.1f%% "
		       "(expected %5.1f%%)\n",
		       ns[i], seen, detect_trials, 100.0 * seen / detect_trials,
		       100.0 / ns[i]);
	}
}

static int parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			access_iters /= 10;
			op_iters /= 10;
			workload_jobs = 200;
			detect_trials = 100;
		} else if (!strcmp(argv[i], "--sample") && i + 1 < argc) {
			sample_n = (unsigned)strtoul(argv[++i], NULL, 0);
			if (sample_n < 2 || sample_n > (1u << 20)) {
				fprintf(stderr, "bench_gpusan: --sample: "
						"expected 2..1048576\n");
				return -EINVAL;
			}
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			workload_rounds = (unsigned)strtoul(argv[++i], NULL, 0);
			if (!workload_rounds || workload_rounds > MAX_ROUNDS) {
				fprintf(stderr, "bench_gpusan: --rounds: "
						"expected 1..64\n");
				return -EINVAL;
			}
		} else if (!strcmp(argv[i], "--workload-only")) {
			workload_only = true;
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
				"[--workload-only] [--workload PATH] [--jobs "
				"N] "
				"[--rounds N] [--sample N]\n");
			return -EINVAL;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	double a[SAN_NR], o0, o1;

#ifdef GPUOWN_WORKLOAD_PATH
	workload_path = GPUOWN_WORKLOAD_PATH;
#endif
	if (parse_args(argc, argv))
		return 2;
	if (workload_only) {
		bench_workload();
		return 0;
	}
	bench_access(a);
	printf("checked access: 64-byte firmware read: %.1f ns without hooks, "
	       "%.1f ns with gpusan: %+.1f ns (target <= +3 ns), ratio %.2f\n",
	       a[SAN_OFF], a[SAN_FULL], a[SAN_FULL] - a[SAN_OFF],
	       a[SAN_FULL] / a[SAN_OFF]);
	printf("checked access: sampled 1/%u, an object not chosen: %.1f ns: "
	       "%+.1f ns, ratio %.2f\n",
	       sample_n, a[SAN_SAMPLED], a[SAN_SAMPLED] - a[SAN_OFF],
	       a[SAN_SAMPLED] / a[SAN_OFF]);
	if (access_only)
		return 0;
	o0 = bench_ops(false);
	o1 = bench_ops(true);
	printf("operations: alloc/publish/reclaim/free: %.0f ops/s without, "
	       "%.0f ops/s with gpusan: ratio %.2f\n",
	       o0, o1, o0 / o1);
	bench_shadow();
	bench_detection();
	bench_workload();
	return 0;
}
