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

void gs_cpu_poison(struct gpusan_obj *o, bool poison)
{
	unsigned long a = (unsigned long)o->cpu;
	size_t whole = round_down(o->size, GS_KASAN_GRANULE);
	u8 value;

	if (!o->cpu || !o->size || !IS_ALIGNED(a, GS_KASAN_GRANULE))
		return;
	if (poison) {
		value = o->state == GPUOWN_STATE_QUARANTINED
				? GS_KASAN_FREED
				: GS_KASAN_FW_OWNED;
		kasan_poison(o->cpu, round_up(o->size, GS_KASAN_GRANULE), value,
			     false);
		o->poisoned = true;
		return;
	}
	/* Back to what the allocator left: the object's bytes accessible. */
#ifdef CONFIG_KASAN_SW_TAGS
	kasan_poison(o->cpu, round_up(o->size, GS_KASAN_GRANULE), (u8)(a >> 56),
		     false);
#else
	kasan_poison(o->cpu, whole, 0, false);
	if (o->size & (GS_KASAN_GRANULE - 1))
		*(u8 *)kasan_mem_to_shadow((u8 *)o->cpu + whole) =
			o->size & (GS_KASAN_GRANULE - 1);
#endif
	o->poisoned = false;
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
