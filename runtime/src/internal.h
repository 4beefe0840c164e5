/* SPDX-License-Identifier: MIT */
/*
 * Internals of the object model, shared by the runtime's source files only.
 *
 * Lock order (outer to inner): mm->graph_lock, obj->lock, vm->lock,
 * mm->q_lock, mm->page_lock, the slot arena lock. Hooks are never called with
 * any of them held, so a hook may call back into the public API.
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
#include <gpuown/object.h>

#define PG_SHIFT GPUOWN_GPU_PAGE_SHIFT
#define PG_SIZE ((uint64_t)GPUOWN_GPU_PAGE_SIZE)
#define PG_MASK (PG_SIZE - 1)

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
#define VA_LIMIT (1ull << 48)

/* Page-table entries: physical byte offset of the page plus permission bits. */
#define PTE_VALID (1ull << 0)
#define PTE_GPU_RO (1ull << 1) /* GPU writes refused */
#define PTE_FW_RO (1ull << 2)  /* firmware writes refused */
#define PTE_ADDR(p) ((p) & ~PG_MASK)

/* Three radix levels over the 34-bit page number: 12 + 11 + 11 bits. */
#define PT_L0_BITS 12
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

/* A FIFO of quarantined objects, chained through q_next. */
struct qlist {
	struct gpuown_obj *head, *tail;
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
};

struct binding {
	struct binding *next;
	uint64_t va, size;
	struct gpuown_obj *obj;
	uint64_t obj_offset;
	uint32_t flags;
	bool unbound;	/* waiting for the TLB invalidate */
	uint64_t *phys; /* one per page */
};

struct gpuown_vm {
	struct gpuown_mm *mm;
	pthread_mutex_t lock;
	struct pt *pt;
	char name[32];
	uint32_t id;
	bool is_fw;
	struct window *wins;
	unsigned nwins;
	struct binding *binds;
	unsigned nobjs; /* objects allocated in this VM, not yet released */
	struct qlist q_wait; /* freed here, waiting for the TLB invalidate */
	struct gpuown_vm *next;
};

struct gpuown_mm {
	int memfd;
	char *phys; /* the "physical" view: all of the backing, linear */
	size_t backing;
	uint32_t npages;
	struct gpuown_mm_config cfg;
	const struct gpuown_hooks *hooks;

	pthread_mutex_t page_lock;
	uint32_t *free_pages;
	uint32_t nfree_pages;
	uint32_t *page_refs;

	struct gpuown_vm *fw_vm;
	struct pt *fw_pt; /* fw_vm->pt, one load less on the access path */
	pthread_mutex_t vms_lock;
	struct gpuown_vm *vms; /* user VMs */
	uint32_t next_vm_id;

	pthread_mutex_t graph_lock; /* pointer edges, and ops that read them */

	/*
	 * Quarantine, under q_lock: entries that are reusable now (FIFO,
	 * evicted from the head while over budget), and firmware-cached ones
	 * waiting for the cache flush. User-VM entries wait on their VM.
	 */
	pthread_mutex_t q_lock;
	struct qlist q_ready;
	struct qlist q_fw_wait;
	uint64_t q_bytes; /* everything quarantined */

	pthread_mutex_t objs_lock;
	struct gpuown_obj *objs; /* every object not yet released */
	atomic_size_t live;
	_Atomic uint64_t mapped;
	struct gpuown_mm *next;
};

struct hold {
	bool has_fence;
	struct gpuown_fence f;
};

struct edge {
	struct gpuown_ptr_edge pub;
	bool dangling;
	struct edge *out_next; /* in the container's list */
	struct edge *in_next;  /* in the target's list (not when dangling) */
};

#define OBJ_MAGIC_LIVE 0x4c6a626fu /* live or quarantined */
#define OBJ_MAGIC_DEAD 0x446a626fu /* released, in the graveyard */

struct gpuown_obj {
	_Atomic uint32_t magic;
	uint32_t gy_next; /* graveyard chain: slot index + 1 */
	uint64_t id;
	struct gpuown_mm *mm;
	struct gpuown_vm *vm;
	struct window *win;
	pthread_mutex_t lock;
	_Atomic int state;
	_Atomic unsigned holders;
	struct hold *holds;
	unsigned cap_holds;
	_Atomic bool detached;
	unsigned cpu_depth;	 /* open CPU access windows (begin/end) */
	uint64_t cpu_write_bits; /* bit i: window i was opened for writing */
	uint64_t va, size, resv_start, resv_end;
	uint64_t fa;
	char *cpu;
	enum gpuown_map_mode mode;
	const struct gpuown_struct_desc *layout;
	uint32_t fw_dir, flags;
	char name[48];
	void *_Atomic san_data;
	struct edge *out, *in; /* under mm->graph_lock */
	struct gpuown_obj *q_next;
	struct gpuown_obj *all_next, *all_prev; /* mm->objs, under objs_lock */
	_Atomic unsigned nbinds;		/* bindings in user VMs */
};

/* slots.c: every object struct lives in one arena so handles can be validated.
 */
enum handle_kind {
	HANDLE_LIVE, /* allocated, not released (may be quarantined) */
	HANDLE_DEAD, /* released; still recognised */
	HANDLE_WILD, /* never an object (or an interior pointer) */
};
struct gpuown_obj *slot_alloc(void);
void slot_release(struct gpuown_obj *o);
enum handle_kind handle_check(const void *h, struct gpuown_obj **out);
void mm_list_add(struct gpuown_mm *mm);
void mm_list_del(struct gpuown_mm *mm);
/* Report an operation on a wild handle to every memory system's hooks. */
void report_wild(enum gpuown_op op, const void *h, enum gpuown_violation v,
		 int err, void *caller);
/*
 * Every live VM, so the VM entry points off the access path can refuse a wild
 * or destroyed VM pointer without dereferencing it.
 */
int vm_list_add(struct gpuown_vm *vm);
void vm_list_del(struct gpuown_vm *vm);
bool vm_known(const struct gpuown_vm *vm);
/* Detach every dead slot of @mm from it (the mm is going away). */
void slots_forget_mm(struct gpuown_mm *mm);

/* events */
void ev_init(struct gpuown_event *ev, enum gpuown_op op, struct gpuown_obj *o,
	     void *caller);
void emit_event(struct gpuown_mm *mm, const struct gpuown_event *ev);
void emit_range(struct gpuown_mm *mm, const struct gpuown_range *r);
int emit_access(struct gpuown_mm *mm, const struct gpuown_access *acc);

/* pt.c */
struct pt *pt_create(void);
void pt_destroy(struct pt *pt);
int pt_set(struct pt *pt, uint64_t va, uint64_t pte);
void pt_clear(struct pt *pt, uint64_t va);
static inline uint64_t pt_lookup(const struct pt *pt, uint64_t va)
{
	uint64_t pn = va >> PG_SHIFT;
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

/*
 * Raw copies through the physical view. The runtime tracker ASan-poisons the
 * CPU views of objects the CPU must not touch; the physical view is simulated
 * device memory that the firmware thread and the CPU race on by design (that
 * is what gpusan checks). So under sanitizers the copies are not instrumented
 * and never call memcpy/memset (which ASan intercepts); driver code's own
 * CPU-view accesses stay checked. The atomics stay visible to TSan: stamps and
 * ring pointers are how the firmware thread and the driver synchronise, and
 * TSan must see that happens-before edge. Without sanitizers all inline.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GPUOWN_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GPUOWN_SANITIZED 1
#endif

#if !defined(GPUOWN_SANITIZED)
#define RAW_ACCESS
#define RAW_ATOMIC
#elif defined(__clang__)
#define RAW_ACCESS                                                             \
	__attribute__((no_sanitize("address", "thread"), no_builtin("memcpy"), \
		       no_builtin("memset")))
#define RAW_ATOMIC __attribute__((no_sanitize("address")))
#else
#define RAW_ACCESS                                                             \
	__attribute__((no_sanitize_address, no_sanitize_thread,                \
		       optimize("no-tree-loop-distribute-patterns")))
#define RAW_ATOMIC __attribute__((no_sanitize_address))
#endif

static inline RAW_ACCESS void raw_copy(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t w;

	for (; len >= 8; len -= 8, d += 8, s += 8) {
		__builtin_memcpy(&w, s, 8);
		__builtin_memcpy(d, &w, 8);
	}
	while (len--)
		*d++ = *s++;
}

static inline RAW_ACCESS void raw_fill(void *dst, int c, size_t len)
{
	unsigned char *d = dst;
	uint64_t w = 0x0101010101010101ull * (unsigned char)c;

	for (; len >= 8; len -= 8, d += 8)
		__builtin_memcpy(d, &w, 8);
	while (len--)
		*d++ = (unsigned char)c;
}

static inline RAW_ATOMIC uint32_t raw_load32(const void *p)
{
	return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
}

static inline RAW_ATOMIC void raw_store32(void *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p, v, __ATOMIC_RELEASE);
}

static inline RAW_ATOMIC uint64_t raw_load64(const void *p)
{
	return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

static inline RAW_ATOMIC void raw_store64(void *p, uint64_t v)
{
	__atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE);
}
/* The physical-view address of @va in @vm, or NULL when unmapped. */
char *vm_phys_ptr(struct gpuown_vm *vm, uint64_t va);
/* Copy to/from an object's bytes through the physical view (internal use). */
void obj_phys_write(struct gpuown_obj *o, uint64_t off, const void *src,
		    size_t len);
void obj_phys_read(struct gpuown_obj *o, uint64_t off, void *dst, size_t len);
void vm_phys_fill(struct gpuown_vm *vm, uint64_t va, uint64_t len, int c);

/* vm.c */
int vm_init_fw(struct gpuown_mm *mm);
void vm_free(struct gpuown_vm *vm);
int win_alloc_obj(struct window *w, struct gpuown_obj *o, uint64_t align);
/* Give @o's VA and pages back (the caller emits the range event). */
void win_release_obj(struct window *w, struct gpuown_obj *o);
struct window *vm_window_of(struct gpuown_vm *vm, uint64_t va);

/* mm.c: quarantine */
void quarantine_push(struct gpuown_mm *mm, struct gpuown_obj *o);
/* Move every entry of @from to the reusable FIFO (the event came); q_lock. */
void quarantine_ready(struct gpuown_mm *mm, struct qlist *from);
void quarantine_evict(struct gpuown_mm *mm);
void obj_release(struct gpuown_obj *o);

/* ptr.c */
void edges_drop_outgoing(struct gpuown_obj *o);
/* The first incoming strong edge from a firmware-owned / shared container. */
struct edge *edges_busy_referrer(struct gpuown_obj *o);
void edges_mark_dangling(struct gpuown_obj *o);
/* Check a container's edges before publish / share; violation or OK. */
enum gpuown_violation edges_check_publish(struct gpuown_obj *o, bool share,
					  struct edge **bad);

/* object.c */
void obj_lock(struct gpuown_obj *o);
void obj_unlock(struct gpuown_obj *o);
static inline enum gpuown_state obj_state(const struct gpuown_obj *o)
{
	return (enum gpuown_state)atomic_load_explicit(&o->state,
						       memory_order_acquire);
}
static inline void obj_set_state(struct gpuown_obj *o, enum gpuown_state st)
{
	atomic_store_explicit(&o->state, (int)st, memory_order_release);
}
static inline bool state_freed(enum gpuown_state st)
{
	return st == GPUOWN_STATE_QUARANTINED || st == GPUOWN_STATE_RELEASED;
}
/*
 * Validate @h for operation @op: on success *out is a live object. Otherwise
 * reports (USE_AFTER_FREE for a released handle, WILD_ADDRESS for a wild one,
 * or @dead_v / @wild_v when non-zero) and returns -EINVAL.
 */
int obj_validate(const void *h, enum gpuown_op op, enum gpuown_violation dead_v,
		 enum gpuown_violation wild_v, void *caller,
		 struct gpuown_obj **out);

#endif /* GPUOWN_INTERNAL_H */
