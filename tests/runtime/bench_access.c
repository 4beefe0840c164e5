// SPDX-License-Identifier: MIT
/*
 * Cost of a checked firmware / GPU access (translate + hook + copy), printed
 * against a plain load of the same size measured in the same run, and of an
 * object's lifetime (alloc, publish, reclaim, free) against malloc + free.
 * Prints figures only; it asserts nothing about time.
 *
 *   runtime_bench_access [iterations]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gpuown/hooks.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define NOBJ 64

/* Thread CPU time: on a shared machine, time spent preempted is not ours. */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int empty_access(void *ctx, const struct gpuown_access *acc)
{
	return 0;
}

static const struct gpuown_hooks access_only = {.on_access = empty_access};

struct setup {
	struct gpuown_mm *mm;
	fw_addr_t fa[NOBJ];
	gpu_addr_t va[NOBJ];
	unsigned char *plain;
};

static int setup(struct setup *s)
{
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_FW_SHARED,
				      .size = 256};
	struct gpuown_obj *o;
	unsigned i;
	int err = gpuown_mm_create(NULL, &s->mm);

	if (err)
		return err;
	for (i = 0; i < NOBJ; i++) {
		err = gpuown_obj_alloc(s->mm, &a, &o);
		if (err)
			return err;
		s->fa[i] = gpuown_obj_fw_addr(o);
		s->va[i] = gpuown_obj_gpu_va(o);
	}
	s->plain = calloc(NOBJ, 256);
	return s->plain ? 0 : -ENOMEM;
}

/* Keeps the copies from being optimised away. */
static volatile uint64_t sink;

static double bench_plain(struct setup *s, long n)
{
	double t = now_ns();
	uint64_t v, acc = 0;
	long i;

	for (i = 0; i < n; i++) {
		memcpy(&v, s->plain + (i % NOBJ) * 256 + 8, sizeof(v));
		acc += v;
		__asm__ volatile("" : : "r"(acc) : "memory");
	}
	sink = acc;
	return (now_ns() - t) / n;
}

static double bench_fw_read(struct setup *s, long n)
{
	double t = now_ns();
	uint64_t v, acc = 0;
	long i;

	for (i = 0; i < n; i++) {
		fw_addr_t a = gpuown_fw_addr_from_u64(
			gpuown_fw_addr_to_u64(s->fa[i % NOBJ]) + 8);

		if (gpuown_fw_read(s->mm, a, &v, sizeof(v)))
			abort();
		acc += v;
	}
	sink = acc;
	return (now_ns() - t) / n;
}

static double bench_fw_load32(struct setup *s, long n)
{
	double t = now_ns();
	uint32_t v;
	uint64_t acc = 0;
	long i;

	for (i = 0; i < n; i++) {
		if (gpuown_fw_load32(s->mm, s->fa[i % NOBJ], &v))
			abort();
		acc += v;
	}
	sink = acc;
	return (now_ns() - t) / n;
}

static double bench_gpu_read(struct setup *s, long n)
{
	struct gpuown_vm *vm = gpuown_mm_fw_vm(s->mm);
	double t = now_ns();
	uint64_t v, acc = 0;
	long i;

	for (i = 0; i < n; i++) {
		if (gpuown_gpu_read(vm, s->va[i % NOBJ], &v, sizeof(v)))
			abort();
		acc += v;
	}
	sink = acc;
	return (now_ns() - t) / n;
}

/* The lifetime path: alloc, publish, reclaim, free (flush every 64). */
static double bench_lifetime(struct gpuown_mm *mm, long n)
{
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_FW_PRIVATE,
				      .size = 200};
	struct gpuown_obj *o[64];
	double t = now_ns();
	long i, j;

	for (i = 0; i < n; i++) {
		if (gpuown_obj_alloc(mm, &a, &o[i % 64]))
			abort();
		if (i % 64 != 63)
			continue;
		for (j = 0; j < 64; j++) {
			if (gpuown_obj_publish(o[j], NULL) ||
			    gpuown_obj_reclaim(o[j], NULL) ||
			    gpuown_obj_free(o[j]))
				abort();
		}
		gpuown_mm_fw_cache_flushed(mm);
	}
	return (now_ns() - t) / n;
}

static double bench_malloc(long n)
{
	void *p[64];
	double t = now_ns();
	long i, j;

	for (i = 0; i < n; i++) {
		p[i % 64] = malloc(200);
		if (!p[i % 64])
			abort();
		memset(p[i % 64], 0x5a, 200);
		if (i % 64 != 63)
			continue;
		for (j = 0; j < 64; j++)
			free(p[j]);
	}
	return (now_ns() - t) / n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 20000000;
	struct setup s = {0};
	double base, r, l, g, rh, lm, lt;

	if (n <= 0) {
		fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
		return 2;
	}
	if (setup(&s)) {
		fprintf(stderr, "runtime_bench_access: setup failed\n");
		return 1;
	}
	/* Warm up, then measure each path in the same run. */
	bench_plain(&s, n / 10);
	bench_fw_read(&s, n / 10);
	base = bench_plain(&s, n);
	r = bench_fw_read(&s, n);
	l = bench_fw_load32(&s, n);
	g = bench_gpu_read(&s, n);
	gpuown_mm_set_hooks(s.mm, &access_only);
	rh = bench_fw_read(&s, n);
	gpuown_mm_set_hooks(s.mm, NULL);
	/* Whole batches of 64, so every object is freed. */
	lm = bench_malloc((n / 100 + 64) & ~63L);
	lt = bench_lifetime(s.mm, (n / 100 + 64) & ~63L);
	printf("iterations                          %ld\n", n);
	printf("plain 8-byte load (baseline)        %6.2f ns\n", base);
	printf("gpuown_fw_read 8 bytes, no hooks    %6.2f ns  (%.1fx, +%.2f "
	       "ns)\n",
	       r, r / base, r - base);
	printf("gpuown_fw_load32, no hooks          %6.2f ns  (%.1fx)\n", l,
	       l / base);
	printf("gpuown_gpu_read 8 bytes, no hooks   %6.2f ns  (%.1fx)\n", g,
	       g / base);
	printf("gpuown_fw_read 8 bytes, empty hook  %6.2f ns  (%.1fx)\n", rh,
	       rh / base);
	printf("malloc+fill+free 200 bytes (base)  %6.0f ns\n", lm);
	printf("alloc+publish+reclaim+free 200 B   %6.0f ns  (%.1fx)\n", lt,
	       lt / lm);
	free(s.plain);
	gpuown_mm_destroy(s.mm);
	return 0;
}
