/* SPDX-License-Identifier: MIT */
/*
 * The simulated GPU memory system.
 *
 * One struct gpuown_mm per device: backing memory carved in 16 KiB GPU pages,
 * the firmware VM (the GPU VA windows the firmware and the kernel share, one
 * per mapping mode) and any number of user VMs (per-context GPU address
 * spaces). Page tables translate GPU VAs to backing pages; firmware addresses
 * are a second, distinct address space onto the firmware windows.
 *
 * Every access by the firmware or the GPU goes through gpuown_fw_*() or
 * gpuown_gpu_*() below, which translate through the page tables and call the
 * access hook (gpusan) first. Nothing else may read object memory on behalf of
 * the firmware.
 */
#ifndef GPUOWN_MM_H
#define GPUOWN_MM_H

/* Kernel-safe: the portable core (runtime/model) includes it too. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include <gpuown/annotations.h>

#define GPUOWN_GPU_PAGE_SHIFT 14
#define GPUOWN_GPU_PAGE_SIZE (1u << GPUOWN_GPU_PAGE_SHIFT) /* 16 KiB */

struct gpuown_mm;
struct gpuown_vm;
struct gpuown_obj;
struct gpuown_hooks;

/*
 * Mapping modes, one VA window each in the firmware VM. The mode decides
 * whether the CPU has a mapping, whether the firmware caches the memory (so
 * freeing needs a firmware cache flush before reuse) and what the firmware may
 * do.
 */
enum gpuown_map_mode {
	GPUOWN_MAP_FW_PRIVATE, /* firmware-private, firmware-cached; CPU mapped
				*/
	GPUOWN_MAP_FW_SHARED,  /* firmware-shared, uncached; CPU mapped */
	GPUOWN_MAP_SHARED_RO,  /* shared, firmware read-only; CPU mapped */
	GPUOWN_MAP_GPU_SHARED, /* GPU-shared (job buffers); CPU mapped */
	GPUOWN_MAP_GPU_RO,     /* GPU read-only; CPU mapped */
	GPUOWN_MAP_NR_MODES,
};

struct gpuown_mm_config {
	size_t backing_bytes; /* simulated VRAM/carveout; 0: 64 MiB */
	uint32_t redzone; /* bytes of VA left unmapped-for-objects around each
			     object */
	uint64_t quarantine_budget; /* bytes kept in quarantine after the flush;
				       0: none */
};

/*
 * Create / destroy the memory system. @cfg may be NULL (defaults). Create
 * returns 0, -EINVAL for an unusable config, -ENOMEM or the errno of the
 * backing memfd. Destroy releases everything (quarantined objects included,
 * VMs and bindings too) and returns the number of objects that were never
 * freed: leaks. Stale handles stay recognised afterwards (-EINVAL, no report).
 */
int gpuown_mm_create(const struct gpuown_mm_config *cfg,
		     struct gpuown_mm **out);
size_t gpuown_mm_destroy(struct gpuown_mm *mm);

/* Install the hooks (gpusan). NULL removes them. Not while other threads run.
 */
void gpuown_mm_set_hooks(struct gpuown_mm *mm,
			 const struct gpuown_hooks *hooks);
const struct gpuown_hooks *gpuown_mm_hooks(const struct gpuown_mm *mm);
/*
 * Whether @mm is a memory system that exists: created and not destroyed.
 * Never dereferences @mm (a registry lookup), so it is safe on any pointer.
 */
bool gpuown_mm_alive(const struct gpuown_mm *mm);

/*
 * Change the quarantine budget after creation (gpusan applies its
 * quarantine_budget option this way); evicts what the new budget allows.
 */
void gpuown_mm_set_quarantine_budget(struct gpuown_mm *mm, uint64_t bytes);
/*
 * Raise the redzone around objects to at least @bytes, before the first
 * allocation (gpusan does this when it attaches). 0, -EBUSY once objects
 * exist, -EINVAL above the limit gpuown_mm_create() accepts.
 */
int gpuown_mm_min_redzone(struct gpuown_mm *mm, uint32_t bytes);

/* Objects alive (not yet released from quarantine) and bytes mapped. */
size_t gpuown_mm_live_objects(struct gpuown_mm *mm);
uint64_t gpuown_mm_mapped_bytes(struct gpuown_mm *mm);

/* The firmware VM, holding the per-mode windows. */
struct gpuown_vm *gpuown_mm_fw_vm(struct gpuown_mm *mm);

/* VA window of @mode in the firmware VM, and its firmware-address base. */
void gpuown_mm_window(struct gpuown_mm *mm, enum gpuown_map_mode mode,
		      gpu_addr_t *base, uint64_t *size, fw_addr_t *fw_base);

/*
 * Coherency events. The firmware cache flush makes memory freed from
 * firmware-cached windows reusable; a TLB invalidate on a VM makes its unbound
 * pages reusable. Both are requested from the firmware by the driver and
 * reported back here when acknowledged.
 */
void gpuown_mm_fw_cache_flushed(struct gpuown_mm *mm);
void gpuown_vm_tlb_invalidated(struct gpuown_vm *vm);

/*
 * User VMs (per-context GPU address spaces), each with its own page tables and
 * an allocation window (objects allocated with gpuown_alloc_args.vm set). The
 * firmware VM cannot be destroyed (-EINVAL); a user VM is -EBUSY while
 * bindings or objects allocated in it remain.
 */
int gpuown_vm_create(struct gpuown_mm *mm, const char *name,
		     struct gpuown_vm **out);

/*
 * A user VM with a GPU page size of its own, because real GPUs differ:
 * 4096, 16384 (the default, and the firmware VM's) or 65536 bytes
 * (-EINVAL otherwise). Binds and unbinds of the VM are in its pages: @va,
 * the object offset and the size are multiples of it, and the object is
 * aligned to it. The backing stays in 16 KiB pages: a 4 KiB GPU page maps a
 * quarter of one (a 4 KiB bind may cover a small object alone), a 64 KiB one
 * four (the object must cover them: allocate it in 64 KiB multiples).
 * Objects allocated in the VM's own window keep 16 KiB granularity.
 */
struct gpuown_vm_config {
	uint32_t page_size; /* 0: 16 KiB */
};

int gpuown_vm_create_cfg(struct gpuown_mm *mm, const char *name,
			 const struct gpuown_vm_config *cfg,
			 struct gpuown_vm **out);
/* The VM's GPU page size in bytes (0 for a pointer that is not a live VM). */
uint32_t gpuown_vm_page_size(const struct gpuown_vm *vm);
int gpuown_vm_destroy(struct gpuown_vm *vm);
const char *gpuown_vm_name(const struct gpuown_vm *vm);
uint32_t gpuown_vm_id(const struct gpuown_vm *vm);

/*
 * Bind @size bytes of @obj from @obj_offset at @va in user VM @vm. @va,
 * @obj_offset and @size are aligned to the VM's page (16 KiB unless chosen
 * at creation), the object is aligned to it (allocate it with align =
 * GPUOWN_GPU_PAGE_SIZE) and the range lies within its pages: else -EINVAL
 * (a range beyond the object is also reported: OUT_OF_BOUNDS, op bind); -EEXIST
 * if @va overlaps another binding (or one awaiting its TLB invalidate) or the
 * VM's allocation window. READ_ONLY (or a GPU_RO object) makes GPU writes fault
 * with -EACCES.
 *
 * Unbind removes every binding inside [@va, @va + @size) (-EINVAL if the
 * range cuts one, -ENOENT if there is none). The page-table entries go at
 * once; the VA range and the backing pages stay reserved until the VM's TLB
 * is invalidated, so a stale TLB entry can never reach a new owner. Unbinding
 * never frees the object.
 */
#define GPUOWN_BIND_READ_ONLY (1u << 0)
int gpuown_vm_bind(struct gpuown_vm *vm, gpu_addr_t va, struct gpuown_obj *obj,
		   uint64_t obj_offset, uint64_t size, uint32_t flags);
int gpuown_vm_unbind(struct gpuown_vm *vm, gpu_addr_t va, uint64_t size);

/* ------------------------------------------------------------------------
 * Accesses by the firmware (firmware address space) and the GPU (a VM).
 * Return 0, or -EFAULT when any page of the range does not translate,
 * -EACCES when the mapping (read-only) or the access hook refuses it, -EINVAL
 * for a NULL buffer or a misaligned atomic access. Nothing is copied on
 * failure. No lock is taken; the hook runs before the copy, with acc.obj NULL.
 */
int gpuown_fw_read(struct gpuown_mm *mm, fw_addr_t addr, void *dst, size_t len);
int gpuown_fw_write(struct gpuown_mm *mm, fw_addr_t addr, const void *src,
		    size_t len);
/* Atomic (acquire / release) 32- and 64-bit firmware accesses, for shared
 * fields. */
int gpuown_fw_load32(struct gpuown_mm *mm, fw_addr_t addr, uint32_t *val);
int gpuown_fw_store32(struct gpuown_mm *mm, fw_addr_t addr, uint32_t val);
int gpuown_fw_load64(struct gpuown_mm *mm, fw_addr_t addr, uint64_t *val);
int gpuown_fw_store64(struct gpuown_mm *mm, fw_addr_t addr, uint64_t val);
/* Convert a GPU VA in a firmware window to the firmware address, or 0. */
fw_addr_t gpuown_fw_addr_of_va(struct gpuown_mm *mm, gpu_addr_t va);

int gpuown_gpu_read(struct gpuown_vm *vm, gpu_addr_t va, void *dst, size_t len);
int gpuown_gpu_write(struct gpuown_vm *vm, gpu_addr_t va, const void *src,
		     size_t len);

/* Raw conversions for ABI code (reading a u64 out of a firmware struct). */
static inline __gpuown_addr_from_int gpu_addr_t
gpuown_gpu_addr_from_u64(uint64_t v)
{
	return (__gpuown_force gpu_addr_t)v;
}

static inline uint64_t gpuown_gpu_addr_to_u64(gpu_addr_t a)
{
	return (__gpuown_force uint64_t)a;
}

static inline __gpuown_addr_from_int fw_addr_t
gpuown_fw_addr_from_u64(uint64_t v)
{
	return (__gpuown_force fw_addr_t)v;
}

static inline uint64_t gpuown_fw_addr_to_u64(fw_addr_t a)
{
	return (__gpuown_force uint64_t)a;
}

#endif /* GPUOWN_MM_H */
