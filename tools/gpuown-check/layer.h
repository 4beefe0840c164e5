/* SPDX-License-Identifier: MIT */
/*
 * One static layer: how to turn a compile database into jobs, and a finished
 * job's output into findings. The analyzer, sparse and Coccinelle layers run in
 * one process pool, so all layers proceed in parallel.
 */
#ifndef GPUOWN_CHECK_LAYER_H
#define GPUOWN_CHECK_LAYER_H

#include "compdb.h"
#include "findings.h"
#include "jobs.h"

struct check_config {
	const char *clang; /* clang 14 driver */
	const char *plugin; /* GpuownAnalyzer.so */
	const char *sparse;
	const char *sparse_flags; /* sparse/flags: project and kernel flags */
	const char *cocci_dir; /* folder of *.cocci rules */
	const char *spatch;
	const char *annotations; /* annotations.h: spatch's macro file */
	const char *cocci_mode; /* report, patch, context, org */
	char *const *cocci_rules; /* rules to run (all if none) */
	int nr_cocci_rules;
	char *const *cocci_defines; /* NAME=VALUE rule options (spatch -D) */
	int nr_cocci_defines;
	char *const *fw_headers; /* versioned fields for versioned_field */
	int nr_fw_headers;
	int jobs; /* parallel jobs, to split a rule's files */
	const char *compdb_dir; /* folder of compile_commands.json, or NULL */
	char *const *paths; /* the path filter given on the command line */
	int nr_paths;
	const char *root; /* where relative paths are resolved */
	const char *profile; /* header re-declaring a driver's functions, or NULL */
	const char *tmpdir; /* private scratch folder */
	int all_analyzer_checkers; /* report stock checkers too */
	int timeout; /* seconds per job */
};

struct layer {
	const char *name;
	const char *tool; /* SARIF tool name */
	/* Append this layer's jobs for @db to @jobs. */
	int (*add_jobs)(const struct check_config *cfg, const struct compdb *db,
			struct job ***jobs, size_t *nr);
	/* Turn one finished job into findings; <0 if the tool itself failed. */
	int (*parse)(const struct check_config *cfg, struct job *job,
		     struct findings *out);
};

extern const struct layer layer_analyzer;
extern const struct layer layer_sparse;
extern const struct layer layer_cocci;

/* Append @job to the growable array. */
int layer_push_job(struct job ***jobs, size_t *nr, struct job *job);

#endif /* GPUOWN_CHECK_LAYER_H */
