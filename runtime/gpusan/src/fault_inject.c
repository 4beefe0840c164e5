// SPDX-License-Identifier: MIT
/*
 * Fault injection under gpusan: GPUSAN_OPTIONS selects the operation and the
 * calls that fail (<gpuown/fault.h>), and every injected failure prints
 *
 *   gpusan: injected failure: map, call 3 (fail_op=map:fail_nth=3)
 *     #0 0x... in drv_job_bind drv_job.c:266
 *     ...
 *
 * so that the report that follows on the error path can be traced back to
 * it, and the same options replay the same run.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpuown/fault.h>

#include "fault_inject.h"
#include <gpuown/san.h>

#include "stack.h"

static int gs_fault_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Decimal only: "010" is ten, as a user means it. */
static int gs_fault_u64(const char *v, unsigned long long max,
			unsigned long long *out)
{
	unsigned long long n = 0;

	if (!*v)
		return -EINVAL;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return -EINVAL;
		if (n > (max - (unsigned)(*v - '0')) / 10)
			return -EINVAL;
		n = n * 10 + (unsigned)(*v - '0');
	}
	*out = n;
	return 0;
}

int gs_fault_option(const char *name, const char *value,
		    struct gpusan_options *opts, char *err, size_t err_len)
{
	unsigned long long n;
	int op;

	if (!strcmp(name, "fail_op")) {
		op = gpuown_fault_op_from_name(value);
		if (op < 0)
			return gs_fault_err(err, err_len,
					    "invalid value '%s' for option "
					    "'fail_op' (expected alloc, map, "
					    "fence_wait, fw_msg, fw_job or "
					    "invalidate)",
					    value);
		opts->fail_op = op;
		return 0;
	}
	if (!strcmp(name, "fail_site")) {
		if (!*value || strlen(value) >= sizeof(opts->fail_site))
			return gs_fault_err(err, err_len,
					    "invalid value for option "
					    "'fail_site' (empty or longer than "
					    "%zu bytes)",
					    sizeof(opts->fail_site) - 1);
		strcpy(opts->fail_site, value);
		return 0;
	}
	if (gs_fault_u64(value, ULLONG_MAX, &n))
		return gs_fault_err(err, err_len,
				    "invalid value '%s' for option '%s' "
				    "(expected a decimal number)",
				    value, name);
	if (!strcmp(name, "fail_nth"))
		opts->fail_nth = n;
	else if (!strcmp(name, "fail_seed"))
		opts->fail_seed = n;
	else if (!strcmp(name, "fail_one_in") && n <= UINT_MAX)
		opts->fail_one_in = (unsigned)n;
	else if (!strcmp(name, "fail_times") && n <= UINT_MAX)
		opts->fail_times = (unsigned)n;
	else
		return gs_fault_err(err, err_len,
				    "unknown option '%s' or value out of "
				    "range (fail_op, fail_nth, fail_one_in, "
				    "fail_seed, fail_times, fail_site)",
				    name);
	return 0;
}

int gs_fault_check(const struct gpusan_options *opts, char *err,
		   size_t err_len)
{
	if (opts->fail_op < 0 || opts->fail_nth || opts->fail_one_in)
		return 0;
	return gs_fault_err(err, err_len,
			    "fail_op=%s needs fail_nth or fail_one_in",
			    gpuown_fault_op_name(opts->fail_op));
}

static bool gs_fault_site_match(const char *site, void *arg)
{
	void *pcs[GS_STACK_MAX];
	struct gs_stack st = {.cap = GS_STACK_MAX, .pcs = pcs};
	char loc[256];

	(void)arg;
	gs_stack_capture(&st, GS_STACK_MAX, NULL);
	for (unsigned i = 0; i < st.n; i++)
		if (!strcmp(gs_symbolize(st.pcs[i], loc, sizeof(loc)), site))
			return true;
	return false;
}

static void gs_fault_notify(enum gpuown_fault_op op, uint64_t call,
			    const void *caller, void *arg)
{
	const struct gpusan_options *o = arg;
	void *pcs[GS_STACK_MAX];
	struct gs_stack st = {.cap = GS_STACK_MAX, .pcs = pcs};

	gs_stack_capture(&st, o->stack_depth ? o->stack_depth : 16,
			 (void *)caller);
	flockfile(stderr);
	fprintf(stderr, "gpusan: injected failure: %s, call %" PRIu64 "\n",
		gpuown_fault_op_name(op), call);
	gs_stack_print(stderr, &st);
	funlockfile(stderr);
}

/* The options outlive the attach: the notifier reads them. */
static struct gpusan_options gs_fault_opts;

void gs_fault_attach(const struct gpusan_options *opts)
{
	struct gpuown_fault_attr attr;

	if (opts->fail_op < 0)
		return;
	gs_fault_opts = *opts;
	attr = (struct gpuown_fault_attr){
		.nth = opts->fail_nth,
		.one_in = opts->fail_one_in,
		.seed = opts->fail_seed,
		.times = opts->fail_times,
		.site = opts->fail_site[0] ? gs_fault_opts.fail_site : NULL,
	};
	gpuown_fault_set_site_matcher(gs_fault_site_match, NULL);
	gpuown_fault_set_notify(gs_fault_notify, &gs_fault_opts);
	/* gs_fault_check() let only a valid configuration through. */
	gpuown_fault_set(opts->fail_op, &attr);
}
