// SPDX-License-Identifier: MIT
/*
 * A driver's unit with a use after free: the analyzer and Coccinelle both
 * report line 21. Checked by an installed, moved gpuown-check
 * (tests/package/install.sh).
 */
#include <gpuown/object.h>

struct fw_job {
	unsigned magic;
};

void job_done(struct gpuown_obj *obj);

void job_done(struct gpuown_obj *obj)
{
	struct fw_job *job = gpuown_obj_cpu(obj);

	job->magic = 1;
	gpuown_obj_free(obj);
	job->magic = 2;
}
