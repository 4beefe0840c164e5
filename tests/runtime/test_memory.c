// SPDX-License-Identifier: MIT
/*
 * The simulated memory system: windows and firmware addresses, page-table
 * translation and faults, read-only mappings, fills, redzones, quarantine and
 * reuse, user VMs with bind / unbind / TLB invalidate.
 */
#include "common.h"

#define PG GPUOWN_GPU_PAGE_SIZE

static struct gpuown_obj *mk_page_obj(struct gpuown_mm *mm,
				      enum gpuown_map_mode mode, size_t size)
{
	struct gpuown_alloc_args a = {
		.mode = mode,
		.size = size,
		.align = PG,
	};
	struct gpuown_obj *o;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	return o;
}

Test(memory, windows_have_a_distinct_firmware_address_space)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	unsigned m, n;

	for (m = 0; m < GPUOWN_MAP_NR_MODES; m++) {
		gpu_addr_t base;
		fw_addr_t fw_base;
		uint64_t size, b, f;
		struct gpuown_obj *o = mk_obj(mm, m, 100);

		gpuown_mm_window(mm, m, &base, &size, &fw_base);
		b = gpuown_gpu_addr_to_u64(base);
		f = gpuown_fw_addr_to_u64(fw_base);
		cr_assert_gt(size, 0);
		cr_assert_neq(b, f, "fw addresses are another address space");
		cr_assert(va_of(o) >= b && va_of(o) < b + size);
		cr_assert_eq(fa_of(o), f + (va_of(o) - b));
		cr_assert_eq(gpuown_fw_addr_to_u64(gpuown_fw_addr_of_va(
				     mm, gpuown_obj_gpu_va(o))),
			     fa_of(o));
		for (n = 0; n < m; n++) {
			gpu_addr_t ob;
			uint64_t os;

			gpuown_mm_window(mm, n, &ob, &os, NULL);
			cr_assert(b >= gpuown_gpu_addr_to_u64(ob) + os ||
					  b + size <=
						  gpuown_gpu_addr_to_u64(ob),
				  "windows %u and %u overlap", m, n);
		}
	}
	cr_assert_eq(
		gpuown_fw_addr_to_u64(gpuown_fw_addr_of_va(mm, ga(0x1000))), 0);
	gpuown_mm_destroy(mm);
}

Test(memory, cpu_view_and_physical_view_alias)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 3 * PG);
	uint8_t *cpu = gpuown_obj_cpu(o);
	static uint8_t in[3 * PG], out[3 * PG];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	/* Firmware writes through the page tables; the CPU view sees it. */
	cr_assert_eq(gpuown_fw_write(mm, gpuown_obj_fw_addr(o), in, sizeof(in)),
		     0);
	cr_assert_arr_eq(cpu, in, sizeof(in));
	cpu[PG + 5] = 0xee;
	cr_assert_eq(
		gpuown_fw_read(mm, gpuown_obj_fw_addr(o), out, sizeof(out)), 0);
	cr_assert_eq(out[PG + 5], 0xee);
	/* The GPU reaches the same bytes through the firmware VM. */
	cr_assert_eq(gpuown_gpu_read(gpuown_mm_fw_vm(mm), gpuown_obj_gpu_va(o),
				     out, 16),
		     0);
	cr_assert_arr_eq(out, in, 16);
	gpuown_mm_destroy(mm);
}

Test(memory, unmapped_and_foreign_addresses_fault)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 64);
	uint64_t v = 0;
	fw_addr_t fw_base;
	uint64_t size;

	gpuown_mm_window(mm, GPUOWN_MAP_FW_PRIVATE, NULL, &size, &fw_base);
	cr_assert_eq(gpuown_fw_read(
			     mm, fa(gpuown_fw_addr_to_u64(fw_base) + size - 64),
			     &v, 8),
		     -EFAULT);
	/* A GPU VA used as a firmware address: another address space. */
	cr_assert_eq(gpuown_fw_read(mm, fa(va_of(o)), &v, 8), -EFAULT);
	cr_assert_eq(gpuown_fw_read(mm, fa(0), &v, 8), -EFAULT);
	cr_assert_eq(gpuown_fw_read(mm, fa(~0ull - 3), &v, 8), -EFAULT);
	/* A firmware address used as a GPU VA. */
	cr_assert_eq(gpuown_gpu_read(gpuown_mm_fw_vm(mm), ga(fa_of(o)), &v, 8),
		     -EFAULT);
	cr_assert_eq(gpuown_gpu_read(gpuown_mm_fw_vm(mm), ga(0x10), &v, 8),
		     -EFAULT);
	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(o), &v, 0), 0);
	cr_assert_eq(gpuown_fw_read(NULL, gpuown_obj_fw_addr(o), &v, 8),
		     -EINVAL);
	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(o), NULL, 8),
		     -EINVAL);
	gpuown_mm_destroy(mm);
}

Test(memory, page_crossing_access_that_partly_faults_copies_nothing)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_page_obj(mm, GPUOWN_MAP_FW_SHARED, PG);
	uint8_t buf[32], back[8];
	fw_addr_t edge = fa(fa_of(o) + PG - 8);

	/* Nothing is mapped after the object's only page. */
	memset(buf, 0x11, sizeof(buf));
	cr_assert_eq(gpuown_fw_write(mm, edge, "ABCDEFGH", 8), 0);
	cr_assert_eq(gpuown_fw_write(mm, edge, buf, 16), -EFAULT);
	cr_assert_eq(gpuown_fw_read(mm, edge, back, 8), 0);
	cr_assert_arr_eq(back, "ABCDEFGH", 8, "a faulting write wrote bytes");
	memset(buf, 0x22, sizeof(buf));
	cr_assert_eq(gpuown_fw_read(mm, edge, buf, 16), -EFAULT);
	cr_assert_eq(buf[0], 0x22, "a faulting read copied bytes");
	gpuown_mm_destroy(mm);
}

Test(memory, read_only_mappings)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *ro = mk_obj(mm, GPUOWN_MAP_SHARED_RO, 64);
	struct gpuown_obj *gro = mk_obj(mm, GPUOWN_MAP_GPU_RO, 64);
	struct gpuown_vm *fwvm = gpuown_mm_fw_vm(mm);
	uint32_t v = 1;

	/* Shared read-only: the firmware reads, never writes; the CPU writes.
	 */
	cr_assert_eq(gpuown_cpu_write(ro, 0, &v, 4), 0);
	cr_assert_eq(gpuown_fw_write(mm, gpuown_obj_fw_addr(ro), &v, 4),
		     -EACCES);
	cr_assert_eq(gpuown_fw_store32(mm, gpuown_obj_fw_addr(ro), 2), -EACCES);
	cr_assert_eq(gpuown_fw_load32(mm, gpuown_obj_fw_addr(ro), &v), 0);
	cr_assert_eq(v, 1);
	/* GPU read-only: GPU writes refused, firmware writes allowed. */
	cr_assert_eq(gpuown_gpu_write(fwvm, gpuown_obj_gpu_va(gro), &v, 4),
		     -EACCES);
	cr_assert_eq(gpuown_gpu_read(fwvm, gpuown_obj_gpu_va(gro), &v, 4), 0);
	cr_assert_eq(gpuown_fw_write(mm, gpuown_obj_fw_addr(gro), &v, 4), 0);
	gpuown_mm_destroy(mm);
}

Test(memory, atomics_need_natural_alignment)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	uint64_t v;

	cr_assert_eq(gpuown_fw_store64(mm, gpuown_obj_fw_addr(o), 42), 0);
	cr_assert_eq(gpuown_fw_load64(mm, gpuown_obj_fw_addr(o), &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(gpuown_fw_load64(mm, fa(fa_of(o) + 4), &v), -EINVAL);
	cr_assert_eq(gpuown_fw_store32(mm, fa(fa_of(o) + 2), 1), -EINVAL);
	gpuown_mm_destroy(mm);
}

Test(memory, access_hook_sees_firmware_accesses_and_can_refuse)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	const struct gpuown_access *acc;
	uint32_t v = 7;

	cr_assert_eq(gpuown_fw_write(mm, fa(fa_of(o) + 8), &v, 4), 0);
	acc = cap_last_access(&c);
	cr_assert_eq(acc->agent, GPUOWN_AGENT_FW);
	cr_assert_eq(acc->space, GPUOWN_SPACE_FW);
	cr_assert_eq(acc->addr, fa_of(o) + 8);
	cr_assert_eq(acc->va, va_of(o) + 8);
	cr_assert_eq(acc->size, 4);
	cr_assert(acc->write);
	cr_assert_not(acc->atomic);
	cr_assert_null(acc->obj);
	cr_assert_not_null(acc->caller);
	cr_assert_eq(gpuown_fw_load32(mm, fa(fa_of(o) + 8), &v), 0);
	cr_assert(cap_last_access(&c)->atomic);
	c.refuse = 1;
	v = 99;
	cr_assert_eq(gpuown_fw_write(mm, fa(fa_of(o) + 8), &v, 4), -EACCES);
	c.refuse = 0;
	cr_assert_eq(gpuown_fw_read(mm, fa(fa_of(o) + 8), &v, 4), 0);
	cr_assert_eq(v, 7, "a refused write wrote");
	gpuown_mm_destroy(mm);
}

Test(memory, fill_patterns_on_alloc_and_free)
{
	struct gpuown_mm *mm = mk_mm(NULL, 64, 0);
	struct gpuown_obj *p = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 32);
	struct gpuown_obj *z = mk_obj_ex(mm, GPUOWN_MAP_FW_PRIVATE, 32,
					 GPUOWN_ALLOC_ZERO, NULL);
	uint8_t b[32], zero[32] = {0}, rz[16];

	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(p), b, 32), 0);
	for (unsigned i = 0; i < 32; i++)
		cr_assert_eq(b[i], GPUOWN_POISON_ALLOC);
	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(z), b, 32), 0);
	cr_assert_arr_eq(b, zero, 32);
	/* The redzone after the object is mapped (same page) and poisoned. */
	cr_assert_eq(gpuown_fw_read(mm, fa(fa_of(p) + 32), rz, 16), 0);
	for (unsigned i = 0; i < 16; i++)
		cr_assert_eq(rz[i], GPUOWN_POISON_REDZONE);
	/* Freed but quarantined (no cache flush yet): still mapped, poisoned.
	 */
	cr_assert_eq(gpuown_obj_free(z), 0);
	cr_assert_eq(gpuown_obj_state(z), GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(z), b, 32), 0);
	for (unsigned i = 0; i < 32; i++)
		cr_assert_eq(b[i], GPUOWN_POISON_FREE);
	gpuown_mm_destroy(mm);
}

Test(memory, redzones_separate_objects_and_keep_alignment)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 100, 0);
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = 40,
		.align = 4096,
	};
	struct gpuown_obj *o1, *o2, *g;
	const struct gpuown_range *r;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o1), 0);
	r = cap_last_range(&c);
	cr_assert_eq(r->kind, GPUOWN_RANGE_OBJECT);
	cr_assert_eq(r->va, va_of(o1));
	cr_assert_eq(r->size, 40);
	cr_assert_eq(r->redzone, 100);
	cr_assert_eq(r->obj, o1);
	cr_assert_eq(gpuown_fw_addr_to_u64(r->fw_addr), fa_of(o1));
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o2), 0);
	cr_assert_eq(va_of(o1) % 4096, 0);
	cr_assert_eq(va_of(o2) % 4096, 0);
	cr_assert_geq(va_of(o2) - (va_of(o1) + 40), 200,
		      "two redzones between neighbours");
	a.size = 16;
	a.align = 0;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o1), 0);
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o2), 0);
	cr_assert_geq(va_of(o2) - (va_of(o1) + 16), 200);
	cr_assert_eq(va_of(o2) % 64, 0);
	/* GPU-only objects get pages of their own: never CPU-mapped. */
	a.flags = GPUOWN_ALLOC_NO_CPU_MAP;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &g), 0);
	cr_assert_eq(va_of(g) % PG, 0);
	cr_assert_null(gpuown_obj_cpu(g));
	cr_assert_eq(gpuown_obj_state(g), GPUOWN_STATE_GPU_ONLY);
	cr_assert_geq(va_of(g) - (va_of(o2) + 16), 100);
	gpuown_mm_destroy(mm);
}

Test(memory, small_objects_share_a_page)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *a, *b;

	cr_assert_eq(gpuown_mm_mapped_bytes(mm), 0);
	a = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), PG);
	b = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), PG, "same page");
	cr_assert_eq(va_of(a) / PG, va_of(b) / PG);
	/* The page stays while one object lives on it. */
	cr_assert_eq(gpuown_obj_free(a), 0);
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), PG);
	cr_assert_eq(gpuown_obj_free(b), 0);
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), 0);
	cr_assert_eq(gpuown_mm_live_objects(mm), 0);
	gpuown_mm_destroy(mm);
}

Test(memory, cached_window_reuse_waits_for_the_flush)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *a = mk_page_obj(mm, GPUOWN_MAP_FW_PRIVATE, PG);
	uint64_t va_a = va_of(a), fa_a = fa_of(a), v;
	struct gpuown_obj *b, *d;

	cr_assert_eq(gpuown_obj_free(a), 0);
	cr_assert_eq(cap_last_range(&c)->kind, GPUOWN_RANGE_QUARANTINE);
	cr_assert_eq(gpuown_obj_state(a), GPUOWN_STATE_QUARANTINED);
	b = mk_page_obj(mm, GPUOWN_MAP_FW_PRIVATE, PG);
	cr_assert_neq(va_of(b), va_a, "VA reused before the flush");
	/* A stale firmware pointer still reaches the (poisoned) memory. */
	cr_assert_eq(gpuown_fw_read(mm, fa(fa_a), &v, 8), 0);
	cr_assert_eq(gpuown_obj_lookup_va(mm, NULL, ga(va_a + 8)), a);
	gpuown_mm_fw_cache_flushed(mm);
	cr_assert_eq(gpuown_obj_state(a), GPUOWN_STATE_RELEASED);
	expect_event(&c, GPUOWN_OP_RELEASE, 0, GPUOWN_OK);
	cr_assert_eq(cap_last_range(&c)->kind, GPUOWN_RANGE_RELEASE);
	cr_assert_eq(cap_last_range(&c)->va, va_a);
	cr_assert_eq(gpuown_fw_read(mm, fa(fa_a), &v, 8), -EFAULT);
	cr_assert_null(gpuown_obj_lookup_va(mm, NULL, ga(va_a + 8)));
	d = mk_page_obj(mm, GPUOWN_MAP_FW_PRIVATE, PG);
	cr_assert_eq(va_of(d), va_a, "VA reusable after the flush");
	gpuown_mm_destroy(mm);
}

Test(memory, quarantine_budget_is_fifo)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 2 * PG);
	struct gpuown_obj *o[4];
	unsigned i;

	for (i = 0; i < 4; i++)
		o[i] = mk_page_obj(mm, GPUOWN_MAP_FW_SHARED, PG);
	cr_assert_eq(gpuown_obj_free(o[0]), 0);
	cr_assert_eq(gpuown_obj_free(o[1]), 0);
	cr_assert_eq(gpuown_obj_state(o[0]), GPUOWN_STATE_QUARANTINED,
		     "within budget");
	cr_assert_eq(gpuown_obj_state(o[1]), GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(gpuown_obj_free(o[2]), 0);
	cr_assert_eq(gpuown_obj_state(o[0]), GPUOWN_STATE_RELEASED,
		     "oldest out");
	cr_assert_eq(gpuown_obj_state(o[1]), GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(gpuown_obj_state(o[2]), GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(gpuown_obj_free(o[3]), 0);
	cr_assert_eq(gpuown_obj_state(o[1]), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_mm_live_objects(mm), 2);
	cr_assert_eq(gpuown_mm_destroy(mm), 0, "quarantined is not leaked");
}

Test(memory, budget_does_not_release_unflushed_objects)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, PG);
	struct gpuown_obj *o[3];
	unsigned i;

	for (i = 0; i < 3; i++) {
		o[i] = mk_page_obj(mm, GPUOWN_MAP_FW_PRIVATE, PG);
		cr_assert_eq(gpuown_obj_free(o[i]), 0);
	}
	for (i = 0; i < 3; i++)
		cr_assert_eq(gpuown_obj_state(o[i]), GPUOWN_STATE_QUARANTINED);
	gpuown_mm_fw_cache_flushed(mm);
	cr_assert_eq(gpuown_obj_state(o[0]), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_obj_state(o[1]), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_obj_state(o[2]), GPUOWN_STATE_QUARANTINED,
		     "the budget keeps the newest");
	gpuown_mm_destroy(mm);
}

Test(memory, lookup_va)
{
	struct gpuown_mm *mm = mk_mm(NULL, 32, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 100);

	cr_assert_eq(gpuown_obj_lookup_va(mm, NULL, gpuown_obj_gpu_va(o)), o);
	cr_assert_eq(gpuown_obj_lookup_va(mm, NULL, ga(va_of(o) + 99)), o);
	cr_assert_null(gpuown_obj_lookup_va(mm, NULL, ga(va_of(o) + 100)),
		       "redzone");
	cr_assert_null(gpuown_obj_lookup_va(mm, NULL, ga(va_of(o) - 1)));
	cr_assert_null(gpuown_obj_lookup_va(mm, NULL, ga(0x1234)));
	cr_assert_null(gpuown_obj_lookup_va(NULL, NULL, ga(va_of(o))));
	gpuown_mm_destroy(mm);
}

Test(memory, user_vm_bind_unbind_invalidate)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_page_obj(mm, GPUOWN_MAP_GPU_SHARED, 2 * PG);
	struct gpuown_vm *vm;
	const uint64_t at = 0x100000000ull;
	uint32_t v = 0xabcd, back = 0;

	cr_assert_eq(gpuown_vm_create(mm, "ctx1", &vm), 0);
	cr_assert_str_eq(gpuown_vm_name(vm), "ctx1");
	cr_assert_gt(gpuown_vm_id(vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, ga(at), o, 0, 2 * PG, 0), 0);
	expect_event(&c, GPUOWN_OP_BIND, 0, GPUOWN_OK);
	cr_assert_eq(cap_last(&c)->vm, vm);
	cr_assert_eq(cap_last_range(&c)->kind, GPUOWN_RANGE_BIND);
	cr_assert_eq(gpuown_obj_lookup_va(mm, vm, ga(at + PG + 4)), o);
	/* The GPU writes through the user VM; the firmware sees it. */
	cr_assert_eq(gpuown_gpu_write(vm, ga(at + PG + 4), &v, 4), 0);
	cr_assert_eq(cap_last_access(&c)->vm, vm);
	cr_assert_eq(cap_last_access(&c)->space, GPUOWN_SPACE_GPU_VA);
	cr_assert_eq(gpuown_fw_read(mm, fa(fa_of(o) + PG + 4), &back, 4), 0);
	cr_assert_eq(back, v);
	/* Bad binds. */
	cr_assert_eq(gpuown_vm_bind(vm, ga(at + 8), o, 0, PG, 0), -EINVAL);
	cr_assert_eq(gpuown_vm_bind(vm, ga(at + 4 * PG), o, 0, 3 * PG, 0),
		     -EINVAL, "beyond the object");
	cr_assert_eq(gpuown_vm_bind(vm, ga(at + PG), o, 0, PG, 0), -EEXIST);
	cr_assert_eq(gpuown_vm_bind(gpuown_mm_fw_vm(mm), ga(at), o, 0, PG, 0),
		     -EINVAL);
	/* Partial unbind, nothing bound, then the real one. */
	cr_assert_eq(gpuown_vm_unbind(vm, ga(at), PG), -EINVAL);
	cr_assert_eq(gpuown_vm_unbind(vm, ga(at + 8 * PG), PG), -ENOENT);
	cr_assert_eq(gpuown_vm_destroy(vm), -EBUSY);
	cr_assert_eq(gpuown_vm_unbind(vm, ga(at), 2 * PG), 0);
	expect_event(&c, GPUOWN_OP_UNBIND, 0, GPUOWN_OK);
	cr_assert_eq(cap_last_range(&c)->kind, GPUOWN_RANGE_UNBIND);
	cr_assert_eq(gpuown_gpu_read(vm, ga(at + PG + 4), &back, 4), -EFAULT);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU,
		     "unbinding does not free");
	/* The range stays reserved until the TLB invalidate. */
	cr_assert_eq(gpuown_vm_bind(vm, ga(at), o, 0, PG, 0), -EEXIST);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(cap_last_range(&c)->kind, GPUOWN_RANGE_INVALIDATED);
	cr_assert_eq(
		gpuown_vm_bind(vm, ga(at), o, PG, PG, GPUOWN_BIND_READ_ONLY),
		0);
	cr_assert_eq(gpuown_gpu_read(vm, ga(at + 4), &back, 4), 0);
	cr_assert_eq(back, v);
	cr_assert_eq(gpuown_gpu_write(vm, ga(at + 4), &v, 4), -EACCES);
	cr_assert_eq(gpuown_vm_unbind(vm, ga(at), PG), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	gpuown_mm_destroy(mm);
}

Test(memory, unbound_pages_outlive_the_object_until_invalidate)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *o = mk_page_obj(mm, GPUOWN_MAP_GPU_SHARED, PG);
	struct gpuown_vm *vm;

	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, ga(1ull << 32), o, 0, PG, 0), 0);
	cr_assert_eq(gpuown_vm_unbind(vm, ga(1ull << 32), PG), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_vm_bind(vm, ga(1ull << 33), o, 0, PG, 0), -EINVAL,
		     "binding a released object");
	/* A stale TLB entry may still reach the page: it is not reused yet. */
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), PG);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_mm_mapped_bytes(mm), 0);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	gpuown_mm_destroy(mm);
}

Test(memory, objects_allocated_in_a_user_vm)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_vm *vm;
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = 256,
	};
	struct gpuown_obj *o, *ro;
	uint32_t v = 5;

	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	a.vm = vm;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	cr_assert_eq(fa_of(o), 0, "not visible to the firmware");
	cr_assert_eq(gpuown_obj_vm(o), vm);
	cr_assert_eq(gpuown_gpu_write(vm, gpuown_obj_gpu_va(o), &v, 4), 0);
	cr_assert_eq(*(uint32_t *)gpuown_obj_cpu(o), 5);
	cr_assert_eq(gpuown_obj_lookup_va(mm, vm, gpuown_obj_gpu_va(o)), o);
	a.mode = GPUOWN_MAP_GPU_RO;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &ro), 0);
	cr_assert_eq(gpuown_gpu_write(vm, gpuown_obj_gpu_va(ro), &v, 4),
		     -EACCES);
	cr_assert_eq(gpuown_obj_free(ro), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	{
		struct cap c;
		struct gpuown_obj *q =
			mk_page_obj(mm, GPUOWN_MAP_FW_PRIVATE, PG);

		cap_init(&c);
		gpuown_mm_set_hooks(mm, &c.hooks);
		cr_assert_eq(gpuown_obj_free(q), 0);
		expect_refused(
			&c, gpuown_vm_bind(vm, ga(1ull << 32), q, 0, PG, 0),
			GPUOWN_OP_BIND, -EINVAL, GPUOWN_V_USE_AFTER_FREE);
		expect_refused(
			&c, gpuown_vm_bind(vm, ga(1ull << 32), ro, 0, PG, 0),
			GPUOWN_OP_BIND, -EINVAL, GPUOWN_V_USE_AFTER_FREE);
		gpuown_mm_set_hooks(mm, NULL);
	}
	/* Freed from a user VM: quarantined until that VM's TLB invalidate. */
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_QUARANTINED);
	gpuown_mm_fw_cache_flushed(mm);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_QUARANTINED);
	cr_assert_eq(gpuown_vm_destroy(vm), -EBUSY);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	/* Another memory system's VM is refused. */
	{
		struct gpuown_mm *mm2 = mk_mm(NULL, 0, 0);
		struct gpuown_vm *vm2;

		cr_assert_eq(gpuown_vm_create(mm2, NULL, &vm2), 0);
		a.vm = vm2;
		cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL);
		gpuown_mm_destroy(mm2);
	}
	gpuown_mm_destroy(mm);
}

Test(memory, backing_exhaustion_is_an_error)
{
	struct gpuown_mm_config cfg = {.backing_bytes = 4 * PG};
	struct gpuown_mm *mm;
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_FW_SHARED,
		.size = PG,
		.align = PG,
	};
	struct gpuown_obj *o[5];
	unsigned i;

	cr_assert_eq(gpuown_mm_create(&cfg, &mm), 0);
	for (i = 0; i < 4; i++)
		cr_assert_eq(gpuown_obj_alloc(mm, &a, &o[i]), 0);
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o[4]), -ENOMEM);
	cr_assert_eq(gpuown_mm_live_objects(mm), 4);
	cr_assert_eq(gpuown_obj_free(o[0]), 0);
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o[4]), 0);
	cr_assert_eq(gpuown_mm_destroy(mm), 4);
	cfg.redzone = 1u << 30;
	cr_assert_eq(gpuown_mm_create(&cfg, &mm), -EINVAL);
	cr_assert_eq(gpuown_mm_create(NULL, NULL), -EINVAL);
}

Test(memory, lowering_the_budget_evicts_at_once)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 4 * PG);
	struct gpuown_obj *o[3];
	unsigned i;

	for (i = 0; i < 3; i++) {
		o[i] = mk_page_obj(mm, GPUOWN_MAP_FW_SHARED, PG);
		cr_assert_eq(gpuown_obj_free(o[i]), 0);
	}
	cr_assert_eq(gpuown_mm_live_objects(mm), 3);
	gpuown_mm_set_quarantine_budget(mm, PG);
	cr_assert_eq(gpuown_obj_state(o[0]), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_obj_state(o[1]), GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_obj_state(o[2]), GPUOWN_STATE_QUARANTINED);
	gpuown_mm_destroy(mm);
}

Test(memory, churn_reuses_holes_instead_of_fragmenting)
{
	struct gpuown_mm *mm = mk_mm(NULL, 40, 64 * 1024);
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_FW_PRIVATE};
	struct gpuown_obj *o[8];
	gpu_addr_t base;
	uint64_t top = 0;
	unsigned it, i;

	gpuown_mm_window(mm, GPUOWN_MAP_FW_PRIVATE, &base, NULL, NULL);
	for (it = 0; it < 3000; it++) {
		for (i = 0; i < 8; i++) {
			a.size = 24 + 40 * (i % 3);
			cr_assert_eq(gpuown_obj_alloc(mm, &a, &o[i]), 0);
			if (va_of(o[i]) > top)
				top = va_of(o[i]);
		}
		for (i = 0; i < 8; i++)
			cr_assert_eq(gpuown_obj_free(o[(i * 3) % 8]), 0);
		if (it % 4 == 0)
			gpuown_mm_fw_cache_flushed(mm);
	}
	/* 24k objects went through; the quarantine holds at most ~64 KiB of
	 * them, so the VA in use stays within a few hundred KiB. */
	cr_assert_lt(top - gpuown_gpu_addr_to_u64(base), 1u << 20,
		     "VA crept to +%llu",
		     (unsigned long long)(top - gpuown_gpu_addr_to_u64(base)));
	gpuown_mm_destroy(mm);
}

Test(memory, redzone_can_be_raised_before_the_first_object)
{
	struct gpuown_mm *mm = mk_mm(NULL, 16, 0);
	struct gpuown_obj *a, *b;

	cr_assert_eq(gpuown_mm_min_redzone(mm, 8), 0, "never lowered");
	cr_assert_eq(gpuown_mm_min_redzone(mm, 256), 0);
	cr_assert_eq(gpuown_mm_min_redzone(mm, 1u << 30), -EINVAL);
	cr_assert_eq(gpuown_mm_min_redzone(NULL, 8), -EINVAL);
	a = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 32);
	b = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 32);
	cr_assert_geq(va_of(b) - (va_of(a) + 32), 512);
	cr_assert_eq(gpuown_mm_min_redzone(mm, 512), -EBUSY);
	gpuown_mm_destroy(mm);
}
