/* SPDX-License-Identifier: MIT */
/*
 * A small process pool: run commands in parallel, each in its own directory
 * and its own process group with its output captured, killed (the whole group)
 * after a timeout or when gpuown-check itself is interrupted.
 */
#ifndef GPUOWN_CHECK_JOBS_H
#define GPUOWN_CHECK_JOBS_H

#include <stddef.h>

/* What is kept of a job's output (a kernel unit preprocesses to ~10 MiB). */
#define JOB_OUTPUT_MAX ((size_t)256 << 20)

struct job {
	char **argv;  /* NULL-terminated, owned by the job */
	char *cwd;    /* owned */
	char *output; /* stdout and stderr, filled when the job ends */
	size_t output_len;
	int status; /* exit status, or 128 + signal; -1 if it could not start */
	int timed_out;
	int truncated; /* output longer than JOB_OUTPUT_MAX, cut there */
	/*
	 * Files the job covers: the timeout is per file, so a job over many
	 * files gets that many times the per-file timeout.
	 */
	unsigned int nr_files;
	/*
	 * Seconds on top, for a job whose tool enforces the per-file timeout
	 * itself (spatch): its start-up must not eat the files' time.
	 */
	unsigned int grace;
	int skip;   /* do not run (its findings came from the cache) */
	long unit;  /* the compile-database entry it covers, -1 for all */
	void *data; /* the layer's context */
	void (*free_data)(void *data);
};

/* Build a job from a NULL-terminated argument vector (copied). */
struct job *job_new(char *const *argv, const char *cwd, void *data);
void job_free(struct job *j);

/* Called in the parent as each job ends; a non-zero return stops the pool. */
typedef int (*job_done_fn)(struct job *job, void *ctx);

/*
 * Run the @jobs not marked skip, at most @parallel at a time, each for at most
 * @timeout s per file it covers; output is captured in (unlinked) files under
 * @tmpdir. @done (may be NULL) sees each finished job. On SIGINT, SIGTERM or
 * SIGHUP (see jobs_catch_signals()) every running job's process group is
 * killed and reaped and -EINTR is returned. 0 or -errno.
 */
int jobs_run(struct job **jobs, size_t nr, int parallel, int timeout,
	     const char *tmpdir, job_done_fn done, void *ctx);

/*
 * Catch SIGINT, SIGTERM and SIGHUP so that jobs_run() can kill its children
 * before the process exits, and become the reaper of their descendants.
 */
void jobs_catch_signals(void);

/* The signal that interrupted jobs_run(), or 0. */
int jobs_stop_signal(void);

#endif /* GPUOWN_CHECK_JOBS_H */
