// SPDX-License-Identifier: MIT
/* The sparse layer: address spaces, noderef, bitwise and context checks. */
#include "diag_parse.h"
#include "layer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	size_t i;
	int ret;

	for (i = 0; i < db->nr; i++) {
		const struct compdb_entry *e = &db->entries[i];
		char **pre, **argv;
		struct job *job;
		int npre, n = 0, k;

		ret = compdb_preproc_args(e, &pre, &npre);
		if (ret)
			return ret;
		argv = calloc((size_t)npre + 8, sizeof(char *));
		if (!argv) {
			free(pre);
			return -ENOMEM;
		}
		argv[n++] = (char *)cfg->sparse;
		if (cfg->profile) {
			argv[n++] = "-include";
			argv[n++] = (char *)cfg->profile;
		}
		for (k = 0; k < npre; k++)
			argv[n++] = pre[k];
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
	if (strstr(msg, "context imbalance") || strstr(msg, "context"))
		return "sparse.context";
	return "sparse.other";
}

static int parse(const struct check_config *cfg, struct job *job,
		 struct findings *out)
{
	struct findings tmp = { 0 };
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
