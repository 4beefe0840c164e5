/* SPDX-License-Identifier: MIT */
/*
 * Internals of the user-space simulator host, shared by runtime/src only.
 *
 * The simulator is one host of the portable core (runtime/model): it places
 * objects in simulated GPU memory (memfd views, page tables, the firmware
 * address space) and provides the core's locks, metadata memory and handle
 * registry (host.c implements struct gpuown_host_ops).
 *
 * Lock order (outer to inner): the model's graph lock, obj->lock, vm->lock,
 * the model's q_lock and objs_lock, mm->page_lock, the slot arena lock. Hooks
 * are never called with any of them held, so a hook may call back into the
 * public API.
 */
#ifndef GPUOWN_INTERNAL_H
#define GPUOWN_INTERNAL_H

/* The runtime defines gpuown_cpu_begin(): no sparse wrapper macro here. */
#define GPUOWN_RUNTIME_IMPL

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <gpuown/hooks.h>
#include <gpuown/lifecycle.h>
#include <gpuown/mm.h>
#include <gpuown/model.h>
#include <gpuown/object.h>
#include <gpuown/raw.h>

/* Backing pages, the firmware VM's pages and windows: 16 KiB. */
#define PG_SHIFT GPUOWN_GPU_PAGE_SHIFT
#define PG_SIZE ((uint64_t)GPUOWN_GPU_PAGE_SIZE)
#define PG_MASK (PG_SIZE - 1)
/*
 * Page-table entries map 4 KiB, the smallest GPU page a user VM may choose
 * (gpuown_vm_create_cfg): a 16 KiB page is 4 consecutive entries, a 64 KiB
 * one 16, each pointing into a 16 KiB backing page.
 */
#define PT_SHIFT 12
#define PT_SIZE (1ull << PT_SHIFT)
#define PT_MASK (PT_SIZE - 1)
#define PT_PER_PG (PG_SIZE >> PT_SHIFT)

/* Address-space layout: every window is 1 GiB. */
#define WIN_SHIFT 30
#define WIN_SIZE (1ull << WIN_SHIFT)
#define WIN_PAGES (WIN_SIZE >> PG_SHIFT)
/* Firmware-VM windows, one per mode, consecutive from here (GPU VA). */
#define FW_VM_VA_BASE 0x0000001000000000ull
/* Their firmware addresses: a second address space, numerically distinct. */
#define FW_ADDR_BASE 0xffffffa000000000ull
/* The allocation window of a user VM; binds go anywhere else below 2^48. */
#define USER_WIN_BASE 0x00007f0000000000ull
/*
 * Sampled tracking (gpuown_hooks.sampled) places the tracked objects of a
 * window in its first 4 MiB, the pool, and every other object above it, the
 * way KFENCE keeps its objects in a pool of their own: only the pools have
 * shadow, so an access outside them needs no shadow lookup. 4 MiB keeps
 * the pool and the window's first objects in one page-table leaf (8 MiB);
 * a tracked object the pool cannot hold is left out. Windows are 1 GiB
 * aligned, so a VA is in a pool when its bits 22 to 29 are clear.
 */
#define WIN_POOL_SIZE (4ull << 20)

static inline bool va_in_pool(uint64_t va)
{
	return !(va & (WIN_SIZE - WIN_POOL_SIZE));
}
#define VA_LIMIT (1ull << 48)

/* Page-table entries: physical byte offset of the page plus permission bits. */
#define PTE_VALID (1ull << 0)
#define PTE_GPU_RO (1ull << 1) /* GPU writes refused */
#define PTE_FW_RO (1ull << 2)  /* firmware writes refused */
/*
 * A user-VM binding of an object gpusan tracks (sampled mode): the only
 * bindings with shadow, so a GPU access through a page without it needs no
 * shadow lookup.
 */
#define PTE_SAN (1ull << 3)
#define PTE_ADDR(p) ((p) & ~PT_MASK)

/* Three radix levels over the 36-bit page number: 14 + 11 + 11 bits. */
#define PT_L0_BITS 14
#define PT_L1_BITS 11
#define PT_L2_BITS 11

struct pt_leaf {
	_Atomic uint64_t pte[1u << PT_L2_BITS];
};

struct pt_mid {
	struct pt_leaf *_Atomic leaf[1u << PT_L1_BITS];
};

struct pt {
	struct pt_mid *_Atomic mid[1u << PT_L0_BITS];
};

/* Per page of a window: who uses it (objects, live or quarantined). */
struct page_meta {
	uint32_t users;
	uint32_t nobjs, cap;
	bool cpu_mapped;
	uint64_t phys; /* byte offset in the backing */
	struct gpuown_obj **objs;
};

struct va_extent {
	uint64_t start, end;
};

struct window {
	struct gpuown_vm *vm;
	enum gpuown_map_mode mode;
	uint64_t base, size;
	uint64_t fw_base; /* 0: not visible to the firmware */
	char *cpu_base;	  /* CPU view reservation of the whole window */
	uint64_t pte_flags;
	bool cached; /* firmware-cached: reuse needs a cache flush */
	struct va_extent *free;
	size_t nfree, cap_free;
	struct page_meta *pages; /* WIN_PAGES entries */
	/* One past the highest page given an objs array: what fini frees. */
	uint64_t pages_hw;
};

struct binding {
	struct binding *next;
	uint64_t va, size;
	struct gpuown_obj *obj;
	uint64_t obj_offset;
	uint32_t flags;
	bool unbound;	/* waiting for the TLB invalidate */
	uint64_t *phys; /* one per 4 KiB entry (PT_SIZE) */
};

/* A live VM's magic: checked without a lock on the access path. */
#define VM_MAGIC 0x766d6f67u
#define VM_MAGIC_DEAD 0x766d6478u

struct gpuown_vm {
	uint32_t magic; /* atomic; VM_MAGIC while the VM exists */
	struct gpuown_mm *mm;
	pthread_mutex_t lock;
	struct pt *pt;
	char name[32];
	uint32_t id;
	bool is_fw;
	/* The GPU page of binds: 4, 16 (the firmware VM's) or 64 KiB. */
	uint64_t page_size;
	struct window *wins;
	unsigned nwins;
	struct binding *binds;
	unsigned nobjs; /* objects allocated in this VM, not yet released */
	struct gpuown_qlist q_wait; /* freed here, waiting for the invalidate */
	struct gpuown_vm *next;
	/*
	 * atomic; the tracker's shadow of this VM (gpuown_sim_vm_set_shadow),
	 * which the access path checks GPU accesses against inline.
	 */
	const struct gs_shadow *san_shadow;
};

#define MM_MAGIC 0x6d6d6f67u
#define MM_MAGIC_DEAD 0x6d6d6478u

struct gpuown_mm {
	struct gpuown_model model; /* the core's part: objects, quarantine */
	uint32_t magic;		   /* MM_MAGIC until destroyed */
	int memfd;
	char *phys; /* the "physical" view: all of the backing, linear */
	size_t backing;
	uint32_t npages;
	struct gpuown_mm_config cfg;

	pthread_mutex_t page_lock;
	uint32_t *free_pages;
	uint32_t nfree_pages;
	uint32_t *page_refs;

	struct gpuown_vm *fw_vm;
	struct pt *fw_pt; /* fw_vm->pt, one load less on the access path */
	pthread_mutex_t vms_lock;
	struct gpuown_vm *vms; /* user VMs */
	uint32_t next_vm_id;

	_Atomic uint64_t mapped;
	struct gpuown_mm *next;
};

static inline struct gpuown_mm *model_mm(struct gpuown_model *m)
{
	return (struct gpuown_mm *)((char *)m -
				    offsetof(struct gpuown_mm, model));
}

static inline struct gpuown_mm *obj_mm(const struct gpuown_obj *o)
{
	return o->model ? model_mm(o->model) : NULL;
}

/* slots.c: every object struct lives in one arena so handles can be validated.
 */
struct gpuown_obj *slot_alloc(void);
void slot_release(struct gpuown_obj *o);
enum gpuown_handle_kind handle_check(const void *h, struct gpuown_obj **out);
void mm_list_add(struct gpuown_mm *mm);
void mm_list_del(struct gpuown_mm *mm);
/* Whether @mm is a memory system that exists (not destroyed). */
bool mm_known(const struct gpuown_mm *mm);
/* Deliver an event that names no memory system to every one's hooks. */
void broadcast_event(const struct gpuown_event *ev);
/*
 * Every live VM, so the VM entry points off the access path can refuse a wild
 * or destroyed VM pointer without dereferencing it.
 */
int vm_list_add(struct gpuown_vm *vm);
void vm_list_del(struct gpuown_vm *vm);
bool vm_known(const struct gpuown_vm *vm);
/* Detach every dead slot of @mm from it (the mm is going away). */
void slots_forget_mm(struct gpuown_mm *mm);

/* pt.c */
struct pt *pt_create(void);
void pt_destroy(struct pt *pt);
/* One 4 KiB entry. */
int pt_set(struct pt *pt, uint64_t va, uint64_t pte);
void pt_clear(struct pt *pt, uint64_t va);
/* A 16 KiB page at @va (aligned): the entries of backing page @pte's. */
int pt_set_page(struct pt *pt, uint64_t va, uint64_t pte);
void pt_clear_page(struct pt *pt, uint64_t va);
static inline uint64_t pt_lookup(const struct pt *pt, uint64_t va)
{
	uint64_t pn = va >> PT_SHIFT;
	struct pt_mid *mid;
	struct pt_leaf *leaf;

	if (va >= VA_LIMIT)
		return 0;
	mid = atomic_load_explicit(&pt->mid[pn >> (PT_L1_BITS + PT_L2_BITS)],
				   memory_order_acquire);
	if (!mid)
		return 0;
	leaf = atomic_load_explicit(
		&mid->leaf[(pn >> PT_L2_BITS) & ((1u << PT_L1_BITS) - 1)],
		memory_order_acquire);
	if (!leaf)
		return 0;
	return atomic_load_explicit(&leaf->pte[pn & ((1u << PT_L2_BITS) - 1)],
				    memory_order_acquire);
}

/* phys.c: backing pages, and copies that bypass ASan's view of CPU mappings. */
int phys_alloc(struct gpuown_mm *mm, uint64_t *off);
void phys_get(struct gpuown_mm *mm, uint64_t off);
void phys_put(struct gpuown_mm *mm, uint64_t off);

/* The physical-view address of @va in @vm, or NULL when unmapped. */
char *vm_phys_ptr(struct gpuown_vm *vm, uint64_t va);
void vm_phys_fill(struct gpuown_vm *vm, uint64_t va, uint64_t len, int c);

/* vm.c */
int vm_init_fw(struct gpuown_mm *mm);
void vm_free(struct gpuown_vm *vm);
int win_alloc_obj(struct window *w, struct gpuown_obj *o, uint64_t align);
/* Give @o's VA and pages back (the core emits the range event). */
void win_release_obj(struct window *w, struct gpuown_obj *o);
struct window *vm_window_of(struct gpuown_vm *vm, uint64_t va);
/* The object of an unbound binding of @vm covering @va whose TLB invalidate
 * is pending (a stale translation), or NULL. Takes the VM lock. */
struct gpuown_obj *vm_stale_lookup(struct gpuown_vm *vm, uint64_t va);

/* The core's helpers under their short names. */
#define obj_state gpuown_model_state
#define state_freed gpuown_state_freed
#define ev_init gpuown_model_ev_init
#define emit_event(mm, ev) gpuown_model_emit_event(&(mm)->model, ev)
#define emit_range(mm, r) gpuown_model_emit_range(&(mm)->model, r)
#define obj_validate gpuown_model_validate
#define report_wild gpuown_model_report_wild

/* host.c: the struct gpuown_host_ops of the simulator. */
int host_reserve(struct gpuown_model *model, struct gpuown_obj *o,
		 const struct gpuown_alloc_args *args, uint64_t align,
		 const void *place);

#endif /* GPUOWN_INTERNAL_H */
