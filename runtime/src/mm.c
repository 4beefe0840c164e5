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
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gpuown/fault.h>

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
	mm->model.redzone = mm->cfg.redzone;
	mm->model.quarantine_budget = mm->cfg.quarantine_budget;
	pthread_mutex_init(&mm->page_lock, NULL);
	pthread_mutex_init(&mm->vms_lock, NULL);
	err = gpuown_model_init(&mm->model);
	if (!err)
		err = backing_init(mm, bytes);
	if (!err)
		err = vm_init_fw(mm);
	if (err) {
		gpuown_model_fini(&mm->model);
		mm_free(mm);
		return err;
	}
	mm->magic = MM_MAGIC;
	mm_list_add(mm);
	*out = mm;
	return 0;
}

size_t gpuown_mm_destroy(struct gpuown_mm *mm)
{
	void *caller = __builtin_return_address(0);
	struct gpuown_event ev;
	size_t leaked;

	if (!mm)
		return 0;
	if (!mm_known(mm)) {
		/* Destroyed already (or never created): report, never touch. */
		report_wild(GPUOWN_OP_MM_DESTROY, mm, GPUOWN_V_DOUBLE_FREE,
			    -EINVAL, caller);
		return 0;
	}
	mm_list_del(mm);
	leaked = gpuown_model_fini(&mm->model);
	/* The hooks' last event: the memory system is gone after it. */
	ev_init(&ev, GPUOWN_OP_MM_DESTROY, NULL, caller);
	ev.wild = mm;
	emit_event(mm, &ev);
	mm->magic = MM_MAGIC_DEAD;
	slots_forget_mm(mm);
	mm_free(mm);
	return leaked;
}

void gpuown_mm_set_hooks(struct gpuown_mm *mm, const struct gpuown_hooks *hooks)
{
	if (mm_known(mm))
		mm->model.hooks = hooks;
}

const struct gpuown_hooks *gpuown_mm_hooks(const struct gpuown_mm *mm)
{
	return mm_known(mm) ? mm->model.hooks : NULL;
}

bool gpuown_mm_alive(const struct gpuown_mm *mm)
{
	return mm && mm_known(mm);
}

void gpuown_mm_set_quarantine_budget(struct gpuown_mm *mm, uint64_t bytes)
{
	if (mm)
		gpuown_model_set_quarantine_budget(&mm->model, bytes);
}

int gpuown_mm_min_redzone(struct gpuown_mm *mm, uint32_t bytes)
{
	if (!mm || bytes > (1u << 24))
		return -EINVAL;
	if (__atomic_load_n(&mm->model.live, __ATOMIC_ACQUIRE))
		return -EBUSY;
	if (mm->model.redzone < bytes)
		mm->model.redzone = bytes;
	mm->cfg.redzone = mm->model.redzone;
	return 0;
}

size_t gpuown_mm_live_objects(struct gpuown_mm *mm)
{
	return mm ? __atomic_load_n(&mm->model.live, __ATOMIC_ACQUIRE) : 0;
}

uint64_t gpuown_mm_mapped_bytes(struct gpuown_mm *mm)
{
	return mm ? atomic_load(&mm->mapped) : 0;
}

void gpuown_mm_fw_cache_flushed(struct gpuown_mm *mm)
{
	if (mm)
		gpuown_model_quarantine_ready(&mm->model, &mm->model.q_fw_wait);
}

struct gpuown_mm *gpuown_obj_mm(const struct gpuown_obj *h)
{
	struct gpuown_obj *o;

	return handle_check(h, &o) == GPUOWN_HANDLE_WILD ? NULL : obj_mm(o);
}

int gpuown_obj_alloc(struct gpuown_mm *mm, const struct gpuown_alloc_args *args,
		     struct gpuown_obj **out)
{
	if (out)
		*out = NULL;
	if (!mm || !mm_known(mm))
		return -EINVAL;
	if (gpuown_fault_should_fail(GPUOWN_FAULT_ALLOC,
				     __builtin_return_address(0)))
		return -ENOMEM;
	return gpuown_model_obj_alloc(&mm->model, args, NULL,
				      __builtin_return_address(0), out);
}
