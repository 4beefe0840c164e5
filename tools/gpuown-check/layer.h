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
#include "notices.h"

struct cache;

struct check_config {
	const char *clang;  /* clang 14 driver */
	const char *plugin; /* GpuownAnalyzer.so */
	const char *sparse;
	const char *sparse_flags; /* sparse/flags: project and kernel flags */
	const char *cocci_dir;	  /* folder of *.cocci rules */
	const char *spatch;
	const char *annotations; /* annotations.h: spatch's macro file */
	/*
	 * gpuown's own annotated API (object.h), whose roles every Coccinelle
	 * rule knows, and the include folders it needs ("dir1:dir2"): the
	 * installed prefix's, or the source tree's.
	 */
	const char *roles_header;
	const char *include_dirs;
	const char *cocci_mode;	  /* report, patch, context, org */
	char *const *cocci_rules; /* rules to run (all if none) */
	int nr_cocci_rules;
	char *const *cocci_defines; /* NAME=VALUE rule options (spatch -D) */
	int nr_cocci_defines;
	char *const *fw_headers; /* versioned fields for versioned_field */
	int nr_fw_headers;
	int jobs;		/* parallel jobs, to split a rule's files */
	const char *compdb_dir; /* folder of compile_commands.json, or NULL */
	char *const *paths;	/* the path filter given on the command line */
	int nr_paths;
	const char *root; /* where relative paths are resolved */
	/*
	 * Header re-declaring a driver's functions, or NULL. Every layer
	 * includes it after the unit's own forced includes (a kernel unit's
	 * kconfig.h and compiler_types.h), so the profile sees the unit's
	 * types.
	 */
	const char *profile;
	/* -I/-D/-U of the command line, added after the unit's own flags. */
	char **preproc_args;
	int nr_preproc_args;
	/* Arguments for the analyzer's clang -cc1 (-Xclang, --analyzer-config)
	 */
	char **cc1_args;
	int nr_cc1_args;
	const char *tmpdir;	   /* private scratch folder */
	int all_analyzer_checkers; /* report stock checkers too */
	int timeout;		   /* seconds per file */
	/* Units a layer could not analyse (timed out, unparsable) go here. */
	struct notices *notices;
	/*
	 * The findings cache, or NULL, for a layer that caches per unit
	 * itself (Coccinelle: one job covers many units), and where the
	 * findings it loads from there go.
	 */
	struct cache *cache;
	struct findings *cached;
};

struct layer {
	const char *name;
	const char *tool; /* SARIF tool name */
	/* Append this layer's jobs for @db to @jobs. */
	int (*add_jobs)(const struct check_config *cfg, const struct compdb *db,
			struct job ***jobs, size_t *nr);
	/*
	 * Turn one finished job into findings; <0 if the tool itself failed.
	 * A unit that timed out or could not be parsed is a notice in
	 * cfg->notices, not a failure.
	 */
	int (*parse)(const struct check_config *cfg, struct job *job,
		     struct findings *out);
};

extern const struct layer layer_analyzer;
extern const struct layer layer_sparse;
extern const struct layer layer_cocci;

/* Append @job to the growable array. */
int layer_push_job(struct job ***jobs, size_t *nr, struct job *job);

#endif /* GPUOWN_CHECK_LAYER_H */
