// SPDX-License-Identifier: MIT
/* The sparse layer: address spaces, noderef, bitwise and context checks. */
#include "diag_parse.h"
#include "layer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FLAGS 64

/*
 * The flags of one kind of tree ("project" or "kernel") from sparse/flags,
 * the file sparse/run-sparse reads too, so CI and a developer's run agree.
 * Returns the number of flags (pointers into @buf) or -errno.
 */
static int load_flags(const struct check_config *cfg, const char *tree,
		      char *buf, size_t len, char **flags)
{
	char line[4096], *tok, *save = NULL;
	size_t klen = strlen(tree);
	FILE *f = fopen(cfg->sparse_flags, "r");
	int n = 0, found = 0;

	if (!f) {
		fprintf(stderr, "gpuown-check: sparse flags %s: %s\n",
			cfg->sparse_flags, strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, tree, klen) && line[klen] == ':') {
			snprintf(buf, len, "%s", line + klen + 1);
			found = 1;
			break;
		}
	}
	fclose(f);
	if (!found) {
		fprintf(stderr, "gpuown-check: %s has no '%s:' line\n",
			cfg->sparse_flags, tree);
		return -EINVAL;
	}
	for (tok = strtok_r(buf, " \t\n", &save); tok && n < MAX_FLAGS - 1;
	     tok = strtok_r(NULL, " \t\n", &save))
		flags[n++] = tok;
	return n;
}

/* A unit of a kernel tree: the kernel's own sparse flags, not gpuown's. */
static int is_kernel_unit(const struct compdb_entry *e)
{
	int i;

	for (i = 1; i < e->argc; i++)
		if (!strcmp(e->argv[i], "-D__KERNEL__") ||
		    (!strcmp(e->argv[i], "-D") && i + 1 < e->argc &&
		     !strcmp(e->argv[i + 1], "__KERNEL__")))
			return 1;
	return 0;
}

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	char buf[2][4096], *flags[2][MAX_FLAGS];
	int nflags[2];
	size_t i;
	int ret;

	nflags[0] =
		load_flags(cfg, "project", buf[0], sizeof(buf[0]), flags[0]);
	if (nflags[0] < 0)
		return nflags[0];
	nflags[1] = load_flags(cfg, "kernel", buf[1], sizeof(buf[1]), flags[1]);
	if (nflags[1] < 0)
		return nflags[1];
	for (i = 0; i < db->nr; i++) {
		const struct compdb_entry *e = &db->entries[i];
		char **pre, **argv;
		struct job *job;
		int npre, n = 0, k, kern = is_kernel_unit(e);

		ret = compdb_preproc_args(e, &pre, &npre);
		if (ret)
			return ret;
		argv = calloc((size_t)npre + (size_t)nflags[kern] +
				      (size_t)cfg->nr_preproc_args + 8,
			      sizeof(char *));
		if (!argv) {
			free(pre);
			return -ENOMEM;
		}
		argv[n++] = (char *)cfg->sparse;
		for (k = 0; k < nflags[kern]; k++)
			argv[n++] = flags[kern][k];
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
		job->unit = (long)i;
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

	if (job->timed_out) {
		char **a = job->argv;

		while (a[1])
			a++; /* the unit is the last argument */
		return notices_add(cfg->notices, "sparse", "timeout", *a,
				   "sparse timed out: unit not checked");
	}
	if (job->status != 0 && job->status != 1) {
		fprintf(stderr, "gpuown-check: sparse failed on %s:\n%s\n",
			job->argv[0], job->output ? job->output : "");
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
