// SPDX-License-Identifier: MIT
/* GPUSAN_OPTIONS parsing: "name=value" pairs separated by ':' or ','. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpuown/gpusan.h>

#include "fault_inject.h"

#define GS_OPT_NAME_MAX 32
#define GS_OPT_VALUE_MAX 256

enum gs_opt_kind {
	GS_OPT_BOOL,
	GS_OPT_SIZE,
	GS_OPT_UINT,
	GS_OPT_PATH,
	GS_OPT_U64,
};

struct gs_opt {
	const char *name;
	enum gs_opt_kind kind;
	size_t offset;
	unsigned max;	/* GS_OPT_UINT */
	size_t len;	/* GS_OPT_PATH: the buffer */
	size_t set_off; /* GS_OPT_U64: its "was given" flag, or 0 */
};

#define GS_OPT(n, k, m)                                                        \
	{                                                                      \
#n, k, offsetof(struct gpusan_options, n), m,                  \
			sizeof(((struct gpusan_options *)0)->n), 0             \
	}

static const struct gs_opt gs_opts[] = {
	GS_OPT(halt_on_error, GS_OPT_BOOL, 0),
	GS_OPT(multi_shot, GS_OPT_BOOL, 0),
	GS_OPT(refuse_bad_access, GS_OPT_BOOL, 0),
	GS_OPT(poison_cpu, GS_OPT_BOOL, 0),
	GS_OPT(symbolize, GS_OPT_BOOL, 0),
	GS_OPT(print, GS_OPT_BOOL, 0),
	GS_OPT(quarantine_budget, GS_OPT_SIZE, 0),
	GS_OPT(history, GS_OPT_UINT, 256),
	GS_OPT(stack_depth, GS_OPT_UINT, 64),
	GS_OPT(redzone, GS_OPT_UINT, 65536),
	GS_OPT(report_file, GS_OPT_PATH, 0),
	GS_OPT(wrappers, GS_OPT_PATH, 0),
	GS_OPT(detect_leaks, GS_OPT_BOOL, 0),
	GS_OPT(dot_dir, GS_OPT_PATH, 0),
	GS_OPT(sample, GS_OPT_UINT, 1u << 20),
	{"sample_seed", GS_OPT_U64,
	 offsetof(struct gpusan_options, sample_seed), 0, 0,
	 offsetof(struct gpusan_options, sample_seed_set)},
};

void gpusan_options_default(struct gpusan_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->refuse_bad_access = true;
	opts->poison_cpu = true;
	opts->symbolize = true;
	opts->print = true;
	opts->history = 16;
	opts->stack_depth = 16;
	opts->redzone = GPUSAN_MIN_REDZONE;
	opts->detect_leaks = true;
	opts->fail_op = -1;
}

static int gs_opt_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int gs_parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

static int gs_parse_u64(const char *v, bool suffixes, uint64_t *out)
{
	char *end;
	uint64_t n, mul = 1;

	if (!*v || *v == '-' || *v == '+')
		return -EINVAL;
	errno = 0;
	/* Decimal ("010" is ten, not octal eight), or 0x-prefixed hex. */
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		n = strtoull(v + 2, &end, 16);
	else
		n = strtoull(v, &end, 10);
	if (end == v + 2 && (v[1] == 'x' || v[1] == 'X'))
		return -EINVAL;
	if (errno || end == v)
		return -EINVAL;
	if (suffixes && *end) {
		switch (*end) {
		case 'k':
		case 'K':
			mul = 1ull << 10;
			break;
		case 'm':
		case 'M':
			mul = 1ull << 20;
			break;
		case 'g':
		case 'G':
			mul = 1ull << 30;
			break;
		default:
			return -EINVAL;
		}
		end++;
	}
	if (*end || (n && mul > UINT64_MAX / n))
		return -EINVAL;
	*out = n * mul;
	return 0;
}

static int gs_set(const struct gs_opt *o, const char *v,
		  struct gpusan_options *opts, char *err, size_t err_len)
{
	char *field = (char *)opts + o->offset;
	uint64_t n;

	switch (o->kind) {
	case GS_OPT_BOOL:
		if (gs_parse_bool(v, (bool *)field))
			return gs_opt_err(err, err_len,
					  "invalid value '%s' for option '%s' "
					  "(expected 0 or 1)",
					  v, o->name);
		return 0;
	case GS_OPT_SIZE:
		if (gs_parse_u64(v, true, &n))
			return gs_opt_err(err, err_len,
					  "invalid value '%s' for option '%s' "
					  "(expected bytes, e.g. 8M)",
					  v, o->name);
		opts->quarantine_budget = n;
		opts->quarantine_set = true;
		return 0;
	case GS_OPT_UINT:
		if (gs_parse_u64(v, false, &n) || n > o->max ||
		    (o->offset == offsetof(struct gpusan_options, history) &&
		     !n))
			return gs_opt_err(
				err, err_len,
				"invalid value '%s' for option '%s' (expected "
				"%s..%u)",
				v, o->name,
				o->offset == offsetof(struct gpusan_options,
						      history)
					? "1"
					: "0",
				o->max);
		*(unsigned *)field = (unsigned)n;
		return 0;
	case GS_OPT_PATH:
		if (!*v || strlen(v) >= o->len)
			return gs_opt_err(err, err_len,
					  "invalid value for option '%s' "
					  "(empty or longer than %zu bytes)",
					  o->name, o->len - 1);
		strcpy(field, v);
		return 0;
	case GS_OPT_U64:
		if (gs_parse_u64(v, false, &n))
			return gs_opt_err(err, err_len,
					  "invalid value '%s' for option '%s' "
					  "(expected a number)",
					  v, o->name);
		*(unsigned long long *)field = n;
		if (o->set_off)
			*(bool *)((char *)opts + o->set_off) = true;
		return 0;
	}
	return -EINVAL;
}

static int gs_parse_one(const char *item, size_t len,
			struct gpusan_options *opts, char *err, size_t err_len)
{
	char name[GS_OPT_NAME_MAX], value[GS_OPT_VALUE_MAX];
	const char *eq = memchr(item, '=', len);
	size_t nlen, vlen, i;

	if (!eq)
		return gs_opt_err(
			err, err_len,
			"option '%.*s' has no value (expected name=value)",
			(int)len, item);
	nlen = (size_t)(eq - item);
	vlen = len - nlen - 1;
	if (nlen >= sizeof(name) || vlen >= sizeof(value))
		return gs_opt_err(err, err_len, "option '%.*s' is too long",
				  (int)(nlen < 64 ? nlen : 64), item);
	memcpy(name, item, nlen);
	name[nlen] = '\0';
	memcpy(value, eq + 1, vlen);
	value[vlen] = '\0';
	for (i = 0; i < sizeof(gs_opts) / sizeof(gs_opts[0]); i++) {
		if (!strcmp(gs_opts[i].name, name))
			return gs_set(&gs_opts[i], value, opts, err, err_len);
	}
	if (!strncmp(name, "fail_", 5))
		return gs_fault_option(name, value, opts, err, err_len);
	return gs_opt_err(
		err, err_len,
		"unknown option '%s' (known: halt_on_error, multi_shot, "
		"refuse_bad_access, poison_cpu, symbolize, print, "
		"quarantine_budget, history, stack_depth, redzone, "
		"report_file, wrappers, detect_leaks, dot_dir, sample, "
		"sample_seed, fail_op, fail_nth, fail_one_in, fail_seed, "
		"fail_times, fail_site)",
		name);
}

/* Each '|'-separated wrapper pattern must fit gpusan_add_wrapper(). */
static int gs_check_wrappers(const struct gpusan_options *opts, char *err,
			     size_t err_len)
{
	const char *p = opts->wrappers;
	unsigned n = 0;
	size_t len;

	while (*p) {
		len = strcspn(p, "|");
		if (!len || len >= 64 || ++n > 32)
			return gs_opt_err(err, err_len,
					  "invalid value '%s' for option "
					  "'wrappers' (expected up to 32 "
					  "'|'-separated names of 1..63 bytes)",
					  opts->wrappers);
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

int gpusan_options_parse(const char *str, struct gpusan_options *opts,
			 char *err, size_t err_len)
{
	const char *p = str, *end;
	int ret;

	if (!str)
		return 0;
	while (*p) {
		while (*p == ':' || *p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		end = p + strcspn(p, ":, ");
		ret = gs_parse_one(p, (size_t)(end - p), opts, err, err_len);
		if (ret)
			return ret;
		p = end;
	}
	ret = gs_check_wrappers(opts, err, err_len);
	if (ret)
		return ret;
	return gs_fault_check(opts, err, err_len);
}
