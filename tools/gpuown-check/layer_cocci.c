// SPDX-License-Identifier: MIT
/*
 * The Coccinelle layer: every rule in report mode through cocci/run-cocci,
 * which owns the spatch set-up (macro and type files, the rules' options, the
 * generated firmware headers, headers holding per-variant code, the kernel's
 * per-file timeout). One job per rule, so rules run in parallel with the other
 * layers and each finding carries its rule's id.
 */
#include "diag_parse.h"
#include "layer.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Start-up of run-cocci and spatch (macro files, rule parsing), seconds. */
#define COCCI_GRACE 30

struct cocci_job {
	char *rule;
	char *runner;
};

static void free_cocci_job(void *data)
{
	struct cocci_job *cj = data;

	free(cj->rule);
	free(cj->runner);
	free(cj);
}

static int rule_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && strcmp(d->d_name + n - 6, ".cocci") == 0;
}

static int add_rule(const struct check_config *cfg, const char *rule,
		    const struct compdb *db, struct job ***jobs, size_t *nr)
{
	size_t max = 16 + (size_t)cfg->nr_paths + db->nr, i;
	char **argv = calloc(max, sizeof(char *));
	struct cocci_job *cj = calloc(1, sizeof(*cj));
	char timeout[16];
	struct job *job;
	int n = 0;

	if (!argv || !cj)
		goto nomem;
	/* asprintf leaves the pointer undefined on failure. */
	if (asprintf(&cj->runner, "%s/run-cocci", cfg->cocci_dir) < 0) {
		cj->runner = NULL;
		goto nomem;
	}
	if (asprintf(&cj->rule, "cocci.%s", rule) < 0) {
		cj->rule = NULL;
		goto nomem;
	}
	snprintf(timeout, sizeof(timeout), "%d", cfg->timeout);
	argv[n++] = cj->runner;
	argv[n++] = "--mode=report";
	argv[n++] = "--jobs=1";
	/* Verbose: spatch's own per-file timeouts are reported, not hidden. */
	argv[n++] = "--verbose";
	argv[n++] = "--timeout";
	argv[n++] = timeout;
	argv[n++] = "--rule";
	argv[n++] = (char *)rule;
	if (cfg->cocci_profile) {
		argv[n++] = "--profile";
		argv[n++] = (char *)cfg->cocci_profile;
	}
	if (cfg->compdb_dir) {
		/* The database names the units; the paths keep the subset. */
		argv[n++] = "-p";
		argv[n++] = (char *)cfg->compdb_dir;
		for (i = 0; i < (size_t)cfg->nr_paths; i++)
			argv[n++] = cfg->paths[i];
	} else {
		for (i = 0; i < db->nr; i++)
			argv[n++] = db->entries[i].file;
	}
	argv[n] = NULL;
	job = job_new(argv, cfg->root, cj);
	free(argv);
	if (!job) {
		free_cocci_job(cj);
		return -ENOMEM;
	}
	job->free_data = free_cocci_job;
	/* The timeout is per file: this job covers every unit. */
	job->nr_files = (unsigned int)(db->nr ? db->nr : 1);
	/* spatch times each file out itself; this is the safety net. */
	job->grace = COCCI_GRACE;
	return layer_push_job(jobs, nr, job);
nomem:
	free(argv);
	if (cj)
		free_cocci_job(cj);
	return -ENOMEM;
}

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	struct dirent **rules;
	int nrules, r, ret = 0;

	nrules = scandir(cfg->cocci_dir, &rules, rule_filter, alphasort);
	if (nrules <= 0) {
		fprintf(stderr, "gpuown-check: no Coccinelle rules in %s\n",
			cfg->cocci_dir);
		if (nrules == 0)
			free(rules);
		return -ENOENT;
	}
	for (r = 0; r < nrules; r++) {
		char name[256];

		snprintf(name, sizeof(name), "%.*s",
			 (int)(strlen(rules[r]->d_name) - 6), rules[r]->d_name);
		if (!ret)
			ret = add_rule(cfg, name, db, jobs, nr);
		free(rules[r]);
	}
	free(rules);
	return ret;
}

/*
 * Files spatch gave up on (its --timeout): run-cocci --verbose names each in
 * an "EXN: ...Common.Timeout in FILE" line. A notice each, never a silent
 * pass; the line itself is blanked so it cannot read as a finding.
 */
static int timeouts(const struct check_config *cfg, struct cocci_job *cj,
		    struct job *job)
{
	static const char mark[] = "Common.Timeout in ";
	char *s = job->output, *hit, *eol, path[4096 + 256], msg[512];
	int ret;

	while (s && (hit = strstr(s, mark))) {
		char *bol = hit;

		while (bol > job->output && bol[-1] != '\n')
			bol--;
		eol = strchrnul(hit, '\n');
		hit += sizeof(mark) - 1;
		snprintf(path, sizeof(path), "%s%s%.*s",
			 hit[0] == '/' ? "" : job->cwd,
			 hit[0] == '/' ? "" : "/", (int)(eol - hit), hit);
		snprintf(msg, sizeof(msg),
			 "Coccinelle rule %s timed out on this file (%d s): "
			 "not checked",
			 cj->rule, cfg->timeout);
		ret = notices_add(cfg->notices, "coccinelle", "timeout", path,
				  msg);
		if (ret)
			return ret;
		memset(bol, ' ', (size_t)(eol - bol));
		s = eol;
	}
	return 0;
}

static int parse(const struct check_config *cfg, struct job *job,
		 struct findings *out)
{
	struct cocci_job *cj = job->data;
	int ret;

	if (job->timed_out) {
		char msg[256];

		snprintf(msg, sizeof(msg),
			 "Coccinelle rule %s timed out over its %u units: not "
			 "checked",
			 cj->rule, job->nr_files);
		return notices_add(cfg->notices, "coccinelle", "timeout", NULL,
				   msg);
	}
	/* run-cocci: 0 clean, 1 findings, 2 error (its message says which). */
	if (job->status != 0 && job->status != 1) {
		fprintf(stderr,
			"gpuown-check: Coccinelle rule %s failed:\n%s\n",
			cj->rule, job->output ? job->output : "");
		return -EIO;
	}
	ret = timeouts(cfg, cj, job);
	if (ret)
		return ret;
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
