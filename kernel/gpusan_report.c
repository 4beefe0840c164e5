// SPDX-License-Identifier: MIT
/*
 * Reports in KASAN's shape, through printk.
 *
 * A report is composed into one buffer under gs_lock (so the object cannot
 * change while it is described), printed line by line with pr_err, and then
 * handed to the test hook. As KASAN does, only the first report is printed
 * unless gpusan.multi_shot=1 (all are counted), and after a printed report
 * panic_on_warn panics.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/stacktrace.h>

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

static bool gs_reported;
static atomic_t gs_nreports = ATOMIC_INIT(0);
static gpusan_report_hook_fn gs_hook;
static void *gs_hook_ctx;

#define GS_BUF 12288
static char gs_buf[GS_BUF];
static size_t gs_len;

/* Names from gpuown's one table, <gpuown/violations.def>. */
static const char *const gs_class_names[GPUSAN_CLASS_NR] = {
	[GPUSAN_NONE] = "none",
#define GPUOWN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	[GPUSAN_##id] = name,
#define GPUSAN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	[GPUSAN_##id] = name,
#include <gpuown/violations.def>
};

const char *gpusan_class_name(enum gpusan_class cls)
{
	return cls < GPUSAN_CLASS_NR && gs_class_names[cls]
		       ? gs_class_names[cls]
		       : "unknown";
}

static const char *const gs_state_labels[] = {
	[GPUOWN_STATE_CPU] = "cpu-owned",
	[GPUOWN_STATE_FW] = "firmware-owned",
	[GPUOWN_STATE_SHARED] = "shared",
	[GPUOWN_STATE_GPU_ONLY] = "gpu-only",
	[GPUOWN_STATE_QUARANTINED] = "freed (quarantined)",
	[GPUOWN_STATE_RELEASED] = "freed (released)",
};

const char *gs_state_label(enum gpuown_state st)
{
	return st < ARRAY_SIZE(gs_state_labels) ? gs_state_labels[st] : "?";
}

static const char *const gs_dir_names[] = {"none", "read", "write", "rw"};

static __printf(1, 2) void gs_pr(const char *fmt, ...)
{
	va_list ap;

	if (gs_len >= GS_BUF - 1)
		return;
	va_start(ap, fmt);
	gs_len += vscnprintf(gs_buf + gs_len, GS_BUF - gs_len, fmt, ap);
	va_end(ap);
}

static void gs_pr_stack(depot_stack_handle_t st)
{
	unsigned long *entries;
	unsigned int i, n;

	if (!st) {
		gs_pr(" (stack not recorded)\n");
		return;
	}
	n = stack_depot_fetch(st, &entries);
	for (i = 0; i < n; i++)
		gs_pr(" %pS\n", (void *)entries[i]);
}

static void gs_pr_current_stack(void *caller)
{
	unsigned long entries[GS_STACK_DEPTH];
	unsigned int i, n;

	/* gs_pr_current_stack, gs_report and gpusan's own frames: skip 2. */
	n = stack_trace_save(entries, ARRAY_SIZE(entries), 2);
	if (!n) {
		/* No trusted frame (UML without frame pointers): the caller. */
		gs_pr(" %pS\n", caller);
		return;
	}
	for (i = 0; i < n; i++)
		gs_pr(" %pS\n", (void *)entries[i]);
}

static const char *gs_vm_name(const struct gpusan_obj *o)
{
	return o->vm ? o->vm->name : gs_fw_vm.name;
}

static void gs_pr_object(const char *title, const struct gpusan_obj *o)
{
	u64 shown, i;

	gs_pr("%s %s", title, o->name);
	if (o->layout && o->layout->variant)
		gs_pr(" (variant %s)", o->layout->variant);
	gs_pr(" id %llu\n", o->id);
	gs_pr(" at gpu va [0x%llx, 0x%llx) of size %llu", o->va,
	      o->va + o->size, o->size);
	if (o->footprint > o->size)
		gs_pr(", firmware footprint %llu", o->footprint);
	gs_pr("\n fw addr 0x%llx cpu 0x%px %s\n", o->fa, o->cpu, gs_vm_name(o));
	gs_pr(" [state=%s holders=%u fw_dir=%s cpu-view=%s]\n",
	      gs_state_label(o->state), o->holders, gs_dir_names[o->fw_dir & 3],
	      !o->cpu	    ? "none"
	      : o->poisoned ? "kasan-poisoned"
			    : "accessible");
	gs_pr("Allocated by task %d:\n", o->alloc_pid);
	gs_pr_stack(o->alloc_st);
	if (o->state == GPUOWN_STATE_QUARANTINED ||
	    o->state == GPUOWN_STATE_RELEASED) {
		gs_pr("Freed by task %d:\n", o->free_pid);
		gs_pr_stack(o->free_st);
	}
	gs_pr("Last transition (%s) by task %d:\n", gs_op_name(o->last_op),
	      o->last_pid);
	gs_pr_stack(o->last_st);
	shown = min_t(u64, o->nhist, GS_HIST);
	gs_pr("Ownership history (last %llu of %llu operations):\n", shown,
	      o->nhist);
	for (i = o->nhist - shown; i < o->nhist; i++) {
		const struct gs_hist *h = &o->hist[i % GS_HIST];

		gs_pr("  #%llu %-9s %s -> %s holders=%u task %d in %pS", i + 1,
		      gs_op_name(h->op),
		      h->op == GPUOWN_OP_ALLOC ? "(new)"
					       : gs_state_label(h->from),
		      gs_state_label(h->to), h->holders, h->pid, h->caller);
		if (h->cls)
			gs_pr(" REFUSED %s (%d)", gpusan_class_name(h->cls),
			      h->err);
		gs_pr("\n");
	}
}

static void gs_pr_field(const struct gpusan_obj *o, u64 off)
{
	const struct gpuown_field_desc *f;

	if (!o->layout || off > U32_MAX)
		return;
	f = gpuown_struct_field_at(o->layout, (u32)off);
	if (f)
		gs_pr(" in field %s (offset 0x%x, size %u)\n", f->name,
		      f->offset, f->size);
}

static void gs_pr_where(const struct gpusan_obj *o, u64 addr, u64 base)
{
	if (addr >= base && addr < base + o->size) {
		gs_pr("The buggy address is located %llu bytes inside of the "
		      "%llu-byte region\n",
		      addr - base, o->size);
		gs_pr_field(o, addr - base);
	} else if (addr >= base + o->size) {
		gs_pr("The buggy address is located %llu bytes to the right of "
		      "the %llu-byte region\n",
		      addr - base - o->size, o->size);
	} else {
		gs_pr("The buggy address is located %llu bytes to the left of "
		      "the %llu-byte region\n",
		      base - addr, o->size);
	}
}

static void gs_pr_shadow(struct gs_shadow *sh, u64 addr, const char *space)
{
	u64 row0 = (addr & ~0xffull) - 2 * 0x100, row, g;
	unsigned int i;

	gs_pr("Memory state around the buggy address (%s, one byte per 16-byte "
	      "granule):\n",
	      space);
	for (row = row0; row < row0 + 5 * 0x100; row += 0x100) {
		bool bad = row == (addr & ~0xffull);

		size_t start = gs_len;
		unsigned int pre;

		gs_pr("%c0x%012llx:", bad ? '>' : ' ', row);
		pre = gs_len - start;
		for (g = row; g < row + 0x100; g += GS_GRANULE)
			gs_pr(" %02x", gs_sh_get(sh, g));
		gs_pr("\n");
		if (bad) {
			/* Under the bad granule's first hex digit. */
			for (i = 0; i < pre + 1 + 3 * ((addr & 0xff) >> 4); i++)
				gs_pr(" ");
			gs_pr("^\n");
		}
	}
	gs_pr("Shadow byte legend (high nibble: state; low nibble: valid bytes "
	      "of a partial granule, 0 = all):\n");
	gs_pr("  0x unmapped  1x redzone  2x cpu-owned  3x fw-owned(r)  4x "
	      "fw-owned(w)\n");
	gs_pr("  5x fw-owned(rw)  6x shared(r)  7x shared(rw)  8x gpu-only  9x "
	      "freed\n");
	gs_pr("  ax fw footprint  bx bound  cx bound(ro)  dx unbound\n");
}

static const char *gs_op_title(enum gpuown_op op)
{
	switch (op) {
	case GPUOWN_OP_FREE:
		return "Free";
	case GPUOWN_OP_PUBLISH:
		return "Publish";
	case GPUOWN_OP_FW_GET:
		return "Firmware hold";
	case GPUOWN_OP_RECLAIM:
		return "Reclaim";
	case GPUOWN_OP_SHARE:
		return "Share";
	case GPUOWN_OP_DETACH:
		return "Detach";
	case GPUOWN_OP_STORE_PTR:
		return "Pointer store";
	case GPUOWN_OP_CLEAR_PTR:
		return "Pointer clear";
	case GPUOWN_OP_LIFECYCLE:
		return "Lifecycle step";
	case GPUOWN_OP_CPU_ACCESS:
		return "CPU access";
	default:
		return "Operation";
	}
}

static void gs_pr_edge(const struct gpusan_obj *c, const struct gs_edge *e)
{
	gs_pr("Pointer: %s id %llu [%s] field %s (%s, offset 0x%x) -> ",
	      c->name, c->id, gs_state_label(c->state),
	      e->field ? e->field->name : "?",
	      e->fw_addr ? "fw_ptr" : "gpu_ptr", e->offset);
	if (e->target)
		gs_pr("%s id %llu [%s]\n", e->target->name, e->target->id,
		      gs_state_label(e->target->state));
	else
		gs_pr("(none)\n");
}

static void gs_compose(const struct gs_report *r)
{
	const char *cls = gpusan_class_name(r->cls);
	const struct gpusan_obj *o = r->obj;

	if (!r->kasan)
		gs_pr("========================================================"
		      "==========\n");
	if (r->kasan)
		gs_pr("BUG: GPUSAN: %s in the CPU access KASAN reported "
		      "above\n",
		      cls);
	else
		gs_pr("BUG: GPUSAN: %s in %pS\n", cls, r->caller);
	if (r->kasan) {
		gs_pr("The access KASAN reported above is a plain CPU access "
		      "at cpu 0x%llx (gpu va 0x%llx)\n",
		      r->addr, o->va + (r->addr - (unsigned long)o->cpu));
		gs_pr(" outside the driver's accessors, while the CPU does not "
		      "own the object\n");
	} else if (r->is_access) {
		const char *space =
			r->space == GPUSAN_SPACE_FW ? "fw addr" : "gpu va";

		gs_pr("%s of size %zu at %s 0x%llx",
		      r->write ? "Write" : "Read", r->size, space, r->addr);
		if (o && r->space == GPUSAN_SPACE_FW && o->fa)
			gs_pr(" (gpu va 0x%llx)", o->va + (r->addr - o->fa));
		else if (o && o->fa)
			gs_pr(" (fw addr 0x%llx)", o->fa + (r->addr - o->va));
		gs_pr("\n by %s\n [granule=%02x %s]\n",
		      r->agent == GPUSAN_AGENT_FW ? "firmware" : "GPU",
		      r->granule, gs_state_name(GS_STATE(r->granule)));
	} else if (r->op == GPUOWN_OP_CPU_ACCESS) {
		gs_pr("CPU %s of size %zu at gpu va 0x%llx (cpu 0x%px) through "
		      "the driver's accessor\n",
		      r->write ? "write" : "read", r->size, r->addr,
		      o && o->cpu ? (u8 *)o->cpu + (r->addr - o->va) : NULL);
		gs_pr(" by task %d\n [op=cpu_access state=%s holders=%u "
		      "err=%d]\n",
		      task_pid_nr(current), o ? gs_state_label(o->state) : "?",
		      o ? o->holders : 0, r->err);
	} else if (r->lc) {
		gs_pr("Lifecycle %s of 0x%px: ", r->lc->name, r->lc->owner);
		if (r->cls == GPUSAN_LIFECYCLE_ILLEGAL)
			gs_pr("%s -> %s is not a declared transition\n",
			      r->lc->state, r->lc_to);
		else
			gs_pr("the operation requires state %s, the object is "
			      "in %s\n",
			      r->lc_to, r->lc->state);
		gs_pr(" declared: \"%s\"\n [op=lifecycle err=%d]\n",
		      r->lc->spec, r->err);
	} else if (!o) {
		gs_pr("%s of handle 0x%px, which is not a GPU object gpusan "
		      "knows\n",
		      gs_op_title(r->op), r->handle);
		gs_pr(" by task %d\n [op=%s err=%d]\n", task_pid_nr(current),
		      gs_op_name(r->op), r->err);
	} else {
		gs_pr("%s of object %s id %llu at gpu va 0x%llx by task %d\n",
		      gs_op_title(r->op), o->name, o->id, o->va,
		      task_pid_nr(current));
		gs_pr(" [op=%s state=%s holders=%u err=%d]\n",
		      gs_op_name(r->op), gs_state_label(o->state), o->holders,
		      r->err);
	}
	if (r->edge)
		gs_pr_edge(r->cls == GPUSAN_DANGLING_AT_FREE ? r->other : o,
			   r->edge);
	if (!r->kasan) {
		gs_pr("Call trace:\n");
		gs_pr_current_stack(r->caller);
	}
	if (o) {
		gs_pr_object(r->is_access || r->kasan
				     ? "The buggy address belongs to the object"
				     : "The object:",
			     o);
		if (r->kasan)
			gs_pr_where(o, r->addr, (unsigned long)o->cpu);
		else if (r->is_access)
			gs_pr_where(o, r->bad_addr,
				    r->space == GPUSAN_SPACE_FW ? o->fa
								: o->va);
	} else if (r->is_access) {
		gs_pr("The address belongs to no GPU object gpusan knows\n");
	}
	if (r->other)
		gs_pr_object(r->cls == GPUSAN_DANGLING_AT_FREE
				     ? "The pointing object:"
				     : "The pointed-to object:",
			     r->other);
	if (r->is_access && r->sh)
		gs_pr_shadow(r->sh, r->bad_addr,
			     r->space == GPUSAN_SPACE_FW ? "fw addr"
							 : "gpu va");
	if (!r->kasan)
		gs_pr("========================================================"
		      "==========\n");
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

/* Called with gs_lock held. */
void gs_report(const struct gs_report *r)
{
	struct gpusan_kreport k;
	bool print;

	atomic_inc(&gs_nreports);
	print = gs_multi_shot || !gs_reported || r->kasan;
	gs_reported = true;
	gs_len = 0;
	gs_buf[0] = '\0';
	gs_compose(r);
	if (print)
		gs_print();
	if (gs_hook) {
		k.class_name = gpusan_class_name(r->cls);
		k.text = gs_buf;
		k.obj_id = r->obj ? r->obj->id : 0;
		k.kasan = r->kasan;
		gs_hook(&k, gs_hook_ctx);
	}
	/* A KASAN report checks panic_on_warn itself. */
	if (!print || r->kasan || gs_multi_shot)
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
	struct gs_report r = {.kasan = true, .addr = addr};
	struct gpusan_obj *o;
	unsigned long flags;

	/* Inside KASAN's report: never wait for a lock the trap interrupted. */
	local_irq_save(flags);
	if (!spin_trylock(&gs_lock)) {
		local_irq_restore(flags);
		pr_err("gpusan: (busy; cannot say which GPU object 0x%lx is)\n",
		       addr);
		return;
	}
	o = gs_find_cpu(addr);
	if (o) {
		r.obj = o;
		r.cls = o->state == GPUOWN_STATE_QUARANTINED ||
					o->state == GPUOWN_STATE_RELEASED
				? GPUSAN_USE_AFTER_FREE
				: GPUSAN_CPU_ACCESS_POISONED;
		r.caller = NULL;
		gs_report(&r);
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
