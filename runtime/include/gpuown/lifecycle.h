/* SPDX-License-Identifier: MIT */
/*
 * Driver-declared lifecycles at run time.
 *
 * A lifecycle is declared once with GPUOWN_LIFECYCLE() (annotations.h):
 *
 *   GPUOWN_LIFECYCLE(context, "created -> live, live -> destroy_requested,"
 *                              " destroy_requested -> destroyed");
 *
 * The first state named is the initial one. A driver object embeds a
 * struct gpuown_lc and moves it with gpuown_lc_transition(); an illegal
 * transition or an operation not permitted in the current state is refused
 * with -EPERM and reported to the hooks of @mm (gpusan), if given.
 */
#ifndef GPUOWN_LIFECYCLE_H
#define GPUOWN_LIFECYCLE_H

/* Kernel-safe: the portable core (runtime/model) includes it too. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include <gpuown/annotations.h>

struct gpuown_mm;

#define GPUOWN_LC_MAX_STATES 16

struct gpuown_lifecycle {
	const char *name;
	const char *spec;
};

struct gpuown_lc {
	const struct gpuown_lifecycle *lc;
	struct gpuown_mm *mm; /* for reports; may be NULL */
	int state;	      /* index into the parsed state list */
	void *owner;	      /* the driver object, for reports */
};

/* Parse-check a lifecycle spec; 0 or -EINVAL with a message in @err. */
int gpuown_lifecycle_validate(const struct gpuown_lifecycle *lc, char *err,
			      size_t err_len);

int gpuown_lc_init(struct gpuown_lc *s, const struct gpuown_lifecycle *lc,
		   struct gpuown_mm *mm, void *owner);
/* Move from the current state to @to; -EPERM if not a declared transition. */
int gpuown_lc_transition(struct gpuown_lc *s, const char *to);
/* 0 if in state @st, else -EPERM (operation not permitted in this state). */
int gpuown_lc_require(struct gpuown_lc *s, const char *st);
const char *gpuown_lc_state(const struct gpuown_lc *s);

#endif /* GPUOWN_LIFECYCLE_H */
