// SPDX-License-Identifier: MIT
/*
 * Firmware and GPU accesses: translate, call the access hook, copy.
 *
 * The hot path takes no lock: a firmware address maps to its window by
 * arithmetic, the page tables are walked with acquire loads, and the copy
 * goes through the physical view. A multi-page access is translated in full
 * before anything is copied, so a fault copies nothing.
 */
#include <errno.h>

#include <gpuown/shadow.h>

#include "internal.h"

struct xlate {
	uint64_t va;
	char *first; /* physical-view address of the first byte */
	bool single; /* does not cross a page */
	bool san;    /* a page has PTE_SAN */
};

static int pte_ok(uint64_t pte, bool write, uint64_t ro_bit)
{
	if (!(pte & PTE_VALID))
		return -EFAULT;
	if (write && (pte & ro_bit))
		return -EACCES;
	return 0;
}

/* Translate [va, va+len) in @pt: every page must be mapped (and writable). */
static inline __attribute__((always_inline)) int
vm_xlate(const struct pt *pt, char *phys, uint64_t va, size_t len, bool write,
	 uint64_t ro_bit, struct xlate *x)
{
	uint64_t pte = pt_lookup(pt, va), p, last;
	int err = pte_ok(pte, write, ro_bit);

	if (err)
		return err;
	x->va = va;
	x->first = phys + PTE_ADDR(pte) + (va & PT_MASK);
	x->san = pte & PTE_SAN;
	last = va + len - 1;
	x->single = (va >> PT_SHIFT) == (last >> PT_SHIFT);
	if (x->single)
		return 0;
	if (last < va || last >= VA_LIMIT)
		return -EFAULT;
	for (p = (va & ~PT_MASK) + PT_SIZE; p <= last; p += PT_SIZE) {
		pte = pt_lookup(pt, p);
		err = pte_ok(pte, write, ro_bit);
		if (err)
			return err;
		x->san |= !!(pte & PTE_SAN);
	}
	return 0;
}

static void xcopy(struct gpuown_vm *vm, const struct xlate *x, void *buf,
		  size_t len, bool write)
{
	size_t done = 0, chunk;
	char *p;

	if (x->single) {
		if (write)
			raw_copy(x->first, buf, len);
		else
			raw_copy(buf, x->first, len);
		return;
	}
	while (done < len) {
		chunk = PT_SIZE - ((x->va + done) & PT_MASK);
		if (chunk > len - done)
			chunk = len - done;
		p = done ? vm_phys_ptr(vm, x->va + done) : x->first;
		/* Unmapped since translation: the page table changed under a
		 * racing release; the access is dropped like a GPU fault. */
		if (!p)
			return;
		if (write)
			raw_copy(p, (char *)buf + done, chunk);
		else
			raw_copy((char *)buf + done, p, chunk);
		done += chunk;
	}
}

/*
 * Firmware address to firmware-VM VA. The windows are laid out identically in
 * both address spaces, so this is arithmetic: no load.
 */
#define FW_SPAN ((uint64_t)GPUOWN_MAP_NR_MODES * WIN_SIZE)

static inline int fw_to_va(uint64_t fa, size_t len, uint64_t *va)
{
	uint64_t rel = fa - FW_ADDR_BASE;

	if (fa < FW_ADDR_BASE || rel >= FW_SPAN || len > FW_SPAN - rel)
		return -EFAULT;
	*va = FW_VM_VA_BASE + rel;
	return 0;
}

struct access_req {
	struct gpuown_mm *mm;
	const struct pt *pt; /* the VM's page tables, loaded once */
	struct gpuown_vm *vm;
	enum gpuown_agent agent;
	uint64_t addr; /* as given, in its space */
	void *buf;
	size_t len;
	bool write, atomic;
	void *caller;
};

/*
 * Tell the hook (gpusan) about an access; @va is 0 when nothing translates.
 * @san: a page of it has PTE_SAN (or the pages are not known).
 */
static inline __attribute__((always_inline)) int
report_access_obj(const struct access_req *rq, uint64_t va,
		  struct gpuown_obj *obj, bool ro_fault, bool san)
{
	const struct gpuown_hooks *h = rq->mm->model.hooks;
	struct gpuown_access acc;

	if (!h || !h->on_access)
		return 0;
	/*
	 * Sampled: every tracked object lies in a window's pool (vm.c), and
	 * every binding of one has PTE_SAN: the only VA with shadow. An
	 * access that touches neither costs these tests and no lookup (an
	 * access longer than a pool may step over one: it is looked up; an
	 * atomic one is aligned to its size, so it lies in one pool or none).
	 */
	if (h->sampled && va && !ro_fault && !obj &&
	    (rq->agent == GPUOWN_AGENT_FW || rq->vm->is_fw || !san) &&
	    rq->len <= WIN_POOL_SIZE && !va_in_pool(va) &&
	    (rq->atomic || !va_in_pool(va + rq->len - 1)))
		return 0;
	/* gpusan's check inline, as KASAN's instrumentation does it. */
	if (h->fw_shadow && rq->agent == GPUOWN_AGENT_FW && va && !ro_fault &&
	    gs_shadow_check_fast(h->fw_shadow, va, rq->len,
				 h->fw_allowed[rq->write][rq->atomic]))
		return 0;
	if (h->gpu_inline && rq->agent == GPUOWN_AGENT_GPU && va && !ro_fault &&
	    !obj) {
		const struct gs_shadow *sh =
			__atomic_load_n(&rq->vm->san_shadow, __ATOMIC_ACQUIRE);

		/* Sampled: no tracked object ever used this VM, or none
		 * has painted anything there now. */
		if (h->sampled && (!sh || gs_shadow_empty(sh)))
			return 0;
		if (sh && gs_shadow_check_fast(sh, va, rq->len,
					       h->gpu_allowed[rq->write]))
			return 0;
	}
	acc = (struct gpuown_access){
		.agent = rq->agent,
		.space = rq->agent == GPUOWN_AGENT_FW ? GPUOWN_SPACE_FW
						      : GPUOWN_SPACE_GPU_VA,
		.vm = rq->agent == GPUOWN_AGENT_FW ? NULL : rq->vm,
		.addr = rq->addr,
		.va = va,
		.size = rq->len,
		.write = rq->write,
		.atomic = rq->atomic,
		.ro_fault = ro_fault,
		.obj = obj,
		.caller = rq->caller,
	};
	return h->on_access(h->ctx, &acc) ? -EACCES : 0;
}

static inline __attribute__((always_inline)) int
report_access(const struct access_req *rq, uint64_t va, bool ro_fault, bool san)
{
	return report_access_obj(rq, va, NULL, ro_fault, san);
}

/*
 * An access that does not translate still reaches the hook before -EFAULT, so
 * a wild address, or a late access to a released object whose page is gone, is
 * reported with the address the firmware used. Cold path.
 */
static __attribute__((noinline)) int fault_access(const struct access_req *rq,
						  uint64_t va)
{
	struct gpuown_obj *stale = NULL;

	/*
	 * A user VM's range unbound but not yet invalidated: the GPU's TLB may
	 * still hold the translation. Name the object it led to (gpusan's
	 * shadow says use-after-unbind).
	 */
	if (rq->agent == GPUOWN_AGENT_GPU && rq->vm && !rq->vm->is_fw)
		stale = vm_stale_lookup(rq->vm, va);
	report_access_obj(rq, va, stale, false, true);
	return -EFAULT;
}

static inline __attribute__((always_inline)) int
do_access(const struct access_req *rq, uint64_t va)
{
	struct gpuown_mm *mm = rq->mm;
	uint64_t ro = rq->agent == GPUOWN_AGENT_FW ? PTE_FW_RO : PTE_GPU_RO;
	struct xlate x;
	int err;

	err = vm_xlate(rq->pt, mm->phys, va, rq->len, rq->write, ro, &x);
	if (err == -EFAULT)
		return fault_access(rq, va);
	if (err) {
		/* A write the mapping refuses is still a bug to report. */
		report_access(rq, va, true, true);
		return err;
	}
	err = report_access(rq, va, false, x.san);
	if (err)
		return err;
	if (!rq->atomic) {
		xcopy(rq->vm, &x, rq->buf, rq->len, rq->write);
	} else if (rq->len == 4) {
		if (rq->write)
			raw_store32(x.first, *(uint32_t *)rq->buf);
		else
			*(uint32_t *)rq->buf = raw_load32(x.first);
	} else {
		if (rq->write)
			raw_store64(x.first, *(uint64_t *)rq->buf);
		else
			*(uint64_t *)rq->buf = raw_load64(x.first);
	}
	return 0;
}

/* Inlined into each entry point, so the flags and atomic sizes are constants.
 */
static inline __attribute__((always_inline)) int
fw_access(struct gpuown_mm *mm, fw_addr_t addr, void *buf, size_t len,
	  bool write, bool atomic, void *caller)
{
	struct access_req rq = {
		.agent = GPUOWN_AGENT_FW,
		.addr = gpuown_fw_addr_to_u64(addr),
		.buf = buf,
		.len = len,
		.write = write,
		.atomic = atomic,
		.caller = caller,
	};
	uint64_t va;

	if (!mm || (!buf && len))
		return -EINVAL;
	if (!len)
		return 0;
	if (atomic && (rq.addr & (len - 1)))
		return -EINVAL;
	rq.mm = mm;
	rq.pt = mm->fw_pt;
	rq.vm = mm->fw_vm;
	if (fw_to_va(rq.addr, len, &va))
		return fault_access(&rq, 0);
	return do_access(&rq, va);
}

int gpuown_fw_read(struct gpuown_mm *mm, fw_addr_t addr, void *dst, size_t len)
{
	return fw_access(mm, addr, dst, len, false, false,
			 __builtin_return_address(0));
}

int gpuown_fw_write(struct gpuown_mm *mm, fw_addr_t addr, const void *src,
		    size_t len)
{
	return fw_access(mm, addr, (void *)src, len, true, false,
			 __builtin_return_address(0));
}

int gpuown_fw_load32(struct gpuown_mm *mm, fw_addr_t addr, uint32_t *val)
{
	return fw_access(mm, addr, val, 4, false, true,
			 __builtin_return_address(0));
}

int gpuown_fw_store32(struct gpuown_mm *mm, fw_addr_t addr, uint32_t val)
{
	return fw_access(mm, addr, &val, 4, true, true,
			 __builtin_return_address(0));
}

int gpuown_fw_load64(struct gpuown_mm *mm, fw_addr_t addr, uint64_t *val)
{
	return fw_access(mm, addr, val, 8, false, true,
			 __builtin_return_address(0));
}

int gpuown_fw_store64(struct gpuown_mm *mm, fw_addr_t addr, uint64_t val)
{
	return fw_access(mm, addr, &val, 8, true, true,
			 __builtin_return_address(0));
}

/*
 * A GPU access through a VM pointer whose magic is not a live VM's: a
 * destroyed VM (its struct stays readable for a while) or a wild pointer.
 * Reported to every memory system, since the VM names none. Cold path.
 */
static __attribute__((noinline, cold)) int wild_vm_access(struct gpuown_vm *vm,
							  void *caller)
{
	if (vm_known(vm))
		return -EINVAL; /* a VM being created: not usable yet */
	report_wild(GPUOWN_OP_GPU_ACCESS, vm, GPUOWN_V_WILD_ADDRESS, -EINVAL,
		    caller);
	return -EINVAL;
}

static inline __attribute__((always_inline)) int
gpu_access(struct gpuown_vm *vm, gpu_addr_t va, void *buf, size_t len,
	   bool write, void *caller)
{
	struct access_req rq = {
		.vm = vm,
		.agent = GPUOWN_AGENT_GPU,
		.addr = gpuown_gpu_addr_to_u64(va),
		.buf = buf,
		.len = len,
		.write = write,
		.caller = caller,
	};

	if (!vm || (!buf && len))
		return -EINVAL;
	/* One load on the fast path; the registry only for a bad magic. */
	if (__builtin_expect(__atomic_load_n(&vm->magic, __ATOMIC_ACQUIRE) !=
				     VM_MAGIC,
			     0))
		return wild_vm_access(vm, caller);
	rq.mm = vm->mm;
	rq.pt = vm->pt;
	if (!len)
		return 0;
	if (rq.addr >= VA_LIMIT || len > VA_LIMIT - rq.addr)
		return fault_access(&rq, 0);
	return do_access(&rq, rq.addr);
}

int gpuown_gpu_read(struct gpuown_vm *vm, gpu_addr_t va, void *dst, size_t len)
{
	return gpu_access(vm, va, dst, len, false, __builtin_return_address(0));
}

int gpuown_gpu_write(struct gpuown_vm *vm, gpu_addr_t va, const void *src,
		     size_t len)
{
	return gpu_access(vm, va, (void *)src, len, true,
			  __builtin_return_address(0));
}
