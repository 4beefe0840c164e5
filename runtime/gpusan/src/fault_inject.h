/* SPDX-License-Identifier: MIT */
/* GPUSAN_OPTIONS fail_* keys and the notice of each injected failure. */
#ifndef GPUSAN_FAULT_INJECT_H
#define GPUSAN_FAULT_INJECT_H

#include <stddef.h>

#include <gpuown/gpusan.h>

/* Parse one fail_* option into @opts; -EINVAL with a message in @err. */
int gs_fault_option(const char *name, const char *value,
		    struct gpusan_options *opts, char *err, size_t err_len);

/* A fail_op needs fail_nth or fail_one_in: -EINVAL with a message. */
int gs_fault_check(const struct gpusan_options *opts, char *err,
		   size_t err_len);

/* Configure the runtime's fault injection from @opts (when fail_op is set). */
void gs_fault_attach(const struct gpusan_options *opts);

#endif /* GPUSAN_FAULT_INJECT_H */
