// SPDX-License-Identifier: MIT
/*
 * Printing reports in KASAN's shape, through printk. The text is the
 * portable core's (runtime/model/src/san_report.c); this file begins a
 * report (the buffer, the separator), ends it (printing, the test hook,
 * panic_on_warn) and explains KASAN's reports on poisoned CPU mappings.
 *
 * A report is composed into one buffer under gs_lock (so the object cannot
 * change while it is described) and printed line by line with pr_err. As
 * KASAN does, only the first report is printed unless gpusan.multi_shot=1
 * (all are counted and handed to the hook), and after a printed report
 * panic_on_warn panics.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>

#include "gpusan_internal.h"

bool gs_multi_shot;
module_param_named(multi_shot, gs_multi_shot, bool, 0644);
MODULE_PARM_DESC(multi_shot, "print every report, not only the first");

#ifdef MODULE
/* A module cannot read panic_on_warn; this stands in for it. */
static bool gs_panic_on_report;
module_param_named(panic_on_report, gs_panic_on_report, bool, 0644);
MODULE_PARM_DESC(panic_on_report,
		 "panic after a report (what panic_on_warn does built in)");
#endif

#define GS_SEPARATOR                                                           \
	"==================================================================\n"

static bool gs_reported;
static atomic_t gs_nreports = ATOMIC_INIT(0);
static gpusan_report_hook_fn gs_hook;
static void *gs_hook_ctx;

#define GS_BUF 12288
static char gs_buf[GS_BUF];
static struct gpuown_report_sink gs_sink = {.buf = gs_buf, .cap = GS_BUF};

bool gs_report_begin(struct gs_report *rep, enum gpusan_class cls, void *caller,
		     bool kasan)
{
	memset(rep, 0, sizeof(*rep));
	gs_sink.len = 0;
	gs_buf[0] = '\0';
	rep->sink = &gs_sink;
	rep->stack_depth = GS_STACK_DEPTH;
	if (!kasan) {
		atomic_inc(&gs_nreports);
		gs_printf(rep, GS_SEPARATOR);
	}
	gs_compose_begin(rep, cls, caller);
	return true;
}

/* Drop the blanks before each newline (an empty location, "%-9s"). */
static void gs_trim(char *s)
{
	char *w = s, *r;

	for (r = s; *r; r++) {
		if (*r == '\n')
			while (w > s && w[-1] == ' ')
				w--;
		*w++ = *r;
	}
	*w = '\0';
}

static void gs_print(void)
{
	char *p = gs_buf, *nl;

	while (*p) {
		nl = strchrnul(p, '\n');
		pr_err("%.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

void gs_report_end(struct gs_report *rep, bool kasan)
{
	struct gpusan_kreport k;
	bool print = gs_multi_shot || !gs_reported || kasan;

	if (!kasan)
		gs_printf(rep, GS_SEPARATOR);
	gs_trim(gs_buf);
	gs_reported = true;
	if (print)
		gs_print();
	if (gs_hook) {
		k.class_name = rep->pub.class_name;
		k.text = gs_buf;
		k.obj_id = rep->pub.obj_id;
		k.kasan = kasan;
		gs_hook(&k, gs_hook_ctx);
	}
	/* A KASAN report checks panic_on_warn itself. */
	if (!print || kasan || gs_multi_shot)
		return;
#ifdef MODULE
	if (gs_panic_on_report)
		panic("GPUSAN: panic_on_report set ...\n");
#else
	check_panic_on_warn("GPUSAN");
#endif
}

void gs_explain_kasan(unsigned long addr)
{
	struct gs_report rep;
	unsigned long flags;
	struct gs_meta *m;

	/* Inside KASAN's report: never wait for a lock the trap interrupted. */
	local_irq_save(flags);
	if (!spin_trylock(&gs_lock)) {
		local_irq_restore(flags);
		pr_err("gpusan: (busy; cannot say which GPU object 0x%lx is)\n",
		       addr);
		return;
	}
	m = gs_meta_by_cpu(addr);
	/*
	 * KASAN's hook gives the address only: a firmware-owned object's
	 * trap is classed without a direction (KASAN's report has it).
	 */
	if (m && gs_report_begin(&rep,
				 m->state == GPUOWN_STATE_FW
					 ? GPUSAN_CPU_ACCESS_POISONED
					 : gs_classify_cpu_trap(m, false),
				 NULL, true)) {
		gs_compose_cpu_trap(&rep, m, (void *)addr,
				    m->va + (addr - (unsigned long)m->cpu),
				    false, 0);
		gs_report_end(&rep, true);
	}
	spin_unlock(&gs_lock);
	local_irq_restore(flags);
}

void gpusan_set_report_hook(gpusan_report_hook_fn fn, void *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&gs_lock, flags);
	gs_hook = fn;
	gs_hook_ctx = ctx;
	spin_unlock_irqrestore(&gs_lock, flags);
}
EXPORT_SYMBOL_GPL(gpusan_set_report_hook);

bool gpusan_set_multi_shot(bool on)
{
	bool old = READ_ONCE(gs_multi_shot);

	WRITE_ONCE(gs_multi_shot, on);
	return old;
}
EXPORT_SYMBOL_GPL(gpusan_set_multi_shot);

unsigned int gpusan_report_count(void)
{
	return atomic_read(&gs_nreports);
}
EXPORT_SYMBOL_GPL(gpusan_report_count);
