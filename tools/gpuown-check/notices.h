/* SPDX-License-Identifier: MIT */
/*
 * Notices: a unit a layer could not analyse (timed out, could not parse), or
 * results left out of the log. Never a silent pass: each is printed, and
 * written to the layer's SARIF run as a toolExecutionNotification.
 */
#ifndef GPUOWN_CHECK_NOTICES_H
#define GPUOWN_CHECK_NOTICES_H

#include <stddef.h>

struct notice {
	const char *layer; /* static: the layer's name */
	char *id;	   /* "timeout", "unparsable", "result-cap" */
	char *file;	   /* the unit, absolute, or NULL */
	char *message;
};

struct notices {
	struct notice *v;
	size_t nr;
};

/* Append a notice (strings copied). 0 or -ENOMEM. */
int notices_add(struct notices *n, const char *layer, const char *id,
		const char *file, const char *message);
void notices_free(struct notices *n);

#endif /* GPUOWN_CHECK_NOTICES_H */
