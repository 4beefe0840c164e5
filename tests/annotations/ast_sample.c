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

/* Kernel lifetime idioms. */
struct bo *bo_lookup_new(unsigned id) __gpuown_lookup_get __gpuown_err_ptr;
void *bo_find(unsigned id) __gpuown_lookup;
void *bo_table_erase(unsigned id) __gpuown_remove;
void bo_get(struct bo *ref_in __gpuown_get);
void bo_put(struct bo *ref_out __gpuown_put);
void bo_unref(struct bo **handle __gpuown_unref);
int bo_table_add(struct bo *entry __gpuown_insert);
long fence_wait(struct fence *wf __gpuown_completes) __gpuown_wait;
long fence_wait_timeout(struct fence *wt) __gpuown_wait_timeout;
int bo_pin(struct bo *pinned, unsigned long long *iova __gpuown_gpu_addr_out,
	   unsigned *ggtt __gpuown_fw_addr_out,
	   void **vaddr __gpuown_cpu_addr_out);

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
 * expect: bo_lookup_new gpuown_lookup_get
 * expect: bo_lookup_new gpuown_err_ptr
 * expect: bo_find gpuown_lookup
 * expect: bo_table_erase gpuown_remove
 * expect: ref_in gpuown_get
 * expect: ref_out gpuown_put
 * expect: handle gpuown_unref
 * expect: entry gpuown_insert
 * expect: wf gpuown_complete
 * expect: fence_wait gpuown_wait
 * expect: fence_wait_timeout gpuown_wait_timeout
 * expect: iova gpuown_gpu_addr_out
 * expect: ggtt gpuown_fw_addr_out
 * expect: vaddr gpuown_cpu_addr_out
 */
