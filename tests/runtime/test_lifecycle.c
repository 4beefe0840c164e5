// SPDX-License-Identifier: MIT
/* Driver-declared lifecycles: transitions, requirements, malformed specs. */
#include <stdio.h>

#include "common.h"

GPUOWN_LIFECYCLE(context, "created -> live, live -> destroy_requested,"
			  " destroy_requested -> destroyed");
GPUOWN_LIFECYCLE(channel, "enabled -> stopped, stopped -> enabled,"
			  "stopped -> disabled");

Test(lifecycle, legal_transitions_and_events)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_lc s;
	int owner;
	const struct gpuown_event *ev;

	cr_assert_eq(
		gpuown_lifecycle_validate(&gpuown_lifecycle_context, NULL, 0),
		0);
	cr_assert_eq(gpuown_lc_init(&s, &gpuown_lifecycle_context, mm, &owner),
		     0);
	cr_assert_str_eq(gpuown_lc_state(&s), "created");
	cr_assert_eq(gpuown_lc_require(&s, "created"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "live"), 0);
	ev = cap_last(&c);
	cr_assert_eq(ev->op, GPUOWN_OP_LIFECYCLE);
	cr_assert_eq(ev->err, 0);
	cr_assert_str_eq(ev->lc_name, "context");
	cr_assert_str_eq(ev->lc_from, "created");
	cr_assert_str_eq(ev->lc_to, "live");
	cr_assert_eq(ev->lc_owner, &owner);
	cr_assert_not_null(ev->caller);
	cr_assert_eq(gpuown_lc_transition(&s, "destroy_requested"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "destroyed"), 0);
	cr_assert_str_eq(gpuown_lc_state(&s), "destroyed");
	gpuown_mm_destroy(mm);
}

Test(lifecycle, illegal_transition_and_not_permitted)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_lc s;

	cr_assert_eq(gpuown_lc_init(&s, &gpuown_lifecycle_channel, mm, NULL),
		     0);
	expect_refused(&c, gpuown_lc_transition(&s, "disabled"),
		       GPUOWN_OP_LIFECYCLE, -EPERM, GPUOWN_V_LIFECYCLE_ILLEGAL);
	cr_assert_str_eq(cap_last(&c)->lc_from, "enabled");
	cr_assert_str_eq(cap_last(&c)->lc_to, "disabled");
	cr_assert_str_eq(gpuown_lc_state(&s), "enabled", "state unchanged");
	expect_refused(&c, gpuown_lc_transition(&s, "exploded"),
		       GPUOWN_OP_LIFECYCLE, -EINVAL,
		       GPUOWN_V_LIFECYCLE_ILLEGAL);
	expect_refused(&c, gpuown_lc_require(&s, "stopped"),
		       GPUOWN_OP_LIFECYCLE, -EPERM,
		       GPUOWN_V_LIFECYCLE_NOT_PERMITTED);
	cr_assert_str_eq(cap_last(&c)->lc_from, "enabled");
	cr_assert_str_eq(cap_last(&c)->lc_to, "stopped");
	expect_refused(&c, gpuown_lc_require(&s, "nowhere"),
		       GPUOWN_OP_LIFECYCLE, -EINVAL,
		       GPUOWN_V_LIFECYCLE_NOT_PERMITTED);
	/* Cycles are fine. */
	cr_assert_eq(gpuown_lc_transition(&s, "stopped"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "enabled"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "stopped"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "disabled"), 0);
	expect_refused(&c, gpuown_lc_transition(&s, "enabled"),
		       GPUOWN_OP_LIFECYCLE, -EPERM, GPUOWN_V_LIFECYCLE_ILLEGAL);
	gpuown_mm_destroy(mm);
}

Test(lifecycle, without_a_memory_system_still_refuses)
{
	struct gpuown_lc s;

	cr_assert_eq(gpuown_lc_init(&s, &gpuown_lifecycle_channel, NULL, NULL),
		     0);
	cr_assert_eq(gpuown_lc_transition(&s, "disabled"), -EPERM);
	cr_assert_eq(gpuown_lc_require(&s, "stopped"), -EPERM);
	cr_assert_eq(gpuown_lc_transition(NULL, "stopped"), -EINVAL);
	cr_assert_eq(gpuown_lc_transition(&s, NULL), -EINVAL);
	cr_assert_null(gpuown_lc_state(NULL));
}

struct bad_spec {
	const char *spec;
	const char *msg;
};

static const struct bad_spec bad[] = {
	{"", "empty specification"},
	{"   ", "empty specification"},
	{"a -> ", "transition 1: empty target state name"},
	{"-> b", "transition 1: empty source state name"},
	{"a b", "transition 1 ('a b'): expected 'from -> to'"},
	{"a -> b -> c", "more than one '->'"},
	{"a -> b, a -> b", "transition 2: duplicate transition 'a -> b'"},
	{"a -> b,", "transition 2 is empty"},
	{"a -> b,, b -> c", "transition 2 is empty"},
	{"a -> 1x", "state name '1x' starts with a digit"},
	{"a-b -> c", "state name 'a-b' is not an identifier"},
	{"a -> b c", "state name 'b c' is not an identifier"},
	{"a -> bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "is longer than 31"},
	{"s0 -> s1, s1 -> s2, s2 -> s3, s3 -> s4, s4 -> s5, s5 -> s6,"
	 "s6 -> s7, s7 -> s8, s8 -> s9, s9 -> s10, s10 -> s11, s11 -> s12,"
	 "s12 -> s13, s13 -> s14, s14 -> s15, s15 -> s16",
	 "more than 16 states"},
};

Test(lifecycle, malformed_specs_are_rejected_with_a_message)
{
	unsigned i;
	char err[160];
	struct gpuown_lc s;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct gpuown_lifecycle lc = {.name = "chan",
					      .spec = bad[i].spec};

		cr_assert_eq(gpuown_lifecycle_validate(&lc, err, sizeof(err)),
			     -EINVAL, "accepted: '%s'", bad[i].spec);
		cr_assert_not_null(strstr(err, bad[i].msg),
				   "'%s': message '%s' lacks '%s'", bad[i].spec,
				   err, bad[i].msg);
		cr_assert_not_null(strstr(err, "lifecycle 'chan'"), "%s", err);
		cr_assert_eq(gpuown_lc_init(&s, &lc, NULL, NULL), -EINVAL);
	}
}

Test(lifecycle, missing_name_or_spec_and_short_buffers)
{
	struct gpuown_lifecycle none = {.name = "x", .spec = NULL};
	struct gpuown_lifecycle anon = {.name = "", .spec = "a -> b"};
	struct gpuown_lifecycle bad1 = {.name = "x", .spec = "a b"};
	char err[64], tiny[8];

	cr_assert_eq(gpuown_lifecycle_validate(&none, err, sizeof(err)),
		     -EINVAL);
	cr_assert_not_null(strstr(err, "no specification"));
	cr_assert_eq(gpuown_lifecycle_validate(&anon, err, sizeof(err)),
		     -EINVAL);
	cr_assert_not_null(strstr(err, "no name"));
	cr_assert_eq(gpuown_lifecycle_validate(NULL, err, sizeof(err)),
		     -EINVAL);
	cr_assert_eq(gpuown_lifecycle_validate(&bad1, tiny, sizeof(tiny)),
		     -EINVAL);
	cr_assert_eq(strlen(tiny), sizeof(tiny) - 1, "truncated, terminated");
	cr_assert_eq(gpuown_lifecycle_validate(&bad1, NULL, 0), -EINVAL);
}

Test(lifecycle, whitespace_is_free_and_the_first_state_is_initial)
{
	struct gpuown_lifecycle lc = {
		.name = "vmbind",
		.spec = "\n  unbound->bound ,\tbound -> unbound\n",
	};
	struct gpuown_lc s;

	cr_assert_eq(gpuown_lifecycle_validate(&lc, NULL, 0), 0);
	cr_assert_eq(gpuown_lc_init(&s, &lc, NULL, NULL), 0);
	cr_assert_str_eq(gpuown_lc_state(&s), "unbound");
	cr_assert_eq(gpuown_lc_transition(&s, "bound"), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "unbound"), 0);
}

Test(lifecycle, a_changed_spec_is_parsed_again)
{
	char spec[32] = "a -> b";
	struct gpuown_lifecycle lc = {.name = "dyn", .spec = spec};
	struct gpuown_lc s;

	cr_assert_eq(gpuown_lc_init(&s, &lc, NULL, NULL), 0);
	cr_assert_eq(gpuown_lc_transition(&s, "b"), 0);
	/* Same struct, same buffer, new content. */
	snprintf(spec, sizeof(spec), "x -> y");
	cr_assert_eq(gpuown_lc_init(&s, &lc, NULL, NULL), 0);
	cr_assert_str_eq(gpuown_lc_state(&s), "x");
	cr_assert_eq(gpuown_lc_transition(&s, "b"), -EINVAL);
	cr_assert_eq(gpuown_lc_transition(&s, "y"), 0);
	snprintf(spec, sizeof(spec), "x y");
	cr_assert_eq(gpuown_lc_init(&s, &lc, NULL, NULL), -EINVAL);
}
