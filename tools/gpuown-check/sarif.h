/* SPDX-License-Identifier: MIT */
/*
 * Merged SARIF 2.1.0: one run per layer, every result with a partial
 * fingerprint so CI can tell new findings from known ones.
 */
#ifndef GPUOWN_CHECK_SARIF_H
#define GPUOWN_CHECK_SARIF_H

#include "findings.h"
#include "layer.h"
#include "notices.h"

#define SARIF_FINGERPRINT_KEY "gpuown/v1"
/* GitHub code scanning takes at most this many results in one run. */
#define SARIF_MAX_RESULTS 5000

struct sarif_opts {
	const char *root; /* SRCROOT: paths below it are written relative */
	const char *help_base; /* helpUri prefix (docs/rules.md), or NULL */
	const char *cocci_dir; /* for the Coccinelle rules' descriptions */
	int max_results;       /* per run; 0 means SARIF_MAX_RESULTS */
};

/*
 * Write @f as one SARIF log with a run for each of @layers, with @notices as
 * each run's toolExecutionNotifications. The file is replaced atomically.
 * Results past max_results in a run are left out, new ones kept first, with
 * a notice in the run and on stderr. 0 or -errno.
 */
int sarif_write(const char *path, const struct findings *f,
		const struct notices *notices,
		const struct layer *const *layers, int nr_layers,
		const struct sarif_opts *o);

/*
 * Mark as not new every finding whose fingerprint appears in the SARIF log
 * @baseline. Returns the number of new findings, or -errno with a message.
 */
int sarif_apply_baseline(const char *baseline, struct findings *f);

/* @path as a URI reference: RFC 3986 percent-encoding of all but unreserved
 * characters and '/'. Returns a malloc'd string or NULL. */
char *sarif_uri_encode(const char *path);

#endif /* GPUOWN_CHECK_SARIF_H */
