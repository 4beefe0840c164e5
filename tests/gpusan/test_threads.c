// SPDX-License-Identifier: MIT
/*
 * Concurrency: a firmware thread reads published objects and writes stamps
 * while the driver thread allocates, publishes, reclaims and frees others,
 * and polls the stamps. No report is expected; built with the tsan preset
 * this also proves the lock-free shadow reads race-free.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>

#include "fixture.h"

#define NR_STABLE 8
#define ROUNDS 3000

struct fw_ctx {
	struct gpuown_obj *stable[NR_STABLE];
	struct gpuown_obj *stamps;
	atomic_bool stop;
	unsigned errors;
};

static void *fw_thread(void *arg)
{
	struct fw_ctx *c = arg;
	uint8_t buf[64];
	uint32_t seq = 0;
	unsigned i;

	while (!atomic_load(&c->stop)) {
		for (i = 0; i < NR_STABLE; i++) {
			if (gpuown_fw_read(fx_mm, fx_fa(c->stable[i], 0), buf,
					   64))
				c->errors++;
		}
		if (gpuown_fw_store32(fx_mm, fx_fa(c->stamps, 4 * (seq % 16)),
				      seq))
			c->errors++;
		seq++;
	}
	return NULL;
}

TestSuite(threads, .init = fx_setup, .fini = fx_teardown);

Test(threads, firmware_accesses_during_transitions)
{
	struct fw_ctx c = { .errors = 0 };
	pthread_t t;
	unsigned i;
	uint32_t v;

	for (i = 0; i < NR_STABLE; i++) {
		c.stable[i] = fx_alloc(&fx_job, GPUOWN_MAP_FW_PRIVATE, 0);
		cr_assert_eq(gpuown_obj_publish(c.stable[i], NULL), 0);
	}
	c.stamps = fx_alloc(&fx_stamps, GPUOWN_MAP_FW_SHARED, 0);
	cr_assert_eq(gpuown_obj_share(c.stamps), 0);
	atomic_init(&c.stop, false);
	cr_assert_eq(pthread_create(&t, NULL, fw_thread, &c), 0);
	for (i = 0; i < ROUNDS; i++) {
		struct gpuown_obj *o = fx_alloc(&fx_result,
						GPUOWN_MAP_FW_PRIVATE, 0);

		cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
		cr_assert_eq(gpuown_shared_load32(c.stamps, 4 * (i % 16), &v), 0);
		cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
		cr_assert_eq(gpuown_obj_free(o), 0);
		if (i % 64 == 0)
			gpuown_mm_fw_cache_flushed(fx_mm);
	}
	atomic_store(&c.stop, true);
	pthread_join(t, NULL);
	cr_assert_eq(c.errors, 0);
	for (i = 0; i < NR_STABLE; i++) {
		cr_assert_eq(gpuown_obj_reclaim(c.stable[i], NULL), 0);
		cr_assert_eq(gpuown_obj_free(c.stable[i]), 0);
	}
	fx_expect_none();
}
