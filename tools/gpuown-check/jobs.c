// SPDX-License-Identifier: MIT
#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct running {
	pid_t pid; /* also the process group id */
	struct job *job;
	int out;
	time_t deadline;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void jobs_catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/*
	 * A job's own children (run-cocci's spatch) are re-parented to us, not
	 * to init, when their parent dies: we reap them and nothing outlives
	 * us.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int jobs_stop_signal(void)
{
	return stop_signal;
}

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
	for (i = 0; i < n; i++) {
		j->argv[i] = strdup(argv[i]);
		if (!j->argv[i])
			goto nomem;
	}
	if (cwd) {
		j->cwd = strdup(cwd);
		if (!j->cwd)
			goto nomem;
	}
	j->data = data;
	j->status = -1;
	j->nr_files = 1;
	j->unit = -1;
	return j;
nomem:
	j->data = NULL;
	job_free(j);
	return NULL;
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

/* An anonymous file in @tmpdir for a job's output. */
static int output_file(const char *tmpdir)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/job-XXXXXX", tmpdir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

static int start(struct running *r, struct job *j, int timeout,
		 const char *tmpdir)
{
	int out = output_file(tmpdir);
	pid_t pid;

	if (out < 0)
		return out;
	pid = fork();
	if (pid < 0) {
		close(out);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		struct sigaction dfl = {.sa_handler = SIG_DFL};

		/* Its own group: a timeout or ^C kills the job and its
		 * children. */
		setpgid(0, 0);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGTERM, &dfl, NULL);
		sigaction(SIGHUP, &dfl, NULL);
		dup2(null, 0);
		dup2(out, 1);
		dup2(out, 2);
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
	/* Also here, so that a kill right after fork reaches the group. */
	setpgid(pid, pid);
	r->pid = pid;
	r->job = j;
	r->out = out;
	r->deadline =
		time(NULL) +
		(time_t)timeout * (time_t)(j->nr_files ? j->nr_files : 1) +
		(time_t)j->grace;
	return 0;
}

/*
 * Kill what is left of a job's group (a child's child) and reap it: the
 * descendants are re-parented to us (we are their subreaper), so they are in
 * our wait set under the job's process group.
 */
static void reap_group(pid_t pgid)
{
	int tries;

	for (tries = 0; tries < 2000; tries++) {
		if (kill(-pgid, SIGKILL) && errno == ESRCH)
			return;
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			;
		usleep(1000);
	}
}

static void collect(struct running *r, int wstatus)
{
	struct job *j = r->job;
	struct stat st;
	size_t len = 0;
	ssize_t got;

	if (WIFEXITED(wstatus))
		j->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		j->status = 128 + WTERMSIG(wstatus);
	reap_group(r->pid);
	if (fstat(r->out, &st) == 0 && st.st_size > 0)
		len = (size_t)st.st_size;
	/* A job that prints without end is read up to a bound. */
	if (len > JOB_OUTPUT_MAX) {
		len = JOB_OUTPUT_MAX;
		j->truncated = 1;
	}
	j->output = malloc(len + 1);
	if (j->output) {
		j->output_len = 0;
		while (j->output_len < len &&
		       (got = pread(r->out, j->output + j->output_len,
				    len - j->output_len,
				    (off_t)j->output_len)) > 0)
			j->output_len += (size_t)got;
		j->output[j->output_len] = '\0';
	}
	close(r->out);
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
			kill(-slots[i].pid, SIGKILL);
		}
	}
}

/* Wait for one of our jobs to end; reap descendants handed to us too. */
static int reap_one(struct running *slots, int parallel, struct job **ended)
{
	int wstatus, i;
	pid_t pid;

	*ended = NULL;
	for (;;) {
		if (stop_signal)
			return -EINTR;
		pid = waitpid(-1, &wstatus, WNOHANG);
		if (pid > 0) {
			for (i = 0; i < parallel; i++) {
				if (slots[i].pid == pid) {
					*ended = slots[i].job;
					collect(&slots[i], wstatus);
					return 0;
				}
			}
			continue; /* an orphaned grandchild */
		}
		if (pid < 0 && errno != EINTR && errno != ECHILD)
			return -errno;
		kill_overdue(slots, parallel);
		usleep(5000);
	}
}

/*
 * Kill every running job's group and wait until each group is gone, reaping
 * the jobs and any descendant re-parented to us.
 */
static void kill_all(struct running *slots, int parallel)
{
	int i, alive, tries;

	for (i = 0; i < parallel; i++)
		if (slots[i].pid)
			kill(-slots[i].pid, SIGKILL);
	for (tries = 0; tries < 2000; tries++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		alive = 0;
		for (i = 0; i < parallel; i++) {
			if (!slots[i].pid)
				continue;
			if (kill(-slots[i].pid, 0) == 0) {
				alive = 1;
				kill(-slots[i].pid, SIGKILL);
			}
		}
		if (!alive)
			break;
		usleep(1000);
	}
	for (i = 0; i < parallel; i++) {
		if (!slots[i].pid)
			continue;
		close(slots[i].out);
		slots[i].pid = 0;
	}
}

int jobs_run(struct job **jobs, size_t nr, int parallel, int timeout,
	     const char *tmpdir, job_done_fn done, void *ctx)
{
	struct running *slots = calloc((size_t)parallel, sizeof(*slots));
	size_t next = 0, busy = 0;
	struct job *ended;
	int i, ret = 0;

	if (!slots)
		return -ENOMEM;
	while (next < nr || busy) {
		for (i = 0; i < parallel && next < nr; i++) {
			if (slots[i].pid)
				continue;
			while (next < nr && jobs[next]->skip)
				next++;
			if (next == nr)
				break;
			ret = start(&slots[i], jobs[next++], timeout, tmpdir);
			if (ret)
				goto out;
		}
		busy = 0;
		for (i = 0; i < parallel; i++)
			busy += slots[i].pid != 0;
		if (!busy)
			break;
		ret = reap_one(slots, parallel, &ended);
		if (ret)
			goto out;
		if (ended && done) {
			ret = done(ended, ctx);
			if (ret)
				goto out;
		}
		busy = 0;
		for (i = 0; i < parallel; i++)
			busy += slots[i].pid != 0;
	}
out:
	/* On error or a signal, leave no child behind still running. */
	if (ret)
		kill_all(slots, parallel);
	free(slots);
	return ret;
}
