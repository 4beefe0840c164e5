/* SPDX-License-Identifier: MIT */
/* <string.h> for gpuown's portable sources compiled in a kernel (see stdint.h).
 */
#ifndef GPUSAN_COMPAT_STRING_H
#define GPUSAN_COMPAT_STRING_H
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#endif
