/* SPDX-License-Identifier: MIT */
/*
 * <time.h> for the reference driver compiled in a kernel: clock_gettime() on
 * ktime (monotonic or real time). struct timespec is the kernel's timespec64.
 */
#ifndef SIMGPU_COMPAT_TIME_H
#define SIMGPU_COMPAT_TIME_H

#include <linux/ktime.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#define timespec timespec64

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

static inline int clock_gettime(int clock, struct timespec64 *ts)
{
	if (clock == CLOCK_REALTIME)
		ktime_get_real_ts64(ts);
	else
		ktime_get_ts64(ts);
	return 0;
}

#endif /* SIMGPU_COMPAT_TIME_H */
