/* SPDX-License-Identifier: MIT */
/*
 * <stdio.h> for the reference driver compiled in a kernel: snprintf and
 * vsnprintf are the kernel's; the driver's one diagnostic stream (stderr,
 * drv_warn()) goes to the kernel log as a warning, one line per call.
 */
#ifndef SIMGPU_COMPAT_STDIO_H
#define SIMGPU_COMPAT_STDIO_H

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/stdarg.h>

struct simgpu_compat_file;
#define stderr ((struct simgpu_compat_file *)NULL)

#define fprintf(f, fmt, ...) pr_warn(fmt, ##__VA_ARGS__)

#endif /* SIMGPU_COMPAT_STDIO_H */
