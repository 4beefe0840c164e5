// SPDX-License-Identifier: MIT
/*
 * The Coccinelle layer: every rule in report mode on every file, one spatch per
 * (rule, file) so the pool keeps both cores busy and one slow file cannot hold
 * up the rest; each under the kernel's per-file timeout.
 */
#include "diag_parse.h"
#include "layer.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cocci_job {
	char *rule;
	char *file;
};

static void free_cocci_job(void *data)
{
	struct cocci_job *cj = data;

	free(cj->rule);
	free(cj->file);
	free(cj);
}

static int rule_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && strcmp(d->d_name + n - 6, ".cocci") == 0;
}

static int add_one(const struct check_config *cfg, const char *sp_file,
		   const char *rule, const struct compdb_entry *e,
		   struct job ***jobs, size_t *nr)
{
	char timeout[16];
	char *argv[20];
	struct cocci_job *cj;
	struct job *job;
	int n = 0;

	snprintf(timeout, sizeof(timeout), "%d", cfg->timeout);
	argv[n++] = (char *)cfg->spatch;
	argv[n++] = "--very-quiet";
	argv[n++] = "--no-show-diff";
	argv[n++] = "-D";
	argv[n++] = "report";
	argv[n++] = "--timeout";
	argv[n++] = timeout;
	if (cfg->cocci_macros) {
		argv[n++] = "--macro-file-builtins";
		argv[n++] = (char *)cfg->cocci_macros;
	}
	argv[n++] = "--sp-file";
	argv[n++] = (char *)sp_file;
	argv[n++] = e->file;
	argv[n] = NULL;
	cj = calloc(1, sizeof(*cj));
	if (!cj || asprintf(&cj->rule, "cocci.%s", rule) < 0) {
		free(cj);
		return -ENOMEM;
	}
	cj->file = strdup(e->file);
	job = job_new(argv, e->directory, cj);
	if (!job) {
		free_cocci_job(cj);
		return -ENOMEM;
	}
	job->free_data = free_cocci_job;
	return layer_push_job(jobs, nr, job);
}

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	struct dirent **rules;
	int nrules, r, ret = 0;
	size_t i;

	nrules = scandir(cfg->cocci_dir, &rules, rule_filter, alphasort);
	if (nrules < 0) {
		fprintf(stderr, "gpuown-check: no Coccinelle rules in %s: %s\n",
			cfg->cocci_dir, strerror(errno));
		return -ENOENT;
	}
	for (r = 0; r < nrules; r++) {
		char sp_file[4096], name[256];

		snprintf(sp_file, sizeof(sp_file), "%s/%s", cfg->cocci_dir,
			 rules[r]->d_name);
		snprintf(name, sizeof(name), "%.*s",
			 (int)(strlen(rules[r]->d_name) - 6), rules[r]->d_name);
		for (i = 0; i < db->nr && !ret; i++)
			ret = add_one(cfg, sp_file, name, &db->entries[i], jobs,
				      nr);
	}
	for (r = 0; r < nrules; r++)
		free(rules[r]);
	free(rules);
	return ret;
}

static int parse(const struct check_config *cfg, struct job *job,
		 struct findings *out)
{
	struct cocci_job *cj = job->data;
	int ret;

	if (job->timed_out) {
		/* As in the kernel: a file that times out is skipped, loudly. */
		fprintf(stderr, "gpuown-check: %s timed out on %s; skipped\n",
			cj->rule, cj->file);
		return 0;
	}
	if (job->status != 0) {
		fprintf(stderr, "gpuown-check: spatch failed (%s):\n%s\n",
			cj->rule, job->output ? job->output : "");
		return -EIO;
	}
	ret = diag_parse(job->output ? job->output : "", "coccinelle", cj->rule,
			 job->cwd, out);
	return ret < 0 ? ret : 0;
}

const struct layer layer_cocci = {
	.name = "coccinelle",
	.tool = "coccinelle",
	.add_jobs = add_jobs,
	.parse = parse,
};
