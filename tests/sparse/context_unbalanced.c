// SPDX-License-Identifier: MIT
#include <gpuown/object.h>

/* The CPU-access window is left open on return. */
static int fill_open(struct gpuown_obj *obj)
{
	uint32_t *p;
	int ret;

	ret = gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, (void **)&p);
	if (ret)
		return ret;
	*p = 1;
	return 0;
}

/* Closed without having been opened. */
static void close_twice(struct gpuown_obj *obj)
{
	uint32_t *p;

	if (gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, (void **)&p) == 0)
		gpuown_cpu_end(obj);
	gpuown_cpu_end(obj);
}

/* Open on one path only, closed on every path. */
static void maybe_open(struct gpuown_obj *obj, int write)
{
	void *p;

	if (write)
		(void)gpuown_cpu_begin(obj, GPUOWN_DIR_WRITE, &p);
	gpuown_cpu_end(obj);
}

/*
 * check-name: unbalanced gpuown_cpu_begin() / gpuown_cpu_end()
 * check-command: run-sparse $file
 *
 * check-error-start
context_unbalanced.c:5:12: warning: context imbalance in 'fill_open' - different lock contexts for basic block
context_unbalanced.c:24:9: warning: context imbalance in 'close_twice' - unexpected unlock
context_unbalanced.c:34:9: warning: context imbalance in 'maybe_open' - unexpected unlock
 * check-error-end
 */
