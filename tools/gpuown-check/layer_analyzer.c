// SPDX-License-Identifier: MIT
/*
 * The Clang Static Analyzer layer: the gpuown plugin on every translation unit,
 * SARIF out of clang (one run per unit), merged by the caller.
 */
#include "input.h"
#include "layer.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct analyzer_job {
	const struct layer *layer;
	char *sarif_path;
	char *file;
};

static void free_analyzer_job(void *data)
{
	struct analyzer_job *aj = data;

	free(aj->sarif_path);
	free(aj->file);
	free(aj);
}

/* Compile flags that say nothing to the analyzer or would write files. */
/* The unit's own source, spelled relative to the entry's directory or not. */
static int names_unit(const char *a, const char *dir, const char *file)
{
	size_t n = strlen(dir);

	if (strcmp(a, file) == 0)
		return 1;
	return a[0] != '/' && !strncmp(file, dir, n) && file[n] == '/' &&
	       strcmp(file + n + 1, a) == 0;
}

static int skip_arg(const char *a, const char *dir, const char *file,
		    int *skip_next)
{
	static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ",
						 NULL};
	int i;

	for (i = 0; with_value[i]; i++) {
		if (strcmp(a, with_value[i]) == 0) {
			*skip_next = 1;
			return 1;
		}
	}
	return strcmp(a, "-c") == 0 || !strncmp(a, "-M", 2) ||
	       !strncmp(a, "-fsanitize", 10) ||
	       !strncmp(a, "-fno-sanitize", 13) || !strncmp(a, "-W", 2) ||
	       !strncmp(a, "-o", 2) || names_unit(a, dir, file);
}

static int add_unit(const struct check_config *cfg,
		    const struct compdb_entry *e, size_t idx,
		    struct job ***jobs, size_t *nr)
{
	char **argv =
		calloc((size_t)e->argc + 24 + (size_t)cfg->nr_preproc_args +
			       2 * (size_t)cfg->nr_cc1_args,
		       sizeof(char *));
	struct analyzer_job *aj = calloc(1, sizeof(*aj));
	int i, n = 0, skip_next = 0;
	struct job *job;

	if (!argv || !aj)
		goto nomem;
	if (asprintf(&aj->sarif_path, "%s/analyzer-%zu.sarif", cfg->tmpdir,
		     idx) < 0) {
		aj->sarif_path = NULL; /* undefined after a failed asprintf */
		goto nomem;
	}
	aj->file = strdup(e->file);
	aj->layer = &layer_analyzer;
	argv[n++] = (char *)cfg->clang;
	argv[n++] = "--analyze";
	argv[n++] = "--analyzer-output";
	argv[n++] = "sarif";
	argv[n++] = "-o";
	argv[n++] = aj->sarif_path;
	argv[n++] = "-Xclang";
	argv[n++] = "-load";
	argv[n++] = "-Xclang";
	argv[n++] = (char *)cfg->plugin;
	argv[n++] = "-Xclang";
	argv[n++] = "-analyzer-checker=gpuown";
	argv[n++] = "-Qunused-arguments";
	for (i = 0; i < cfg->nr_cc1_args; i++) {
		argv[n++] = "-Xclang";
		argv[n++] = cfg->cc1_args[i];
	}
	for (i = 1; i < e->argc; i++) {
		if (skip_next) {
			skip_next = 0;
			continue;
		}
		if (!skip_arg(e->argv[i], e->directory, e->file, &skip_next))
			argv[n++] = e->argv[i];
	}
	/* After the unit's flags: its own -include's first, then the profile.
	 */
	for (i = 0; i < cfg->nr_preproc_args; i++)
		argv[n++] = cfg->preproc_args[i];
	if (cfg->profile) {
		argv[n++] = "-include";
		argv[n++] = (char *)cfg->profile;
	}
	argv[n++] = e->file;
	argv[n] = NULL;
	job = job_new(argv, e->directory, aj);
	free(argv);
	if (!job) {
		free_analyzer_job(aj);
		return -ENOMEM;
	}
	job->free_data = free_analyzer_job;
	job->unit = (long)idx;
	return layer_push_job(jobs, nr, job);
nomem:
	free(argv);
	if (aj)
		free_analyzer_job(aj);
	return -ENOMEM;
}

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	size_t i;
	int ret;

	for (i = 0; i < db->nr; i++) {
		ret = add_unit(cfg, &db->entries[i], i, jobs, nr);
		if (ret)
			return ret;
	}
	return 0;
}

static const char *uri_to_path(const char *uri)
{
	return strncmp(uri, "file://", 7) == 0 ? uri + 7 : uri;
}

static int add_result(const struct check_config *cfg, struct json_object *res,
		      struct findings *out)
{
	struct json_object *rule, *msg, *text, *locs, *pl, *art, *uri, *reg, *v;
	int line = 0, col = 0;
	const char *id;

	if (!json_object_object_get_ex(res, "ruleId", &rule) ||
	    !json_object_object_get_ex(res, "message", &msg) ||
	    !json_object_object_get_ex(msg, "text", &text) ||
	    !json_object_object_get_ex(res, "locations", &locs) ||
	    json_object_array_length(locs) < 1)
		return -EINVAL;
	id = json_object_get_string(rule);
	if (!cfg->all_analyzer_checkers && strncmp(id, "gpuown.", 7) != 0)
		return 0;
	if (!json_object_object_get_ex(json_object_array_get_idx(locs, 0),
				       "physicalLocation", &pl) ||
	    !json_object_object_get_ex(pl, "artifactLocation", &art) ||
	    !json_object_object_get_ex(art, "uri", &uri))
		return -EINVAL;
	if (json_object_object_get_ex(pl, "region", &reg)) {
		if (json_object_object_get_ex(reg, "startLine", &v))
			line = json_object_get_int(v);
		if (json_object_object_get_ex(reg, "startColumn", &v))
			col = json_object_get_int(v);
	}
	return findings_add(out, "analyzer", id,
			    uri_to_path(json_object_get_string(uri)), line, col,
			    json_object_get_string(text), json_object_get(res));
}

static int parse(const struct check_config *cfg, struct job *job,
		 struct findings *out)
{
	struct analyzer_job *aj = job->data;
	struct json_object *root, *runs, *results;
	char err[1024];
	size_t r, i;
	int ret = 0;

	if (job->timed_out)
		return notices_add(cfg->notices, "analyzer", "timeout",
				   aj->file,
				   "analyzer timed out: unit not analysed");
	/* clang ran and rejected the unit: its errors say why. */
	if (job->status == 1 && job->output && strstr(job->output, "error: ")) {
		char msg[1024];

		snprintf(msg, sizeof(msg),
			 "analyzer could not parse the unit: %.900s",
			 strstr(job->output, "error: ") + 7);
		msg[strcspn(msg, "\n")] = '\0';
		return notices_add(cfg->notices, "analyzer", "unparsable",
				   aj->file, msg);
	}
	if (job->status != 0) {
		fprintf(stderr, "gpuown-check: analyzer failed on %s:\n%s\n",
			aj->file, job->output ? job->output : "");
		return -EIO;
	}
	if (access(aj->sarif_path, F_OK) != 0)
		return 0; /* no output: nothing to report in this unit */
	root = json_read_bounded(aj->sarif_path, INPUT_MAX_SARIF, err,
				 sizeof(err));
	if (!root) {
		fprintf(stderr, "gpuown-check: analyzer output %s\n", err);
		return -EIO;
	}
	if (!json_object_object_get_ex(root, "runs", &runs))
		goto bad;
	for (r = 0; r < json_object_array_length(runs); r++) {
		struct json_object *run = json_object_array_get_idx(runs, r);

		if (!json_object_object_get_ex(run, "results", &results))
			continue;
		for (i = 0; i < json_object_array_length(results); i++) {
			ret = add_result(cfg,
					 json_object_array_get_idx(results, i),
					 out);
			if (ret)
				goto bad;
		}
	}
	json_object_put(root);
	return 0;
bad:
	fprintf(stderr, "gpuown-check: %s: unexpected SARIF from clang\n",
		aj->sarif_path);
	json_object_put(root);
	return -EINVAL;
}

const struct layer layer_analyzer = {
	.name = "analyzer",
	.tool = "clang-analyzer-gpuown",
	.add_jobs = add_jobs,
	.parse = parse,
};
