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
struct intel_guc_ct;
struct i915_vma;
struct drm_i915_gem_object;
struct kref;
enum i915_map_type; /* a GNU C forward declaration, as the kernel allows */

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
 * The vma holds the reference on its GEM object (vma->obj), which goes with
 * it: a pointer read from vma->obj before, and a map pinned on it, are used
 * after a put when they are used after the release.
 */
void i915_vma_unpin_and_release(struct i915_vma **p_vma __gpuown_unref
					__gpuown_releases_inner(obj),
				unsigned int flags);

/*
 * The CPU mapping of a GEM object (the GuC code maps vma->obj), or ERR_PTR:
 * an address of the object, dead once the object's last reference is put.
 */
void *i915_gem_object_pin_map(struct drm_i915_gem_object *obj __gpuown_addr_of,
			      enum i915_map_type type)
	__gpuown_cpu_addr __gpuown_err_ptr;
void *i915_gem_object_pin_map_unlocked(
	struct drm_i915_gem_object *obj __gpuown_addr_of,
	enum i915_map_type type) __gpuown_cpu_addr __gpuown_err_ptr;

/*
 * The GGTT offset the GuC is given for a vma (a static inline): the vma's
 * firmware address, so handing out the offset of a released vma is a use
 * after free, and sending it hands the vma over.
 */
static inline u32 intel_guc_ggtt_offset(struct intel_guc *guc,
					struct i915_vma *vma __gpuown_addr_of)
	__gpuown_fw_addr_fn;

/*
 * Every H2G message over the CT (intel_guc_send(), _nb(), _busy_loop() and
 * _and_receive() are static inlines around it): an object whose GGTT offset
 * is in the message is the GuC's from a successful send on (the SLPC shared
 * data, the v69 LRC descriptor pool, the HuC's RSA signature), so a CPU
 * write to it or its release afterwards is reported.
 * intel_guc_send_mmio() is left alone: the only address it carries in these
 * units is the hwconfig table's buffer, which the GuC fills during the
 * request and does not keep, and which the caller then reads and releases.
 */
int intel_guc_ct_send(struct intel_guc_ct *ct,
		      const u32 *action __gpuown_publishes_addr, u32 len,
		      u32 *response_buf, u32 response_buf_size, u32 flags);

/*
 * The release behind every GEM put (i915_gem_object_put() and
 * drm_gem_object_put() are static inline kref_put()s that call it when the
 * last reference goes): on that path the object is freed.
 */
void drm_gem_object_free(struct kref *kref __gpuown_frees);

#endif /* GPUOWN_PROFILE_I915_GUC_H */
