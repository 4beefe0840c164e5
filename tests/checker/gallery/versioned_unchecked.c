/*
 * Seeded bug: job-descriptor code written against one variant's struct sets
 * the timeout field without checking that the running firmware has it.
 * gpuown.FirmwareStruct: versioned field without a variant check.
 */
#include <gpuown_fw/simgpu.h>

#include "drv_priv.h"

void gallery_set_timeout(struct fw_job_desc__G11_V2_1 *d, uint64_t ms)
{
	d->seq_4 += 1;
	d->timeout_38_0 = ms; // expected-warning{{Versioned field 'timeout_38_0' of 'fw_job_desc' (present when V >= V2_0) used without a check of the firmware variant}}
}
// SPDX-License-Identifier: MIT
