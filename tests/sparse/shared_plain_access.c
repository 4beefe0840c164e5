// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

struct fw_channel_state {
	fw_shared_u32 status_0 __gpuown_fw_writes __gpuown_fw_shared_word;
	fw_shared_u32 jobs_done_4 __gpuown_fw_writes __gpuown_fw_shared_word;
	uint32_t flags_8;
};

/*
 * A firmware-written field is loaded and stored with the atomic accessors
 * only; plain copies, increments and reads are non-atomic accesses.
 */
static void copy_status(struct fw_channel_state *dst,
			const struct fw_channel_state *src)
{
	dst->status_0 = src->status_0;
}

static void count_job(struct fw_channel_state *s)
{
	s->jobs_done_4++;
}

static fw_shared_u32 peek(const struct fw_channel_state *s)
{
	return s->status_0;
}

/*
 * check-name: plain load or store of a firmware-written field
 * check-command: run-sparse $file
 *
 * check-error-start
shared_plain_access.c:22:23: warning: restricted fw_shared_u32 degrades to integer
shared_plain_access.c:17:9: warning: dereference of noderef expression
shared_plain_access.c:17:25: warning: dereference of noderef expression
shared_plain_access.c:22:9: warning: dereference of noderef expression
shared_plain_access.c:27:16: warning: dereference of noderef expression
 * check-error-end
 */
