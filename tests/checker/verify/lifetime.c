// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.Lifetime
/*
 * gpuown.Lifetime: each positive case (pNN) has a negative twin (nNN) that
 * differs only in the bug and must stay silent.
 */
#include <gpuown/object.h>

#include "foreign.h"

struct job {
	struct gpuown_obj *obj;
	gpu_addr_t va;
	fw_addr_t fa;
};

struct pair {
	uint32_t a, b;
};

static struct gpuown_obj *global_obj;
static char global_storage[64];

static int alloc(struct gpuown_mm *mm, struct gpuown_obj **o)
{
	struct gpuown_alloc_args a = { .size = 64 };

	return gpuown_obj_alloc(mm, &a, o);
}

/* Inlined wrapper: its body is analyzed, no annotation needed. */
static void put_inline(struct gpuown_obj *o)
{
	gpuown_obj_free(o);
}

/* Non-inlined driver helper: the annotation says what it does. */
void put_extern(struct gpuown_obj *o __gpuown_frees);
void touch_extern(struct gpuown_obj *o __gpuown_uses);

/* ---- 1. double free */
void p01(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_free(o);
	gpuown_obj_free(o); // expected-warning{{GPU object freed twice}}
}

void n01(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_free(o); // no-warning
}

/* ---- 2. write through the CPU address after free */
void p02(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	uint32_t *cpu = gpuown_obj_cpu(o);
	gpuown_obj_free(o);
	*cpu = 1; // expected-warning{{Write of a freed GPU object through its CPU address}}
}

void n02(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	uint32_t *cpu = gpuown_obj_cpu(o);
	*cpu = 1; // no-warning
	gpuown_obj_free(o);
}

/* ---- 3. read through the CPU address after free */
uint32_t p03(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return 0;
	const uint32_t *cpu = gpuown_obj_cpu(o);
	gpuown_obj_free(o);
	return cpu[3]; // expected-warning{{Read of a freed GPU object through its CPU address}}
}

uint32_t n03(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return 0;
	const uint32_t *cpu = gpuown_obj_cpu(o);
	uint32_t v = cpu[3]; // no-warning
	gpuown_obj_free(o);
	return v;
}

/* ---- 4. interior pointer (&obj->field) after free */
void p04(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	struct pair *p = gpuown_obj_cpu(o);
	uint32_t *b = &p->b;
	gpuown_obj_free(o);
	*b = 2; // expected-warning{{Write of a freed GPU object through its CPU address}}
}

void n04(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	struct pair *p = gpuown_obj_cpu(o);
	uint32_t *b = &p->b;
	*b = 2; // no-warning
	gpuown_obj_free(o);
}

/* ---- 5. handle passed to an operation after free */
void p05(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_free(o);
	gpuown_obj_publish(o, NULL); // expected-warning{{Use of a freed GPU object through its handle (passed to 'gpuown_obj_publish')}}
}

void n05(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_publish(o, NULL); // no-warning
	global_obj = o;
}

/* ---- 6. GPU address passed to a call after free */
void p06(struct gpuown_mm *mm, struct gpuown_vm *vm)
{
	struct gpuown_obj *o;
	uint32_t v;
	if (alloc(mm, &o))
		return;
	gpu_addr_t va = gpuown_obj_gpu_va(o);
	gpuown_obj_free(o);
	gpuown_gpu_read(vm, va, &v, 4); // expected-warning{{Use of a freed GPU object through its GPU address (passed to 'gpuown_gpu_read')}}
}

void n06(struct gpuown_mm *mm, struct gpuown_vm *vm)
{
	struct gpuown_obj *o;
	uint32_t v;
	if (alloc(mm, &o))
		return;
	gpu_addr_t va = gpuown_obj_gpu_va(o);
	gpuown_gpu_read(vm, va, &v, 4); // no-warning
	gpuown_obj_free(o);
}

/* ---- 7. GPU address stored into a struct after free */
void p07(struct gpuown_mm *mm, struct job *j)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpu_addr_t va = gpuown_obj_gpu_va(o);
	gpuown_obj_free(o);
	j->va = va; // expected-warning{{The GPU address of a freed GPU object is stored}}
}

void n07(struct gpuown_mm *mm, struct job *j)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	j->va = gpuown_obj_gpu_va(o); // no-warning
	j->obj = o;
}

/* ---- 8. leak on an error path */
int p08(struct gpuown_mm *mm, struct job *j)
{
	struct gpuown_obj *a, *b;
	if (alloc(mm, &a))
		return -1;
	if (alloc(mm, &b))
		return -1; // expected-warning{{GPU object allocated by 'gpuown_obj_alloc' is leaked: not freed on this path}}
	j->obj = a;
	gpuown_obj_free(b);
	return 0;
}

int n08(struct gpuown_mm *mm, struct job *j)
{
	struct gpuown_obj *a, *b;
	if (alloc(mm, &a))
		return -1;
	if (alloc(mm, &b))
		goto err; // no-warning
	j->obj = a;
	gpuown_obj_free(b);
	return 0;
err:
	gpuown_obj_free(a);
	return -1;
}

/* ---- 9. leak: allocated and dropped */
void p09(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_cpu(o);
} // expected-warning{{GPU object allocated by 'gpuown_obj_alloc' is leaked: not freed on this path}}

void n09(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_cpu(o);
	gpuown_obj_free(o);
} // no-warning

/* ---- 10. leak in a loop */
void p10(struct gpuown_mm *mm, int n)
{
	for (int i = 0; i < n; i++) { // expected-warning{{GPU object allocated by 'gpuown_obj_alloc' is leaked: not freed on this path}}
		struct gpuown_obj *o;
		if (alloc(mm, &o))
			return;
		touch_extern(o);
	}
}

void n10(struct gpuown_mm *mm, int n)
{
	for (int i = 0; i < n; i++) {
		struct gpuown_obj *o;
		if (alloc(mm, &o))
			return;
		touch_extern(o);
		gpuown_obj_free(o);
	} // no-warning
}

/* ---- 11. arrays of objects */
void p11(struct gpuown_obj *objs[2])
{
	for (int i = 0; i < 2; i++)
		gpuown_obj_free(objs[i]);
	gpuown_obj_free(objs[1]); // expected-warning{{GPU object freed twice}}
}

void n11(struct gpuown_obj *objs[2])
{
	for (int i = 0; i < 2; i++)
		gpuown_obj_free(objs[i]); // no-warning
}

/* ---- 12. a foreign driver's allocator (returns NULL on failure) */
void p12(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return;
	my_bo_inspect(bo);
} // expected-warning{{GPU object allocated by 'my_bo_create' is leaked: not freed on this path}}

void n12(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return; // no-warning
	my_bo_inspect(bo);
	my_bo_put(bo);
}

/* ---- 13. a foreign driver's free, twice */
void p13(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return;
	my_bo_put(bo);
	my_bo_put(bo); // expected-warning{{GPU object freed twice}}
}

void n13(struct my_dev *dev)
{
	struct my_bo *a = my_bo_create(dev, 4096);
	struct my_bo *b = my_bo_create(dev, 4096);
	if (a)
		my_bo_put(a);
	if (b)
		my_bo_put(b); // no-warning
}

/* ---- 14. a foreign handle dereferenced after free */
size_t p14(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return 0;
	my_bo_put(bo);
	return bo->size; // expected-warning{{Read of a freed GPU object through its handle}}
}

size_t n14(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return 0;
	size_t s = bo->size; // no-warning
	my_bo_put(bo);
	return s;
}

/* ---- 15. free of an interior pointer */
void p15(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return;
	my_bo_put((struct my_bo *)&bo->flags); // expected-warning{{Free of a pointer into a GPU object, not the object's start}}
}

void n15(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return;
	my_bo_put((struct my_bo *)&bo->size); // no-warning
}

/* ---- 16. free of the CPU address instead of the handle */
void p16(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	void *cpu = gpuown_obj_cpu(o);
	gpuown_obj_free(cpu); // expected-warning{{Free of a GPU object's CPU address instead of its handle}}
}

void n16(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	void *cpu = gpuown_obj_cpu(o);
	(void)cpu;
	gpuown_obj_free(o); // no-warning
}

/* ---- 17. free of a local / a global */
void p17(void)
{
	struct my_bo local = { 0 };
	my_bo_put(&local); // expected-warning{{Free of memory that is not a GPU object (passed to 'my_bo_put')}}
}

void p17b(void)
{
	gpuown_obj_free((struct gpuown_obj *)global_storage); // expected-warning{{Free of memory that is not a GPU object (passed to 'gpuown_obj_free')}}
}

void n17(struct gpuown_obj **slot)
{
	gpuown_obj_free(*slot); // no-warning
	*slot = NULL;
}

/* ---- 18. non-inlined annotated helper frees, caller uses */
void p18(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	put_extern(o);
	touch_extern(o); // expected-warning{{Use of a freed GPU object through its handle (passed to 'touch_extern')}}
}

void n18(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	touch_extern(o); // no-warning
	put_extern(o);
}

/* ---- 19. inlined helper frees, caller frees again */
void p19(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	put_inline(o);
	gpuown_obj_free(o); // expected-warning{{GPU object freed twice}}
}

void n19(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	put_inline(o); // no-warning
}

/* ---- 20. firmware address stored after free */
void p20(struct my_dev *dev, struct job *j)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return;
	fw_addr_t fa = my_bo_fw_va(bo);
	my_bo_put(bo);
	j->fa = fa; // expected-warning{{The firmware address of a freed GPU object is stored}}
}

void n20(struct my_dev *dev, struct job *j)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (!bo)
		return;
	j->fa = my_bo_fw_va(bo); // no-warning
	my_bo_put(bo);
	j->fa = 0;
}

/* ---- 21. CPU address kept in a struct, used after free */
struct view {
	uint32_t *words;
};

void p21(struct gpuown_mm *mm, struct view *v)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	v->words = gpuown_obj_cpu(o);
	gpuown_obj_free(o);
	v->words[1] = 0; // expected-warning{{Write of a freed GPU object through its CPU address}}
}

void n21(struct gpuown_mm *mm, struct view *v)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	v->words = gpuown_obj_cpu(o);
	v->words[1] = 0; // no-warning
	gpuown_obj_free(o);
	v->words = NULL;
}

/* ---- 22. free on one branch, use after the join */
void p22(struct gpuown_mm *mm, int cond)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	if (cond)
		gpuown_obj_free(o);
	gpuown_obj_publish(o, NULL); // expected-warning{{Use of a freed GPU object through its handle}}
	global_obj = o;
}

void n22(struct gpuown_mm *mm, int cond)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	if (cond) {
		gpuown_obj_free(o);
		return;
	}
	gpuown_obj_publish(o, NULL); // no-warning
	global_obj = o;
}

/* ---- 23. unchecked allocation result, then dropped */
void p23(struct gpuown_mm *mm, const struct gpuown_alloc_args *a)
{
	struct gpuown_obj *o;
	gpuown_obj_alloc(mm, a, &o);
} // expected-warning{{GPU object allocated by 'gpuown_obj_alloc' is leaked: not freed on this path}}

int n23(struct gpuown_mm *mm, const struct gpuown_alloc_args *a)
{
	struct gpuown_obj *o;
	int err = gpuown_obj_alloc(mm, a, &o);
	if (err < 0)
		return err; // no-warning
	gpuown_obj_free(o);
	return 0;
}

/* ---- Escapes: none of these is a leak. */
void n24(struct gpuown_mm *mm, struct job *j)
{
	if (alloc(mm, &j->obj))
		return;
} // no-warning

struct gpuown_obj *n25(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return NULL;
	return o; // no-warning
}

void n26(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	opaque_keep(o); // no-warning
}

void n27(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	global_obj = o; // no-warning
}

/* Freeing NULL is not a double free. */
void n28(void)
{
	gpuown_obj_free(NULL);
	gpuown_obj_free(NULL); // no-warning
}

/* ---- 29. ERR_PTR() on failure, tested with IS_ERR(): the error branch
 * allocated nothing (the kernel-shaped cases are in kernel_lifetime.c). */
#define MY_ERR_PTR(e) ((struct my_bo *)(intptr_t)(e))
#define MY_IS_ERR(p) ((uintptr_t)(p) >= (uintptr_t)-4095)
void p29(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (MY_IS_ERR(bo))
		return;
} // expected-warning{{GPU object allocated by 'my_bo_create' is leaked}}

void n29(struct my_dev *dev)
{
	struct my_bo *bo = my_bo_create(dev, 4096);
	if (MY_IS_ERR(bo))
		return; // no-warning
	my_bo_put(bo);
}

/* ---- 24. an annotated helper is taken at its annotations' word even when
 * its body is visible: the analyzer does not inline it, so what its body
 * does on one path or another does not matter. */
static void put_if_idle(struct gpuown_obj *o __gpuown_frees, int busy)
{
	if (busy)
		return;
	gpuown_obj_free(o);
}

void p24(struct gpuown_obj *o)
{
	put_if_idle(o, 1);
	touch_extern(o); // expected-warning{{Use of a freed GPU object through its handle}}
}

void n24b(struct gpuown_obj *o)
{
	touch_extern(o); // no-warning
	put_if_idle(o, 1);
}

/* ---- 25. through the CPU access window's pointer */
void p25b(struct gpuown_obj *o)
{
	uint32_t *w;
	if (gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, (void **)&w))
		return;
	gpuown_cpu_end(o);
	gpuown_obj_free(o);
	w[0] = 0; // expected-warning{{Write of a freed GPU object through its CPU address}}
}

void n25b(struct gpuown_obj *o)
{
	uint32_t *w;
	if (gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, (void **)&w))
		return;
	w[0] = 0; // no-warning
	gpuown_cpu_end(o);
	gpuown_obj_free(o);
}

/* ---- 27. an int free that refused (non-zero) left the object alive */
void p26r(struct gpuown_obj *o)
{
	if (gpuown_obj_free(o) == 0)
		gpuown_obj_free(o); // expected-warning{{GPU object freed twice}}
}

void n26r(struct gpuown_obj *o)
{
	if (gpuown_obj_free(o))
		gpuown_obj_free(o); // no-warning
}
