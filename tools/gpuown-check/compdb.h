/* SPDX-License-Identifier: MIT */
/*
 * Compile databases (compile_commands.json), as CMake, bear and the kernel's
 * gen_compile_commands.py write them.
 */
#ifndef GPUOWN_CHECK_COMPDB_H
#define GPUOWN_CHECK_COMPDB_H

#include <stddef.h>

struct compdb_entry {
	char *directory; /* working directory of the compile */
	char *file;	 /* absolute path of the source */
	char **argv; /* the compile command, split; argv[0] is the compiler */
	int argc;
};

/* Code-loading flags taken out of the database, "file: flag" each. */
struct compdb_stripped {
	char **v;
	size_t nr;
};

struct compdb {
	struct compdb_entry *entries;
	size_t nr;
	struct compdb_stripped stripped;
};

/*
 * Load @path (a compile_commands.json, or a directory holding one). On error,
 * returns -errno or -EINVAL and writes a message naming the file, the entry and
 * what is wrong into @err.
 */
int compdb_load(const char *path, struct compdb *db, char *err, size_t err_len);
void compdb_free(struct compdb *db);

/* Keep only the entries whose file lies under one of @prefixes (all if none).
 */
void compdb_filter(struct compdb *db, char *const *prefixes, int nr_prefixes);

/*
 * Make one entry's command usable by clang 14 and safe to run (compdb_flags.c):
 * drop a compiler launcher in front (ccache, distcc, icecc, sccache), drop the
 * gcc-only code-generation flags clang rejects (the list the kernel keeps
 * for bindgen), and strip every flag that loads code into the compiler
 * (-fplugin, -fpass-plugin, -Xclang -load, -load, -B, -specs, ...), recording
 * each in @stripped. 0 or -ENOMEM.
 */
int compdb_normalise(struct compdb_entry *e, struct compdb_stripped *stripped);

/* Copy of the preprocessor-relevant flags (-I -D -U -include -isystem -std). */
int compdb_preproc_args(const struct compdb_entry *e, char ***out, int *nr);

#endif /* GPUOWN_CHECK_COMPDB_H */
