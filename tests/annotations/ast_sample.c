// SPDX-License-Identifier: MIT
/*
 * Every kind of gpuown annotation on a sample driver. check-ast compares the
 * AnnotateAttr strings clang attaches to each declaration with the
 * `expect:` lines below (declaration name, annotation string).
 */
#include <gpuown/annotations.h>
#include <gpuown/lifecycle.h>

struct bo;
struct fence;

GPUOWN_DECLARE_PTRS(fw_cmdbuf);

struct fw_ring_state {
	uint32_t wptr_0;
	fw_shared_u32 rptr_4 __gpuown_fw_writes;
	gpu_ptr(fw_cmdbuf) cmdbuf_8;
	uint64_t stamp_va_10 __gpuown_gpu_addr(fw_stamps);
	uint32_t unk_18_0 __gpuown_versioned("V >= V2_0");
} __gpuown_shared(rw);

struct fw_job_desc {
	uint32_t magic_0;
} __gpuown_fw_owned(read);

struct bo *bo_create(unsigned size) __gpuown_alloc;
int bo_alloc(unsigned size, struct bo **out __gpuown_alloc_out);
void bo_free(struct bo *bo __gpuown_frees);
int bo_publish(struct bo *bo __gpuown_publishes, struct fence *f);
int bo_reclaim(struct bo *bo __gpuown_reclaims,
	       struct fence *f __gpuown_completes);
void *bo_vmap(struct bo *bo __gpuown_addr_of) __gpuown_cpu_addr;
int bo_begin(struct bo *bo __gpuown_cpu_begin);
void bo_end(struct bo *bo __gpuown_cpu_end);
int bo_peek(struct bo *bo __gpuown_requires(fw));
int bo_link(struct bo *container __gpuown_store_container,
	    struct bo *target __gpuown_store_target);

GPUOWN_LIFECYCLE(channel, "enabled -> stopped, stopped -> disabled");
int channel_stop(struct bo *ch __gpuown_transition(channel, enabled, stopped));
int channel_kick(struct bo *ch __gpuown_in_state(channel, enabled));

/*
 * expect: fw_ring_state gpuown_class:shared:rw
 * expect: rptr_4 gpuown_fw_writes
 * expect: stamp_va_10 gpuown_gpu_addr:fw_stamps
 * expect: unk_18_0 gpuown_versioned:V >= V2_0
 * expect: gpu_ptr__fw_cmdbuf gpuown_gpu_ptr:fw_cmdbuf
 * expect: gpu_weak_ptr__fw_cmdbuf gpuown_gpu_weak_ptr:fw_cmdbuf
 * expect: fw_ptr__fw_cmdbuf gpuown_fw_ptr:fw_cmdbuf
 * expect: fw_job_desc gpuown_class:fw:read
 * expect: bo_create gpuown_alloc
 * expect: out gpuown_alloc_out
 * expect: bo gpuown_free
 * expect: bo gpuown_publish
 * expect: bo gpuown_reclaim
 * expect: f gpuown_complete
 * expect: bo gpuown_addr_of
 * expect: bo_vmap gpuown_cpu_addr
 * expect: bo gpuown_cpu_begin
 * expect: bo gpuown_cpu_end
 * expect: bo gpuown_requires:fw
 * expect: container gpuown_store_container
 * expect: target gpuown_store_target
 * expect: gpuown_lifecycle_channel gpuown_lifecycle:channel:enabled -> stopped, stopped -> disabled
 * expect: ch gpuown_transition:channel:enabled->stopped
 * expect: ch gpuown_in_state:channel:enabled
 */
