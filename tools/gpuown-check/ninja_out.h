/* SPDX-License-Identifier: MIT */
/*
 * The job graph as a Ninja file, for trees larger than one machine: every
 * job an edge writing its output and exit status into a folder, and a final
 * `merge` edge that runs gpuown-check --from-ninja over that folder to parse,
 * merge and write the log as a normal run does. Anything that runs Ninja
 * edges (ninja itself, or machines sharing the folder) runs the jobs.
 */
#ifndef GPUOWN_CHECK_NINJA_OUT_H
#define GPUOWN_CHECK_NINJA_OUT_H

#include "jobs.h"

/*
 * Write @path: one edge per job (each under `timeout` @timeout s per file),
 * outputs in @outdir, and the merge edge re-running this program with
 * @argv less --ninja plus --from-ninja @outdir. 0 or -errno.
 */
int ninja_write(const char *path, const char *outdir, struct job **jobs,
		size_t nr, int timeout, int argc, char **argv);

/*
 * Fill each job's status and output from @outdir, as if it had run here,
 * and hand it to @done. -ENOENT with a message when a job never ran.
 */
int ninja_collect(const char *outdir, struct job **jobs, size_t nr,
		  job_done_fn done, void *ctx);

#endif /* GPUOWN_CHECK_NINJA_OUT_H */
