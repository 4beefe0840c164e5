/* SPDX-License-Identifier: MIT */
/*
 * The firmware image, written once and compiled per variant: fw_variants.c
 * includes this file through <gpuown_fw/simgpu_instantiate.h>, which defines
 * FW_T(), FW_C(), FW_E(), FW_FN() and GPUOWN_G / GPUOWN_V for the variant being
 * instantiated. Every struct is read in that variant's layout; nothing here
 * touches driver memory except through the fw_*() accessors.
 *
 * A malformed struct or an address that does not translate never stops the
 * firmware: it becomes a fault event carrying the GPU address, and the job's
 * completion stamp is still written so the driver can reclaim it.
 */

#define FWV_OFF(type, field) offsetof(FW_T(type), field)

static void FW_FN(fw_log)(struct simfw *fw, uint32_t level, const char *msg)
{
	FW_T(fw_log_entry) e;
	struct timespec ts;
	uint32_t rptr, next = (fw->log_wptr + 1) % fw->log_slots;
	gpu_addr_t va;

	/* The log is lossy: a full ring drops the line, as real firmware does.
	 */
	if (fw_load32(
		    fw,
		    fw_va_add(fw->log_state, FWV_OFF(fw_evring_state, rptr_4)),
		    &rptr) ||
	    next == rptr)
		return;
	memset(&e, 0, sizeof(e));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	e.seq_0 = ++fw->log_seq;
	e.level_4 = level;
	e.timestamp_8 =
		(uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	snprintf((char *)e.msg_10, sizeof(e.msg_10), "%s", msg);
	va = fw_va_add(fw->log_ring,
		       FWV_OFF(fw_log_ring, entries_0) +
			       (uint64_t)fw->log_wptr * sizeof(e));
	if (fw_write(fw, va, &e, sizeof(e)))
		return;
	fw->log_wptr = next;
	fw_store32(fw,
		   fw_va_add(fw->log_state, FWV_OFF(fw_evring_state, wptr_0)),
		   next);
}

/* Room for @n more events? The driver frees room by advancing rptr. */
static bool FW_FN(event_room)(struct simfw *fw, uint32_t n)
{
	uint32_t rptr, used;

	if (fw_load32(fw,
		      fw_va_add(fw->event_state,
				FWV_OFF(fw_evring_state, rptr_4)),
		      &rptr))
		return false;
	used = (fw->event_wptr + fw->event_slots - rptr) % fw->event_slots;
	return fw->event_slots - 1 - used >= n;
}

static void FW_FN(post_event)(struct simfw *fw, uint32_t type, uint32_t slot,
			      uint32_t seq, uint32_t status, gpu_addr_t addr,
			      uint32_t stamp)
{
	FW_T(fw_event_msg) m;
	gpu_addr_t va;

	memset(&m, 0, sizeof(m));
	m.type_0 = type;
	m.ctx_slot_4 = slot;
	m.seq_8 = seq;
	m.status_c = status;
	m.addr_10 = gpuown_gpu_addr_to_u64(addr);
	m.stamp_18 = stamp;
	va = fw_va_add(fw->event_ring,
		       FWV_OFF(fw_event_ring, msgs_0) +
			       (uint64_t)fw->event_wptr * sizeof(m));
	if (fw_write(fw, va, &m, sizeof(m)))
		return;
	fw->event_wptr = (fw->event_wptr + 1) % fw->event_slots;
	fw_store32(fw,
		   fw_va_add(fw->event_state, FWV_OFF(fw_evring_state, wptr_0)),
		   fw->event_wptr);
	simgpu_hw_raise_irq(fw->hw);
}

static void FW_FN(fault)(struct simfw *fw, uint32_t slot, uint32_t seq,
			 uint32_t status, gpu_addr_t addr)
{
	char line[96];

	atomic_fetch_add_explicit(&fw->faults, 1, memory_order_relaxed);
	snprintf(line, sizeof(line),
		 "fault %u at gpu va 0x%llx (slot %u seq %u)", status,
		 (unsigned long long)gpuown_gpu_addr_to_u64(addr), slot, seq);
	FW_FN(fw_log)(fw, 3, line);
	FW_FN(post_event)(fw, FW_E(FW_EVT_FAULT), slot, seq, status, addr, 0);
#if GPUOWN_V >= FW_V_V1_2
	FW_FN(post_event)(fw, FW_E(FW_EVT_LOG), slot, fw->log_seq, 0, addr, 0);
#endif
}

static int FW_FN(boot)(struct simfw *fw)
{
	FW_T(fw_init_data) d;
	uint32_t ctrl_slots, event_slots, log_slots;

	atomic_fetch_add_explicit(&fw->accesses, 1, memory_order_relaxed);
	if (gpuown_fw_read(fw->mm, fw->init, &d, sizeof(d)))
		return -EFAULT;
	if (d.magic_0 != FW_C(FW_INIT_MAGIC) ||
	    d.nr_stamps_4 != FW_C(FW_STAMP_SLOTS) ||
	    d.nr_contexts_48 != FW_C(FW_MAX_CONTEXTS) ||
	    FW_C(FW_MAX_CONTEXTS) > SIMFW_MAX_SLOTS)
		return -EINVAL;
	fw->ctrl_state = d.ctrl_state_8.va;
	fw->ctrl_ring = d.ctrl_ring_10.va;
	fw->event_state = d.event_state_18.va;
	fw->event_ring = d.event_ring_20.va;
	fw->stamps = d.stamps_28.va;
	fw->contexts = d.contexts_30.va;
	fw->log_state = d.log_state_38.va;
	fw->log_ring = d.log_ring_40.va;
	fw->nr_stamps = d.nr_stamps_4;
	fw->nr_contexts = d.nr_contexts_48;
	if (fw_load32(fw,
		      fw_va_add(fw->ctrl_state,
				FWV_OFF(fw_ring_state, nr_slots_8)),
		      &ctrl_slots) ||
	    fw_load32(fw,
		      fw_va_add(fw->event_state,
				FWV_OFF(fw_evring_state, nr_slots_8)),
		      &event_slots) ||
	    fw_load32(fw,
		      fw_va_add(fw->log_state,
				FWV_OFF(fw_evring_state, nr_slots_8)),
		      &log_slots))
		return -EFAULT;
	if (ctrl_slots != FW_C(FW_CTRL_SLOTS) ||
	    event_slots != FW_C(FW_EVENT_SLOTS) ||
	    log_slots != FW_C(FW_LOG_SLOTS))
		return -EINVAL;
	fw->ctrl_slots = ctrl_slots;
	fw->event_slots = event_slots;
	fw->log_slots = log_slots;
	fw->ctrl_rptr = fw->event_wptr = fw->log_wptr = 0;
	FW_FN(fw_log)(fw, 1, "firmware " GPUOWN_VARIANT_NAME " booted");
	return 0;
}

/* Read the GPU pointer in slot @idx of a ring of pointers at @ring. */
static int FW_FN(ring_slot)(struct simfw *fw, gpu_addr_t ring, uint32_t idx,
			    gpu_addr_t *out)
{
	uint64_t raw;
	int ret;

	ret = fw_read(fw, fw_va_add(ring, (uint64_t)idx * sizeof(raw)), &raw,
		      sizeof(raw));
	*out = gpuown_gpu_addr_from_u64(ret ? 0 : raw);
	return ret;
}

static void FW_FN(stamp)(struct simfw *fw, uint32_t slot, uint32_t value)
{
	fw_store32(fw,
		   fw_va_add(fw->stamps, FWV_OFF(fw_stamp_area, stamps_0) +
						 (uint64_t)slot * 4),
		   value);
}

static void FW_FN(ctx_create)(struct simfw *fw, const FW_T(fw_ctrl_msg) * m,
			      gpu_addr_t msg_va)
{
	FW_T(fw_context_desc) c;
	FW_T(fw_vm_desc) v;
	struct simfw_ctx *ctx;
	gpu_addr_t registered;
	uint32_t slot = m->ctx_slot_8, nr_slots;

	if (slot >= fw->nr_contexts || fw->ctx[slot].live)
		goto bad;
	/* The context table must already point at the descriptor we are given.
	 */
	if (FW_FN(ring_slot)(
		    fw,
		    fw_va_add(fw->contexts, FWV_OFF(fw_context_table, ctx_0)),
		    slot, &registered) ||
	    gpuown_gpu_addr_to_u64(registered) !=
		    gpuown_gpu_addr_to_u64(m->ctx_10.va))
		goto bad;
	if (fw_read(fw, m->ctx_10.va, &c, sizeof(c))) {
		FW_FN(fault)
		(fw, slot, m->seq_4, FW_E(FW_STATUS_UNMAPPED), m->ctx_10.va);
		return;
	}
	if (fw_read(fw, c.vm_8.va, &v, sizeof(v))) {
		FW_FN(fault)
		(fw, slot, m->seq_4, FW_E(FW_STATUS_UNMAPPED), c.vm_8.va);
		return;
	}
	if (c.slot_0 != slot || c.stamp_slot_28 >= fw->nr_stamps ||
	    fw_load32(fw,
		      fw_va_add(c.ring_state_10.va,
				FWV_OFF(fw_ring_state, nr_slots_8)),
		      &nr_slots) ||
	    nr_slots != FW_C(FW_RING_SLOTS))
		goto bad;
	ctx = &fw->ctx[slot];
	memset(ctx, 0, sizeof(*ctx));
	ctx->vm = simgpu_hw_mmu_vm(fw->hw, v.asid_0);
	if (!ctx->vm) {
		FW_FN(fault)
		(fw, slot, m->seq_4, FW_E(FW_STATUS_UNMAPPED), c.vm_8.va);
		return;
	}
	ctx->asid = v.asid_0;
	ctx->stamp_slot = c.stamp_slot_28;
	ctx->priority = c.priority_4;
	ctx->nr_slots = nr_slots;
	ctx->desc = m->ctx_10.va;
	ctx->ring = c.ring_18.va;
	ctx->ring_state = c.ring_state_10.va;
	ctx->channel = c.channel_20.va;
	/* Stamp values of a slot continue across the contexts that use it. */
	if (fw_load32(fw,
		      fw_va_add(fw->stamps,
				FWV_OFF(fw_stamp_area, stamps_0) +
					(uint64_t)ctx->stamp_slot * 4),
		      &ctx->last_stamp))
		goto bad;
	ctx->live = true;
	fw_store32(fw,
		   fw_va_add(ctx->channel, FWV_OFF(fw_channel_state, status_0)),
		   FW_C(FW_CHAN_IDLE));
	return;
bad:
	FW_FN(fault)(fw, slot, m->seq_4, FW_E(FW_STATUS_BAD_STRUCT), msg_va);
}

/* Context destroy: drop every queued job (stamped, marked cancelled). */
static void FW_FN(ctx_destroy)(struct simfw *fw, uint32_t slot)
{
	struct simfw_ctx *ctx;
	FW_T(fw_job_desc) d;
	gpu_addr_t job;
	uint32_t wptr, status = FW_E(FW_STATUS_CANCELLED);

	if (slot >= fw->nr_contexts || !fw->ctx[slot].live)
		return;
	ctx = &fw->ctx[slot];
	if (fw_load32(
		    fw,
		    fw_va_add(ctx->ring_state, FWV_OFF(fw_ring_state, wptr_0)),
		    &wptr))
		wptr = ctx->rptr;
	while (ctx->rptr != wptr % ctx->nr_slots) {
		ctx->last_stamp++;
		if (!FW_FN(ring_slot)(fw, ctx->ring, ctx->rptr, &job) &&
		    !fw_read(fw, job, &d, sizeof(d)) &&
		    d.magic_0 == FW_C(FW_JOB_MAGIC)) {
			fw_write(fw,
				 fw_va_add(d.result_10.va,
					   FWV_OFF(fw_job_result, status_0)),
				 &status, sizeof(status));
			ctx->last_stamp = d.stamp_value_3c;
		}
		FW_FN(stamp)(fw, ctx->stamp_slot, ctx->last_stamp);
		atomic_fetch_add_explicit(&fw->jobs_cancelled, 1,
					  memory_order_relaxed);
		ctx->rptr = (ctx->rptr + 1) % ctx->nr_slots;
		fw_store32(fw,
			   fw_va_add(ctx->ring_state,
				     FWV_OFF(fw_ring_state, rptr_4)),
			   ctx->rptr);
	}
	fw_store32(fw,
		   fw_va_add(ctx->channel, FWV_OFF(fw_channel_state, status_0)),
		   FW_C(FW_CHAN_STOPPED));
	ctx->live = false;
	FW_FN(post_event)
	(fw, FW_E(FW_EVT_CONTEXT_DESTROYED), slot, 0, 0, ctx->desc, 0);
}

static void FW_FN(flush)(struct simfw *fw, const FW_T(fw_ctrl_msg) * m,
			 gpu_addr_t msg_va, uint32_t kind)
{
	FW_T(fw_flush_req) r;

	if (fw_read(fw, m->flush_18.va, &r, sizeof(r))) {
		FW_FN(fault)
		(fw, m->ctx_slot_8, m->seq_4, FW_E(FW_STATUS_UNMAPPED),
		 m->flush_18.va);
		return;
	}
	if (!(r.kind_0 & kind)) {
		FW_FN(fault)
		(fw, m->ctx_slot_8, m->seq_4, FW_E(FW_STATUS_BAD_STRUCT),
		 msg_va);
		return;
	}
	/* The firmware's caches and TLBs are the object model's: nothing is
	 * cached here beyond the per-context copies, which stay valid. */
	if (kind == FW_C(FW_FLUSH_TLB))
		FW_FN(post_event)
		(fw, FW_E(FW_EVT_TLB_INVALIDATED), m->ctx_slot_8, m->seq_4, 0,
		 gpuown_gpu_addr_from_u64(r.va_8), r.asid_4);
	else
		FW_FN(post_event)
		(fw, FW_E(FW_EVT_CACHE_FLUSHED), 0, m->seq_4, 0, msg_va, 0);
}

static void FW_FN(ctrl_dispatch)(struct simfw *fw, const FW_T(fw_ctrl_msg) * m,
				 gpu_addr_t msg_va)
{
	switch (m->type_0) {
	case FW_E(FW_MSG_NOP):
		break;
	case FW_E(FW_MSG_CREATE_CONTEXT):
		FW_FN(ctx_create)(fw, m, msg_va);
		break;
#if GPUOWN_V >= FW_V_V2_0
	case FW_E(FW_MSG_SET_PRIORITY):
		if (m->ctx_slot_8 < fw->nr_contexts)
			fw->ctx[m->ctx_slot_8].priority = m->arg_c;
		break;
#endif
	case FW_E(FW_MSG_DESTROY_CONTEXT):
		FW_FN(ctx_destroy)(fw, m->ctx_slot_8);
		break;
	case FW_E(FW_MSG_CACHE_FLUSH):
		FW_FN(flush)(fw, m, msg_va, FW_C(FW_FLUSH_CACHE));
		break;
	case FW_E(FW_MSG_TLB_INVALIDATE):
		FW_FN(flush)(fw, m, msg_va, FW_C(FW_FLUSH_TLB));
		break;
	default:
		FW_FN(fault)
		(fw, m->ctx_slot_8, m->seq_4, FW_E(FW_STATUS_BAD_STRUCT),
		 msg_va);
		break;
	}
}

static bool FW_FN(poll_ctrl)(struct simfw *fw)
{
	FW_T(fw_ctrl_msg) m;
	gpu_addr_t msg_va;
	uint32_t wptr;

	if (fw_load32(fw,
		      fw_va_add(fw->ctrl_state, FWV_OFF(fw_ring_state, wptr_0)),
		      &wptr) ||
	    wptr % fw->ctrl_slots == fw->ctrl_rptr)
		return false;
	/* A message posts at most two events; wait for the driver otherwise. */
	if (!FW_FN(event_room)(fw, 2)) {
		simgpu_hw_raise_irq(fw->hw);
		return false;
	}
	fw->ctrl_seq++;
	if (FW_FN(ring_slot)(
		    fw, fw_va_add(fw->ctrl_ring, FWV_OFF(fw_ctrl_ring, msgs_0)),
		    fw->ctrl_rptr, &msg_va) ||
	    fw_read(fw, msg_va, &m, sizeof(m))) {
		FW_FN(fault)
		(fw, 0, fw->ctrl_seq, FW_E(FW_STATUS_UNMAPPED), msg_va);
	} else if (m.seq_4 != fw->ctrl_seq) {
		FW_FN(fault)
		(fw, 0, fw->ctrl_seq, FW_E(FW_STATUS_BAD_STRUCT), msg_va);
	} else {
		FW_FN(ctrl_dispatch)(fw, &m, msg_va);
	}
	atomic_fetch_add_explicit(&fw->ctrl_msgs, 1, memory_order_relaxed);
	/* Acknowledge: the stamp first, so the driver never sees the slot
	 * free before the message's completion is visible. */
	FW_FN(stamp)(fw, 0, fw->ctrl_seq);
	fw->ctrl_rptr = (fw->ctrl_rptr + 1) % fw->ctrl_slots;
	fw_store32(fw,
		   fw_va_add(fw->ctrl_state, FWV_OFF(fw_ring_state, rptr_4)),
		   fw->ctrl_rptr);
	simgpu_hw_raise_irq(fw->hw);
	return true;
}

/* Check that [off, off + len) lies in a buffer of @size bytes, word aligned. */
static bool FW_FN(range_ok)(uint32_t off, uint32_t len, uint32_t size)
{
	return (off | len) % 4 == 0 && off <= size && len <= size - off;
}

struct FW_FN(job_run) {
	struct simfw *fw;
	struct gpuown_vm *vm;
	gpu_addr_t in, out;
	uint32_t in_size, out_size;
	uint32_t checksum, cmds_run;
	gpu_addr_t fault_addr;
};

/* One command on the job's buffers, in chunks of SIMFW_CHUNK bytes. */
static uint32_t FW_FN(run_cmd)(struct FW_FN(job_run) * j,
			       const FW_T(fw_cmd) * c)
{
	struct simfw *fw = j->fw;
	uint32_t done, n, i;
	gpu_addr_t src, dst;

	for (done = 0; done < c->len_10; done += n) {
		n = c->len_10 - done < SIMFW_CHUNK ? c->len_10 - done
						   : SIMFW_CHUNK;
		src = fw_va_add(j->in, (uint64_t)c->src_off_8 + done);
		dst = fw_va_add(j->out, (uint64_t)c->dst_off_c + done);
		switch (c->op_0) {
		case FW_E(FW_CMD_FILL):
			for (i = 0; i < n; i += 4)
				memcpy(fw->out + i, &c->value_4, 4);
			break;
		case FW_E(FW_CMD_COPY):
			if (fw_gpu_read(fw, j->vm, src, fw->out, n))
				goto fault_src;
			break;
#if GPUOWN_G >= FW_G_G11
		case FW_E(FW_CMD_XOR):
			if (fw_gpu_read(fw, j->vm, dst, fw->out, n))
				goto fault_dst;
			for (i = 0; i < n; i += 4) {
				uint32_t w;

				memcpy(&w, fw->out + i, 4);
				w ^= c->value_4;
				memcpy(fw->out + i, &w, 4);
			}
			break;
#endif
		case FW_E(FW_CMD_CHECKSUM):
			src = fw_va_add(j->out, (uint64_t)c->src_off_8 + done);
			if (fw_gpu_read(fw, j->vm, src, fw->in, n))
				goto fault_src;
			j->checksum =
				simgpu_hw_checksum(j->checksum, fw->in, n);
			continue;
		}
		if (fw_gpu_write(fw, j->vm, dst, fw->out, n))
			goto fault_dst;
	}
	return FW_E(FW_STATUS_OK);
fault_src:
	j->fault_addr = src;
	return FW_E(FW_STATUS_UNMAPPED);
fault_dst:
	j->fault_addr = dst;
	return FW_E(FW_STATUS_UNMAPPED);
}

static bool FW_FN(cmd_valid)(const struct FW_FN(job_run) * j,
			     const FW_T(fw_cmd) * c)
{
	switch (c->op_0) {
	case FW_E(FW_CMD_FILL):
#if GPUOWN_G >= FW_G_G11
	case FW_E(FW_CMD_XOR):
#endif
		return FW_FN(range_ok)(c->dst_off_c, c->len_10, j->out_size);
	case FW_E(FW_CMD_COPY):
		return FW_FN(range_ok)(c->src_off_8, c->len_10, j->in_size) &&
		       FW_FN(range_ok)(c->dst_off_c, c->len_10, j->out_size);
	case FW_E(FW_CMD_CHECKSUM):
		return FW_FN(range_ok)(c->src_off_8, c->len_10, j->out_size);
	default:
		return false;
	}
}

/* Run the command buffer; returns an FW_STATUS_* value. */
static uint32_t FW_FN(run_cmdbuf)(struct FW_FN(job_run) * j, gpu_addr_t cb_va)
{
	FW_T(fw_cmdbuf) cb;
	uint32_t i, status;

	if (fw_read(j->fw, cb_va, &cb, sizeof(cb))) {
		j->fault_addr = cb_va;
		return FW_E(FW_STATUS_UNMAPPED);
	}
	/* A device error, injected to run the driver's fault path. */
	if (gpuown_fault_should_fail(GPUOWN_FAULT_FW_JOB, NULL)) {
		j->fault_addr = cb_va;
		return FW_E(FW_STATUS_HW_ERROR);
	}
	if (cb.count_0 > FW_C(FW_CMDBUF_SLOTS)) {
		j->fault_addr = cb_va;
		return FW_E(FW_STATUS_BAD_STRUCT);
	}
	for (i = 0; i < cb.count_0; i++) {
		const FW_T(fw_cmd) *c = &cb.cmds_8[i];

		if (c->op_0 == FW_E(FW_CMD_END))
			break;
		if (!FW_FN(cmd_valid)(j, c)) {
			j->fault_addr =
				fw_va_add(cb_va, FWV_OFF(fw_cmdbuf, cmds_8) +
							 i * sizeof(*c));
			return FW_E(FW_STATUS_BAD_CMD);
		}
		status = FW_FN(run_cmd)(j, c);
		if (status != FW_E(FW_STATUS_OK))
			return status;
		j->cmds_run++;
	}
	return FW_E(FW_STATUS_OK);
}

/* A descriptor we cannot parse: fault, then stamp the next value so the
 * driver can still retire the job that sits in this ring slot. */
static void FW_FN(job_unparsable)(struct simfw *fw, struct simfw_ctx *ctx,
				  uint32_t slot, uint32_t status, gpu_addr_t va)
{
	ctx->last_stamp++;
	FW_FN(fault)(fw, slot, 0, status, va);
	FW_FN(stamp)(fw, ctx->stamp_slot, ctx->last_stamp);
}

static void FW_FN(job_done)(struct simfw *fw, struct simfw_ctx *ctx,
			    uint32_t slot, const FW_T(fw_job_desc) * d,
			    gpu_addr_t job_va, const struct FW_FN(job_run) * j,
			    uint32_t status, uint32_t dep_seen)
{
	FW_T(fw_job_result) r;
	gpu_addr_t ch = ctx->channel;

	r.status_0 = status;
	r.checksum_4 = j->checksum;
	r.dep_seen_8 = dep_seen;
	r.cmds_run_c = j->cmds_run;
	fw_write(fw, d->result_10.va, &r, sizeof(r));
	if (status != FW_E(FW_STATUS_OK)) {
		FW_FN(fault)(fw, slot, d->seq_4, status, j->fault_addr);
		fw_store32(fw,
			   fw_va_add(ch, FWV_OFF(fw_channel_state, faults_10)),
			   ++ctx->faults);
		fw_store64(
			fw,
			fw_va_add(ch, FWV_OFF(fw_channel_state, fault_addr_18)),
			gpuown_gpu_addr_to_u64(j->fault_addr));
	}
	fw_store32(fw, fw_va_add(ch, FWV_OFF(fw_channel_state, jobs_done_4)),
		   ++ctx->jobs_done);
	fw_store64(fw, fw_va_add(ch, FWV_OFF(fw_channel_state, last_job_8)),
		   gpuown_gpu_addr_to_u64(job_va));
	ctx->last_stamp = d->stamp_value_3c;
	FW_FN(stamp)(fw, d->stamp_slot_38, d->stamp_value_3c);
	FW_FN(post_event)
	(fw, FW_E(FW_EVT_JOB_DONE), slot, d->seq_4, status, job_va,
	 d->stamp_value_3c);
	atomic_fetch_add_explicit(&fw->jobs_run, 1, memory_order_relaxed);
}

/* Dependency not yet met: leave the job at the head of its ring. */
static bool FW_FN(job_blocked)(struct simfw *fw, const FW_T(fw_job_desc) * d,
			       uint32_t *seen)
{
	*seen = 0;
	if (!d->wait_value_44)
		return false;
	if (fw_load32(fw,
		      fw_va_add(fw->stamps,
				FWV_OFF(fw_stamp_area, stamps_0) +
					(uint64_t)d->wait_slot_40 * 4),
		      seen))
		return false;
	return (int32_t)(*seen - d->wait_value_44) < 0;
}

static bool FW_FN(poll_queue)(struct simfw *fw, uint32_t slot)
{
	struct simfw_ctx *ctx = &fw->ctx[slot];
	struct FW_FN(job_run)
		j = {.fw = fw, .vm = ctx->vm, .checksum = SIMGPU_CHECKSUM_INIT};
	FW_T(fw_job_desc) d;
	gpu_addr_t job_va;
	uint32_t wptr, status, dep_seen;

	if (fw_load32(
		    fw,
		    fw_va_add(ctx->ring_state, FWV_OFF(fw_ring_state, wptr_0)),
		    &wptr) ||
	    wptr % ctx->nr_slots == ctx->rptr)
		return false;
	if (!FW_FN(event_room)(fw, 3)) {
		simgpu_hw_raise_irq(fw->hw);
		return false;
	}
	if (FW_FN(ring_slot)(fw, ctx->ring, ctx->rptr, &job_va) ||
	    fw_read(fw, job_va, &d, sizeof(d))) {
		FW_FN(job_unparsable)
		(fw, ctx, slot, FW_E(FW_STATUS_UNMAPPED), job_va);
	} else if (d.magic_0 != FW_C(FW_JOB_MAGIC) ||
		   d.stamp_slot_38 != ctx->stamp_slot ||
		   d.wait_slot_40 >= fw->nr_stamps) {
		FW_FN(job_unparsable)
		(fw, ctx, slot, FW_E(FW_STATUS_BAD_STRUCT), job_va);
	} else {
		if (FW_FN(job_blocked)(fw, &d, &dep_seen)) {
			fw_store32(
				fw,
				fw_va_add(ctx->channel,
					  FWV_OFF(fw_channel_state, status_0)),
				FW_C(FW_CHAN_BLOCKED));
			return false;
		}
		j.in = gpuown_gpu_addr_from_u64(d.in_va_20);
		j.out = gpuown_gpu_addr_from_u64(d.out_va_28);
		j.in_size = d.in_size_30;
		j.out_size = d.out_size_34;
		status = FW_FN(run_cmdbuf)(&j, d.cmdbuf_8.va);
		FW_FN(job_done)
		(fw, ctx, slot, &d, job_va, &j, status, dep_seen);
	}
	ctx->rptr = (ctx->rptr + 1) % ctx->nr_slots;
	fw_store32(fw,
		   fw_va_add(ctx->ring_state, FWV_OFF(fw_ring_state, rptr_4)),
		   ctx->rptr);
	fw_store32(fw,
		   fw_va_add(ctx->channel, FWV_OFF(fw_channel_state, status_0)),
		   FW_C(FW_CHAN_RUNNING));
	return true;
}

static const struct simfw_ops FW_FN(simfw_ops) = {
	.variant = GPUOWN_VARIANT_NAME,
	.boot = FW_FN(boot),
	.poll_ctrl = FW_FN(poll_ctrl),
	.poll_queue = FW_FN(poll_queue),
};

#undef FWV_OFF
