// SPDX-License-Identifier: MIT
/*
 * Concurrency: driver threads build, publish, reclaim and free jobs while a
 * firmware thread reads them through firmware addresses and advances the
 * completion stamp, and an observer thread looks objects up; then threads
 * churn objects through every window at once.
 *
 * A plain program, not a Criterion suite: Criterion aborts at start-up under
 * ThreadSanitizer, and this test exists to run under TSan (label tsan) as
 * well as ASan. Exit status 0: pass; 1: a check failed (file:line printed).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <gpuown/hooks.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			exit(1);                                               \
		}                                                              \
	} while (0)
#define CHECK_EQ(a, b) CHECK((a) == (b))

static _Atomic unsigned events;

/* Hooks that do a little work under contention, as gpusan does. */
static void on_event(void *ctx, const struct gpuown_event *ev)
{
	atomic_fetch_add(&events, 1);
	(void)gpuown_violation_name(ev->violation);
}

static int on_access(void *ctx, const struct gpuown_access *acc)
{
	return 0;
}

static const struct gpuown_hooks hooks = {
	.on_event = on_event,
	.on_access = on_access,
};

static struct gpuown_mm *mk_mm(uint32_t redzone, uint64_t budget)
{
	struct gpuown_mm_config cfg = {
		.backing_bytes = 8u << 20,
		.redzone = redzone,
		.quarantine_budget = budget,
	};
	struct gpuown_mm *mm = NULL;

	CHECK_EQ(gpuown_mm_create(&cfg, &mm), 0);
	gpuown_mm_set_hooks(mm, &hooks);
	return mm;
}

static struct gpuown_obj *mk_obj_ex(struct gpuown_mm *mm,
				    enum gpuown_map_mode mode, size_t size,
				    uint32_t flags,
				    const struct gpuown_struct_desc *l)
{
	struct gpuown_alloc_args a = {
		.mode = mode,
		.size = size,
		.flags = flags,
		.layout = l,
	};
	struct gpuown_obj *o = NULL;

	CHECK_EQ(gpuown_obj_alloc(mm, &a, &o), 0);
	return o;
}

static struct gpuown_obj *mk_obj(struct gpuown_mm *mm,
				 enum gpuown_map_mode mode, size_t size)
{
	return mk_obj_ex(mm, mode, size, 0, NULL);
}

static uint64_t fa_of(const struct gpuown_obj *o)
{
	return gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(o));
}

#define DRIVERS 2
#define ITERS 600

static const struct gpuown_field_desc job_fields[] = {
	{"cmdbuf_0", 0, 8, 1, GPUOWN_FIELD_GPU_PTR, 0, NULL},
	{"seq_8", 8, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
};

static const struct gpuown_struct_desc job_desc = {
	.name = "job",
	.variant = "T",
	.size = 16,
	.footprint = 16,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = job_fields,
	.nr_fields = 2,
};

struct world {
	struct gpuown_mm *mm;
	struct gpuown_obj *stamp;
	_Atomic uint64_t slot[DRIVERS]; /* firmware address of a live job */
	_Atomic uint32_t next_seq;
	atomic_bool stop;
	_Atomic unsigned fw_reads, faults;
};

static void *firmware(void *arg)
{
	struct world *w = arg;
	fw_addr_t st = gpuown_obj_fw_addr(w->stamp);
	uint32_t seq = 0;
	uint64_t buf[2];
	unsigned i;
	int r;

	while (!atomic_load(&w->stop)) {
		for (i = 0; i < DRIVERS; i++) {
			uint64_t a = atomic_load(&w->slot[i]);

			if (!a)
				continue;
			/* Jobs may be freed under us: read or fault, never
			 * crash. */
			r = gpuown_fw_read(w->mm, gpuown_fw_addr_from_u64(a),
					   buf, sizeof(buf));
			if (r == 0)
				atomic_fetch_add(&w->fw_reads, 1);
			else
				atomic_fetch_add(&w->faults, 1);
		}
		seq = atomic_load(&w->next_seq);
		CHECK_EQ(gpuown_fw_store32(w->mm, st, seq), 0);
		sched_yield();
	}
	return NULL;
}

static void one_job(struct world *w, unsigned me, unsigned it)
{
	struct gpuown_obj *job, *cb;
	struct gpuown_fence f = {.stamp = w->stamp, .offset = 0, .value = 0};
	uint32_t seq = (uint32_t)it + 1;

	job = mk_obj_ex(w->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &job_desc);
	cb = mk_obj(w->mm, GPUOWN_MAP_GPU_SHARED, 64 + it % 512);
	CHECK_EQ(gpuown_cpu_write(job, 8, &seq, 4), 0);
	CHECK_EQ(gpuown_store_gpu_ptr(job, 0, cb), 0);
	f.value = atomic_fetch_add(&w->next_seq, 0) + 1;
	CHECK_EQ(gpuown_obj_publish(cb, &f), 0);
	CHECK_EQ(gpuown_obj_fw_get(cb, NULL), 0);
	CHECK_EQ(gpuown_obj_publish(job, &f), 0);
	atomic_store(&w->slot[me], fa_of(job));
	atomic_fetch_add(&w->next_seq, 1);
	while (gpuown_obj_reclaim(job, &f) == -EAGAIN)
		sched_yield();
	CHECK_EQ(gpuown_obj_reclaim(cb, NULL), 0);
	while (gpuown_obj_reclaim(cb, &f) == -EAGAIN)
		sched_yield();
	atomic_store(&w->slot[me], 0);
	CHECK_EQ(gpuown_obj_free(cb), 0);
	CHECK_EQ(gpuown_obj_publish(job, NULL), -ENOLINK);
	CHECK_EQ(gpuown_obj_free(job), 0);
	if (it % 32 == 0)
		gpuown_mm_fw_cache_flushed(w->mm);
}

struct drv_arg {
	struct world *w;
	unsigned me;
};

static void *driver_main(void *arg)
{
	struct drv_arg *a = arg;
	unsigned it;

	for (it = 0; it < ITERS; it++)
		one_job(a->w, a->me, it);
	return NULL;
}

static void *observer(void *arg)
{
	struct world *w = arg;
	unsigned i;

	while (!atomic_load(&w->stop)) {
		for (i = 0; i < DRIVERS; i++) {
			uint64_t a = atomic_load(&w->slot[i]);
			struct gpuown_obj *o;

			if (!a)
				continue;
			o = gpuown_obj_lookup_va(w->mm, NULL,
						 gpuown_obj_gpu_va(w->stamp));
			CHECK_EQ(o, w->stamp);
			(void)gpuown_mm_live_objects(w->mm);
		}
		sched_yield();
	}
	return NULL;
}

static void firmware_and_drivers_concurrently(void)
{
	struct world w = {0};
	pthread_t fw, obs, drv[DRIVERS];
	struct drv_arg args[DRIVERS];
	unsigned i;

	w.mm = mk_mm(64, 64 * 1024);
	w.stamp = mk_obj_ex(w.mm, GPUOWN_MAP_FW_SHARED, 64, GPUOWN_ALLOC_ZERO,
			    NULL);
	CHECK_EQ(gpuown_obj_share(w.stamp), 0);
	pthread_create(&fw, NULL, firmware, &w);
	pthread_create(&obs, NULL, observer, &w);
	for (i = 0; i < DRIVERS; i++) {
		args[i].w = &w;
		args[i].me = i;
		pthread_create(&drv[i], NULL, driver_main, &args[i]);
	}
	for (i = 0; i < DRIVERS; i++)
		pthread_join(drv[i], NULL);
	atomic_store(&w.stop, true);
	pthread_join(fw, NULL);
	pthread_join(obs, NULL);
	CHECK(atomic_load(&w.fw_reads) > 0);
	CHECK_EQ(gpuown_obj_detach(w.stamp), 0);
	CHECK_EQ(gpuown_obj_free(w.stamp), 0);
	gpuown_mm_fw_cache_flushed(w.mm);
	/* What is left sits in quarantine, within its budget: not leaked. */
	CHECK_EQ(gpuown_mm_destroy(w.mm), 0);
}

static void *churn(void *arg)
{
	struct gpuown_mm *mm = arg;
	struct gpuown_obj *o[16];
	unsigned it, i;

	for (it = 0; it < 300; it++) {
		for (i = 0; i < 16; i++)
			o[i] = mk_obj(mm, (enum gpuown_map_mode)(i % 5),
				      16 + 97 * i);
		for (i = 0; i < 16; i++) {
			CHECK_EQ(gpuown_obj_publish(o[i], NULL), 0);
			CHECK_EQ(gpuown_obj_reclaim(o[i], NULL), 0);
			CHECK_EQ(gpuown_obj_free(o[i]), 0);
		}
		gpuown_mm_fw_cache_flushed(mm);
	}
	return NULL;
}

static void concurrent_alloc_free_share_pages_and_windows(void)
{
	struct gpuown_mm *mm = mk_mm(32, 0);
	pthread_t t[3];
	unsigned i;

	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, mm);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(gpuown_mm_live_objects(mm), 0);
	CHECK_EQ(gpuown_mm_mapped_bytes(mm), 0); /* every page unmapped */
	CHECK_EQ(gpuown_mm_destroy(mm), 0);
}

int main(void)
{
	firmware_and_drivers_concurrently();
	concurrent_alloc_free_share_pages_and_windows();
	CHECK(atomic_load(&events) > 0);
	printf("runtime_stress: ok (%u events)\n", atomic_load(&events));
	return 0;
}
