/* SPDX-License-Identifier: MIT */
/*
 * Merged SARIF 2.1.0: one run per layer, every result with a partial
 * fingerprint so CI can tell new findings from known ones.
 */
#ifndef GPUOWN_CHECK_SARIF_H
#define GPUOWN_CHECK_SARIF_H

#include "findings.h"
#include "layer.h"

#define SARIF_FINGERPRINT_KEY "gpuown/v1"

/* Write @f as one SARIF log with a run for each of @layers. 0 or -errno. */
int sarif_write(const char *path, const struct findings *f,
		const struct layer *const *layers, int nr_layers,
		const char *root);

/*
 * Mark as not new every finding whose fingerprint appears in the SARIF log
 * @baseline. Returns the number of new findings, or -errno with a message.
 */
int sarif_apply_baseline(const char *baseline, struct findings *f);

#endif /* GPUOWN_CHECK_SARIF_H */
