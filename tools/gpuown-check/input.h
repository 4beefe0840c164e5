/* SPDX-License-Identifier: MIT */
/*
 * Reading JSON inputs (compile databases, baselines, clang's SARIF, cache
 * entries) with a size bound: /dev/zero or a runaway file is an error naming
 * the file and the bound, not unbounded memory growth.
 */
#ifndef GPUOWN_CHECK_INPUT_H
#define GPUOWN_CHECK_INPUT_H

#include <stddef.h>

struct json_object;

/* Bounds, in bytes. A kernel allmodconfig database is about 100 MiB. */
#define INPUT_MAX_COMPDB ((size_t)1 << 30)
#define INPUT_MAX_SARIF ((size_t)512 << 20)

/*
 * Parse the JSON document in @path, reading at most @max bytes. On error,
 * returns NULL with a message in @err naming @path, the line for a syntax
 * error, or the bound that was passed.
 */
struct json_object *json_read_bounded(const char *path, size_t max, char *err,
				      size_t err_len);

#endif /* GPUOWN_CHECK_INPUT_H */
