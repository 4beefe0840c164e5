/* SPDX-License-Identifier: MIT */
/* <stdio.h> for gpuown's portable sources compiled in a kernel (see stdint.h).
 */
#ifndef GPUSAN_COMPAT_STDIO_H
#define GPUSAN_COMPAT_STDIO_H
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#endif
