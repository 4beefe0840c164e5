// SPDX-License-Identifier: MIT
#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct running {
	pid_t pid;
	struct job *job;
	FILE *out;
	time_t deadline;
};

struct job *job_new(char *const *argv, const char *cwd, void *data)
{
	struct job *j = calloc(1, sizeof(*j));
	size_t n = 0, i;

	if (!j)
		return NULL;
	while (argv[n])
		n++;
	j->argv = calloc(n + 1, sizeof(char *));
	if (!j->argv) {
		free(j);
		return NULL;
	}
	for (i = 0; i < n; i++)
		j->argv[i] = strdup(argv[i]);
	j->cwd = cwd ? strdup(cwd) : NULL;
	j->data = data;
	j->status = -1;
	return j;
}

void job_free(struct job *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; j->argv[i]; i++)
		free(j->argv[i]);
	free(j->argv);
	free(j->cwd);
	free(j->output);
	if (j->free_data)
		j->free_data(j->data);
	free(j);
}

static int start(struct running *r, struct job *j, int timeout)
{
	FILE *out = tmpfile();
	pid_t pid;

	if (!out)
		return -errno;
	pid = fork();
	if (pid < 0) {
		fclose(out);
		return -errno;
	}
	if (pid == 0) {
		int fd = fileno(out), null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (j->cwd && chdir(j->cwd) != 0) {
			fprintf(stderr, "gpuown-check: cannot enter %s: %s\n",
				j->cwd, strerror(errno));
			_exit(126);
		}
		execvp(j->argv[0], j->argv);
		fprintf(stderr, "gpuown-check: cannot run %s: %s\n", j->argv[0],
			strerror(errno));
		_exit(127);
	}
	r->pid = pid;
	r->job = j;
	r->out = out;
	/* A job over many files (a Coccinelle chunk) may set its own. */
	r->deadline = time(NULL) + (j->timeout > 0 ? j->timeout : timeout);
	return 0;
}

static void collect(struct running *r, int wstatus)
{
	struct job *j = r->job;
	long len;

	if (WIFEXITED(wstatus))
		j->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		j->status = 128 + WTERMSIG(wstatus);
	fseek(r->out, 0, SEEK_END);
	len = ftell(r->out);
	rewind(r->out);
	j->output = malloc((size_t)(len > 0 ? len : 0) + 1);
	if (j->output) {
		j->output_len = fread(j->output, 1, (size_t)(len > 0 ? len : 0),
				      r->out);
		j->output[j->output_len] = '\0';
	}
	fclose(r->out);
	r->pid = 0;
}

static void kill_overdue(struct running *slots, int parallel)
{
	time_t now = time(NULL);
	int i;

	for (i = 0; i < parallel; i++) {
		if (slots[i].pid && now > slots[i].deadline &&
		    !slots[i].job->timed_out) {
			slots[i].job->timed_out = 1;
			kill(slots[i].pid, SIGKILL);
		}
	}
}

static int reap_one(struct running *slots, int parallel)
{
	int wstatus, i;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &wstatus, WNOHANG);
		if (pid > 0)
			break;
		if (pid < 0 && errno != EINTR)
			return -errno;
		kill_overdue(slots, parallel);
		usleep(5000);
	}
	for (i = 0; i < parallel; i++) {
		if (slots[i].pid == pid) {
			collect(&slots[i], wstatus);
			return 0;
		}
	}
	return 0;
}

int jobs_run(struct job **jobs, size_t nr, int parallel, int timeout)
{
	struct running *slots = calloc((size_t)parallel, sizeof(*slots));
	size_t next = 0, busy = 0;
	int i, ret = 0;

	if (!slots)
		return -ENOMEM;
	while (next < nr || busy) {
		for (i = 0; i < parallel && next < nr; i++) {
			if (slots[i].pid)
				continue;
			ret = start(&slots[i], jobs[next++], timeout);
			if (ret)
				goto out;
			busy++;
		}
		ret = reap_one(slots, parallel);
		if (ret)
			goto out;
		busy = 0;
		for (i = 0; i < parallel; i++)
			busy += slots[i].pid != 0;
	}
out:
	/* On error, leave no child behind still writing into a temp file. */
	for (i = 0; ret && i < parallel; i++) {
		if (!slots[i].pid)
			continue;
		kill(slots[i].pid, SIGKILL);
		waitpid(slots[i].pid, NULL, 0);
		fclose(slots[i].out);
	}
	free(slots);
	return ret;
}
