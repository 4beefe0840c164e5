// SPDX-License-Identifier: MIT
/*
 * gpusan's cost inside the kernel, printed at boot (not a test):
 *
 *   gpusan_bench.run=1 on the kernel command line (scripts/kunit-bench.sh)
 *
 * The workload is a driver's buffer-object life cycle: kmalloc a firmware
 * struct, fill it, store a GPU pointer into a job descriptor, publish both,
 * signal the fence, reclaim, free. It runs once with the gpusan calls and
 * once without (KASAN on in both, same build, same boot), alternating in
 * rounds so load on the machine hits both alike; the ratio is what counts.
 * Then it maps objects of mixed sizes and prints shadow bytes per mapped
 * GPU byte.
 */
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <gpusan/gpusan.h>

static bool run;
module_param(run, bool, 0444);
MODULE_PARM_DESC(run, "run the benchmark at boot");

static unsigned int iters = 2000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "buffer-object cycles per round");

#define ROUNDS 5
#define BENCH_VA 0x0000007000000000ull
#define BENCH_FW 0xffffffc000000000ull

static u64 gb_cycle(unsigned int i, bool san)
{
	struct gpusan_fence f = {.context = 0xbe7c, .seqno = i + 1};
	u64 va = BENCH_VA + (u64)(i % 1024) * 0x1000;
	struct gpusan_obj *job = NULL, *buf = NULL;
	u8 *jcpu = kmalloc(64, GFP_KERNEL), *bcpu = kmalloc(256, GFP_KERNEL);
	ktime_t t0 = ktime_get();

	if (!jcpu || !bcpu)
		goto out;
	if (san) {
		struct gpusan_obj_desc jd = {.name = "bench_job",
					     .cpu = jcpu,
					     .gpu_va = va,
					     .fw_addr = BENCH_FW +
							(va & 0xffffffff),
					     .size = 64,
					     .fw_dir = GPUSAN_DIR_RW};
		struct gpusan_obj_desc bd = jd;

		bd.name = "bench_buf";
		bd.cpu = bcpu;
		bd.gpu_va = va + 0x400;
		bd.fw_addr = jd.fw_addr + 0x400;
		bd.size = 256;
		bd.fw_dir = GPUSAN_DIR_READ;
		job = gpusan_obj_create(&jd);
		buf = gpusan_obj_create(&bd);
	}
	memset(bcpu, i, 256);
	memset(jcpu, 0, 64);
	*(u64 *)(jcpu + 8) = va + 0x400;
	gpusan_store_ptr(job, 8, buf);
	gpusan_obj_publish(buf, &f);
	gpusan_obj_publish(job, &f);
	if (san) /* the firmware's doorbell read, checked */
		gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_GPU_VA, NULL, va,
			      64, false);
	gpusan_fence_signal(f.context, f.seqno);
	gpusan_obj_reclaim(job, &f);
	gpusan_obj_reclaim(buf, &f);
	gpusan_clear_ptr(job, 8);
	gpusan_obj_free(buf);
	gpusan_obj_free(job);
out:
	kfree(jcpu);
	kfree(bcpu);
	return ktime_to_ns(ktime_sub(ktime_get(), t0));
}

static void gb_shadow(void)
{
	static const size_t sizes[] = {64, 256, 1024, 4096, 16384, 65536};
	struct gpusan_obj *objs[96];
	u64 before = gpusan_shadow_used(), mapped0 = gpusan_mapped_bytes();
	u64 va = BENCH_VA + 0x10000000, mapped, shadow;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		struct gpusan_obj_desc d = {
			.name = "bench_map",
			.gpu_va = va,
			.size = sizes[i % ARRAY_SIZE(sizes)],
			.flags = GPUSAN_OBJ_GPU_ONLY,
		};

		objs[i] = gpusan_obj_create(&d);
		va += ALIGN(d.size, 4096) + 4096;
	}
	mapped = gpusan_mapped_bytes() - mapped0;
	shadow = gpusan_shadow_used() - before;
	pr_info("gpusan_bench: shadow: %llu bytes for %llu mapped GPU bytes in "
		"%zu objects: %llu shadow bytes per 1000 mapped bytes "
		"(encoding floor 62.5)\n",
		shadow, mapped, ARRAY_SIZE(objs),
		mapped ? div64_u64(shadow * 1000, mapped) : 0);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		gpusan_obj_free(objs[i]);
	gpusan_quarantine_drain();
}

static int __init gpusan_bench_init(void)
{
	u64 on = 0, off = 0;
	unsigned int r, i;

	if (!run)
		return 0;
	/* Reports would be a bug in the workload: count them, print none. */
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < iters; i++)
			off += gb_cycle(i, false);
		for (i = 0; i < iters; i++)
			on += gb_cycle(i, true);
		gpusan_quarantine_drain();
	}
	pr_info("gpusan_bench: buffer-object cycle: %llu ns without gpusan, "
		"%llu ns with (KASAN on in both): ratio %llu.%02llu, %u "
		"reports\n",
		div64_u64(off, ROUNDS * iters), div64_u64(on, ROUNDS * iters),
		div64_u64(on, off ? off : 1),
		div64_u64(on * 100, off ? off : 1) % 100,
		gpusan_report_count());
	gb_shadow();
	return 0;
}
late_initcall(gpusan_bench_init);

MODULE_DESCRIPTION("gpusan benchmark");
MODULE_LICENSE("Dual MIT/GPL");
