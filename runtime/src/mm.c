// SPDX-License-Identifier: MIT
/*
 * The memory system: backing memory, hooks, coherency events and quarantine.
 *
 * The backing is one memfd mapped twice: the physical view (linear, what the
 * firmware and the GPU reach through page tables) and, page by page, the CPU
 * views of the windows (vm.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define DEFAULT_BACKING (64u << 20)

static int backing_init(struct gpuown_mm *mm, size_t bytes)
{
	uint32_t i;
	void *p;

	mm->backing = (bytes + PG_MASK) & ~PG_MASK;
	mm->npages = (uint32_t)(mm->backing >> PG_SHIFT);
	mm->memfd = memfd_create("gpuown-backing", MFD_CLOEXEC);
	if (mm->memfd < 0)
		return -errno;
	if (ftruncate(mm->memfd, (off_t)mm->backing))
		return -errno;
	p = mmap(NULL, mm->backing, PROT_READ | PROT_WRITE, MAP_SHARED,
		 mm->memfd, 0);
	if (p == MAP_FAILED)
		return -errno;
	mm->phys = p;
	mm->free_pages = malloc(mm->npages * sizeof(*mm->free_pages));
	mm->page_refs = calloc(mm->npages, sizeof(*mm->page_refs));
	if (!mm->free_pages || !mm->page_refs)
		return -ENOMEM;
	/* Stack: the lowest page comes out first, which keeps tests readable.
	 */
	for (i = 0; i < mm->npages; i++)
		mm->free_pages[i] = mm->npages - 1 - i;
	mm->nfree_pages = mm->npages;
	return 0;
}

static void mm_free(struct gpuown_mm *mm)
{
	struct gpuown_vm *vm, *next;

	for (vm = mm->vms; vm; vm = next) {
		next = vm->next;
		vm_free(vm);
	}
	vm_free(mm->fw_vm);
	if (mm->phys)
		munmap(mm->phys, mm->backing);
	if (mm->memfd >= 0)
		close(mm->memfd);
	free(mm->free_pages);
	free(mm->page_refs);
	pthread_mutex_destroy(&mm->page_lock);
	pthread_mutex_destroy(&mm->vms_lock);
	pthread_mutex_destroy(&mm->graph_lock);
	pthread_mutex_destroy(&mm->q_lock);
	pthread_mutex_destroy(&mm->objs_lock);
	free(mm);
}

int gpuown_mm_create(const struct gpuown_mm_config *cfg, struct gpuown_mm **out)
{
	struct gpuown_mm *mm;
	size_t bytes = cfg && cfg->backing_bytes ? cfg->backing_bytes
						 : DEFAULT_BACKING;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	/* Page numbers are 32-bit and offsets must stay inside 48 bits. */
	if (bytes > (1ull << 46) || (cfg && cfg->redzone > (1u << 24)))
		return -EINVAL;
	mm = calloc(1, sizeof(*mm));
	if (!mm)
		return -ENOMEM;
	mm->memfd = -1;
	if (cfg)
		mm->cfg = *cfg;
	mm->cfg.backing_bytes = bytes;
	pthread_mutex_init(&mm->page_lock, NULL);
	pthread_mutex_init(&mm->vms_lock, NULL);
	pthread_mutex_init(&mm->graph_lock, NULL);
	pthread_mutex_init(&mm->q_lock, NULL);
	pthread_mutex_init(&mm->objs_lock, NULL);
	err = backing_init(mm, bytes);
	if (!err)
		err = vm_init_fw(mm);
	if (err) {
		mm_free(mm);
		return err;
	}
	mm_list_add(mm);
	*out = mm;
	return 0;
}

size_t gpuown_mm_destroy(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	size_t leaked = 0;

	if (!mm)
		return 0;
	mm_list_del(mm);
	pthread_mutex_lock(&mm->q_lock);
	/* Everything is released below; the user-VM lists go with their VMs. */
	mm->q_ready.head = mm->q_ready.tail = NULL;
	mm->q_fw_wait.head = mm->q_fw_wait.tail = NULL;
	mm->q_bytes = 0;
	pthread_mutex_unlock(&mm->q_lock);
	/* Release everything, quarantined or not; count what was never freed.
	 */
	for (;;) {
		pthread_mutex_lock(&mm->objs_lock);
		o = mm->objs;
		pthread_mutex_unlock(&mm->objs_lock);
		if (!o)
			break;
		if (!state_freed(obj_state(o)))
			leaked++;
		pthread_mutex_lock(&mm->graph_lock);
		edges_drop_outgoing(o);
		edges_mark_dangling(o);
		pthread_mutex_unlock(&mm->graph_lock);
		obj_release(o);
	}
	slots_forget_mm(mm);
	mm_free(mm);
	return leaked;
}

void gpuown_mm_set_hooks(struct gpuown_mm *mm, const struct gpuown_hooks *hooks)
{
	if (mm)
		mm->hooks = hooks;
}

const struct gpuown_hooks *gpuown_mm_hooks(const struct gpuown_mm *mm)
{
	return mm ? mm->hooks : NULL;
}

void gpuown_mm_set_quarantine_budget(struct gpuown_mm *mm, uint64_t bytes)
{
	if (!mm)
		return;
	pthread_mutex_lock(&mm->q_lock);
	mm->cfg.quarantine_budget = bytes;
	pthread_mutex_unlock(&mm->q_lock);
	quarantine_evict(mm);
}

int gpuown_mm_min_redzone(struct gpuown_mm *mm, uint32_t bytes)
{
	if (!mm || bytes > (1u << 24))
		return -EINVAL;
	if (atomic_load(&mm->live))
		return -EBUSY;
	if (mm->cfg.redzone < bytes)
		mm->cfg.redzone = bytes;
	return 0;
}

size_t gpuown_mm_live_objects(struct gpuown_mm *mm)
{
	return mm ? atomic_load(&mm->live) : 0;
}

uint64_t gpuown_mm_mapped_bytes(struct gpuown_mm *mm)
{
	return mm ? atomic_load(&mm->mapped) : 0;
}

/* ------------------------------------------------------------------------
 * Quarantine
 */
static void qlist_append(struct qlist *l, struct gpuown_obj *o)
{
	o->q_next = NULL;
	if (l->tail)
		l->tail->q_next = o;
	else
		l->head = o;
	l->tail = o;
}

void quarantine_ready(struct gpuown_mm *mm, struct qlist *from)
{
	if (!from->head)
		return;
	if (mm->q_ready.tail)
		mm->q_ready.tail->q_next = from->head;
	else
		mm->q_ready.head = from->head;
	mm->q_ready.tail = from->tail;
	from->head = from->tail = NULL;
}

void quarantine_push(struct gpuown_mm *mm, struct gpuown_obj *o)
{
	struct qlist *l = &mm->q_ready;

	/* Uncached firmware windows need no flush; user VMs an invalidate. */
	if (!o->vm->is_fw)
		l = &o->vm->q_wait;
	else if (o->win->cached)
		l = &mm->q_fw_wait;
	pthread_mutex_lock(&mm->q_lock);
	qlist_append(l, o);
	mm->q_bytes += o->size;
	pthread_mutex_unlock(&mm->q_lock);
}

/* Release reusable entries, oldest first, until the budget is met. */
void quarantine_evict(struct gpuown_mm *mm)
{
	struct gpuown_obj *o, *out = NULL, **tail = &out;

	pthread_mutex_lock(&mm->q_lock);
	while (mm->q_bytes > mm->cfg.quarantine_budget &&
	       (o = mm->q_ready.head)) {
		mm->q_ready.head = o->q_next;
		if (!mm->q_ready.head)
			mm->q_ready.tail = NULL;
		mm->q_bytes -= o->size;
		o->q_next = NULL;
		*tail = o;
		tail = &o->q_next;
	}
	pthread_mutex_unlock(&mm->q_lock);
	while ((o = out)) {
		out = o->q_next;
		obj_release(o);
	}
}

void gpuown_mm_fw_cache_flushed(struct gpuown_mm *mm)
{
	if (!mm)
		return;
	pthread_mutex_lock(&mm->q_lock);
	quarantine_ready(mm, &mm->q_fw_wait);
	pthread_mutex_unlock(&mm->q_lock);
	quarantine_evict(mm);
}

static void obj_unlink(struct gpuown_mm *mm, struct gpuown_obj *o)
{
	pthread_mutex_lock(&mm->objs_lock);
	if (o->all_prev)
		o->all_prev->all_next = o->all_next;
	else
		mm->objs = o->all_next;
	if (o->all_next)
		o->all_next->all_prev = o->all_prev;
	pthread_mutex_unlock(&mm->objs_lock);
}

void obj_release(struct gpuown_obj *o)
{
	struct gpuown_mm *mm = o->mm;
	struct gpuown_range r = {
		.kind = GPUOWN_RANGE_RELEASE,
		.vm = o->vm->is_fw ? NULL : o->vm,
		.va = o->va,
		.size = o->size,
		.redzone = mm->cfg.redzone,
		.fw_addr = gpuown_fw_addr_from_u64(o->fa),
		.obj = o,
	};
	struct gpuown_event ev;

	obj_lock(o);
	ev_init(&ev, GPUOWN_OP_RELEASE, o, NULL);
	obj_set_state(o, GPUOWN_STATE_RELEASED);
	atomic_store(&o->holders, 0);
	free(o->holds);
	o->holds = NULL;
	o->cap_holds = 0;
	obj_unlock(o);
	ev.to = GPUOWN_STATE_RELEASED;
	ev.holders = 0;
	win_release_obj(o->win, o);
	obj_unlink(mm, o);
	atomic_fetch_sub(&mm->live, 1);
	emit_range(mm, &r);
	emit_event(mm, &ev);
	pthread_mutex_destroy(&o->lock);
	slot_release(o);
}
