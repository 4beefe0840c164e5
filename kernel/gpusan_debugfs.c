// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/gpusan/objects: every object gpusan tracks (live and
 * quarantined), its addresses and ownership state, and the GPU pointers it
 * holds (the core's edges).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "gpusan_internal.h"

static struct dentry *gs_dir;

/* One line per object; its edges need the core, so outside gs_lock. */
struct gs_dbg_obj {
	u64 id, va, size, fa;
	char name[48];
	const char *state;
	unsigned int holders;
	const char *vm;
	void *cpu;
	u32 fw_dir;
	bool poisoned;
	struct gpuown_obj *obj;
};

static void gs_show_edge(const struct gpuown_ptr_edge *e, void *arg)
{
	struct seq_file *m = arg;

	seq_printf(m, "  -> %s 0x%x %s %llu %s %s\n",
		   e->field ? e->field->name : "-", e->offset,
		   e->fw_addr ? "fw_ptr" : "gpu_ptr", gpuown_obj_id(e->target),
		   gpuown_obj_name(e->target),
		   gpuown_state_name(gpuown_obj_state(e->target)));
}

static int gs_objects_show(struct seq_file *m, void *unused)
{
	u64 shadow = gpusan_shadow_used();
	struct gs_dbg_obj *objs;
	unsigned int n = 0, cap = 0, i;
	unsigned long flags;
	struct gs_meta *g;

	spin_lock_irqsave(&gs_lock, flags);
	for (g = gs_live.next; g != &gs_live; g = g->next)
		cap++;
	spin_unlock_irqrestore(&gs_lock, flags);
	objs = kvcalloc(cap + 1, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	spin_lock_irqsave(&gs_lock, flags);
	for (g = gs_live.next; g != &gs_live && n < cap; g = g->next) {
		struct gs_dbg_obj *d = &objs[n++];

		d->id = g->id;
		d->va = g->va;
		d->size = g->size;
		d->fa = g->fw_addr;
		strscpy(d->name, g->name, sizeof(d->name));
		d->state = gpuown_state_name(g->state);
		d->holders = g->holders;
		d->vm = g->vm ? g->vm->name : "fw";
		d->cpu = g->cpu;
		d->fw_dir = g->fw_dir;
		d->poisoned = g->poisoned;
		d->obj = g->obj;
	}
	spin_unlock_irqrestore(&gs_lock, flags);

	seq_puts(m, "# id name state holders vm gpu_va size fw_addr cpu "
		    "fw_dir\n");
	seq_puts(m, "#   -> field offset kind target_id target_name "
		    "target_state\n");
	for (i = 0; i < n; i++) {
		struct gs_dbg_obj *d = &objs[i];

		seq_printf(m,
			   "%llu %s %s %u %s 0x%llx %llu 0x%llx 0x%px %u%s\n",
			   d->id, d->name, d->state, d->holders, d->vm, d->va,
			   d->size, d->fa, d->cpu, d->fw_dir,
			   d->poisoned ? " cpu-poisoned" : "");
		/* The core validates the handle: a released one lists none. */
		if (d->obj)
			gpuown_obj_for_each_pointee(d->obj, gs_show_edge, m);
	}
	seq_printf(m, "# shadow bytes %llu, mapped bytes %llu, reports %u\n",
		   shadow, gpusan_mapped_bytes(), gpusan_report_count());
	kvfree(objs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gs_objects);

void gs_debugfs_init(void)
{
	gs_dir = debugfs_create_dir("gpusan", NULL);
	debugfs_create_file("objects", 0400, gs_dir, NULL, &gs_objects_fops);
}

void gs_debugfs_exit(void)
{
	debugfs_remove_recursive(gs_dir);
}
