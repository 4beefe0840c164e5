// SPDX-License-Identifier: MIT
/*
 * The out-of-line half of the reference driver's compatibility layer
 * (compat/pthread.h): condition variables on a wait queue, and the firmware
 * thread as a kthread.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat/pthread.h"

/*
 * Sleep until a signal after this call dropped @m: the generation count is
 * read under @m, which signallers hold, so no wake-up is lost.
 */
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	unsigned long gen = READ_ONCE(c->gen);

	mutex_unlock(m);
	wait_event(c->wq, READ_ONCE(c->gen) != gen);
	mutex_lock(m);
	return 0;
}

/* POSIX returns errno values positive; the driver checks for them so. */
static const int simgpu_posix_timedout = ETIMEDOUT;
static const int simgpu_posix_nomem = ENOMEM;

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec64 *abstime)
{
	unsigned long gen = READ_ONCE(c->gen);
	struct timespec64 now;
	s64 left_ns;
	long left;

	ktime_get_real_ts64(&now);
	left_ns = timespec64_to_ns(abstime) - timespec64_to_ns(&now);
	if (left_ns <= 0)
		return simgpu_posix_timedout;
	mutex_unlock(m);
	left = wait_event_timeout(c->wq, READ_ONCE(c->gen) != gen,
				  nsecs_to_jiffies(left_ns) + 1);
	mutex_lock(m);
	return left ? 0 : simgpu_posix_timedout;
}

struct simgpu_kthread {
	void *(*fn)(void *arg);
	void *arg, *ret;
	struct completion done;
	struct task_struct *task;
};

static int simgpu_kthread_main(void *data)
{
	struct simgpu_kthread *t = data;

	t->ret = t->fn(t->arg);
	/* The joiner may free @t once this completes: touch it no more. */
	kthread_complete_and_exit(&t->done, 0);
}

int pthread_create(pthread_t *out, const void *attr, void *(*fn)(void *),
		   void *arg)
{
	struct simgpu_kthread *t = kzalloc(sizeof(*t), GFP_KERNEL);

	/* A positive errno, as POSIX (fw_core.c negates it). */
	if (!t)
		return simgpu_posix_nomem;
	t->fn = fn;
	t->arg = arg;
	init_completion(&t->done);
	t->task = kthread_run(simgpu_kthread_main, t, "simgpu-fw");
	if (IS_ERR(t->task)) {
		int err = -PTR_ERR(t->task);

		kfree(t);
		return err;
	}
	*out = t;
	return 0;
}

int pthread_join(pthread_t t, void **ret)
{
	wait_for_completion(&t->done);
	if (ret)
		*ret = t->ret;
	kfree(t);
	return 0;
}
