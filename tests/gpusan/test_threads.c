// SPDX-License-Identifier: MIT
/*
 * Concurrency: firmware threads read published objects and write stamps
 * while driver threads allocate, publish, reclaim and free others, and poll
 * the stamps. No report is expected; built with the tsan preset this also
 * proves the lock-free shadow reads and the hooks race-free.
 *
 * A plain program, not Criterion: Criterion cannot start under TSan.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <gpuown/gpusan.h>
#include <gpuown/layout.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define NR_STABLE 8
#define NR_DRIVERS 2
#define ROUNDS 2000

static const struct gpuown_field_desc stamp_fields[] = {
	{"stamp_0", 0, 0x40, 0x10, GPUOWN_FIELD_ARRAY,
	 GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD, NULL},
};
static const struct gpuown_struct_desc stamps_desc = {
	.name = "fw_stamp_area",
	.variant = "G11_V2_1",
	.size = 0x40,
	.footprint = 0x40,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = stamp_fields,
	.nr_fields = 1,
};

static struct gpuown_mm *mm;
static struct gpuown_obj *stable[NR_STABLE], *stamps;
static atomic_bool stop;
static atomic_uint failures, reports;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,     \
				#cond);                                        \
			atomic_fetch_add(&failures, 1);                        \
		}                                                              \
	} while (0)

static void on_report(const struct gpusan_report *r, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "%s", r->text);
	atomic_fetch_add(&reports, 1);
}

static struct gpuown_obj *alloc(const struct gpuown_struct_desc *l,
				enum gpuown_map_mode mode, size_t size)
{
	struct gpuown_alloc_args a = {.mode = mode, .layout = l, .size = size};
	struct gpuown_obj *o = NULL;

	CHECK(gpuown_obj_alloc(mm, &a, &o) == 0);
	return o;
}

static void *fw_thread(void *arg)
{
	uint8_t buf[64];
	uint32_t seq = (uint32_t)(uintptr_t)arg;
	unsigned i;

	while (!atomic_load(&stop)) {
		for (i = 0; i < NR_STABLE; i++)
			CHECK(gpuown_fw_read(mm, gpuown_obj_fw_addr(stable[i]),
					     buf, 64) == 0);
		CHECK(gpuown_fw_store32(
			      mm,
			      gpuown_fw_addr_from_u64(
				      gpuown_fw_addr_to_u64(
					      gpuown_obj_fw_addr(stamps)) +
				      4 * (seq % 16)),
			      seq) == 0);
		seq++;
	}
	return NULL;
}

static void *driver_thread(void *arg)
{
	unsigned i;
	uint32_t v;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		struct gpuown_obj *o = alloc(NULL, GPUOWN_MAP_FW_PRIVATE, 256);
		uint8_t buf[64];

		CHECK(gpuown_obj_publish(o, NULL) == 0);
		CHECK(gpuown_fw_read(mm, gpuown_obj_fw_addr(o), buf, 64) == 0);
		CHECK(gpuown_shared_load32(stamps, 4 * (i % 16), &v) == 0);
		CHECK(gpuown_obj_reclaim(o, NULL) == 0);
		CHECK(gpuown_obj_free(o) == 0);
		if (i % 64 == 0)
			gpuown_mm_fw_cache_flushed(mm);
	}
	return NULL;
}

int main(void)
{
	struct gpuown_mm_config cfg = {.backing_bytes = 32u << 20,
				       .redzone = 64};
	struct gpusan_options opts;
	pthread_t fw[2], drv[NR_DRIVERS];
	unsigned i;

	gpusan_options_default(&opts);
	opts.multi_shot = true;
	gpusan_set_report_callback(on_report, NULL);
	if (gpuown_mm_create(&cfg, &mm) || gpusan_attach_opts(mm, &opts))
		return 2;
	for (i = 0; i < NR_STABLE; i++) {
		stable[i] = alloc(NULL, GPUOWN_MAP_FW_PRIVATE, 128);
		CHECK(gpuown_obj_publish(stable[i], NULL) == 0);
	}
	stamps = alloc(&stamps_desc, GPUOWN_MAP_FW_SHARED, 0);
	CHECK(gpuown_obj_share(stamps) == 0);
	for (i = 0; i < 2; i++)
		pthread_create(&fw[i], NULL, fw_thread, (void *)(uintptr_t)i);
	for (i = 0; i < NR_DRIVERS; i++)
		pthread_create(&drv[i], NULL, driver_thread, NULL);
	for (i = 0; i < NR_DRIVERS; i++)
		pthread_join(drv[i], NULL);
	atomic_store(&stop, true);
	for (i = 0; i < 2; i++)
		pthread_join(fw[i], NULL);
	for (i = 0; i < NR_STABLE; i++) {
		CHECK(gpuown_obj_reclaim(stable[i], NULL) == 0);
		CHECK(gpuown_obj_free(stable[i]) == 0);
	}
	CHECK(gpuown_obj_detach(stamps) == 0);
	CHECK(gpuown_obj_free(stamps) == 0);
	gpusan_detach(mm);
	CHECK(gpuown_mm_destroy(mm) == 0);
	gpusan_set_report_callback(NULL, NULL);
	if (atomic_load(&failures) || atomic_load(&reports)) {
		fprintf(stderr,
			"test_gpusan_threads: %u failures, %u reports\n",
			atomic_load(&failures), atomic_load(&reports));
		return 1;
	}
	printf("test_gpusan_threads: ok\n");
	return 0;
}
