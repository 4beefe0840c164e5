/* SPDX-License-Identifier: MIT */
/*
 * gpuown profile for i915's GuC/HuC code of Linux 6.1
 * (drivers/gpu/drm/i915/gt/uc/). Force-included by gpuown-check --profile
 * after the unit's forced includes; every prototype matches the tree's.
 * See docs/profiles/i915-guc.md.
 */
#ifndef GPUOWN_PROFILE_I915_GUC_H
#define GPUOWN_PROFILE_I915_GUC_H

#include <gpuown/annotations.h>

struct intel_guc;
struct i915_vma;
struct kref;

/*
 * Every object the GuC reads (CT buffers, ADS, log, SLPC shared data, the LRC
 * descriptor pool) comes from here: a GGTT vma pinned above the GuC's bias,
 * ERR_PTR on failure.
 */
struct i915_vma *intel_guc_allocate_vma(struct intel_guc *guc, u32 size)
	__gpuown_alloc __gpuown_err_ptr;
/* The same, mapped for the CPU: 0 and the vma in *out_vma, or -errno. */
int intel_guc_allocate_and_map_vma(struct intel_guc *guc, u32 size,
				   struct i915_vma **out_vma __gpuown_alloc_out,
				   void **out_vaddr __gpuown_cpu_addr_out);

/*
 * Unpins the vma, drops the CPU mapping (I915_VMA_RELEASE_MAP) and the
 * object, and sets *p_vma to NULL: a free through the handle, harmless twice.
 */
void i915_vma_unpin_and_release(struct i915_vma **p_vma __gpuown_unref,
				unsigned int flags);

/*
 * The GGTT offset the GuC is given for a vma (a static inline): a use of the
 * object, so handing out the offset of a released vma is reported.
 */
static inline u32 intel_guc_ggtt_offset(struct intel_guc *guc,
					struct i915_vma *vma __gpuown_uses);

/*
 * The release behind every GEM put (i915_gem_object_put() and
 * drm_gem_object_put() are static inline kref_put()s that call it when the
 * last reference goes): on that path the object is freed.
 */
void drm_gem_object_free(struct kref *kref __gpuown_frees);

#endif /* GPUOWN_PROFILE_I915_GUC_H */
