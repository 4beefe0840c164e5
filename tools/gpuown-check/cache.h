/* SPDX-License-Identifier: MIT */
/*
 * The findings cache: each job's findings stored under a SHA-256 of what
 * decides them, so a second run over an unchanged tree only preprocesses,
 * and a one-file change re-runs only the jobs over that unit.
 *
 * The key of a job hashes: the preprocessed text of each unit it covers (so
 * any header, -D or --profile change counts), its command line and working
 * folder, its layer, the contents of the plugin, the sparse runner, the
 * Coccinelle folder (rules, macro files, run-cocci) and both profiles, the
 * path, size and time of the clang, sparse and spatch binaries, and
 * gpuown-check's own version. Jobs that ended in a notice or failed are not
 * stored.
 *
 * Coccinelle runs a rule over a chunk of units in one spatch, so it is cached
 * per (rule, unit) instead: the key of a unit hashes the tools' fingerprint,
 * the rule as instantiated (its text with the profile's names, its options,
 * the macro file), the unit's preprocessed text and its file's own bytes
 * (spatch reads the file, not the preprocessed text). A one-file change
 * re-runs every rule over that one unit. Location: --cache-dir, else
 * $XDG_CACHE_HOME/gpuown/check, else
 * ~/.cache/gpuown/check.
 */
#ifndef GPUOWN_CHECK_CACHE_H
#define GPUOWN_CHECK_CACHE_H

#include "compdb.h"
#include "findings.h"
#include "jobs.h"
#include "layer.h"

#define CACHE_KEY_LEN 64 /* hex SHA-256 */

struct cache {
	char dir[4096];
	const struct compdb *db;
	char tools[CACHE_KEY_LEN + 1];	 /* the tools' and rules' fingerprint */
	char (*unit)[CACHE_KEY_LEN + 1]; /* per entry; "" if not preprocessed */
	size_t nr_units;
	size_t hits, misses;
};

/*
 * Open the cache in @dir (NULL: the default location), fingerprint the tools
 * and preprocess every unit of @db through the job pool. 0 or -errno (with a
 * message); -EINTR when interrupted.
 */
int cache_open(struct cache *c, const char *dir, const struct check_config *cfg,
	       const struct compdb *db, int parallel);
void cache_close(struct cache *c);

/*
 * The key of @job (run by @layer over unit @unit of @db, or all units when
 * @unit < 0) into @key; -1 when a unit it covers could not be preprocessed.
 */
int cache_key(const struct cache *c, const struct layer *layer,
	      const struct check_config *cfg, const struct job *job, long unit,
	      char key[CACHE_KEY_LEN + 1]);

/*
 * What decides a Coccinelle rule's findings besides the unit, into @out: the
 * rule as instantiated, its options, and the firmware-struct headers named
 * in @fw_define ("fw_headers=/a.h:/b.h", or NULL).
 */
void cache_rule_digest(const char *instance, char *const *opt, int nopt,
		       const char *fw_define, char out[CACHE_KEY_LEN + 1]);

/*
 * The key of unit @file (as the Coccinelle layer lists it: relative to
 * cfg->root, or absolute) for a job that @what describes (the rule as
 * instantiated, its options, its macro file) into @key. -1 when @file is not
 * a unit of the database (a header) or could not be preprocessed: not cached.
 */
int cache_unit_key(const struct cache *c, const struct check_config *cfg,
		   const char *what, const char *file,
		   char key[CACHE_KEY_LEN + 1]);

/*
 * Whether every finding in @f->v[from..f->nr) lies in one of the @nr files
 * (as cache_unit_key() takes them): only then can a job's findings be split
 * per unit.
 */
int cache_files_cover(const struct check_config *cfg, const struct findings *f,
		      size_t from, char *const *files, size_t nr);

/* Store the findings of @f->v[from..f->nr) in @file under @key. */
void cache_store_file(struct cache *c, const struct check_config *cfg,
		      const char *key, const struct findings *f, size_t from,
		      const char *file);

/* Add the findings stored under @key to @f. 1 on a hit, 0 on a miss. */
int cache_load(struct cache *c, const char *key, struct findings *f);

/* Store @f->v[from..f->nr) under @key (errors only lose the entry). */
void cache_store(struct cache *c, const char *key, const struct findings *f,
		 size_t from);

#endif /* GPUOWN_CHECK_CACHE_H */
