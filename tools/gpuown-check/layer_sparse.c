// SPDX-License-Identifier: MIT
/* The sparse layer: address spaces, noderef, bitwise and context checks. */
#include "diag_parse.h"
#include "layer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FLAGS 64

/*
 * The warning flags come from sparse/run-sparse --print-flags, so the CI layer
 * and the developer's sparse-check target agree on what sparse checks.
 */
static int load_flags(const struct check_config *cfg, char *buf, size_t len,
		      char **flags)
{
	char cmd[4200], *tok, *save = NULL;
	FILE *p;
	int n = 0;

	buf[0] = '\0';
	if (!cfg->sparse_runner || access(cfg->sparse_runner, X_OK) != 0)
		return 0;
	snprintf(cmd, sizeof(cmd), "'%s' --print-flags", cfg->sparse_runner);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	if (!fgets(buf, (int)len, p))
		buf[0] = '\0';
	if (pclose(p) != 0) {
		fprintf(stderr, "gpuown-check: %s --print-flags failed\n",
			cfg->sparse_runner);
		return -EIO;
	}
	for (tok = strtok_r(buf, " \n", &save); tok && n < MAX_FLAGS - 1;
	     tok = strtok_r(NULL, " \n", &save))
		flags[n++] = tok;
	return n;
}

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	char buf[4096], *flags[MAX_FLAGS];
	int nflags;
	size_t i;
	int ret;

	nflags = load_flags(cfg, buf, sizeof(buf), flags);
	if (nflags < 0)
		return nflags;
	for (i = 0; i < db->nr; i++) {
		const struct compdb_entry *e = &db->entries[i];
		char **pre, **argv;
		struct job *job;
		int npre, n = 0, k;

		ret = compdb_preproc_args(e, &pre, &npre);
		if (ret)
			return ret;
		argv = calloc((size_t)npre + (size_t)nflags +
				      (size_t)cfg->nr_preproc_args + 8,
			      sizeof(char *));
		if (!argv) {
			free(pre);
			return -ENOMEM;
		}
		argv[n++] = (char *)cfg->sparse;
		for (k = 0; k < nflags; k++)
			argv[n++] = flags[k];
		for (k = 0; k < npre; k++)
			argv[n++] = pre[k];
		/* The profile after the unit's own forced includes. */
		for (k = 0; k < cfg->nr_preproc_args; k++)
			argv[n++] = cfg->preproc_args[k];
		if (cfg->profile) {
			argv[n++] = "-include";
			argv[n++] = (char *)cfg->profile;
		}
		argv[n++] = e->file;
		argv[n] = NULL;
		job = job_new(argv, e->directory, NULL);
		free(argv);
		free(pre);
		if (!job)
			return -ENOMEM;
		ret = layer_push_job(jobs, nr, job);
		if (ret)
			return ret;
	}
	return 0;
}

/* Sparse has no rule ids; name the rule after the kind of message. */
static const char *rule_of(const char *msg)
{
	if (strstr(msg, "address space"))
		return "sparse.address-space";
	if (strstr(msg, "noderef"))
		return "sparse.noderef";
	if (strstr(msg, "restricted") || strstr(msg, "different base types"))
		return "sparse.bitwise";
	if (strstr(msg, "context"))
		return "sparse.context";
	return "sparse.other";
}

static int parse(const struct check_config *cfg, struct job *job,
		 struct findings *out)
{
	struct findings tmp = {0};
	size_t i;
	int ret;

	if (job->status != 0 && job->status != 1) {
		fprintf(stderr, "gpuown-check: sparse failed on %s%s:\n%s\n",
			job->argv[0], job->timed_out ? " (timed out)" : "",
			job->output ? job->output : "");
		return -EIO;
	}
	ret = diag_parse(job->output ? job->output : "", "sparse", "sparse",
			 job->cwd, &tmp);
	if (ret < 0)
		goto out;
	if (job->status != 0 && ret == 0) {
		fprintf(stderr, "gpuown-check: sparse failed:\n%s\n",
			job->output ? job->output : "");
		ret = -EIO;
		goto out;
	}
	for (i = 0; i < tmp.nr; i++) {
		struct finding *f = &tmp.v[i];

		ret = findings_add(out, "sparse", rule_of(f->message), f->file,
				   f->line, f->col, f->message, NULL);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	findings_free(&tmp);
	return ret;
}

const struct layer layer_sparse = {
	.name = "sparse",
	.tool = "sparse",
	.add_jobs = add_jobs,
	.parse = parse,
};
