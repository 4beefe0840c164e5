// SPDX-License-Identifier: MIT
/*
 * KUnit suites of the kernel idioms gpusan checks, mirroring the Criterion
 * suites of tests/gpusan/test_idioms.c and tests/runtime/test_misuse.c:
 * references and lookup tables (kref, xarray), VM bindings and the TLB,
 * completion-gated objects (dma_resv fences), shared objects going back to
 * the CPU, sized frees, non-coherent mappings (dma_sync_*), addresses
 * written into registers, and objects a VM's destroy finds never freed.
 * Every positive case matches its report's class and text; every one has a
 * clean twin; gt_exit() fails a case on any report it did not expect.
 */
#include <linux/slab.h>

#include "gpusan_test.h"

/* ---- references and tables (tests/gpusan: refs, tables) --------------- */

static void free_while_referenced(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_get(a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EBUSY);
	gt_expect(test, n, "free-while-referenced",
		  GT_NEEDLES("Free of object gt_buf",
			     "[op=free state=cpu-owned holders=0 err=-16]",
			     "REFUSED free-while-referenced (-16)"));
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san), "cpu-owned");
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void get_put_then_free(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_get(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void last_put_frees(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_get(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san), "quarantined");
}

static void get_after_last_put(struct kunit *test)
{
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_get(a.san), -EINVAL);
	gt_expect(test, n, "use-after-free",
		  GT_NEEDLES("Get of object gt_buf",
			     "The object was freed by the last put in",
			     "Freed by thread"));
}

static void last_put_while_fw_owned(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	n = gt(test)->reports;
	/* Refused as the free would be; the reference stays. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), -EBUSY);
	gt_expect(test, n, "free-while-firmware-owned",
		  GT_NEEDLES("Put of object gt_job",
			     "[op=put state=firmware-owned holders=1"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
}

static void free_while_in_table(struct kunit *test)
{
	struct gpuown_table *t = gpusan_table_create("handles");
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, gpusan_table_insert(t, 3, a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EBUSY);
	gt_expect(test, n, "free-while-referenced",
		  GT_NEEDLES("Free of object gt_buf", " insert ",
			     "REFUSED free-while-referenced (-16)"));
	KUNIT_EXPECT_PTR_EQ(test, gpusan_table_remove(t, 3), a.san);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_destroy(t), 0);
}

static void put_of_inserted_reference(struct kunit *test)
{
	struct gpuown_table *t = gpusan_table_create("handles");
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, gpusan_table_insert(t, 7, a.san), 0);
	n = gt(test)->reports;
	/* The table owns the only reference: the caller gave it away. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), -EPERM);
	gt_expect(test, n, "reference-not-owned",
		  GT_NEEDLES("Put of object gt_buf",
			     "[op=put state=cpu-owned holders=0 err=-1]",
			     "REFUSED reference-not-owned (-1)"));
	KUNIT_EXPECT_PTR_EQ(test, gpusan_table_remove(t, 7), a.san);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_destroy(t), 0);
}

static void put_of_removed_reference(struct kunit *test)
{
	struct gpuown_table *t = gpusan_table_create("handles");
	struct gt_obj a = gt_buf_obj(test);
	struct gpusan_obj *g;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, gpusan_table_insert(t, 7, a.san), 0);
	KUNIT_EXPECT_PTR_EQ(test, gpusan_table_lookup(t, 7), a.san);
	g = gpusan_table_lookup_get(t, 7);
	KUNIT_EXPECT_PTR_EQ(test, g, a.san);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(g), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_destroy(t), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, gpusan_table_remove(t, 7), a.san);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_destroy(t), 0);
}

static void insert_of_borrowed_pointer(struct kunit *test)
{
	struct gpuown_table *t = gpusan_table_create("a");
	struct gpuown_table *u = gpusan_table_create("b");
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_EXPECT_EQ(test, gpusan_table_insert(t, 1, a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_table_insert(u, 1, gpusan_table_lookup(t, 1)),
			-EPERM);
	gt_expect(test, n, "reference-not-owned",
		  GT_NEEDLES("Table insert of object gt_buf"));
	/* Twin: a reference of its own for the second table. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_get(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_insert(u, 1, a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(gpusan_table_remove(u, 1)), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(gpusan_table_remove(t, 1)), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_destroy(t), 0);
	KUNIT_EXPECT_EQ(test, gpusan_table_destroy(u), 0);
}

static struct kunit_case gt_refs_cases[] = {
	KUNIT_CASE(free_while_referenced),
	KUNIT_CASE(get_put_then_free),
	KUNIT_CASE(last_put_frees),
	KUNIT_CASE(get_after_last_put),
	KUNIT_CASE(last_put_while_fw_owned),
	KUNIT_CASE(free_while_in_table),
	KUNIT_CASE(put_of_inserted_reference),
	KUNIT_CASE(put_of_removed_reference),
	KUNIT_CASE(insert_of_borrowed_pointer),
	{}};

static struct kunit_suite gt_refs_suite = {
	.name = "gpusan_refs",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_refs_cases,
};

/* ---- VM bindings and the TLB (tests/gpusan: binds, misuse) ------------ */

#define GT_BIND_VA 0x400000ull
#define GT_BIND_SIZE 0x1000ull

static void free_while_bound(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt ctx");
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EBUSY);
	gt_expect(test, n, "free-while-bound",
		  GT_NEEDLES("Free of object gt_buf",
			     "[op=free state=cpu-owned holders=0 err=-16]",
			     "#2 bind ", "REFUSED free-while-bound (-16)"));
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	gpusan_vm_invalidate(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_vm_destroy(vm);
}

/*
 * Unmapped, but the TLB not yet invalidated: the GPU may still reach the
 * pages, which the driver is about to give back. Refused unless the VM
 * defers the page release to the invalidate.
 */
static void free_after_unmap_before_invalidate(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt ctx");
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EBUSY);
	gt_expect(test, n, "free-while-bound",
		  GT_NEEDLES("Free of object gt_buf", "#3 unbind ",
			     "REFUSED free-while-bound (-16)"));
	gpusan_vm_invalidate(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_vm_destroy(vm);
}

static void free_after_unmap_deferred_release(struct kunit *test)
{
	struct gpusan_vm *vm =
		gpusan_vm_create_ext("gt ctx", NULL, GPUSAN_VM_DEFERS_RELEASE);
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	/* The pages wait for the invalidate: the free is deferred-safe. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
}

static void free_after_unmap_and_invalidate(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt ctx");
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, true),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	gpusan_vm_invalidate(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_vm_destroy(vm);
}

static void gpu_access_after_deferred_free(struct kunit *test)
{
	struct gpusan_vm *vm =
		gpusan_vm_create_ext("gt ctx", NULL, GPUSAN_VM_DEFERS_RELEASE);
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	/* Allowed: the binding keeps the pages until the invalidate... */
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	n = gt(test)->reports;
	/* ...and the GPU using the stale translation is the bug. */
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm,
				      GT_BIND_VA + 0x10, 4, false),
			-EACCES);
	gt_expect(test, n, "use-after-unbind",
		  GT_NEEDLES("Read of size 4 at gpu va 0x400010",
			     "[granule=d0 unbound (TLB not yet invalidated)]"));
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
}

static void vm_destroy_ends_bindings(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt ctx");
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

/* Two devices' memory systems: one driver, two GPUs. */
static const int gt_dev_a, gt_dev_b;

static struct gt_obj gt_dev_obj(struct kunit *test, const void *dev)
{
	struct gt_ctx *c = gt(test);
	struct gpusan_obj_desc d = {
		.name = "gt_dev_bo",
		.size = 64,
		.redzone = 64,
		.dev = dev,
	};
	struct gt_obj o = {};

	o.va = c->next_va + 0x100;
	c->next_va += 0x1000;
	o.fa = GT_FW_BASE + (o.va & 0xffffffffffull);
	o.cpu = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o.cpu);
	d.cpu = o.cpu;
	d.gpu_va = o.va;
	d.fw_addr = o.fa;
	o.san = gpusan_obj_create(&d);
	KUNIT_ASSERT_NOT_NULL(test, o.san);
	return o;
}

static void map_foreign_object(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create_ext("gt ctx b", &gt_dev_b, 0);
	struct gt_obj a = gt_dev_obj(test, &gt_dev_a);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		-EINVAL);
	gt_expect(test, n, "foreign-object",
		  GT_NEEDLES("Bind of object gt_dev_bo",
			     "[op=bind state=cpu-owned holders=0 err=-22]",
			     "The object is memory of device",
			     "vm gt ctx b (id", "at 0x400000 is device"));
	/* Nothing was mapped: the object is free to go. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_vm_destroy(vm);
}

static void map_own_device_object(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create_ext("gt ctx a", &gt_dev_a, 0);
	struct gt_obj a = gt_dev_obj(test, &gt_dev_a);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void vm_destroy_with_live_object(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt leaky ctx");
	struct gt_obj a;
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	/* GPU-only: the leaked object keeps no pointer to test memory. */
	a = gt_new(test, NULL, 256, GPUSAN_DIR_RW, GPUSAN_OBJ_GPU_ONLY, vm);
	n = gt(test)->reports;
	gpusan_vm_destroy(vm);
	gt_expect(test, n, "leak",
		  GT_NEEDLES("was never freed: still gpu-only at teardown",
			     "[state=gpu-only holders=0 transitions=",
			     "Found at teardown:", "Allocated by thread",
			     "vm gt leaky ctx (id"));
}

static void vm_destroy_after_free(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt ctx");
	struct gt_obj a;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	a = gt_new(test, NULL, 256, GPUSAN_DIR_RW, GPUSAN_OBJ_GPU_ONLY, vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
}

static struct kunit_case gt_binds_cases[] = {
	KUNIT_CASE(free_while_bound),
	KUNIT_CASE(free_after_unmap_before_invalidate),
	KUNIT_CASE(free_after_unmap_deferred_release),
	KUNIT_CASE(free_after_unmap_and_invalidate),
	KUNIT_CASE(gpu_access_after_deferred_free),
	KUNIT_CASE(vm_destroy_ends_bindings),
	KUNIT_CASE(map_foreign_object),
	KUNIT_CASE(map_own_device_object),
	KUNIT_CASE(vm_destroy_with_live_object),
	KUNIT_CASE(vm_destroy_after_free),
	{}};

static struct kunit_suite gt_binds_suite = {
	.name = "gpusan_binds",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_binds_cases,
};

/* ---- completion-gated objects, shared objects, sized frees ------------ */

static void free_before_completion(struct kunit *test)
{
	struct gpusan_fence f = {.context = 0x7101, .seqno = 5};
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_busy_until(a.san, &f), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), -EBUSY);
	gt_expect(test, n, "free-before-completion",
		  GT_NEEDLES("Free of object gt_buf",
			     "The fence 'context 0x7101': stamp gpusan fence "
			     "stamps id",
			     "reaching 5 (now 0), created in "
			     "free_before_completion+",
			     "REFUSED free-before-completion (-16)"));
	gpusan_fence_signal(f.context, 5);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void last_put_before_completion(struct kunit *test)
{
	struct gpusan_fence f = {.context = 0x7104, .seqno = 2};
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_busy_until(a.san, &f), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), -EBUSY);
	gt_expect(test, n, "free-before-completion",
		  GT_NEEDLES("Put of object gt_buf", "reaching 2 (now 0)"));
	gpusan_fence_signal(f.context, 2);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
}

static void free_after_completion(struct kunit *test)
{
	struct gpusan_fence f = {.context = 0x7102, .seqno = 2};
	struct gt_obj a = gt_buf_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_obj_busy_until(a.san, &f), 0);
	gpusan_fence_signal(f.context, 2);
	KUNIT_EXPECT_EQ(test, gpusan_obj_get(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_put(a.san), 0);
}

static void reuse_before_completion(struct kunit *test)
{
	struct gpusan_fence f = {.context = 0x7103, .seqno = 9};
	struct gt_obj a = gt_buf_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_busy_until(a.san, &f), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), -EACCES);
	gt_expect(test, n, "reuse-before-completion",
		  GT_NEEDLES("CPU access of object gt_buf",
			     "[op=cpu_access state=cpu-owned holders=0 "
			     "err=-16]",
			     "reaching 9 (now 0)"));
	/* Reads are fine; writes once signalled. */
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), 0);
	gpusan_fence_signal(f.context, 9);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void detach_while_fw_holds(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_fw_get(r.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), -EBUSY);
	gt_expect(test, n, "detach-while-firmware-holds",
		  GT_NEEDLES("Detach of object gt_ring",
			     "[op=detach state=shared holders=1 err=-16]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(r.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static void reclaim_before_detach(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	n = gt(test)->reports;
	/* Back to the CPU while the firmware still uses the ring. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(r.san, NULL), -EBUSY);
	gt_expect(test, n, "detach-while-firmware-holds",
		  GT_NEEDLES("Reclaim of object gt_ring",
			     "[op=reclaim state=shared holders=0 err=-16]"));
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static void detach_after_fw_lets_go(struct kunit *test)
{
	struct gt_obj r = gt_new(test, &gt_ring, 0, 0, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_share(r.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_fw_get(r.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(r.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_detach(r.san), 0);
	/* Detached: back to the CPU with the last reclaim. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(r.san, NULL), 0);
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(r.san), "cpu-owned");
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(r.san, 8, 8, true), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(r.san), 0);
}

static void free_size_mismatch(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 256, GPUSAN_DIR_RW, 0, NULL);
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free_sized(a.san, 128), -EINVAL);
	gt_expect(test, n, "free-size-mismatch",
		  GT_NEEDLES("[op=free state=cpu-owned holders=0 err=-22]",
			     "REFUSED free-size-mismatch (-22)"));
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san), "cpu-owned");
	KUNIT_EXPECT_EQ(test, gpusan_obj_free_sized(a.san, 256), 0);
}

static void free_sized_matching(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 200, GPUSAN_DIR_RW, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_obj_free_sized(a.san, 200), 0);
}

static struct kunit_case gt_fences_cases[] = {
	KUNIT_CASE(free_before_completion),
	KUNIT_CASE(last_put_before_completion),
	KUNIT_CASE(free_after_completion),
	KUNIT_CASE(reuse_before_completion),
	KUNIT_CASE(detach_while_fw_holds),
	KUNIT_CASE(reclaim_before_detach),
	KUNIT_CASE(detach_after_fw_lets_go),
	KUNIT_CASE(free_size_mismatch),
	KUNIT_CASE(free_sized_matching),
	{},
};

static struct kunit_suite gt_fences_suite = {
	.name = "gpusan_fences",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_fences_cases,
};

/* ---- non-coherent mappings, addresses handed over --------------------- */

static struct gt_obj gt_nc_obj(struct kunit *test)
{
	return gt_new(test, NULL, 256, GPUSAN_DIR_RW, GPUSAN_OBJ_NONCOHERENT,
		      NULL);
}

static void device_read_unsynced(struct kunit *test)
{
	struct gt_obj a = gt_nc_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), -EBUSY);
	gt_expect(test, n, "device-read-unsynced",
		  GT_NEEDLES("Publish of object",
			     "[op=publish state=cpu-owned holders=0 err=-16]"));
	/* Twin: synced for the device first. */
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_device(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_cpu(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void device_read_unsynced_map(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt nc ctx");
	struct gt_obj a = gt_nc_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		-EBUSY);
	gt_expect(test, n, "device-read-unsynced",
		  GT_NEEDLES("Bind of object",
			     "[op=bind state=cpu-owned holders=0 err=-16]"));
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_device(a.san), 0);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_read_unsynced(struct kunit *test)
{
	struct gt_obj a = gt_nc_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	/* The firmware may write it: handed back dirty for the CPU. */
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), -EACCES);
	gt_expect(test, n, "cpu-read-unsynced",
		  GT_NEEDLES("CPU access of object",
			     "[op=cpu_access state=cpu-owned holders=0 "
			     "err=-16]"));
	/* Twin: synced for the CPU first. */
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_cpu(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

/*
 * On the access path: gpusan paints a non-coherent object's firmware-owned
 * body and its bindings so that every device access checks the syncs.
 */
static void fw_access_of_synced_noncoherent(struct kunit *test)
{
	struct gt_obj a = gt_nc_obj(test);

	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), 0);
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_device(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa, 16, false),
			0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_FW, GPUSAN_SPACE_FW, NULL,
				      a.fa + 16, 4, true),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_cpu(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 16, 4, false), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void gpu_read_of_unsynced_cpu_write_while_bound(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt nc ctx");
	struct gt_obj a = gt_nc_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	/* Bound while clean; written by the CPU afterwards. */
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm,
				      GT_BIND_VA, 16, false),
			-EACCES);
	gt_expect(test, n, "device-read-unsynced",
		  GT_NEEDLES("Read of size 16 at gpu va 0x400000", "by GPU",
			     "non-coherent: the CPU wrote it after the last "
			     "gpusan_sync_for_device(), the device reads "
			     "stale memory",
			     "granule=e0 non-coherent"));
	/* Twin: synced for the device first. */
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_device(a.san), 0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm,
				      GT_BIND_VA, 16, false),
			0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_cpu(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void cpu_read_of_gpu_write_while_bound(struct kunit *test)
{
	struct gpusan_vm *vm = gpusan_vm_create("gt nc ctx");
	struct gt_obj a = gt_nc_obj(test);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(
		test, gpusan_vm_map(vm, GT_BIND_VA, GT_BIND_SIZE, a.san, false),
		0);
	KUNIT_EXPECT_EQ(test,
			gpusan_access(GPUSAN_AGENT_GPU, GPUSAN_SPACE_GPU_VA, vm,
				      GT_BIND_VA, 4, true),
			0);
	/* Still bound: the GPU's write itself made it dirty for the CPU. */
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), -EACCES);
	gt_expect(test, n, "cpu-read-unsynced",
		  GT_NEEDLES("CPU access of object"));
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_cpu(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), 0);
	KUNIT_EXPECT_EQ(test, gpusan_vm_unmap(vm, GT_BIND_VA, GT_BIND_SIZE), 0);
	gpusan_vm_invalidate(vm);
	gpusan_vm_destroy(vm);
	KUNIT_EXPECT_EQ(test, gpusan_sync_for_cpu(a.san), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void coherent_needs_no_sync(struct kunit *test)
{
	struct gt_obj a = gt_new(test, NULL, 256, GPUSAN_DIR_RW, 0, NULL);

	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, true), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_publish(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_cpu_access(a.san, 0, 4, false), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void address_kind_mismatch(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	struct gpusan_obj *got = a.san;
	unsigned int n = gt(test)->reports;

	/* The GPU VA written where the firmware expects its own address. */
	KUNIT_EXPECT_EQ(
		test,
		gpusan_hand_over_addr(GPUSAN_SPACE_FW, a.va, "RING_BASE", &got),
		-EINVAL);
	gt_expect(test, n, "address-kind-mismatch",
		  GT_NEEDLES("Address hand-over of object gt_job",
			     "given through RING_BASE as a firmware address, "
			     "is the GPU VA of object gt_job"));
	KUNIT_EXPECT_NULL(test, got);
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san), "cpu-owned");
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static void hand_over_freed_object(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	unsigned int n;

	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
	n = gt(test)->reports;
	KUNIT_EXPECT_EQ(
		test, gpusan_hand_over_addr(GPUSAN_SPACE_FW, a.fa, "MSG", NULL),
		-EINVAL);
	gt_expect(test, n, "use-after-free",
		  GT_NEEDLES("Address hand-over of object gt_job",
			     "handed over through MSG", "Freed by thread"));
}

static void hand_over_wild_address(struct kunit *test)
{
	unsigned int n = gt(test)->reports;

	KUNIT_EXPECT_EQ(test,
			gpusan_hand_over_addr(GPUSAN_SPACE_GPU_VA, 0x1234000ull,
					      "DB", NULL),
			-EINVAL);
	gt_expect(test, n, "wild-address",
		  GT_NEEDLES("Address hand-over of handle"));
}

static void hand_over_fw_addr(struct kunit *test)
{
	struct gt_obj a = gt_job_obj(test);
	struct gpusan_obj *got = NULL;

	KUNIT_EXPECT_EQ(
		test,
		gpusan_hand_over_addr(GPUSAN_SPACE_FW, a.fa, "RING_BASE", &got),
		0);
	KUNIT_EXPECT_PTR_EQ(test, got, a.san);
	KUNIT_EXPECT_STREQ(test, gpusan_obj_state_name(a.san),
			   "firmware-owned");
	KUNIT_EXPECT_EQ(test, gpusan_obj_reclaim(a.san, NULL), 0);
	KUNIT_EXPECT_EQ(test, gpusan_obj_free(a.san), 0);
}

static struct kunit_case gt_coherency_cases[] = {
	KUNIT_CASE(device_read_unsynced),
	KUNIT_CASE(device_read_unsynced_map),
	KUNIT_CASE(cpu_read_unsynced),
	KUNIT_CASE(fw_access_of_synced_noncoherent),
	KUNIT_CASE(gpu_read_of_unsynced_cpu_write_while_bound),
	KUNIT_CASE(cpu_read_of_gpu_write_while_bound),
	KUNIT_CASE(coherent_needs_no_sync),
	KUNIT_CASE(address_kind_mismatch),
	KUNIT_CASE(hand_over_fw_addr),
	KUNIT_CASE(hand_over_freed_object),
	KUNIT_CASE(hand_over_wild_address),
	{}};

static struct kunit_suite gt_coherency_suite = {
	.name = "gpusan_coherency",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = gt_coherency_cases,
};

kunit_test_suites(&gt_refs_suite, &gt_binds_suite, &gt_fences_suite,
		  &gt_coherency_suite);
