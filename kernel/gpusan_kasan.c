// SPDX-License-Identifier: MIT
/*
 * CPU-side enforcement through KASAN.
 *
 * While the firmware owns an object it may write (or after it is freed, for
 * mappings that outlive the free), gpusan poisons the object's kernel CPU
 * mapping in KASAN's shadow, so a plain load or store in driver code trips
 * KASAN like any use-after-free. KASAN then prints its report; gpusan is on
 * the error_report_end tracepoint, which KASAN fires before the closing
 * separator, and prints which GPU object the address belongs to, its
 * ownership state, stacks and history inside the same report.
 *
 * Poisoning uses kasan_poison(), which KASAN exports (for its own modules)
 * but declares only in mm/kasan/kasan.h; its prototype is repeated here. The
 * mapping must start on a KASAN granule (8 bytes generic, 16 software tags):
 * kmalloc, vmap and page-backed mappings always do; others are skipped (the
 * driver's accessors and gpusan_cpu_access() still check them).
 */
#include <linux/kasan.h>
#include <linux/printk.h>
#include <trace/events/error_report.h>

#include "gpusan_internal.h"

void kasan_poison(const void *addr, size_t size, u8 value, bool init);

#define GS_KASAN_GRANULE (1ul << KASAN_SHADOW_SCALE_SHIFT)
/*
 * The KASAN shadow value of a poisoned object: freed objects use KASAN's
 * "freed slab object" so its report says use-after-free; firmware-owned ones
 * a value of gpusan's own (KASAN calls it unknown-crash, gpusan explains).
 */
#define GS_KASAN_FREED 0xFB
#define GS_KASAN_FW_OWNED 0xE7

atomic_t gs_kasan_reports = ATOMIC_INIT(0);

/*
 * Poison (or hand back to the allocator's state) the first @cpu_size bytes
 * of @m's CPU mapping. The metadata's size may include a firmware footprint
 * the driver's mapping does not have: the driver's size is the one poisoned.
 */
void gs_cpu_poison_set(struct gs_meta *m, size_t cpu_size, bool poison)
{
	unsigned long a = (unsigned long)m->cpu;
	size_t whole = round_down(cpu_size, GS_KASAN_GRANULE);
	u8 value;

	if (!m->cpu || !cpu_size || !IS_ALIGNED(a, GS_KASAN_GRANULE))
		return;
	if (poison) {
		value = m->state == GPUOWN_STATE_QUARANTINED
				? GS_KASAN_FREED
				: GS_KASAN_FW_OWNED;
		kasan_poison(m->cpu, round_up(cpu_size, GS_KASAN_GRANULE),
			     value, false);
		m->poisoned = true;
		return;
	}
	/* Back to what the allocator left: the object's bytes accessible. */
#ifdef CONFIG_KASAN_SW_TAGS
	kasan_poison(m->cpu, round_up(cpu_size, GS_KASAN_GRANULE),
		     (u8)(a >> 56), false);
#else
	kasan_poison(m->cpu, whole, 0, false);
	if (cpu_size & (GS_KASAN_GRANULE - 1))
		*(u8 *)kasan_mem_to_shadow((u8 *)m->cpu + whole) =
			cpu_size & (GS_KASAN_GRANULE - 1);
#endif
	m->poisoned = false;
}

/*
 * The CPU mapping is poisoned exactly while no plain CPU access may touch
 * it: firmware-owned and written by the firmware, or freed while the mapping
 * outlives the free (GPUSAN_OBJ_CPU_KEEP). Without CPU_KEEP a freed object's
 * mapping goes back to KASAN at once: the driver is about to kfree or
 * vunmap it, and KASAN's own tracking takes over.
 */
void gs_cpu_poison_update(struct gs_meta *m, struct gpusan_obj *ko)
{
	bool want = false;

	if (m->cpu) {
		if (m->state == GPUOWN_STATE_FW &&
		    (m->fw_dir & GPUOWN_DIR_WRITE))
			want = true;
		if (m->state == GPUOWN_STATE_QUARANTINED &&
		    (ko->kflags & GPUSAN_OBJ_CPU_KEEP))
			want = true;
	}
	if (want != m->poisoned)
		gs_cpu_poison_set(m, ko->cpu_size, want);
}

static void gs_on_error_report(void *data, enum error_detector detector,
			       unsigned long id)
{
	if (detector != ERROR_DETECTOR_KASAN)
		return;
	atomic_inc(&gs_kasan_reports);
	gs_explain_kasan(id);
}

int gs_kasan_init(void)
{
	return register_trace_error_report_end(gs_on_error_report, NULL);
}

void gs_kasan_exit(void)
{
	unregister_trace_error_report_end(gs_on_error_report, NULL);
	tracepoint_synchronize_unregister();
}

unsigned int gpusan_kasan_report_count(void)
{
	return atomic_read(&gs_kasan_reports);
}
EXPORT_SYMBOL_GPL(gpusan_kasan_report_count);
