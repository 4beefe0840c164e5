// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/gpusan/objects: every object gpusan tracks (live and
 * quarantined), its addresses and ownership state, and the GPU pointers it
 * holds. One snapshot under gs_lock per read.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "gpusan_internal.h"

static struct dentry *gs_dir;

static int gs_objects_show(struct seq_file *m, void *unused)
{
	u64 shadow = gpusan_shadow_used(); /* takes gs_lock itself */
	struct gpusan_obj *o;
	unsigned long flags;
	unsigned int i;

	seq_puts(m,
		 "# id name state holders vm gpu_va size fw_addr cpu fw_dir\n");
	seq_puts(m, "#   -> field offset kind target_id target_name "
		    "target_state\n");
	spin_lock_irqsave(&gs_lock, flags);
	list_for_each_entry(o, &gs_live, node) {
		seq_printf(m,
			   "%llu %s %s %u %s 0x%llx %llu 0x%llx 0x%px %u%s\n",
			   o->id, o->name, gs_state_label(o->state), o->holders,
			   o->vm ? o->vm->name : "fw", o->va, o->size, o->fa,
			   o->cpu, o->fw_dir, o->detached ? " detached" : "");
		for (i = 0; i < o->nedges; i++) {
			const struct gs_edge *e = &o->edges[i];

			seq_printf(m, "  -> %s 0x%x %s %llu %s %s\n",
				   e->field ? e->field->name : "-", e->offset,
				   e->fw_addr ? "fw_ptr" : "gpu_ptr",
				   e->target->id, e->target->name,
				   e->dangling
					   ? "dangling"
					   : gs_state_label(e->target->state));
		}
	}
	seq_printf(m, "# shadow bytes %llu, mapped bytes %llu, reports %u\n",
		   shadow, gpusan_mapped_bytes(), gpusan_report_count());
	spin_unlock_irqrestore(&gs_lock, flags);
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
