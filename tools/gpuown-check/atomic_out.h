/* SPDX-License-Identifier: MIT */
/*
 * Output files that appear whole or not at all: written to a temporary file in
 * the destination's own folder (so rename() cannot cross file systems), then
 * synced and renamed over the destination. A run that fails, is interrupted or
 * fills the disk leaves the previous file as it was.
 */
#ifndef GPUOWN_CHECK_ATOMIC_OUT_H
#define GPUOWN_CHECK_ATOMIC_OUT_H

#include <stddef.h>

/*
 * Replace @path with @len bytes of @data. On error, @path is untouched, the
 * temporary file removed, and a message naming @path printed; returns -errno.
 */
int atomic_write(const char *path, const void *data, size_t len);

/*
 * Remove the temporary files of atomic_write() calls still in progress (for a
 * signal handler's caller on its way out).
 */
void atomic_out_cleanup(void);

#endif /* GPUOWN_CHECK_ATOMIC_OUT_H */
