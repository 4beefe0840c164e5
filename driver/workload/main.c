// SPDX-License-Identifier: MIT
/*
 * gpuown-workload: run the seeded workload on one firmware variant or on all
 * of them and print a summary line per variant. Exits non-zero when a probe
 * is refused, a job result differs from the CPU model, a fault or warning
 * happened, gpusan reported anything, or an object outlived teardown.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgpu/drv.h>

#include "workload.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gpuown-workload [options]\n"
		"  --variant NAME|all   G<gen>_V<fw>, e.g. G11_V2_1 (default: "
		"all)\n"
		"  --seed N             random seed (default 1)\n"
		"  --contexts N         contexts per variant (default 4)\n"
		"  --jobs N             jobs per variant (default 2000)\n"
		"  --buffer-size N      job buffer bytes, multiple of 4 "
		"(default 4096)\n"
		"  --dep-density P      probability of a dependency, 0..1 "
		"(default 0.2)\n"
		"  --duration S         stop each variant after S seconds "
		"(default: none)\n"
		"  --churn N            destroy and recreate a context every N "
		"jobs,\n"
		"                       with its jobs still queued (default: "
		"never)\n"
		"  --gpusan             run under the gpusan runtime tracker\n"
		"  --fail-sweep         fail every injectable call once, each "
		"in "
		"its own run,\n"
		"                       and check every error path stays clean "
		"(one variant)\n"
		"  --list               list the supported variants\n"
		"  --help\n");
}

static int parse_u64(const char *opt, const char *s, unsigned long long max,
		     unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *s == '-' || *end != '\0' || *out > max) {
		fprintf(stderr,
			"gpuown-workload: --%s: '%s' is not a number in "
			"[0, %llu]\n",
			opt, s, max);
		return -EINVAL;
	}
	return 0;
}

static int parse_double(const char *opt, const char *s, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || *s == '\0' || *end != '\0' ||
	    !(*out >= 0 && *out <= max)) {
		fprintf(stderr,
			"gpuown-workload: --%s: '%s' is not a number in "
			"[0, %g]\n",
			opt, s, max);
		return -EINVAL;
	}
	return 0;
}

/* "G11_V2_1" -> ("G11", "V2_1"); the probe judges whether it is supported. */
static int split_variant(const char *name, char *gen, size_t len,
			 const char **fw)
{
	const char *us = strchr(name, '_');

	if (!us || us == name || !us[1] || (size_t)(us - name) >= len) {
		fprintf(stderr,
			"gpuown-workload: --variant: '%s' is not of the "
			"form G<gen>_V<fw> (try --list)\n",
			name);
		return -EINVAL;
	}
	memcpy(gen, name, us - name);
	gen[us - name] = '\0';
	*fw = us + 1;
	return 0;
}

static bool run_one(const struct wl_opts *o, const char *gen, const char *fw)
{
	struct wl_result r;
	bool ok = wl_run(o, gen, fw, &r);

	wl_print(&r);
	fflush(stdout);
	return ok;
}

static bool fail_sweep;

static int run(const struct wl_opts *o, const char *variant)
{
	const struct gpuown_variant_table *t = simgpu_variants();
	const char *fw;
	char gen[32];
	bool ok = true;
	uint32_t i;

	if (strcmp(variant, "all") != 0) {
		if (split_variant(variant, gen, sizeof(gen), &fw))
			return 2;
		if (fail_sweep)
			return wl_fail_sweep(o, gen, fw);
		wl_print_header();
		return run_one(o, gen, fw) ? 0 : 1;
	}
	if (fail_sweep) {
		fprintf(stderr, "gpuown-workload: --fail-sweep needs one "
				"--variant\n");
		return 2;
	}
	wl_print_header();
	for (i = 0; i < t->nr_variants; i++)
		ok &= run_one(o, t->variants[i]->gen_name,
			      t->variants[i]->fw_name);
	return ok ? 0 : 1;
}

static void list_variants(void)
{
	const struct gpuown_variant_table *t = simgpu_variants();
	uint32_t i;

	for (i = 0; i < t->nr_variants; i++)
		printf("%s\n", t->variants[i]->name);
}

enum {
	OPT_SEED = 256,
	OPT_CTX,
	OPT_JOBS,
	OPT_BUF,
	OPT_DEP,
	OPT_DUR,
	OPT_VAR,
	OPT_SAN,
	OPT_LIST,
	OPT_HELP,
	OPT_CHURN,
	OPT_SWEEP
};

static const struct option long_opts[] = {
	{"seed", required_argument, NULL, OPT_SEED},
	{"contexts", required_argument, NULL, OPT_CTX},
	{"jobs", required_argument, NULL, OPT_JOBS},
	{"buffer-size", required_argument, NULL, OPT_BUF},
	{"dep-density", required_argument, NULL, OPT_DEP},
	{"duration", required_argument, NULL, OPT_DUR},
	{"variant", required_argument, NULL, OPT_VAR},
	{"gpusan", no_argument, NULL, OPT_SAN},
	{"churn", required_argument, NULL, OPT_CHURN},
	{"fail-sweep", no_argument, NULL, OPT_SWEEP},
	{"list", no_argument, NULL, OPT_LIST},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

static int parse_opt(int c, struct wl_opts *o, const char **variant)
{
	unsigned long long v;
	double d = 0;
	int ret = 0;

	switch (c) {
	case OPT_SEED:
		ret = parse_u64("seed", optarg, ~0ull, &v);
		o->seed = v;
		break;
	case OPT_CTX:
		ret = parse_u64("contexts", optarg, 16, &v);
		o->contexts = (unsigned)v;
		break;
	case OPT_JOBS:
		ret = parse_u64("jobs", optarg, 100000000, &v);
		o->jobs = (unsigned)v;
		break;
	case OPT_BUF:
		ret = parse_u64("buffer-size", optarg, 1u << 20, &v);
		o->buffer_size = (uint32_t)v;
		break;
	case OPT_DEP:
		ret = parse_double("dep-density", optarg, 1.0, &d);
		o->dep_permille = (unsigned)(d * 1000 + 0.5);
		break;
	case OPT_DUR:
		ret = parse_double("duration", optarg, 86400, &d);
		o->duration_ms = (uint64_t)(d * 1000 + 0.5);
		break;
	case OPT_VAR:
		*variant = optarg;
		break;
	case OPT_SAN:
		o->gpusan = true;
		break;
	case OPT_SWEEP:
		fail_sweep = true;
		break;
	case OPT_CHURN:
		ret = parse_u64("churn", optarg, 100000000, &v);
		o->churn = (unsigned)v;
		break;
	default:
		ret = -EINVAL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *variant = "all";
	struct wl_opts o;
	int c;

	wl_opts_default(&o);
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			usage(stdout);
			return 0;
		}
		if (c == OPT_LIST) {
			list_variants();
			return 0;
		}
		if (parse_opt(c, &o, &variant)) {
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gpuown-workload: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!o.contexts || o.buffer_size < 16 || o.buffer_size % 4) {
		fprintf(stderr, "gpuown-workload: need --contexts >= 1 and a "
				"--buffer-size >= 16, multiple of 4\n");
		return 2;
	}
	return run(&o, variant);
}
