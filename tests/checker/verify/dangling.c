// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.DanglingGpuPointer
/*
 * gpuown.DanglingGpuPointer: each positive case (pNN) has a negative twin.
 */
#include <stddef.h>

#include <gpuown/object.h>

#include "foreign.h"

struct fw_cmdbuf {
	uint32_t words[4];
};
GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_job {
	uint32_t magic;
	uint32_t pad;
	gpu_ptr(fw_cmdbuf) cmdbuf;
	gpu_weak_ptr(fw_cmdbuf) prev;
	fw_ptr(fw_cmdbuf) fw_cmdbuf;
	uint64_t raw_va __gpuown_gpu_addr(fw_cmdbuf);
	uint64_t cookie;
	struct {
		gpu_ptr(fw_cmdbuf) aux;
	} sub;
};

/* A driver's CPU-side job struct that holds a strong GPU pointer. */
struct my_job {
	int id;
	gpu_ptr(fw_cmdbuf) cmdbuf;
};

static struct gpuown_obj *keep;

/* The driver's own annotated store helper, not visible to the analyzer. */
void job_set_cmdbuf(struct gpuown_obj *job __gpuown_store_container,
		    size_t off, struct gpuown_obj *cb __gpuown_store_target);
void vm_unmap(struct gpuown_obj *o __gpuown_unmaps);

static void set_inline(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
}

static gpu_ptr(fw_cmdbuf) ptr_of(struct gpuown_obj *o)
{
	return (gpu_ptr(fw_cmdbuf)){ gpuown_obj_gpu_va(o) };
}

/* ---- 1. stored with the runtime's accessor, target freed */
void p01(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n01(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	GPUOWN_CLEAR_PTR(job, struct fw_job, cmdbuf);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 2. direct write of a gpu_ptr field, target freed */
void p02(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->cmdbuf = (gpu_ptr(fw_cmdbuf)){ gpuown_obj_gpu_va(cb) };
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'j->cmdbuf' still holds a GPU pointer to it}}
}

/* The container goes first: nothing points at the target any more. */
void n02(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->cmdbuf = (gpu_ptr(fw_cmdbuf)){ gpuown_obj_gpu_va(cb) };
	gpuown_obj_free(job);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 3. write of the address member */
void p03(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->cmdbuf.va = gpuown_obj_gpu_va(cb);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'j->cmdbuf.va' still holds a GPU pointer to it}}
}

void n03(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->cmdbuf.va = gpuown_obj_gpu_va(cb);
	j->cmdbuf = GPU_PTR_NULL(fw_cmdbuf);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 4. an annotated raw address field */
void p04(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->raw_va = gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(cb));
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'j->raw_va' still holds a GPU pointer to it}}
}

/* An unannotated integer field is not a strong pointer. */
void n04(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->cookie = gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(cb));
	gpuown_obj_free(cb); // no-warning
}

/* ---- 5. weak pointers are the explicit escape hatch */
void p05(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->cmdbuf = ptr_of(cb);
	gpuown_obj_free(cb); // expected-warning{{still holds a GPU pointer to it}}
}

void n05(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->prev = (gpu_weak_ptr(fw_cmdbuf)){ gpuown_obj_gpu_va(cb) };
	gpuown_obj_free(cb); // no-warning
}

/* ---- 6. firmware pointers too */
void p06(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->fw_cmdbuf = (fw_ptr(fw_cmdbuf)){ gpuown_obj_fw_addr(cb) };
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'j->fw_cmdbuf' still holds a GPU pointer to it}}
}

void n06(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->fw_cmdbuf = (fw_ptr(fw_cmdbuf)){ gpuown_obj_fw_addr(cb) };
	j->fw_cmdbuf = FW_PTR_NULL(fw_cmdbuf);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 7. published while the target is freed */
void p07(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	gpu_addr_t va = gpuown_obj_gpu_va(cb);
	gpuown_obj_free(cb);
	j->cmdbuf.va = va;
	gpuown_obj_publish(job, NULL); // expected-warning{{GPU object published while 'j->cmdbuf.va' points at a freed object}}
}

void n07(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	gpu_addr_t va = gpuown_obj_gpu_va(cb);
	j->cmdbuf.va = va;
	gpuown_obj_publish(cb, NULL);
	gpuown_obj_publish(job, NULL); // no-warning
}

/* ---- 8. published while the target is still being built */
void p08(struct gpuown_mm *mm, struct gpuown_obj *job)
{
	struct gpuown_alloc_args a = { .size = 64 };
	struct gpuown_obj *cb;
	if (gpuown_obj_alloc(mm, &a, &cb))
		return;
	uint32_t *w = gpuown_obj_cpu(cb);
	w[0] = 1;
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	gpuown_obj_publish(job, NULL); // expected-warning{{GPU object published while 'job' points at an object still being built (CPU-owned, not yet published)}}
	keep = cb;
}

void n08(struct gpuown_mm *mm, struct gpuown_obj *job)
{
	struct gpuown_alloc_args a = { .size = 64 };
	struct gpuown_obj *cb;
	if (gpuown_obj_alloc(mm, &a, &cb))
		return;
	uint32_t *w = gpuown_obj_cpu(cb);
	w[0] = 1;
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	gpuown_obj_publish(cb, NULL);
	gpuown_obj_publish(job, NULL); // no-warning
	keep = cb;
}

/* A GPU-only target (no CPU mapping taken) is never "being built". */
void n08b(struct gpuown_mm *mm, struct gpuown_obj *job)
{
	struct gpuown_alloc_args a = { .size = 64, .flags = GPUOWN_ALLOC_NO_CPU_MAP };
	struct gpuown_obj *buf;
	if (gpuown_obj_alloc(mm, &a, &buf))
		return;
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, buf);
	gpuown_obj_publish(job, NULL); // no-warning
	keep = buf;
}

/* ---- 9. a foreign driver's objects */
void p09(struct my_bo *job, struct my_bo *cb)
{
	struct fw_job *j = my_bo_vmap(job);
	j->cmdbuf.va = my_bo_gpu_va(cb);
	my_bo_put(cb); // expected-warning{{GPU object freed while 'j->cmdbuf.va' still holds a GPU pointer to it}}
}

void n09(struct my_bo *job, struct my_bo *cb)
{
	struct fw_job *j = my_bo_vmap(job);
	j->cmdbuf.va = my_bo_gpu_va(cb);
	my_bo_put(job);
	my_bo_put(cb); // no-warning
}

/* ---- 10. unmapped while pointed at */
void p10(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	vm_unmap(cb); // expected-warning{{GPU object unmapped while 'job' still holds a GPU pointer to it}}
}

void n10(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	vm_unmap(job); // no-warning
	vm_unmap(cb);
}

/* ---- 11. stored by an inlined helper */
void p11(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	set_inline(job, cb);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n11(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	set_inline(job, cb);
	gpuown_clear_ptr(job, offsetof(struct fw_job, cmdbuf));
	gpuown_obj_free(cb); // no-warning
}

/* ---- 12. stored by an annotated helper the analyzer cannot see */
void p12(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	job_set_cmdbuf(job, offsetof(struct fw_job, cmdbuf), cb);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n12(struct gpuown_obj *job, struct gpuown_obj *cb, struct gpuown_obj *other)
{
	job_set_cmdbuf(job, offsetof(struct fw_job, cmdbuf), cb);
	gpuown_obj_free(other); // no-warning
	keep = cb;
}

/* ---- 13. clearing another slot does not help */
void p13(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	GPUOWN_CLEAR_PTR(job, struct fw_job, sub.aux);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n13(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, sub.aux, cb);
	GPUOWN_CLEAR_PTR(job, struct fw_job, sub.aux);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 14. two holders, only one cleared */
void p14(struct gpuown_obj *a, struct gpuown_obj *b, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(a, struct fw_job, cmdbuf, cb);
	GPUOWN_STORE_PTR(b, struct fw_job, cmdbuf, cb);
	GPUOWN_CLEAR_PTR(a, struct fw_job, cmdbuf);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'b' still holds a GPU pointer to it}}
}

void n14(struct gpuown_obj *a, struct gpuown_obj *b, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(a, struct fw_job, cmdbuf, cb);
	GPUOWN_STORE_PTR(b, struct fw_job, cmdbuf, cb);
	GPUOWN_CLEAR_PTR(a, struct fw_job, cmdbuf);
	GPUOWN_CLEAR_PTR(b, struct fw_job, cmdbuf);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 15. a driver CPU struct as the container */
void p15(struct my_job *job, struct gpuown_obj *cb)
{
	job->cmdbuf.va = gpuown_obj_gpu_va(cb);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job->cmdbuf.va' still holds a GPU pointer to it}}
}

void n15(struct my_job *job, struct gpuown_obj *cb)
{
	job->cmdbuf.va = gpuown_obj_gpu_va(cb);
	job->cmdbuf.va = 0;
	gpuown_obj_free(cb); // no-warning
}

/* ---- 16. overwritten with another target, which is then freed */
void p16(struct gpuown_obj *job, struct gpuown_obj *a, struct gpuown_obj *b)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, a);
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, b);
	gpuown_obj_free(b); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n16(struct gpuown_obj *job, struct gpuown_obj *a, struct gpuown_obj *b)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, a);
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, b);
	gpuown_obj_free(a); // no-warning
	keep = b;
}

/* ---- 17. wrong teardown order on an error path */
int p17(struct gpuown_obj *job, struct gpuown_obj *cb, int err)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	if (err)
		goto fail;
	return 0;
fail:
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
	gpuown_obj_free(job);
	return err;
}

int n17(struct gpuown_obj *job, struct gpuown_obj *cb, int err)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	if (err)
		goto fail;
	return 0;
fail:
	gpuown_obj_free(job);
	gpuown_obj_free(cb); // no-warning
	return err;
}

/* ---- 18. arrays of targets in a loop */
void p18(struct gpuown_obj *job, struct gpuown_obj *cbs[2])
{
	struct fw_job *j = gpuown_obj_cpu(job);
	for (int i = 0; i < 2; i++)
		j->cmdbuf.va = gpuown_obj_gpu_va(cbs[i]);
	gpuown_obj_free(cbs[1]); // expected-warning{{GPU object freed while 'j->cmdbuf.va' still holds a GPU pointer to it}}
}

void n18(struct gpuown_obj *job, struct gpuown_obj *cbs[2])
{
	struct fw_job *j = gpuown_obj_cpu(job);
	for (int i = 0; i < 2; i++)
		j->cmdbuf.va = gpuown_obj_gpu_va(cbs[i]);
	gpuown_obj_free(cbs[0]); // no-warning
}

/* ---- 19. a nested struct's pointer field */
void p19(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->sub.aux.va = gpuown_obj_gpu_va(cb);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'j->sub.aux.va' still holds a GPU pointer to it}}
}

void n19(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	struct fw_job *j = gpuown_obj_cpu(job);
	j->sub.aux.va = gpuown_obj_gpu_va(cb);
	GPUOWN_CLEAR_PTR(job, struct fw_job, sub.aux);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 20. shared while the target is freed */
void p20(struct gpuown_obj *ring, struct gpuown_obj *buf)
{
	struct fw_job *r = gpuown_obj_cpu(ring);
	gpu_addr_t va = gpuown_obj_gpu_va(buf);
	gpuown_obj_free(buf);
	r->cmdbuf.va = va;
	gpuown_obj_share(ring); // expected-warning{{GPU object published while 'r->cmdbuf.va' points at a freed object}}
}

void n20(struct gpuown_obj *ring, struct gpuown_obj *buf)
{
	struct fw_job *r = gpuown_obj_cpu(ring);
	r->cmdbuf.va = gpuown_obj_gpu_va(buf);
	gpuown_obj_share(ring); // no-warning
}

/* ---- 21. container handed to code we cannot see */
void p21(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	opaque_log(1);
	gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n21(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb);
	opaque_keep(job);
	gpuown_obj_free(cb); // no-warning
}

/* ---- 22. a store that returned an error stored nothing */
void p22(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	if (GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb) == 0)
		gpuown_obj_free(cb); // expected-warning{{GPU object freed while 'job' still holds a GPU pointer to it}}
}

void n22(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	if (GPUOWN_STORE_PTR(job, struct fw_job, cmdbuf, cb))
		gpuown_obj_free(cb); // no-warning
}

/*
 * FIXME: edges live within one analyzed path: a pointer stored by a
 * top-level function the analyzer does not inline into this one is unknown
 * here, so this free is not reported (the runtime tracker sees it).
 */
void store_elsewhere(struct gpuown_obj *job, struct gpuown_obj *cb);

void fixme_cross_function(struct gpuown_obj *job, struct gpuown_obj *cb)
{
	store_elsewhere(job, cb);
	gpuown_obj_free(cb); // no-warning
}
