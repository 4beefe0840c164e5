// SPDX-License-Identifier: MIT
/*
 * Versioned source: instantiated once per variant by test_versioned.c through
 * <gpuown_fw/sample_instantiate.h>. No include guard, by design. One body
 * serves every variant; only the gated statements differ.
 */

static int FW_FN(fill_job)(void *buf, size_t len, uint64_t stamp)
{
	FW_T(fw_job_desc) *job = buf;

	if (len < sizeof(*job))
		return -1;
	memset(job, 0, sizeof(*job));
	job->magic_0 = 0x4a4f4221;
	job->flags_4 = FW_E(FW_MSG_SUBMIT);
	job->stamp_value_18 = stamp;
#if GPUOWN_V >= FW_V_V2_0
	job->unk_18_0 = FW_E(FW_MSG_FLUSH);
#endif
	for (unsigned int i = 0; i < FW_C(FW_JOB_SLOTS); i++)
		job->counts_20[i] = i;
	return (int)sizeof(*job);
}

/* Checks the descriptor against the compiler's view of this variant. */
#define CHECK_FIELD(s, f)                                                      \
	do {                                                                   \
		const struct gpuown_field_desc *fd_ =                          \
			gpuown_struct_field(FW_DESC(s), #f);                   \
		if (!fd_ || fd_->offset != offsetof(FW_T(s), f) ||             \
		    fd_->size != sizeof(((FW_T(s) *)0)->f))                    \
			return #s "." #f;                                      \
	} while (0)

static const char *FW_FN(check_desc)(void)
{
	if (FW_DESC(fw_job_desc)->size != sizeof(FW_T(fw_job_desc)) ||
	    FW_DESC(fw_event_msg)->size != sizeof(FW_T(fw_event_msg)) ||
	    FW_DESC(fw_ctx_info)->size != sizeof(FW_T(fw_ctx_info)))
		return "size";
	if (strcmp(FW_DESC(fw_job_desc)->variant, GPUOWN_VARIANT_NAME))
		return "variant name";
	CHECK_FIELD(fw_job_desc, stamp_value_18);
	CHECK_FIELD(fw_job_desc, counts_20);
	CHECK_FIELD(fw_event_msg, pad_8);
	CHECK_FIELD(fw_event_msg, words_10);
	CHECK_FIELD(fw_ctx_info, ring_copy_10);
	CHECK_FIELD(fw_ctx_info, fault_addr_128);
#if GPUOWN_V >= FW_V_V2_0
	CHECK_FIELD(fw_job_desc, unk_18_0);
#endif
#if GPUOWN_G >= FW_G_G11
	CHECK_FIELD(fw_ctx_info, priority_128);
#endif
	return NULL;
}
#undef CHECK_FIELD

const struct job_ops FW_FN(job_ops) = {
	.variant = GPUOWN_VARIANT_NAME,
	.index = GPUOWN_VARIANT_INDEX,
	.submit_msg = FW_E(FW_MSG_SUBMIT),
	.job_slots = FW_C(FW_JOB_SLOTS),
	.fill_job = FW_FN(fill_job),
	.check_desc = FW_FN(check_desc),
};
