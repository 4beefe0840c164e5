/* SPDX-License-Identifier: MIT */
/*
 * A small process pool: run commands in parallel, each in its own directory
 * with its output captured, killed after a timeout.
 */
#ifndef GPUOWN_CHECK_JOBS_H
#define GPUOWN_CHECK_JOBS_H

#include <stddef.h>

struct job {
	char **argv; /* NULL-terminated, owned by the job */
	char *cwd; /* owned */
	char *output; /* stdout and stderr, filled when the job ends */
	size_t output_len;
	int status; /* exit status, or 128 + signal; -1 if it could not start */
	int timed_out;
	int timeout; /* seconds; 0: the pool's timeout */
	void *data; /* the layer's context */
	void (*free_data)(void *data);
};

/* Build a job from a NULL-terminated argument vector (copied). */
struct job *job_new(char *const *argv, const char *cwd, void *data);
void job_free(struct job *j);

/* Run all @jobs, at most @parallel at a time, each for at most @timeout s. */
int jobs_run(struct job **jobs, size_t nr, int parallel, int timeout);

#endif /* GPUOWN_CHECK_JOBS_H */
