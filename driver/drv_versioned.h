/* SPDX-License-Identifier: MIT */
/*
 * Everything in the driver that knows a firmware struct layout, written once
 * and compiled per variant (drv_variants.c includes it through
 * <gpuown_fw/simgpu_instantiate.h>). CPU-owned structs are filled inside a
 * gpuown_cpu_begin()/gpuown_cpu_end() window; their GPU pointers are stored
 * afterwards with GPUOWN_STORE_PTR() so the object model records each edge;
 * shared structs are only touched through gpuown_shared_*().
 */

#define DRV_OFF(type, field) offsetof(FW_T(type), field)

static int FW_FN(init_ring_state)(struct gpuown_obj *state, uint32_t nr_slots)
{
	FW_T(fw_ring_state) * s;
	int ret;

	ret = gpuown_cpu_begin(state, GPUOWN_DIR_WRITE, (void **)&s);
	if (ret)
		return ret;
	/* The write pointer is a shared word: zeroed at allocation, then only
	 * ever written with gpuown_shared_store32(). */
	s->nr_slots_8 = nr_slots;
	gpuown_cpu_end(state);
	return 0;
}

static int FW_FN(init_evring_state)(struct gpuown_obj *state, uint32_t nr_slots)
{
	FW_T(fw_evring_state) * s;
	int ret;

	ret = gpuown_cpu_begin(state, GPUOWN_DIR_WRITE, (void **)&s);
	if (ret)
		return ret;
	s->nr_slots_8 = nr_slots;
	gpuown_cpu_end(state);
	return 0;
}

static int FW_FN(build_init_data)(struct simgpu_dev *dev)
{
	struct gpuown_obj *d = dev->init_data;
	FW_T(fw_init_data) * p;
	int ret;

	ret = gpuown_cpu_begin(d, GPUOWN_DIR_WRITE, (void **)&p);
	if (ret)
		return ret;
	p->magic_0 = FW_C(FW_INIT_MAGIC);
	p->nr_stamps_4 = FW_C(FW_STAMP_SLOTS);
	p->nr_contexts_48 = FW_C(FW_MAX_CONTEXTS);
	p->log_level_4c = 1;
#if GPUOWN_V >= FW_V_V2_0
	p->boot_flags_50_0 = 0;
#endif
	gpuown_cpu_end(d);

	ret = GPUOWN_STORE_PTR(d, FW_T(fw_init_data), ctrl_state_8,
			       dev->ctrl_state);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), ctrl_ring_10,
					  dev->ctrl_ring);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), event_state_18,
					  dev->event_state);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), event_ring_20,
					  dev->event_ring);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), stamps_28,
					  dev->stamps);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), contexts_30,
					  dev->ctx_table);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), log_state_38,
					  dev->log_state);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_init_data), log_ring_40,
					  dev->log_ring);
	return ret;
}

static int FW_FN(build_vm_desc)(struct simgpu_ctx *ctx)
{
	FW_T(fw_vm_desc) * v;
	int ret;

	ret = gpuown_cpu_begin(ctx->vm_desc, GPUOWN_DIR_WRITE, (void **)&v);
	if (ret)
		return ret;
	v->asid_0 = ctx->asid;
	v->flags_4 = 0;
	v->ttbr_8 = gpuown_vm_id(ctx->vm);
	v->va_base_10 = ctx->va_base;
	v->va_size_18 = ctx->va_slot_size * ctx->nr_va;
	gpuown_cpu_end(ctx->vm_desc);
	return 0;
}

static int FW_FN(build_ctx_desc)(struct simgpu_ctx *ctx)
{
	struct gpuown_obj *d = ctx->desc;
	FW_T(fw_context_desc) * c;
	int ret;

	ret = gpuown_cpu_begin(d, GPUOWN_DIR_WRITE, (void **)&c);
	if (ret)
		return ret;
	c->slot_0 = ctx->slot;
	c->priority_4 = ctx->priority;
	c->stamp_slot_28 = ctx->slot + 1;
	c->flags_2c = 0;
	gpuown_cpu_end(d);

	ret = GPUOWN_STORE_PTR(d, FW_T(fw_context_desc), vm_8, ctx->vm_desc);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_context_desc),
					  ring_state_10, ctx->ring_state);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_context_desc), ring_18,
					  ctx->ring);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_context_desc), channel_20,
					  ctx->channel);
	return ret;
}

static uint32_t FW_FN(msg_type)(enum drv_msg type)
{
	switch (type) {
	case DRV_MSG_CREATE_CONTEXT:
		return FW_E(FW_MSG_CREATE_CONTEXT);
#if GPUOWN_V >= FW_V_V2_0
	case DRV_MSG_SET_PRIORITY:
		return FW_E(FW_MSG_SET_PRIORITY);
#endif
	case DRV_MSG_DESTROY_CONTEXT:
		return FW_E(FW_MSG_DESTROY_CONTEXT);
	case DRV_MSG_CACHE_FLUSH:
		return FW_E(FW_MSG_CACHE_FLUSH);
	case DRV_MSG_TLB_INVALIDATE:
		return FW_E(FW_MSG_TLB_INVALIDATE);
	default:
		return FW_E(FW_MSG_NOP);
	}
}

static int FW_FN(build_ctrl_msg)(struct gpuown_obj *msg,
				 const struct drv_ctrl_args *a)
{
	FW_T(fw_ctrl_msg) * m;
	int ret;

	ret = gpuown_cpu_begin(msg, GPUOWN_DIR_WRITE, (void **)&m);
	if (ret)
		return ret;
	m->type_0 = FW_FN(msg_type)(a->type);
	m->seq_4 = a->seq;
	m->ctx_slot_8 = a->slot;
	m->arg_c = a->arg;
	gpuown_cpu_end(msg);

	if (a->ctx_desc)
		ret = GPUOWN_STORE_PTR(msg, FW_T(fw_ctrl_msg), ctx_10,
				       a->ctx_desc);
	if (!ret && a->flush)
		ret = GPUOWN_STORE_PTR(msg, FW_T(fw_ctrl_msg), flush_18,
				       a->flush);
	return ret;
}

static int FW_FN(build_flush_req)(struct gpuown_obj *req, uint32_t tlb,
				  uint32_t asid)
{
	FW_T(fw_flush_req) * r;
	int ret;

	ret = gpuown_cpu_begin(req, GPUOWN_DIR_WRITE, (void **)&r);
	if (ret)
		return ret;
	r->kind_0 = tlb ? FW_C(FW_FLUSH_TLB) : FW_C(FW_FLUSH_CACHE);
	r->asid_4 = asid;
	r->va_8 = 0; /* whole address space */
	r->size_10 = 0;
	gpuown_cpu_end(req);
	return 0;
}

static uint32_t FW_FN(cmd_op)(enum simgpu_op op)
{
	switch (op) {
	case SIMGPU_OP_FILL:
		return FW_E(FW_CMD_FILL);
	case SIMGPU_OP_COPY:
		return FW_E(FW_CMD_COPY);
#if GPUOWN_G >= FW_G_G11
	case SIMGPU_OP_XOR:
		return FW_E(FW_CMD_XOR);
#endif
	case SIMGPU_OP_CHECKSUM:
		return FW_E(FW_CMD_CHECKSUM);
	default:
		return FW_E(FW_CMD_END);
	}
}

static int FW_FN(build_cmdbuf)(struct gpuown_obj *cmdbuf,
			       const struct simgpu_submit *s)
{
	FW_T(fw_cmdbuf) * cb;
	uint32_t i;
	int ret;

	if (s->nr_cmds > FW_C(FW_CMDBUF_SLOTS))
		return -E2BIG;
	ret = gpuown_cpu_begin(cmdbuf, GPUOWN_DIR_WRITE, (void **)&cb);
	if (ret)
		return ret;
	cb->count_0 = s->nr_cmds;
	for (i = 0; i < s->nr_cmds; i++) {
		cb->cmds_8[i].op_0 = FW_FN(cmd_op)(s->cmds[i].op);
		cb->cmds_8[i].value_4 = s->cmds[i].value;
		cb->cmds_8[i].src_off_8 = s->cmds[i].src_off;
		cb->cmds_8[i].dst_off_c = s->cmds[i].dst_off;
		cb->cmds_8[i].len_10 = s->cmds[i].len;
	}
	gpuown_cpu_end(cmdbuf);
	return 0;
}

static int FW_FN(build_job)(struct simgpu_job *job,
			    const struct simgpu_submit *s)
{
	struct gpuown_obj *d = job->desc;
	FW_T(fw_job_desc) * p;
	int ret;

	ret = FW_FN(build_cmdbuf)(job->cmdbuf, s);
	if (ret)
		return ret;
	ret = gpuown_cpu_begin(d, GPUOWN_DIR_WRITE, (void **)&p);
	if (ret)
		return ret;
	p->magic_0 = job->flags & SIMGPU_SUBMIT_BAD_MAGIC ? ~FW_C(FW_JOB_MAGIC)
							  : FW_C(FW_JOB_MAGIC);
	p->seq_4 = job->seq;
	p->in_va_20 = job->in_va;
	p->out_va_28 = job->out_va;
	p->in_size_30 = job->in_size;
	p->out_size_34 = job->out_size;
#if GPUOWN_V >= FW_V_V2_0
	p->timeout_38_0 = DRV_FW_TIMEOUT_MS;
#endif
	p->stamp_slot_38 = job->slot + 1;
	p->stamp_value_3c = job->stamp;
	p->wait_slot_40 = job->dep_slot;
	p->wait_value_44 = job->dep_value;
	gpuown_cpu_end(d);

	ret = GPUOWN_STORE_PTR(d, FW_T(fw_job_desc), cmdbuf_8, job->cmdbuf);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_job_desc), result_10,
					  job->result);
	ret = ret
		      ?: GPUOWN_STORE_PTR(d, FW_T(fw_job_desc), stamps_18,
					  job->dev->stamps);
	return ret;
}

static int FW_FN(status)(uint32_t st)
{
	switch (st) {
	case FW_E(FW_STATUS_OK):
		return 0;
	case FW_E(FW_STATUS_UNMAPPED):
		return -EFAULT;
	case FW_E(FW_STATUS_CANCELLED):
		return -ECANCELED;
	default:
		return -EINVAL;
	}
}

/* Called once the job is reclaimed: the result block is CPU-owned again. */
static int FW_FN(read_result)(struct simgpu_job *job)
{
	FW_T(fw_job_result) r;
	int ret;

	ret = gpuown_cpu_read(job->result, 0, &r, sizeof(r));
	if (ret)
		return ret;
	job->status = FW_FN(status)(r.status_0);
	job->checksum = r.checksum_4;
	job->dep_seen = r.dep_seen_8;
	job->cmds_run = r.cmds_run_c;
	return 0;
}

static enum drv_event_kind FW_FN(event_kind)(uint32_t type)
{
	switch (type) {
	case FW_E(FW_EVT_JOB_DONE):
		return DRV_EVT_JOB_DONE;
#if GPUOWN_V >= FW_V_V1_2
	case FW_E(FW_EVT_LOG):
		return DRV_EVT_LOG;
#endif
	case FW_E(FW_EVT_FAULT):
		return DRV_EVT_FAULT;
	case FW_E(FW_EVT_CONTEXT_DESTROYED):
		return DRV_EVT_CONTEXT_DESTROYED;
	case FW_E(FW_EVT_CACHE_FLUSHED):
		return DRV_EVT_CACHE_FLUSHED;
	case FW_E(FW_EVT_TLB_INVALIDATED):
		return DRV_EVT_TLB_INVALIDATED;
	default:
		return DRV_EVT_UNKNOWN;
	}
}

/* Events live in shared memory the firmware writes: atomic loads only. */
static int FW_FN(read_event)(struct simgpu_dev *dev, uint32_t idx,
			     struct drv_event *ev)
{
	size_t base = DRV_OFF(fw_event_ring, msgs_0) +
		      (size_t)idx * sizeof(FW_T(fw_event_msg));
	uint32_t type, status;
	int ret;

	ret = gpuown_shared_load32(dev->event_ring,
				   base + DRV_OFF(fw_event_msg, type_0), &type);
	ret = ret
		      ?: gpuown_shared_load32(
				 dev->event_ring,
				 base + DRV_OFF(fw_event_msg, ctx_slot_4),
				 &ev->slot);
	ret = ret
		      ?: gpuown_shared_load32(
				 dev->event_ring,
				 base + DRV_OFF(fw_event_msg, seq_8), &ev->seq);
	ret = ret
		      ?: gpuown_shared_load32(
				 dev->event_ring,
				 base + DRV_OFF(fw_event_msg, status_c),
				 &status);
	ret = ret
		      ?: gpuown_shared_load64(
				 dev->event_ring,
				 base + DRV_OFF(fw_event_msg, addr_10),
				 &ev->addr);
	ret = ret
		      ?: gpuown_shared_load32(
				 dev->event_ring,
				 base + DRV_OFF(fw_event_msg, stamp_18),
				 &ev->stamp);
	if (ret)
		return ret;
	ev->kind = FW_FN(event_kind)(type);
	ev->status = FW_FN(status)(status);
	return 0;
}

static const struct drv_variant_ops FW_FN(drv_variant_ops) = {
	.name = GPUOWN_VARIANT_NAME,
	.layout =
		{
			[DRV_L_INIT_DATA] = FW_DESC(fw_init_data),
			[DRV_L_RING_STATE] = FW_DESC(fw_ring_state),
			[DRV_L_EVRING_STATE] = FW_DESC(fw_evring_state),
			[DRV_L_CMD_RING] = FW_DESC(fw_cmd_ring),
			[DRV_L_CTRL_MSG] = FW_DESC(fw_ctrl_msg),
			[DRV_L_CTRL_RING] = FW_DESC(fw_ctrl_ring),
			[DRV_L_FLUSH_REQ] = FW_DESC(fw_flush_req),
			[DRV_L_EVENT_RING] = FW_DESC(fw_event_ring),
			[DRV_L_LOG_RING] = FW_DESC(fw_log_ring),
			[DRV_L_STAMP_AREA] = FW_DESC(fw_stamp_area),
			[DRV_L_VM_DESC] = FW_DESC(fw_vm_desc),
			[DRV_L_CHANNEL_STATE] = FW_DESC(fw_channel_state),
			[DRV_L_CONTEXT_DESC] = FW_DESC(fw_context_desc),
			[DRV_L_CONTEXT_TABLE] = FW_DESC(fw_context_table),
			[DRV_L_CMDBUF] = FW_DESC(fw_cmdbuf),
			[DRV_L_JOB_RESULT] = FW_DESC(fw_job_result),
			[DRV_L_JOB_DESC] = FW_DESC(fw_job_desc),
		},
	.ring_slots = FW_C(FW_RING_SLOTS),
	.ctrl_slots = FW_C(FW_CTRL_SLOTS),
	.event_slots = FW_C(FW_EVENT_SLOTS),
	.log_slots = FW_C(FW_LOG_SLOTS),
	.stamp_slots = FW_C(FW_STAMP_SLOTS),
	.max_contexts = FW_C(FW_MAX_CONTEXTS),
	.cmdbuf_slots = FW_C(FW_CMDBUF_SLOTS),
	.has_xor = GPUOWN_G >= FW_G_G11,
	.has_priority = GPUOWN_V >= FW_V_V2_0,
	.ring_wptr = DRV_OFF(fw_ring_state, wptr_0),
	.ring_rptr = DRV_OFF(fw_ring_state, rptr_4),
	.evring_wptr = DRV_OFF(fw_evring_state, wptr_0),
	.evring_rptr = DRV_OFF(fw_evring_state, rptr_4),
	.cmd_ring_slot0 = DRV_OFF(fw_cmd_ring, jobs_0),
	.ctrl_ring_slot0 = DRV_OFF(fw_ctrl_ring, msgs_0),
	.stamp0 = DRV_OFF(fw_stamp_area, stamps_0),
	.ctx_table_slot0 = DRV_OFF(fw_context_table, ctx_0),
	.init_ring_state = FW_FN(init_ring_state),
	.init_evring_state = FW_FN(init_evring_state),
	.build_init_data = FW_FN(build_init_data),
	.build_vm_desc = FW_FN(build_vm_desc),
	.build_ctx_desc = FW_FN(build_ctx_desc),
	.build_ctrl_msg = FW_FN(build_ctrl_msg),
	.build_flush_req = FW_FN(build_flush_req),
	.build_job = FW_FN(build_job),
	.read_result = FW_FN(read_result),
	.read_event = FW_FN(read_event),
};

#undef DRV_OFF
