/* SPDX-License-Identifier: MIT */
/*
 * <pthread.h> for the reference driver (driver/) compiled in a kernel: the
 * few calls it makes, on kernel primitives. A mutex is a struct mutex; a
 * condition variable a wait queue and a generation count (a waiter sleeps
 * until a signal after it dropped the mutex); a thread a kthread whose exit
 * completes a completion that pthread_join() waits for (compat.c).
 *
 * Process context only, as the driver's user-space twin: every call may
 * sleep.
 */
#ifndef SIMGPU_COMPAT_PTHREAD_H
#define SIMGPU_COMPAT_PTHREAD_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/wait.h>

/* The POSIX type names, as macros (no new typedefs in kernel code). */
#define pthread_mutex_t struct mutex
#define pthread_cond_t struct pthread_cond_compat
#define pthread_t struct simgpu_kthread *

struct pthread_cond_compat {
	wait_queue_head_t wq;
	unsigned long gen; /* bumped by every signal and broadcast */
};

struct simgpu_kthread;

/* The attribute arguments are always NULL in the driver. */
static inline int pthread_mutex_init(pthread_mutex_t *m, const void *attr)
{
	mutex_init(m);
	return 0;
}

static inline int pthread_mutex_destroy(pthread_mutex_t *m)
{
	mutex_destroy(m);
	return 0;
}

static inline int pthread_mutex_lock(pthread_mutex_t *m)
{
	mutex_lock(m);
	return 0;
}

static inline int pthread_mutex_unlock(pthread_mutex_t *m)
{
	mutex_unlock(m);
	return 0;
}

static inline int pthread_cond_init(pthread_cond_t *c, const void *attr)
{
	init_waitqueue_head(&c->wq);
	c->gen = 0;
	return 0;
}

static inline int pthread_cond_destroy(pthread_cond_t *c)
{
	return 0;
}

/* Callers hold the mutex the waiters use, as POSIX recommends. */
static inline int pthread_cond_signal(pthread_cond_t *c)
{
	WRITE_ONCE(c->gen, c->gen + 1);
	wake_up_all(&c->wq);
	return 0;
}

static inline int pthread_cond_broadcast(pthread_cond_t *c)
{
	return pthread_cond_signal(c);
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
/* @abstime on CLOCK_REALTIME, as the driver computes it; 0 or ETIMEDOUT. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec64 *abstime);

/* A kthread named "simgpu-fw"; 0 or a positive errno, as POSIX. */
int pthread_create(pthread_t *t, const void *attr, void *(*fn)(void *),
		   void *arg);
int pthread_join(pthread_t t, void **ret);

#endif /* SIMGPU_COMPAT_PTHREAD_H */
