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
 * stored. Location: --cache-dir, else $XDG_CACHE_HOME/gpuown/check, else
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

/* Add the findings stored under @key to @f. 1 on a hit, 0 on a miss. */
int cache_load(struct cache *c, const char *key, struct findings *f);

/* Store @f->v[from..f->nr) under @key (errors only lose the entry). */
void cache_store(struct cache *c, const char *key, const struct findings *f,
		 size_t from);

#endif /* GPUOWN_CHECK_CACHE_H */
