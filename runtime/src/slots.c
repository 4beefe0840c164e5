// SPDX-License-Identifier: MIT
/*
 * The handle registry: every struct gpuown_obj lives in one process-wide arena.
 *
 * A handle is valid iff it points at the start of a slot whose magic says
 * "live", so validating any handle (stale, wild, interior) costs a range check
 * and one load, never a dereference of memory we do not own. Released slots
 * wait in a FIFO graveyard and are reused only once it holds more than
 * GRAVEYARD_MAX slots, so a stale handle keeps being recognised as "already
 * freed" for that long instead of aliasing a new object.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define ARENA_SLOTS (1u << 19)
#define GRAVEYARD_MAX 16384u

static struct {
	pthread_once_t once;
	pthread_mutex_t lock;
	struct gpuown_obj *base;
	_Atomic size_t used;	   /* slots ever handed out */
	uint32_t gy_head, gy_tail; /* slot index + 1; 0: none */
	uint32_t gy_count;
	struct gpuown_mm *mms;	/* every memory system, for wild reports */
	struct gpuown_vm **vms; /* every VM, so a wild VM pointer is caught */
	size_t nvms, cap_vms;
} arena = {
	.once = PTHREAD_ONCE_INIT,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static void arena_init(void)
{
	void *p = mmap(NULL, (size_t)ARENA_SLOTS * sizeof(struct gpuown_obj),
		       PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	arena.base = p == MAP_FAILED ? NULL : p;
}

static uint32_t slot_index(const struct gpuown_obj *o)
{
	return (uint32_t)(o - arena.base);
}

static struct gpuown_obj *graveyard_pop(void)
{
	struct gpuown_obj *o;

	if (arena.gy_count <= GRAVEYARD_MAX)
		return NULL;
	o = &arena.base[arena.gy_head - 1];
	arena.gy_head = o->gy_next;
	if (!arena.gy_head)
		arena.gy_tail = 0;
	arena.gy_count--;
	return o;
}

struct gpuown_obj *slot_alloc(void)
{
	struct gpuown_obj *o;
	size_t used;

	pthread_once(&arena.once, arena_init);
	if (!arena.base)
		return NULL;
	pthread_mutex_lock(&arena.lock);
	o = graveyard_pop();
	if (!o) {
		used = atomic_load(&arena.used);
		if (used < ARENA_SLOTS) {
			o = &arena.base[used];
			atomic_store(&arena.used, used + 1);
		}
	}
	/* Not a valid handle until initialised (magic set by the caller). */
	if (o)
		__atomic_store_n(&o->magic, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&arena.lock);
	if (!o)
		return NULL;
	memset((char *)o + sizeof(o->magic), 0, sizeof(*o) - sizeof(o->magic));
	return o;
}

void slot_release(struct gpuown_obj *o)
{
	uint32_t idx = slot_index(o) + 1;

	__atomic_store_n(&o->magic, GPUOWN_OBJ_MAGIC_DEAD, __ATOMIC_RELEASE);
	pthread_mutex_lock(&arena.lock);
	o->gy_next = 0;
	if (arena.gy_tail)
		arena.base[arena.gy_tail - 1].gy_next = idx;
	else
		arena.gy_head = idx;
	arena.gy_tail = idx;
	arena.gy_count++;
	pthread_mutex_unlock(&arena.lock);
}

enum gpuown_handle_kind handle_check(const void *h, struct gpuown_obj **out)
{
	uintptr_t p = (uintptr_t)h, base = (uintptr_t)arena.base;
	size_t used = atomic_load_explicit(&arena.used, memory_order_acquire);
	struct gpuown_obj *o;
	uint32_t magic;

	*out = NULL;
	if (!base || p < base || p >= base + used * sizeof(struct gpuown_obj))
		return GPUOWN_HANDLE_WILD;
	if ((p - base) % sizeof(struct gpuown_obj))
		return GPUOWN_HANDLE_WILD;
	o = (struct gpuown_obj *)h;
	magic = __atomic_load_n(&o->magic, __ATOMIC_ACQUIRE);
	if (magic == GPUOWN_OBJ_MAGIC_LIVE) {
		*out = o;
		return GPUOWN_HANDLE_LIVE;
	}
	if (magic == GPUOWN_OBJ_MAGIC_DEAD) {
		*out = o;
		return GPUOWN_HANDLE_DEAD;
	}
	return GPUOWN_HANDLE_WILD;
}

void mm_list_add(struct gpuown_mm *mm)
{
	pthread_once(&arena.once, arena_init);
	pthread_mutex_lock(&arena.lock);
	mm->next = arena.mms;
	arena.mms = mm;
	pthread_mutex_unlock(&arena.lock);
}

void mm_list_del(struct gpuown_mm *mm)
{
	struct gpuown_mm **pp;

	pthread_mutex_lock(&arena.lock);
	for (pp = &arena.mms; *pp; pp = &(*pp)->next) {
		if (*pp == mm) {
			*pp = mm->next;
			break;
		}
	}
	pthread_mutex_unlock(&arena.lock);
}

int vm_list_add(struct gpuown_vm *vm)
{
	struct gpuown_vm **n;
	int err = 0;

	pthread_mutex_lock(&arena.lock);
	if (arena.nvms == arena.cap_vms) {
		size_t cap = arena.cap_vms ? arena.cap_vms * 2 : 16;

		n = realloc(arena.vms, cap * sizeof(*n));
		if (!n) {
			err = -ENOMEM;
			goto out;
		}
		arena.vms = n;
		arena.cap_vms = cap;
	}
	arena.vms[arena.nvms++] = vm;
out:
	pthread_mutex_unlock(&arena.lock);
	return err;
}

void vm_list_del(struct gpuown_vm *vm)
{
	size_t i;

	pthread_mutex_lock(&arena.lock);
	for (i = 0; i < arena.nvms; i++) {
		if (arena.vms[i] == vm) {
			arena.vms[i] = arena.vms[--arena.nvms];
			break;
		}
	}
	pthread_mutex_unlock(&arena.lock);
}

bool vm_known(const struct gpuown_vm *vm)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&arena.lock);
	for (i = 0; i < arena.nvms && !found; i++)
		found = arena.vms[i] == vm;
	pthread_mutex_unlock(&arena.lock);
	return found;
}

void slots_forget_mm(struct gpuown_mm *mm)
{
	size_t i, used = atomic_load(&arena.used);

	if (!arena.base)
		return;
	pthread_mutex_lock(&arena.lock);
	for (i = 0; i < used; i++) {
		if (arena.base[i].model == &mm->model &&
		    __atomic_load_n(&arena.base[i].magic, __ATOMIC_RELAXED) ==
			    GPUOWN_OBJ_MAGIC_DEAD)
			arena.base[i].model = NULL;
	}
	pthread_mutex_unlock(&arena.lock);
}

bool mm_known(const struct gpuown_mm *mm)
{
	struct gpuown_mm *m;
	bool found = false;

	pthread_once(&arena.once, arena_init);
	pthread_mutex_lock(&arena.lock);
	for (m = arena.mms; m && !found; m = m->next)
		found = m == mm;
	pthread_mutex_unlock(&arena.lock);
	return found;
}

void broadcast_event(const struct gpuown_event *ev)
{
	struct gpuown_mm *mms[16], *mm;
	unsigned n = 0, i;

	/* Collect first: hooks run without the arena lock held. */
	pthread_mutex_lock(&arena.lock);
	for (mm = arena.mms; mm && n < 16; mm = mm->next)
		mms[n++] = mm;
	pthread_mutex_unlock(&arena.lock);
	for (i = 0; i < n; i++)
		gpuown_model_emit_event(&mms[i]->model, ev);
}
