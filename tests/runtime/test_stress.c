// SPDX-License-Identifier: MIT
/*
 * Concurrency: driver threads build, publish, reclaim and free jobs while a
 * firmware thread reads them through firmware addresses and advances the
 * completion stamp, and an observer thread looks objects up. Run under TSan
 * (label tsan) as well as ASan.
 */
#include <sched.h>
#include <stdatomic.h>

#include "common.h"

#define DRIVERS 2
#define ITERS 600

static const struct gpuown_field_desc job_fields[] = {
	{ "cmdbuf_0", 0, 8, 1, GPUOWN_FIELD_GPU_PTR, 0, NULL },
	{ "seq_8", 8, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL },
};

static const struct gpuown_struct_desc job_desc = {
	.name = "job", .variant = "T", .size = 16, .footprint = 16,
	.cls = GPUOWN_CLASS_FW, .fw_dir = GPUOWN_DIR_READ,
	.fields = job_fields, .nr_fields = 2,
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
			/* Jobs may be freed under us: read or fault, never crash. */
			r = gpuown_fw_read(w->mm, fa(a), buf, sizeof(buf));
			if (r == 0)
				atomic_fetch_add(&w->fw_reads, 1);
			else
				atomic_fetch_add(&w->faults, 1);
		}
		seq = atomic_load(&w->next_seq);
		cr_assert_eq(gpuown_fw_store32(w->mm, st, seq), 0);
		sched_yield();
	}
	return NULL;
}

static void one_job(struct world *w, unsigned me, unsigned it)
{
	struct gpuown_obj *job, *cb;
	struct gpuown_fence f = { w->stamp, 0, 0 };
	uint32_t seq = (uint32_t)it + 1;

	job = mk_obj_ex(w->mm, GPUOWN_MAP_FW_PRIVATE, 0, 0, &job_desc);
	cb = mk_obj(w->mm, GPUOWN_MAP_GPU_SHARED, 64 + it % 512);
	cr_assert_eq(gpuown_cpu_write(job, 8, &seq, 4), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(job, 0, cb), 0);
	f.value = atomic_fetch_add(&w->next_seq, 0) + 1;
	cr_assert_eq(gpuown_obj_publish(cb, &f), 0);
	cr_assert_eq(gpuown_obj_fw_get(cb, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(job, &f), 0);
	atomic_store(&w->slot[me], fa_of(job));
	atomic_fetch_add(&w->next_seq, 1);
	while (gpuown_obj_reclaim(job, &f) == -EAGAIN)
		sched_yield();
	cr_assert_eq(gpuown_obj_reclaim(cb, NULL), 0);
	while (gpuown_obj_reclaim(cb, &f) == -EAGAIN)
		sched_yield();
	atomic_store(&w->slot[me], 0);
	cr_assert_eq(gpuown_obj_free(cb), 0);
	cr_assert_eq(gpuown_obj_publish(job, NULL), -ENOLINK);
	cr_assert_eq(gpuown_obj_free(job), 0);
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
			cr_assert_eq(o, w->stamp);
			(void)gpuown_mm_live_objects(w->mm);
		}
		sched_yield();
	}
	return NULL;
}

Test(stress, firmware_and_drivers_concurrently, .timeout = 240)
{
	struct cap c;
	struct world w = { 0 };
	pthread_t fw, obs, drv[DRIVERS];
	struct drv_arg args[DRIVERS];
	unsigned i;

	w.mm = mk_mm(&c, 64, 64 * 1024);
	w.stamp = mk_obj_ex(w.mm, GPUOWN_MAP_FW_SHARED, 64, GPUOWN_ALLOC_ZERO,
			    NULL);
	cr_assert_eq(gpuown_obj_share(w.stamp), 0);
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
	cr_assert_gt(atomic_load(&w.fw_reads), 0);
	cr_assert_eq(gpuown_obj_detach(w.stamp), 0);
	cr_assert_eq(gpuown_obj_free(w.stamp), 0);
	gpuown_mm_fw_cache_flushed(w.mm);
	/* What is left sits in quarantine, within its budget: not leaked. */
	cr_assert_eq(gpuown_mm_destroy(w.mm), 0);
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
			cr_assert_eq(gpuown_obj_publish(o[i], NULL), 0);
			cr_assert_eq(gpuown_obj_reclaim(o[i], NULL), 0);
			cr_assert_eq(gpuown_obj_free(o[i]), 0);
		}
		gpuown_mm_fw_cache_flushed(mm);
	}
	return NULL;
}

Test(stress, concurrent_alloc_free_share_pages_and_windows, .timeout = 240)
{
	struct gpuown_mm *mm = mk_mm(NULL, 32, 0);
	pthread_t t[3];
	unsigned i;

	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, mm);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(gpuown_mm_live_objects(mm), 0);
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), 0, "every page unmapped");
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
}
