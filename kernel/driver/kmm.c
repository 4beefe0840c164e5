// SPDX-License-Identifier: MIT
/*
 * The memory-system API of <gpuown/mm.h>, implemented in the kernel for the
 * reference driver (driver/), over gpusan's kernel host.
 *
 * User space simulates GPU memory with a memfd seen twice (runtime/src): the
 * physical view the firmware and the GPU reach through page tables, and the
 * CPU views. Here the backing is one vmalloc area seen twice as well:
 *
 *   - the CPU view (the vmalloc mapping) is what an object's CPU pointer
 *     points into (gpuown_cpu_begin() and friends); gpusan poisons an
 *     object's range of it through KASAN while the firmware owns it, or
 *     after it is freed, so a plain driver access trips KASAN;
 *   - the device view (a vmap of the same pages) is what the firmware and
 *     the GPU access, as a device reaches memory by DMA, never through the
 *     CPU's poisoned mapping. gpusan is told it backs the firmware VM
 *     (gpusan_vm_add_backing()), so the core's pointer stores, shared words
 *     and fence stamps land in it too.
 *
 * Each map mode has a window of the firmware VM and of the firmware address
 * space, both linear onto the whole backing: an object at backing offset
 * @off of mode @m has GPU VA win_va(m) + off and firmware address
 * win_fa(m) + off. The backing is handed out in 64-byte units (a bitmap,
 * next fit) with a redzone unit on each side; a unit's mode is recorded so
 * an access through another mode's window faults, as an unmapped page does
 * in user space. A unit range returns to the bitmap when gpusan forgets the
 * object (it left gpusan's quarantine) and no binding awaiting a TLB
 * invalidate still reaches it.
 *
 * User VMs (per-context GPU address spaces) are lists of bindings; an
 * unbound range stays reserved, with its backing, until the VM's TLB
 * invalidate, as in user space.
 *
 * Every firmware and GPU access goes through gpusan's access check
 * (gpusan_access()) before the copy, and an access that does not translate
 * is checked too (gpusan names the object it would have reached) and fails
 * with -EFAULT.
 *
 * Locking: one spinlock per memory system guards the bitmap, the objects'
 * table and the VMs' binding lists; it is never held across a call into
 * gpusan or the core except the object-release callback, which gpusan
 * makes from its quarantine under its own locks (the spinlock nests inside
 * them there, and is never held while calling gpusan).
 */
#include <linux/bitmap.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <gpusan/gpusan.h>

#include <gpuown/fault.h>
#include <gpuown/layout.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define KMM_UNIT 64u
#define KMM_UNIT_SHIFT 6
#define KMM_DEFAULT_BACKING (16u << 20)
#define KMM_MAX_BACKING (1ull << 30)
/* Window of mode m: [KMM_VA_BASE + m * KMM_WIN, + backing) in the fw VM. */
#define KMM_WIN (1ull << 32)
#define KMM_VA_BASE 0x0000200000000000ull
#define KMM_FA_BASE 0xffffff8000000000ull
#define KMM_NO_MODE 0xff
#define KMM_HASH_BITS 8

/* One object's range of the backing, from allocation to release. */
struct kmm_block {
	struct hlist_node hnode; /* mm->objs, by core handle */
	struct gpuown_mm *mm;
	struct gpusan_obj *san;
	struct gpuown_obj *obj;
	u64 start, units; /* backing units, redzones included */
	u64 off;	  /* backing offset of the object's first byte */
	u64 size;	  /* the object's GPU range (footprint) */
	u8 mode;
	/* The object (until gpusan releases it) + stale bindings. */
	unsigned int refs;
};

struct kmm_bind {
	struct list_head node;
	u64 va, size, obj_off;
	struct kmm_block *blk;
	bool ro;
};

struct gpuown_vm {
	struct list_head node; /* mm->vms */
	struct gpuown_mm *mm;
	struct gpusan_vm *san;
	u32 id;
	char name[32];
	struct list_head binds, stale; /* struct kmm_bind */
};

struct gpuown_mm {
	spinlock_t lock;
	void *cpu;	     /* vmalloc: the CPU view */
	void *dev;	     /* vmap of the same pages: the device's view */
	struct page **pages; /* of the vmalloc area, for the vmap */
	u64 size, nunits, hint;
	unsigned long *used; /* bitmap of units */
	u8 *unit_mode;	     /* map mode of each used unit */
	u32 redzone;
	size_t live;
	u32 next_vm_id;
	struct list_head vms;
	DECLARE_HASHTABLE(objs, KMM_HASH_BITS);
};

/* One memory system at a time: gpusan has one firmware VM to back. */
static DEFINE_MUTEX(kmm_single);
static struct gpuown_mm *kmm_current;

static u64 kmm_win_va(unsigned int mode)
{
	return KMM_VA_BASE + (u64)mode * KMM_WIN;
}

static u64 kmm_win_fa(unsigned int mode)
{
	return KMM_FA_BASE + (u64)mode * KMM_WIN;
}

/* ---- the backing ---------------------------------------------------- */

static void kmm_backing_free(struct gpuown_mm *mm)
{
	unsigned int i;

	if (mm->dev) {
		for (i = 0; i < GPUOWN_MAP_NR_MODES; i++)
			gpusan_vm_remove_backing(NULL, kmm_win_va(i));
		vunmap(mm->dev);
	}
	vfree(mm->cpu);
	kvfree(mm->pages);
	bitmap_free(mm->used);
	kvfree(mm->unit_mode);
}

static int kmm_backing_init(struct gpuown_mm *mm, size_t bytes)
{
	unsigned long i, npages;
	int err;

	mm->size = PAGE_ALIGN(bytes);
	npages = mm->size >> PAGE_SHIFT;
	mm->nunits = mm->size >> KMM_UNIT_SHIFT;
	mm->cpu = vzalloc(mm->size);
	mm->pages = kvcalloc(npages, sizeof(*mm->pages), GFP_KERNEL);
	mm->used = bitmap_zalloc(mm->nunits, GFP_KERNEL);
	mm->unit_mode = kvmalloc(mm->nunits, GFP_KERNEL);
	if (!mm->cpu || !mm->pages || !mm->used || !mm->unit_mode)
		return -ENOMEM;
	memset(mm->unit_mode, KMM_NO_MODE, mm->nunits);
	for (i = 0; i < npages; i++)
		mm->pages[i] =
			vmalloc_to_page((char *)mm->cpu + (i << PAGE_SHIFT));
	mm->dev = vmap(mm->pages, npages, VM_MAP, PAGE_KERNEL);
	if (!mm->dev)
		return -ENOMEM;
	for (i = 0; i < GPUOWN_MAP_NR_MODES; i++) {
		err = gpusan_vm_add_backing(NULL, kmm_win_va(i), mm->size,
					    mm->dev);
		if (err)
			return err;
	}
	return 0;
}

/* Units [start, start + n) back to the bitmap (mm->lock). */
static void kmm_units_put(struct gpuown_mm *mm, u64 start, u64 n)
{
	memset(mm->unit_mode + start, KMM_NO_MODE, n);
	bitmap_clear(mm->used, start, n);
}

/* Drop one reference of @blk (mm->lock): the last returns its units. */
static void kmm_block_put(struct kmm_block *blk)
{
	if (--blk->refs)
		return;
	kmm_units_put(blk->mm, blk->start, blk->units);
	kfree(blk);
}

/* gpusan forgot the object: its range is reusable but for stale bindings. */
static void kmm_release(struct gpusan_obj *san, void *ctx)
{
	struct kmm_block *blk = ctx;
	struct gpuown_mm *mm = blk->mm;
	unsigned long flags;

	spin_lock_irqsave(&mm->lock, flags);
	hash_del(&blk->hnode);
	mm->live--;
	kmm_block_put(blk);
	spin_unlock_irqrestore(&mm->lock, flags);
}

static struct kmm_block *kmm_block_of(struct gpuown_mm *mm,
				      const struct gpuown_obj *obj)
{
	struct kmm_block *blk;

	hash_for_each_possible(mm->objs, blk, hnode, (unsigned long)obj)
	{
		if (blk->obj == obj)
			return blk;
	}
	return NULL;
}

/* ---- the memory system ---------------------------------------------- */

int gpuown_mm_create(const struct gpuown_mm_config *cfg, struct gpuown_mm **out)
{
	size_t bytes = cfg && cfg->backing_bytes ? cfg->backing_bytes
						 : KMM_DEFAULT_BACKING;
	struct gpuown_mm *mm;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (bytes > KMM_MAX_BACKING || (cfg && cfg->redzone > (1u << 24)))
		return -EINVAL;
	mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	if (!mm)
		return -ENOMEM;
	spin_lock_init(&mm->lock);
	INIT_LIST_HEAD(&mm->vms);
	hash_init(mm->objs);
	mm->redzone =
		ALIGN(max_t(u32, cfg ? cfg->redzone : 0, KMM_UNIT), KMM_UNIT);
	mm->next_vm_id = 1;
	mutex_lock(&kmm_single);
	err = kmm_current ? -EBUSY : 0;
	if (!err)
		kmm_current = mm;
	mutex_unlock(&kmm_single);
	if (err) {
		kfree(mm);
		return err;
	}
	err = kmm_backing_init(mm, bytes);
	err = err ?: gpusan_mm_register(mm);
	if (err) {
		kmm_backing_free(mm);
		mutex_lock(&kmm_single);
		kmm_current = NULL;
		mutex_unlock(&kmm_single);
		kfree(mm);
		return err;
	}
	*out = mm;
	return 0;
}

/*
 * Everything goes: objects the driver never freed are counted (leaks) and
 * freed now if the object model lets them go; the quarantine is drained so
 * gpusan forgets every object of the backing before it is unmapped. An
 * object that cannot be freed (still firmware-owned: a driver bug gpusan
 * reported) keeps the backing alive: it is leaked, with a warning.
 */
size_t gpuown_mm_destroy(struct gpuown_mm *mm)
{
	struct kmm_block *blk;
	struct gpuown_obj *obj;
	unsigned long flags;
	size_t leaked = 0;
	unsigned int bkt;

	if (!mm)
		return 0;
	for (;;) {
		obj = NULL;
		spin_lock_irqsave(&mm->lock, flags);
		hash_for_each(mm->objs, bkt, blk, hnode)
		{
			enum gpuown_state st = gpuown_obj_state(blk->obj);

			if (st == GPUOWN_STATE_CPU ||
			    st == GPUOWN_STATE_SHARED ||
			    st == GPUOWN_STATE_GPU_ONLY) {
				obj = blk->obj;
				break;
			}
		}
		spin_unlock_irqrestore(&mm->lock, flags);
		if (!obj)
			break;
		leaked++;
		if (gpuown_obj_state(obj) == GPUOWN_STATE_SHARED)
			gpuown_obj_detach(obj);
		if (gpuown_obj_free(obj))
			break;
	}
	gpusan_quarantine_drain();
	gpusan_mm_unregister(mm);
	spin_lock_irqsave(&mm->lock, flags);
	leaked += mm->live;
	spin_unlock_irqrestore(&mm->lock, flags);
	if (mm->live) {
		pr_warn("simgpu: %zu GPU objects still alive: their memory "
			"is leaked\n",
			mm->live);
		return leaked;
	}
	while (!list_empty(&mm->vms))
		gpuown_vm_destroy(
			list_first_entry(&mm->vms, struct gpuown_vm, node));
	kmm_backing_free(mm);
	mutex_lock(&kmm_single);
	kmm_current = NULL;
	mutex_unlock(&kmm_single);
	kfree(mm);
	return leaked;
}

size_t gpuown_mm_live_objects(struct gpuown_mm *mm)
{
	return mm ? READ_ONCE(mm->live) : 0;
}

/* Firmware-cached memory was flushed: gpusan may release what it held. */
void gpuown_mm_fw_cache_flushed(struct gpuown_mm *mm)
{
	if (mm)
		gpusan_vm_invalidate(NULL);
}

fw_addr_t gpuown_fw_addr_of_va(struct gpuown_mm *mm, gpu_addr_t addr)
{
	u64 va = gpuown_gpu_addr_to_u64(addr), rel;

	if (!mm || va < KMM_VA_BASE)
		return gpuown_fw_addr_from_u64(0);
	rel = va - KMM_VA_BASE;
	if (rel >= GPUOWN_MAP_NR_MODES * KMM_WIN || rel % KMM_WIN >= mm->size)
		return gpuown_fw_addr_from_u64(0);
	return gpuown_fw_addr_from_u64(KMM_FA_BASE + rel);
}

/* ---- objects ------------------------------------------------------------ */

int gpuown_obj_alloc(struct gpuown_mm *mm, const struct gpuown_alloc_args *a,
		     struct gpuown_obj **out)
{
	const struct gpuown_struct_desc *l;
	struct gpusan_obj_desc d = {0};
	struct kmm_block *blk;
	u64 size, align, rz, n, start;
	unsigned long flags;

	if (out)
		*out = NULL;
	if (!mm || !a || !out || (unsigned int)a->mode >= GPUOWN_MAP_NR_MODES)
		return -EINVAL;
	/* Objects live in the firmware VM's windows; user VMs bind them. */
	if (a->vm)
		return -EOPNOTSUPP;
	if (gpuown_fault_should_fail(GPUOWN_FAULT_ALLOC,
				     __builtin_return_address(0)))
		return -ENOMEM;
	l = a->layout;
	size = a->size;
	if (l)
		size = max3(size, (u64)l->size, (u64)l->footprint);
	align = max_t(u64, a->align, KMM_UNIT);
	if (!size || align & (align - 1))
		return -EINVAL;
	/* A page-aligned object owns its last page whole (binds map pages). */
	if (align >= PAGE_SIZE)
		size = ALIGN(size, align);
	rz = mm->redzone >> KMM_UNIT_SHIFT;
	n = (ALIGN(size, KMM_UNIT) >> KMM_UNIT_SHIFT) + 2 * rz;
	blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	spin_lock_irqsave(&mm->lock, flags);
	/* Next fit; the object (after its redzone) aligned. */
	start = bitmap_find_next_zero_area_off(mm->used, mm->nunits, mm->hint,
					       n, (align >> KMM_UNIT_SHIFT) - 1,
					       rz);
	if (start + n > mm->nunits)
		start = bitmap_find_next_zero_area_off(
			mm->used, mm->nunits, 0, n,
			(align >> KMM_UNIT_SHIFT) - 1, rz);
	if (start + n <= mm->nunits) {
		bitmap_set(mm->used, start, n);
		memset(mm->unit_mode + start, a->mode, n);
		mm->hint = start + n;
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	if (start + n > mm->nunits) {
		kfree(blk);
		return -ENOMEM;
	}
	blk->mm = mm;
	blk->start = start;
	blk->units = n;
	blk->off = (start + rz) << KMM_UNIT_SHIFT;
	blk->size = size;
	blk->mode = a->mode;
	blk->refs = 1;
	memset((char *)mm->dev + blk->off,
	       a->flags & GPUOWN_ALLOC_ZERO ? 0 : GPUOWN_POISON_ALLOC, size);

	d.name = a->name;
	d.cpu = a->flags & GPUOWN_ALLOC_NO_CPU_MAP ? NULL
						   : (char *)mm->cpu + blk->off;
	d.gpu_va = kmm_win_va(a->mode) + blk->off;
	d.fw_addr = kmm_win_fa(a->mode) + blk->off;
	d.size = a->size ? a->size : l ? l->size : size;
	d.layout = l;
	d.fw_dir = a->fw_dir;
	d.flags =
		GPUSAN_OBJ_CPU_KEEP |
		(a->flags & GPUOWN_ALLOC_NO_CPU_MAP ? GPUSAN_OBJ_GPU_ONLY : 0);
	d.redzone = mm->redzone;
	d.release = kmm_release;
	d.release_ctx = blk;
	blk->san = gpusan_obj_create(&d);
	if (!blk->san) {
		spin_lock_irqsave(&mm->lock, flags);
		kmm_block_put(blk);
		spin_unlock_irqrestore(&mm->lock, flags);
		return -ENOMEM;
	}
	blk->obj = gpusan__obj(blk->san);
	spin_lock_irqsave(&mm->lock, flags);
	hash_add(mm->objs, &blk->hnode, (unsigned long)blk->obj);
	mm->live++;
	spin_unlock_irqrestore(&mm->lock, flags);
	*out = blk->obj;
	return 0;
}

/* ---- user VMs ------------------------------------------------------- */

int gpuown_vm_create(struct gpuown_mm *mm, const char *name,
		     struct gpuown_vm **out)
{
	struct gpuown_vm *vm;
	unsigned long flags;

	if (!mm || !out)
		return -EINVAL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	/* Unbound ranges keep their blocks until the invalidate (vm->stale). */
	vm->san = gpusan_vm_create_ext(name, NULL, GPUSAN_VM_DEFERS_RELEASE);
	if (!vm->san) {
		kfree(vm);
		return -ENOMEM;
	}
	vm->mm = mm;
	strscpy(vm->name, name ? name : "vm", sizeof(vm->name));
	INIT_LIST_HEAD(&vm->binds);
	INIT_LIST_HEAD(&vm->stale);
	spin_lock_irqsave(&mm->lock, flags);
	vm->id = mm->next_vm_id++;
	list_add_tail(&vm->node, &mm->vms);
	spin_unlock_irqrestore(&mm->lock, flags);
	*out = vm;
	return 0;
}

/* Every binding awaiting the TLB invalidate is unreachable now. */
static void kmm_vm_drop_stale(struct gpuown_vm *vm)
{
	struct kmm_bind *b, *bn;

	list_for_each_entry_safe(b, bn, &vm->stale, node) {
		list_del(&b->node);
		kmm_block_put(b->blk);
		kfree(b);
	}
}

int gpuown_vm_destroy(struct gpuown_vm *vm)
{
	struct gpuown_mm *mm;
	unsigned long flags;

	if (!vm)
		return -EINVAL;
	mm = vm->mm;
	spin_lock_irqsave(&mm->lock, flags);
	if (!list_empty(&vm->binds)) {
		spin_unlock_irqrestore(&mm->lock, flags);
		return -EBUSY;
	}
	kmm_vm_drop_stale(vm);
	list_del(&vm->node);
	spin_unlock_irqrestore(&mm->lock, flags);
	gpusan_vm_destroy(vm->san);
	kfree(vm);
	return 0;
}

uint32_t gpuown_vm_id(const struct gpuown_vm *vm)
{
	return vm ? vm->id : 0;
}

const char *gpuown_vm_name(const struct gpuown_vm *vm)
{
	return vm ? vm->name : NULL;
}

static bool kmm_overlaps(const struct list_head *list, u64 va, u64 size)
{
	const struct kmm_bind *b;

	list_for_each_entry(b, list, node)
		if (va < b->va + b->size && b->va < va + size)
			return true;
	return false;
}

int gpuown_vm_bind(struct gpuown_vm *vm, gpu_addr_t addr,
		   struct gpuown_obj *obj, uint64_t obj_offset, uint64_t size,
		   uint32_t bflags)
{
	u64 va = gpuown_gpu_addr_to_u64(addr);
	struct kmm_block *blk;
	struct kmm_bind *b;
	struct gpuown_mm *mm;
	unsigned long flags;
	int err = 0;

	if (!vm || !obj || !size || (va | obj_offset | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	if (gpuown_fault_should_fail(GPUOWN_FAULT_MAP,
				     __builtin_return_address(0)))
		return -ENOMEM;
	mm = vm->mm;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	spin_lock_irqsave(&mm->lock, flags);
	blk = kmm_block_of(mm, obj);
	if (!blk || obj_offset + size > ALIGN(blk->size, PAGE_SIZE))
		err = -EINVAL;
	else if (kmm_overlaps(&vm->binds, va, size) ||
		 kmm_overlaps(&vm->stale, va, size))
		err = -EEXIST;
	if (!err) {
		b->va = va;
		b->size = size;
		b->obj_off = obj_offset;
		b->blk = blk;
		b->ro = bflags & GPUOWN_BIND_READ_ONLY;
		blk->refs++;
		list_add_tail(&b->node, &vm->binds);
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	if (err) {
		kfree(b);
		return err;
	}
	/*
	 * gpusan refuses a freed object, another device's, or a non-coherent
	 * one with unsynced CPU writes (reported): the bind does not happen.
	 */
	err = gpusan_vm_map(vm->san, va, size, blk->san, b->ro);
	if (err) {
		spin_lock_irqsave(&mm->lock, flags);
		list_del(&b->node);
		kmm_block_put(blk);
		spin_unlock_irqrestore(&mm->lock, flags);
		kfree(b);
	}
	return err;
}

int gpuown_vm_unbind(struct gpuown_vm *vm, gpu_addr_t addr, uint64_t size)
{
	u64 va = gpuown_gpu_addr_to_u64(addr);
	struct kmm_bind *b, *bn;
	struct gpuown_mm *mm;
	unsigned long flags;
	int err = -ENOENT;

	if (!vm || !size)
		return -EINVAL;
	mm = vm->mm;
	spin_lock_irqsave(&mm->lock, flags);
	list_for_each_entry(b, &vm->binds, node)
		if (b->va < va + size && va < b->va + b->size &&
		    (b->va < va || b->va + b->size > va + size))
			err = -EINVAL; /* the range cuts a binding */
	if (err != -EINVAL) {
		list_for_each_entry_safe(b, bn, &vm->binds, node) {
			if (b->va >= va && b->va + b->size <= va + size) {
				list_move_tail(&b->node, &vm->stale);
				err = 0;
			}
		}
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	if (err)
		return err;
	return gpusan_vm_unmap(vm->san, va, size);
}

void gpuown_vm_tlb_invalidated(struct gpuown_vm *vm)
{
	unsigned long flags;

	if (!vm)
		return;
	spin_lock_irqsave(&vm->mm->lock, flags);
	kmm_vm_drop_stale(vm);
	spin_unlock_irqrestore(&vm->mm->lock, flags);
	gpusan_vm_invalidate(vm->san);
}

/* ---- firmware and GPU accesses ---------------------------------------- */

/*
 * The device-view address of [off, off + len) of the backing if every unit
 * of it is in use by an object of @mode (mm->lock not needed: a racing
 * release makes the access fault, as an unmapped page would).
 */
static void *kmm_dev_ptr(struct gpuown_mm *mm, u64 off, size_t len, u8 mode)
{
	u64 u;

	if (off >= mm->size || len > mm->size - off)
		return NULL;
	for (u = off >> KMM_UNIT_SHIFT; u <= (off + len - 1) >> KMM_UNIT_SHIFT;
	     u++)
		if (READ_ONCE(mm->unit_mode[u]) != mode)
			return NULL;
	return (char *)mm->dev + off;
}

/*
 * The copy; atomic 32- and 64-bit accesses are the firmware's shared fields
 * (write pointers, stamps): a release store publishes what the firmware
 * wrote before it, an acquire load orders what it reads after, pairing with
 * the driver's side (the core's shared-word accessors).
 */
static void kmm_copy(void *p, void *buf, size_t len, bool write, bool atomic)
{
	if (!atomic) {
		if (write)
			memcpy(p, buf, len);
		else
			memcpy(buf, p, len);
		return;
	}
	if (write && len == 4) {
		/* Release: what the firmware wrote before is seen first. */
		smp_store_release((u32 *)p, *(u32 *)buf);
	} else if (write) {
		/* Release, as above, for a 64-bit field. */
		smp_store_release((u64 *)p, *(u64 *)buf);
	} else if (len == 4) {
		/* Acquire: what the firmware reads after is ordered after. */
		*(u32 *)buf = smp_load_acquire((u32 *)p);
	} else {
		/* Acquire, as above, for a 64-bit field. */
		*(u64 *)buf = smp_load_acquire((u64 *)p);
	}
}

static int kmm_fw_access(struct gpuown_mm *mm, fw_addr_t addr, void *buf,
			 size_t len, bool write, bool atomic)
{
	u64 fa = gpuown_fw_addr_to_u64(addr), rel;
	unsigned int mode;
	void *p = NULL;

	if (!mm || (!buf && len))
		return -EINVAL;
	if (!len)
		return 0;
	if (atomic && (fa & (len - 1)))
		return -EINVAL;
	rel = fa - KMM_FA_BASE;
	mode = rel / KMM_WIN;
	if (fa >= KMM_FA_BASE && mode < GPUOWN_MAP_NR_MODES)
		p = kmm_dev_ptr(mm, rel % KMM_WIN, len, mode);
	/* gpusan first, also for an address that does not translate. */
	if (gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL, fa, len,
			  write))
		return p ? -EACCES : -EFAULT;
	if (!p)
		return -EFAULT;
	if (write &&
	    (mode == GPUOWN_MAP_SHARED_RO || mode == GPUOWN_MAP_GPU_RO))
		return -EACCES;
	kmm_copy(p, buf, len, write, atomic);
	return 0;
}

int gpuown_fw_read(struct gpuown_mm *mm, fw_addr_t addr, void *dst, size_t len)
{
	return kmm_fw_access(mm, addr, dst, len, false, false);
}

int gpuown_fw_write(struct gpuown_mm *mm, fw_addr_t addr, const void *src,
		    size_t len)
{
	return kmm_fw_access(mm, addr, (void *)src, len, true, false);
}

int gpuown_fw_load32(struct gpuown_mm *mm, fw_addr_t addr, uint32_t *val)
{
	return kmm_fw_access(mm, addr, val, 4, false, true);
}

int gpuown_fw_store32(struct gpuown_mm *mm, fw_addr_t addr, uint32_t val)
{
	return kmm_fw_access(mm, addr, &val, 4, true, true);
}

int gpuown_fw_load64(struct gpuown_mm *mm, fw_addr_t addr, uint64_t *val)
{
	return kmm_fw_access(mm, addr, val, 8, false, true);
}

int gpuown_fw_store64(struct gpuown_mm *mm, fw_addr_t addr, uint64_t val)
{
	return kmm_fw_access(mm, addr, &val, 8, true, true);
}

static int kmm_gpu_access(struct gpuown_vm *vm, gpu_addr_t addr, void *buf,
			  size_t len, bool write)
{
	u64 va = gpuown_gpu_addr_to_u64(addr), off = 0;
	struct gpuown_mm *mm;
	struct kmm_bind *b;
	unsigned long flags;
	bool found = false, ro = false;
	void *p = NULL;

	if (!vm || (!buf && len))
		return -EINVAL;
	if (!len)
		return 0;
	mm = vm->mm;
	spin_lock_irqsave(&mm->lock, flags);
	list_for_each_entry(b, &vm->binds, node) {
		if (va >= b->va && va - b->va < b->size &&
		    len <= b->size - (va - b->va)) {
			off = b->blk->off + b->obj_off + (va - b->va);
			ro = b->ro;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	if (found)
		p = (char *)mm->dev + off;
	if (gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm->san, va,
			  len, write))
		return p ? -EACCES : -EFAULT;
	if (!p)
		return -EFAULT;
	if (write && ro)
		return -EACCES;
	kmm_copy(p, buf, len, write, false);
	return 0;
}

int gpuown_gpu_read(struct gpuown_vm *vm, gpu_addr_t va, void *dst, size_t len)
{
	return kmm_gpu_access(vm, va, dst, len, false);
}

int gpuown_gpu_write(struct gpuown_vm *vm, gpu_addr_t va, const void *src,
		     size_t len)
{
	return kmm_gpu_access(vm, va, (void *)src, len, true);
}
