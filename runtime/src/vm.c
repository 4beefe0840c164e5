// SPDX-License-Identifier: MIT
/*
 * VMs, their VA windows and user-VM bindings.
 *
 * A window is a 1 GiB range of one VM with one mapping mode. It hands out VA
 * with redzones (first fit over a sorted free-extent list), maps the 16 KiB
 * pages an object touches (several small objects share a page; a page is
 * unmapped when the last live or quarantined object on it is released), and
 * keeps a CPU view: a reservation of the whole window where each mapped page
 * is a shared mapping of its backing page, so an object is contiguous for the
 * CPU even when its backing pages are not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gpuown/fault.h>
#include <gpuown/simhost.h>

#include "internal.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ------------------------------------------------------------------------
 * Free-extent list
 */
static int extents_insert(struct window *w, size_t at, uint64_t s, uint64_t e)
{
	struct va_extent *n;

	if (w->nfree == w->cap_free) {
		size_t cap = w->cap_free ? w->cap_free * 2 : 16;

		n = realloc(w->free, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		w->free = n;
		w->cap_free = cap;
	}
	memmove(&w->free[at + 1], &w->free[at],
		(w->nfree - at) * sizeof(*w->free));
	w->free[at].start = s;
	w->free[at].end = e;
	w->nfree++;
	return 0;
}

static void extents_remove(struct window *w, size_t at)
{
	memmove(&w->free[at], &w->free[at + 1],
		(w->nfree - at - 1) * sizeof(*w->free));
	w->nfree--;
}

/* Carve [start, end) out of extent @i, which contains it. */
static int extent_carve(struct window *w, size_t i, uint64_t start,
			uint64_t end)
{
	struct va_extent e = w->free[i];

	if (start > e.start && end < e.end) {
		if (extents_insert(w, i + 1, end, e.end))
			return -ENOMEM;
		w->free[i].end = start;
	} else if (start > e.start) {
		w->free[i].end = start;
	} else if (end < e.end) {
		w->free[i].start = end;
	} else {
		extents_remove(w, i);
	}
	return 0;
}

/*
 * Both ends of a reservation are multiples of the alignment (redzones rounded
 * up), so the hole a released object leaves fits the next object of its kind:
 * same-size churn reuses holes instead of fragmenting the window.
 */
struct va_req {
	uint64_t size, align, rz_front, rz_back, gran;
	bool own_pages;
};

/*
 * First fit inside [lo, hi) of the window (the pool or what lies below it;
 * extents may span the boundary, since freeing coalesces them).
 */
static inline __attribute__((always_inline)) int
va_take(struct window *w, const struct va_req *rq, uint64_t lo, uint64_t hi,
	uint64_t *rstart, uint64_t *rend, uint64_t *va)
{
	size_t i;

	for (i = 0; i < w->nfree; i++) {
		struct va_extent e = w->free[i];
		uint64_t v, end;

		if (e.start >= hi)
			break;
		if (e.end <= lo)
			continue;
		if (e.start < lo)
			e.start = lo;
		if (e.end > hi)
			e.end = hi;
		v = align_up(e.start + rq->rz_front, rq->align);
		end = align_up(v + rq->size + rq->rz_back, rq->gran);
		if (end > e.end || end <= v)
			continue;
		if (extent_carve(w, i, v - rq->rz_front, end))
			return -ENOMEM;
		*rstart = v - rq->rz_front;
		*rend = end;
		*va = v;
		return 0;
	}
	return -ENOSPC;
}

static void va_give(struct window *w, uint64_t s, uint64_t e)
{
	size_t lo = 0, hi = w->nfree, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (w->free[mid].start < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && w->free[lo - 1].end == s) {
		w->free[lo - 1].end = e;
		if (lo < w->nfree && w->free[lo].start == e) {
			w->free[lo - 1].end = w->free[lo].end;
			extents_remove(w, lo);
		}
		return;
	}
	if (lo < w->nfree && w->free[lo].start == e) {
		w->free[lo].start = s;
		return;
	}
	/* Out of memory here would leak VA only; the window stays consistent.
	 */
	extents_insert(w, lo, s, e);
}

/* ------------------------------------------------------------------------
 * Pages of a window
 */
static struct page_meta *win_page(struct window *w, uint64_t pva)
{
	return &w->pages[(pva - w->base) >> PG_SHIFT];
}

static int cpu_view_map(struct window *w, uint64_t pva, uint64_t phys)
{
	void *at = w->cpu_base + (pva - w->base);
	void *p = mmap(at, PG_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED, w->vm->mm->memfd, (off_t)phys);

	return p == MAP_FAILED ? -ENOMEM : 0;
}

static void cpu_view_unmap(struct window *w, uint64_t pva)
{
	void *at = w->cpu_base + (pva - w->base);

	/* Back to an inaccessible reservation, never a hole another mmap takes.
	 */
	mmap(at, PG_SIZE, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static uint64_t obj_pte_flags(struct window *w, const struct gpuown_obj *o)
{
	uint64_t f = w->pte_flags;

	if (!w->vm->is_fw &&
	    (o->mode == GPUOWN_MAP_GPU_RO || o->mode == GPUOWN_MAP_SHARED_RO))
		f |= PTE_GPU_RO;
	return f;
}

static int page_use(struct window *w, uint64_t pva, struct gpuown_obj *o)
{
	struct page_meta *m = win_page(w, pva);
	bool cpu = !(o->flags & GPUOWN_ALLOC_NO_CPU_MAP);
	int err;

	if (m->nobjs == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 4;
		struct gpuown_obj **n = realloc(m->objs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->objs = n;
		m->cap = cap;
		if (m - w->pages >= (ptrdiff_t)w->pages_hw)
			w->pages_hw = (uint64_t)(m - w->pages) + 1;
	}
	if (!m->users) {
		err = phys_alloc(w->vm->mm, &m->phys);
		if (err)
			return err;
		err = pt_set_page(w->vm->pt, pva,
				  m->phys | PTE_VALID | obj_pte_flags(w, o));
		if (err) {
			phys_put(w->vm->mm, m->phys);
			return err;
		}
	}
	if (cpu && w->cpu_base && !m->cpu_mapped) {
		err = cpu_view_map(w, pva, m->phys);
		if (err) {
			if (!m->users) {
				pt_clear_page(w->vm->pt, pva);
				phys_put(w->vm->mm, m->phys);
			}
			return err;
		}
		m->cpu_mapped = true;
	}
	m->users++;
	m->objs[m->nobjs++] = o;
	return 0;
}

static void page_unuse(struct window *w, uint64_t pva, struct gpuown_obj *o)
{
	struct page_meta *m = win_page(w, pva);
	uint32_t i;

	for (i = 0; i < m->nobjs; i++) {
		if (m->objs[i] == o) {
			m->objs[i] = m->objs[--m->nobjs];
			break;
		}
	}
	if (--m->users)
		return;
	pt_clear_page(w->vm->pt, pva);
	if (m->cpu_mapped)
		cpu_view_unmap(w, pva);
	m->cpu_mapped = false;
	phys_put(w->vm->mm, m->phys);
	m->phys = 0;
}

static void pages_unuse(struct window *w, struct gpuown_obj *o, uint64_t upto)
{
	uint64_t p;

	for (p = o->va & ~PG_MASK; p < upto; p += PG_SIZE)
		page_unuse(w, p, o);
}

/*
 * Sampled tracking: a tracked object in the pool, every other object below
 * it. A tracked object the pool has no room for is left out (as KFENCE
 * leaves an allocation to the slab allocator when its pool is full): no
 * event has named it yet, and the access path relies on every tracked
 * object lying in a pool.
 */
static int win_take(struct window *w, struct gpuown_obj *o,
		    const struct va_req *rq)
{
	const struct gpuown_hooks *h = w->vm->mm->model.hooks;
	uint64_t pool_end = w->base + WIN_POOL_SIZE;

	if (!h || !h->sampled)
		return va_take(w, rq, w->base, w->base + w->size,
			       &o->resv_start, &o->resv_end, &o->va);
	if (!o->san_skip && !va_take(w, rq, w->base, pool_end, &o->resv_start,
				     &o->resv_end, &o->va))
		return 0;
	o->san_skip = true;
	return va_take(w, rq, pool_end, w->base + w->size, &o->resv_start,
		       &o->resv_end, &o->va);
}

int win_alloc_obj(struct window *w, struct gpuown_obj *o, uint64_t align)
{
	struct gpuown_vm *vm = w->vm;
	uint64_t rz = o->redzone, p, end;
	struct va_req rq = {
		.size = o->size,
		.align = align,
		.rz_front = align_up(rz, align),
		.rz_back = rz,
		.gran = align > 16 ? align : 16,
	};
	int err;

	rq.own_pages = (o->flags & GPUOWN_ALLOC_NO_CPU_MAP) ||
		       (!vm->is_fw && (obj_pte_flags(w, o) & PTE_GPU_RO));
	if (rq.own_pages) {
		rq.align = rq.align > PG_SIZE ? rq.align : PG_SIZE;
		rq.rz_front = align_up(rz, rq.align);
		rq.rz_back = align_up(rz, PG_SIZE);
		rq.gran = PG_SIZE;
	}
	pthread_mutex_lock(&vm->lock);
	err = win_take(w, o, &rq);
	if (err)
		goto out;
	end = o->va + o->size;
	for (p = o->va & ~PG_MASK; p < end; p += PG_SIZE) {
		err = page_use(w, p, o);
		if (err) {
			pages_unuse(w, o, p);
			va_give(w, o->resv_start, o->resv_end);
			goto out;
		}
	}
	if (w->fw_base)
		o->fa = w->fw_base + (o->va - w->base);
	if (w->cpu_base && !(o->flags & GPUOWN_ALLOC_NO_CPU_MAP))
		o->cpu = w->cpu_base + (o->va - w->base);
	vm->nobjs++;
out:
	pthread_mutex_unlock(&vm->lock);
	return err;
}

void win_release_obj(struct window *w, struct gpuown_obj *o)
{
	struct gpuown_vm *vm = w->vm;

	pthread_mutex_lock(&vm->lock);
	pages_unuse(w, o, o->va + o->size);
	va_give(w, o->resv_start, o->resv_end);
	vm->nobjs--;
	pthread_mutex_unlock(&vm->lock);
}

struct window *vm_window_of(struct gpuown_vm *vm, uint64_t va)
{
	unsigned i;

	for (i = 0; i < vm->nwins; i++) {
		if (va >= vm->wins[i].base &&
		    va - vm->wins[i].base < vm->wins[i].size)
			return &vm->wins[i];
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * VM creation
 */
static int window_init(struct gpuown_vm *vm, struct window *w,
		       enum gpuown_map_mode mode, uint64_t base,
		       uint64_t fw_base)
{
	void *cpu;

	w->vm = vm;
	w->mode = mode;
	w->base = base;
	w->size = WIN_SIZE;
	w->fw_base = fw_base;
	w->cached = vm->is_fw && mode == GPUOWN_MAP_FW_PRIVATE;
	if (vm->is_fw && mode == GPUOWN_MAP_SHARED_RO)
		w->pte_flags = PTE_FW_RO | PTE_GPU_RO;
	else if (vm->is_fw && mode == GPUOWN_MAP_GPU_RO)
		w->pte_flags = PTE_GPU_RO;
	w->pages = calloc(WIN_PAGES, sizeof(*w->pages));
	if (!w->pages)
		return -ENOMEM;
	cpu = mmap(NULL, WIN_SIZE, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (cpu == MAP_FAILED)
		return -ENOMEM;
	w->cpu_base = cpu;
	return extents_insert(w, 0, base, base + WIN_SIZE);
}

static void window_fini(struct window *w)
{
	uint64_t i;

	/*
	 * Only pages below the high-water mark have an objs array: walking
	 * all WIN_PAGES would fault in every page of the table at destroy.
	 */
	if (w->pages) {
		for (i = 0; i < w->pages_hw; i++)
			free(w->pages[i].objs);
	}
	free(w->pages);
	free(w->free);
	if (w->cpu_base)
		munmap(w->cpu_base, WIN_SIZE);
}

static struct gpuown_vm *vm_new(struct gpuown_mm *mm, bool is_fw,
				unsigned nwins)
{
	struct gpuown_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	vm->mm = mm;
	vm->is_fw = is_fw;
	vm->page_size = PG_SIZE;
	__atomic_store_n(&vm->magic, VM_MAGIC, __ATOMIC_RELEASE);
	pthread_mutex_init(&vm->lock, NULL);
	vm->pt = pt_create();
	vm->wins = calloc(nwins, sizeof(*vm->wins));
	vm->nwins = nwins;
	if (!vm->pt || !vm->wins || vm_list_add(vm)) {
		vm_free(vm);
		return NULL;
	}
	return vm;
}

/*
 * A destroyed VM's struct stays allocated (magic dead, nothing else valid)
 * until VM_GRAVEYARD more VMs are destroyed, so the access path can read the
 * magic of a stale VM pointer without touching freed memory.
 */
#define VM_GRAVEYARD 256

static pthread_mutex_t vm_gy_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gpuown_vm *vm_gy[VM_GRAVEYARD];
static unsigned vm_gy_head;

static void vm_retire(struct gpuown_vm *vm)
{
	struct gpuown_vm *old;

	__atomic_store_n(&vm->magic, VM_MAGIC_DEAD, __ATOMIC_RELEASE);
	vm->mm = NULL;
	vm->pt = NULL;
	pthread_mutex_lock(&vm_gy_lock);
	old = vm_gy[vm_gy_head];
	vm_gy[vm_gy_head] = vm;
	vm_gy_head = (vm_gy_head + 1) % VM_GRAVEYARD;
	pthread_mutex_unlock(&vm_gy_lock);
	free(old);
}

void vm_free(struct gpuown_vm *vm)
{
	struct binding *b, *next;
	unsigned i;
	uint64_t p;

	if (!vm_known(vm))
		return;
	vm_list_del(vm);
	for (b = vm->binds; b; b = next) {
		next = b->next;
		for (p = 0; p < b->size >> PT_SHIFT; p++)
			phys_put(vm->mm, b->phys[p] & ~PG_MASK);
		free(b->phys);
		free(b);
	}
	for (i = 0; vm->wins && i < vm->nwins; i++)
		window_fini(&vm->wins[i]);
	free(vm->wins);
	pt_destroy(vm->pt);
	pthread_mutex_destroy(&vm->lock);
	vm_retire(vm);
}

int vm_init_fw(struct gpuown_mm *mm)
{
	struct gpuown_vm *vm = vm_new(mm, true, GPUOWN_MAP_NR_MODES);
	unsigned m;
	int err;

	if (!vm)
		return -ENOMEM;
	snprintf(vm->name, sizeof(vm->name), "fw");
	for (m = 0; m < GPUOWN_MAP_NR_MODES; m++) {
		err = window_init(vm, &vm->wins[m], m,
				  FW_VM_VA_BASE + (uint64_t)m * WIN_SIZE,
				  FW_ADDR_BASE + (uint64_t)m * WIN_SIZE);
		if (err) {
			vm_free(vm);
			return err;
		}
	}
	mm->fw_vm = vm;
	mm->fw_pt = vm->pt;
	return 0;
}

int gpuown_vm_create(struct gpuown_mm *mm, const char *name,
		     struct gpuown_vm **out)
{
	return gpuown_vm_create_cfg(mm, name, NULL, out);
}

int gpuown_vm_create_cfg(struct gpuown_mm *mm, const char *name,
			 const struct gpuown_vm_config *cfg,
			 struct gpuown_vm **out)
{
	uint32_t pg = cfg && cfg->page_size ? cfg->page_size : PG_SIZE;
	struct gpuown_vm *vm;
	int err;

	if (!mm || !out)
		return -EINVAL;
	if (pg != 4096 && pg != 16384 && pg != 65536)
		return -EINVAL;
	vm = vm_new(mm, false, 1);
	if (!vm)
		return -ENOMEM;
	vm->page_size = pg;
	err = window_init(vm, &vm->wins[0], GPUOWN_MAP_GPU_SHARED,
			  USER_WIN_BASE, 0);
	if (err) {
		vm_free(vm);
		return err;
	}
	snprintf(vm->name, sizeof(vm->name), "%s", name ? name : "vm");
	pthread_mutex_lock(&mm->vms_lock);
	vm->id = ++mm->next_vm_id;
	vm->next = mm->vms;
	mm->vms = vm;
	pthread_mutex_unlock(&mm->vms_lock);
	*out = vm;
	return 0;
}

int gpuown_vm_destroy(struct gpuown_vm *vm)
{
	struct gpuown_mm *mm;
	struct gpuown_vm **pp;
	struct binding *b;
	bool busy;

	if (vm && !vm_known(vm)) {
		/* Destroyed already (or never created): a double free. */
		report_wild(GPUOWN_OP_VM_DESTROY, vm, GPUOWN_V_DOUBLE_FREE,
			    -EINVAL, __builtin_return_address(0));
		return -EINVAL;
	}
	if (!vm || vm->is_fw)
		return -EINVAL;
	mm = vm->mm;
	pthread_mutex_lock(&vm->lock);
	busy = vm->nobjs > 0;
	for (b = vm->binds; b; b = b->next)
		busy |= !b->unbound;
	pthread_mutex_unlock(&vm->lock);
	if (busy)
		return -EBUSY;
	pthread_mutex_lock(&mm->vms_lock);
	for (pp = &mm->vms; *pp; pp = &(*pp)->next) {
		if (*pp == vm) {
			*pp = vm->next;
			break;
		}
	}
	pthread_mutex_unlock(&mm->vms_lock);
	vm_free(vm);
	return 0;
}

const char *gpuown_vm_name(const struct gpuown_vm *vm)
{
	return vm_known(vm) ? vm->name : NULL;
}

uint32_t gpuown_vm_page_size(const struct gpuown_vm *vm)
{
	return vm_known(vm) ? (uint32_t)vm->page_size : 0;
}

uint32_t gpuown_vm_id(const struct gpuown_vm *vm)
{
	return vm_known(vm) ? vm->id : 0;
}

int gpuown_sim_vm_set_shadow(struct gpuown_vm *vm, const struct gs_shadow *sh)
{
	if (!vm_known(vm))
		return -EINVAL;
	__atomic_store_n(&vm->san_shadow, sh, __ATOMIC_RELEASE);
	return 0;
}

struct gpuown_vm *gpuown_mm_fw_vm(struct gpuown_mm *mm)
{
	return mm ? mm->fw_vm : NULL;
}

void gpuown_mm_window(struct gpuown_mm *mm, enum gpuown_map_mode mode,
		      gpu_addr_t *base, uint64_t *size, fw_addr_t *fw_base)
{
	struct window *w = NULL;

	if (mm && (unsigned)mode < GPUOWN_MAP_NR_MODES)
		w = &mm->fw_vm->wins[mode];
	if (base)
		*base = gpuown_gpu_addr_from_u64(w ? w->base : 0);
	if (size)
		*size = w ? w->size : 0;
	if (fw_base)
		*fw_base = gpuown_fw_addr_from_u64(w ? w->fw_base : 0);
}

fw_addr_t gpuown_fw_addr_of_va(struct gpuown_mm *mm, gpu_addr_t gva)
{
	uint64_t va = gpuown_gpu_addr_to_u64(gva);
	struct window *w = mm ? vm_window_of(mm->fw_vm, va) : NULL;

	return gpuown_fw_addr_from_u64(w ? w->fw_base + (va - w->base) : 0);
}

/* ------------------------------------------------------------------------
 * Bindings
 */
static bool bind_overlaps(struct gpuown_vm *vm, uint64_t va, uint64_t size)
{
	struct binding *b;

	if (va < vm->wins[0].base + vm->wins[0].size &&
	    vm->wins[0].base < va + size)
		return true;
	for (b = vm->binds; b; b = b->next) {
		if (va < b->va + b->size && b->va < va + size)
			return true;
	}
	return false;
}

static int bind_check(struct gpuown_vm *vm, uint64_t va,
		      const struct gpuown_obj *o, uint64_t off, uint64_t size,
		      enum gpuown_violation *v)
{
	uint64_t pg_mask = vm->page_size - 1;

	*v = GPUOWN_OK;
	if (vm->is_fw || state_freed(obj_state(o)))
		return -EINVAL;
	/* In the VM's GPU pages: 4, 16 or 64 KiB. */
	if ((va | off | size) & pg_mask || !size || va + size > VA_LIMIT ||
	    va + size < va)
		return -EINVAL;
	if (o->va & pg_mask)
		return -EINVAL;
	/* The range runs past the object's pages: the GPU would reach
	 * whatever lives there next. */
	if (off + size > align_up(o->size, vm->page_size < PG_SIZE
						   ? vm->page_size
						   : PG_SIZE) ||
	    off + size < off) {
		*v = GPUOWN_V_OUT_OF_BOUNDS;
		return -EINVAL;
	}
	return 0;
}

static int bind_pages(struct gpuown_vm *vm, struct binding *b)
{
	uint64_t i, n = b->size >> PT_SHIFT, pte, flags = PTE_VALID;
	struct gpuown_obj *o = b->obj;
	int err;

	if ((b->flags & GPUOWN_BIND_READ_ONLY) ||
	    o->mode == GPUOWN_MAP_GPU_RO || o->mode == GPUOWN_MAP_SHARED_RO)
		flags |= PTE_GPU_RO;
	if (!o->san_skip)
		flags |= PTE_SAN;
	for (i = 0; i < n; i++) {
		pte = pt_lookup(o->vm->pt, o->va + b->obj_offset + i * PT_SIZE);
		if (!(pte & PTE_VALID)) {
			err = -EFAULT;
			goto undo;
		}
		b->phys[i] = PTE_ADDR(pte);
		phys_get(vm->mm, b->phys[i] & ~PG_MASK);
		err = pt_set(vm->pt, b->va + i * PT_SIZE, b->phys[i] | flags);
		if (err) {
			phys_put(vm->mm, b->phys[i] & ~PG_MASK);
			goto undo;
		}
	}
	return 0;
undo:
	while (i--) {
		pt_clear(vm->pt, b->va + i * PT_SIZE);
		phys_put(vm->mm, b->phys[i] & ~PG_MASK);
	}
	return err;
}

static void emit_bind_v(struct gpuown_vm *vm, enum gpuown_op op,
			enum gpuown_range_kind kind, struct gpuown_obj *o,
			uint64_t va, uint64_t size, int err,
			enum gpuown_violation v, void *caller);

static void emit_bind(struct gpuown_vm *vm, enum gpuown_op op,
		      enum gpuown_range_kind kind, struct gpuown_obj *o,
		      uint64_t va, uint64_t size, int err, void *caller)
{
	emit_bind_v(vm, op, kind, o, va, size, err, GPUOWN_OK, caller);
}

static void emit_bind_v(struct gpuown_vm *vm, enum gpuown_op op,
			enum gpuown_range_kind kind, struct gpuown_obj *o,
			uint64_t va, uint64_t size, int err,
			enum gpuown_violation v, void *caller)
{
	struct gpuown_event ev;
	struct gpuown_range r = {
		.kind = kind,
		.vm = vm,
		.va = va,
		.size = size,
		.obj = o,
	};

	if (!err)
		emit_range(vm->mm, &r);
	if (op == GPUOWN_OP_NR)
		return;
	ev_init(&ev, op, o, caller);
	ev.vm = vm;
	ev.va = va;
	ev.size = size;
	ev.err = err;
	/* Binding a freed object is a use after free; other errors are
	 * argument errors. */
	if (err && v)
		ev.violation = v;
	else if (err && o && state_freed(obj_state(o)))
		ev.violation = GPUOWN_V_USE_AFTER_FREE;
	emit_event(vm->mm, &ev);
}

int gpuown_vm_bind(struct gpuown_vm *vm, gpu_addr_t gva, struct gpuown_obj *h,
		   uint64_t obj_offset, uint64_t size, uint32_t flags)
{
	void *caller = __builtin_return_address(0);
	uint64_t va = gpuown_gpu_addr_to_u64(gva);
	enum gpuown_violation v;
	struct gpuown_obj *o;
	struct binding *b;
	int err;

	if (!vm_known(vm)) {
		report_wild(GPUOWN_OP_BIND, vm, GPUOWN_V_WILD_ADDRESS, -EINVAL,
			    caller);
		return -EINVAL;
	}
	err = obj_validate(h, GPUOWN_OP_BIND, 0, 0, caller, &o);
	if (err)
		return err;
	if (obj_mm(o) != vm->mm) {
		/* Its pages are another backing's offsets: the GPU would read
		 * the other memory system's memory. */
		emit_bind_v(vm, GPUOWN_OP_BIND, GPUOWN_RANGE_BIND, o, va, size,
			    -EINVAL, GPUOWN_V_FOREIGN_OBJECT, caller);
		return -EINVAL;
	}
	err = bind_check(vm, va, o, obj_offset, size, &v);
	if (v) {
		emit_bind_v(vm, GPUOWN_OP_BIND, GPUOWN_RANGE_BIND, o, va, size,
			    err, v, caller);
		return err;
	}
	/* The GPU reads it from now on: CPU writes must be synced. */
	if (!err && gpuown_model_coherent_for_device(o, GPUOWN_OP_BIND, caller))
		return -EBUSY;
	if (!err && gpuown_fault_should_fail(GPUOWN_FAULT_MAP, caller))
		err = -ENOMEM;
	if (err)
		goto out_ev;
	b = calloc(1, sizeof(*b));
	if (b)
		b->phys = calloc(size >> PT_SHIFT, sizeof(*b->phys));
	if (!b || !b->phys) {
		if (b)
			free(b);
		err = -ENOMEM;
		goto out_ev;
	}
	b->va = va;
	b->size = size;
	b->obj = o;
	b->obj_offset = obj_offset;
	b->flags = flags;
	pthread_mutex_lock(&vm->lock);
	err = bind_overlaps(vm, va, size) ? -EEXIST : bind_pages(vm, b);
	if (!err) {
		b->next = vm->binds;
		vm->binds = b;
		__atomic_fetch_add(&o->nbinds, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&vm->lock);
	if (err) {
		free(b->phys);
		free(b);
	}
out_ev:
	emit_bind(vm, GPUOWN_OP_BIND, GPUOWN_RANGE_BIND, o, va, size, err,
		  caller);
	return err;
}

/* Mark every binding inside [va, va+size) unbound; -EINVAL on a partial one. */
static int unbind_locked(struct gpuown_vm *vm, uint64_t va, uint64_t size,
			 struct binding **done, unsigned *n)
{
	struct binding *b;
	uint64_t p;

	*n = 0;
	for (b = vm->binds; b; b = b->next) {
		if (b->unbound || !(va < b->va + b->size && b->va < va + size))
			continue;
		if (b->va < va || b->va + b->size > va + size)
			return -EINVAL;
	}
	for (b = vm->binds; b; b = b->next) {
		if (b->unbound || b->va < va || b->va + b->size > va + size)
			continue;
		for (p = 0; p < b->size; p += PT_SIZE)
			pt_clear(vm->pt, b->va + p);
		b->unbound = true;
		__atomic_fetch_add(&b->obj->nstale, 1, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&b->obj->nbinds, 1, __ATOMIC_RELAXED);
		/* The GPU may have written it through this binding. */
		if (!(b->flags & GPUOWN_BIND_READ_ONLY))
			gpuown_model_device_wrote(b->obj);
		if (*n < 64)
			done[*n] = b;
		(*n)++;
	}
	return *n ? 0 : -ENOENT;
}

int gpuown_vm_unbind(struct gpuown_vm *vm, gpu_addr_t gva, uint64_t size)
{
	void *caller = __builtin_return_address(0);
	uint64_t va = gpuown_gpu_addr_to_u64(gva);
	struct binding *done[64];
	unsigned n, i;
	int err;

	if (!vm_known(vm)) {
		report_wild(GPUOWN_OP_UNBIND, vm, GPUOWN_V_WILD_ADDRESS,
			    -EINVAL, caller);
		return -EINVAL;
	}
	if (vm->is_fw || (va | size) & (vm->page_size - 1) || !size)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	err = unbind_locked(vm, va, size, done, &n);
	pthread_mutex_unlock(&vm->lock);
	if (err) {
		emit_bind(vm, GPUOWN_OP_UNBIND, GPUOWN_RANGE_UNBIND, NULL, va,
			  size, err, caller);
		return err;
	}
	/* The bindings stay listed (unbound) until the invalidate. */
	for (i = 0; i < n && i < 64; i++)
		emit_bind(vm, GPUOWN_OP_UNBIND, GPUOWN_RANGE_UNBIND,
			  done[i]->obj, done[i]->va, done[i]->size, 0, caller);
	return 0;
}

void gpuown_vm_tlb_invalidated(struct gpuown_vm *vm)
{
	struct binding *b, **pp, *gone = NULL;
	uint64_t p;

	if (!vm_known(vm))
		return;
	pthread_mutex_lock(&vm->lock);
	for (pp = &vm->binds; (b = *pp);) {
		if (!b->unbound) {
			pp = &b->next;
			continue;
		}
		*pp = b->next;
		b->next = gone;
		gone = b;
	}
	pthread_mutex_unlock(&vm->lock);
	for (b = gone; b; b = gone) {
		gone = b->next;
		for (p = 0; p < b->size >> PT_SHIFT; p++)
			phys_put(vm->mm, b->phys[p] & ~PG_MASK);
		__atomic_fetch_sub(&b->obj->nstale, 1, __ATOMIC_RELAXED);
		emit_bind(vm, GPUOWN_OP_NR, GPUOWN_RANGE_INVALIDATED, b->obj,
			  b->va, b->size, 0, NULL);
		free(b->phys);
		free(b);
	}
	/* Objects freed from this VM's own window are now safe to reuse. */
	gpuown_model_quarantine_ready(&vm->mm->model, &vm->q_wait);
}

/* ------------------------------------------------------------------------
 * Lookup
 */
static struct gpuown_obj *win_lookup(struct window *w, uint64_t va)
{
	struct page_meta *m = win_page(w, va & ~PG_MASK);
	uint32_t i;

	for (i = 0; i < m->nobjs; i++) {
		struct gpuown_obj *o = m->objs[i];

		if (va >= o->va && va - o->va < o->size)
			return o;
	}
	return NULL;
}

static struct gpuown_obj *bind_lookup(struct gpuown_vm *vm, uint64_t va)
{
	struct binding *b;
	uint64_t ova;

	for (b = vm->binds; b; b = b->next) {
		if (b->unbound || va < b->va || va - b->va >= b->size)
			continue;
		ova = b->obj->va + b->obj_offset + (va - b->va);
		if (ova - b->obj->va < b->obj->size)
			return b->obj;
		return NULL;
	}
	return NULL;
}

struct gpuown_obj *vm_stale_lookup(struct gpuown_vm *vm, uint64_t va)
{
	struct gpuown_obj *o = NULL;
	struct binding *b;

	pthread_mutex_lock(&vm->lock);
	for (b = vm->binds; b; b = b->next) {
		if (b->unbound && va >= b->va && va - b->va < b->size) {
			o = b->obj;
			break;
		}
	}
	pthread_mutex_unlock(&vm->lock);
	return o;
}

struct gpuown_obj *gpuown_obj_lookup_va(struct gpuown_mm *mm,
					struct gpuown_vm *vm, gpu_addr_t gva)
{
	uint64_t va = gpuown_gpu_addr_to_u64(gva);
	struct gpuown_obj *o;
	struct window *w;

	if (!mm || (vm && !vm_known(vm)))
		return NULL;
	if (!vm)
		vm = mm->fw_vm;
	pthread_mutex_lock(&vm->lock);
	w = vm_window_of(vm, va);
	o = w ? win_lookup(w, va) : bind_lookup(vm, va);
	pthread_mutex_unlock(&vm->lock);
	return o;
}
