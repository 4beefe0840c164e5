// SPDX-License-Identifier: MIT
/*
 * Loading compile databases with json-c. A broken database is an input error
 * the user must fix, so every problem is reported with the entry's index.
 */
#include "compdb.h"
#include "input.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wordexp.h>

static char *join_path(const char *dir, const char *file)
{
	char *out;

	if (file[0] == '/' || !dir)
		return strdup(file);
	if (asprintf(&out, "%s/%s", dir, file) < 0)
		return NULL;
	return out;
}

static int split_command(const char *cmd, char ***argv, int *argc)
{
	wordexp_t we;
	int i;

	/* WRDE_NOCMD: a database is data; never run what it contains. */
	if (wordexp(cmd, &we, WRDE_NOCMD | WRDE_UNDEF) != 0)
		return -EINVAL;
	*argv = calloc(we.we_wordc + 1, sizeof(char *));
	if (!*argv) {
		wordfree(&we);
		return -ENOMEM;
	}
	for (i = 0; i < (int)we.we_wordc; i++)
		(*argv)[i] = strdup(we.we_wordv[i]);
	*argc = (int)we.we_wordc;
	wordfree(&we);
	return 0;
}

static int copy_arguments(struct json_object *args, char ***argv, int *argc)
{
	size_t i, n = json_object_array_length(args);

	*argv = calloc(n + 1, sizeof(char *));
	if (!*argv)
		return -ENOMEM;
	*argc = 0;
	for (i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(args, i);

		if (!json_object_is_type(a, json_type_string))
			return -EINVAL;
		(*argv)[i] = strdup(json_object_get_string(a));
		if (!(*argv)[i])
			return -ENOMEM;
		*argc = (int)i + 1;
	}
	return 0;
}

static const char *get_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int load_entry(struct json_object *o, struct compdb_entry *e,
		      struct compdb_stripped *stripped, const char *path,
		      size_t idx, char *err, size_t err_len)
{
	struct json_object *args;
	const char *dir, *file, *cmd;
	int ret;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, err_len, "%s: entry %zu is not an object", path,
			 idx);
		return -EINVAL;
	}
	dir = get_string(o, "directory");
	file = get_string(o, "file");
	if (!dir || !file) {
		snprintf(err, err_len,
			 "%s: entry %zu lacks a string \"%s\" member", path,
			 idx, dir ? "file" : "directory");
		return -EINVAL;
	}
	e->directory = strdup(dir);
	e->file = join_path(dir, file);
	if (json_object_object_get_ex(o, "arguments", &args) &&
	    json_object_is_type(args, json_type_array)) {
		ret = copy_arguments(args, &e->argv, &e->argc);
	} else if ((cmd = get_string(o, "command"))) {
		ret = split_command(cmd, &e->argv, &e->argc);
	} else {
		snprintf(err, err_len,
			 "%s: entry %zu (%s) has neither \"arguments\" nor "
			 "\"command\"",
			 path, idx, file);
		return -EINVAL;
	}
	if (ret == 0)
		ret = compdb_normalise(e, stripped);
	if (ret == 0 && e->argc == 0)
		ret = -EINVAL;
	if (ret)
		snprintf(err, err_len,
			 "%s: entry %zu (%s): unusable compile command", path,
			 idx, file);
	return ret;
}

int compdb_load(const char *path, struct compdb *db, char *err, size_t err_len)
{
	char file[PATH_MAX];
	struct json_object *root;
	struct stat st;
	size_t i, n;
	int ret = 0;

	memset(db, 0, sizeof(*db));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(file, sizeof(file), "%s/compile_commands.json", path);
	else
		snprintf(file, sizeof(file), "%s", path);

	root = json_read_bounded(file, INPUT_MAX_COMPDB, err, err_len);
	if (!root)
		return -EINVAL;
	if (!json_object_is_type(root, json_type_array)) {
		snprintf(err, err_len,
			 "%s: top level is not an array of entries", file);
		ret = -EINVAL;
		goto out;
	}
	n = json_object_array_length(root);
	db->entries = calloc(n ? n : 1, sizeof(*db->entries));
	if (!db->entries) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		ret = load_entry(json_object_array_get_idx(root, i),
				 &db->entries[i], &db->stripped, file, i, err,
				 err_len);
		db->nr = i + 1;
		if (ret)
			goto out;
	}
out:
	json_object_put(root);
	if (ret)
		compdb_free(db);
	return ret;
}

static void free_entry(struct compdb_entry *e)
{
	int i;

	for (i = 0; e->argv && i < e->argc; i++)
		free(e->argv[i]);
	free(e->argv);
	free(e->directory);
	free(e->file);
}

void compdb_free(struct compdb *db)
{
	size_t i;

	for (i = 0; i < db->nr; i++)
		free_entry(&db->entries[i]);
	free(db->entries);
	for (i = 0; i < db->stripped.nr; i++)
		free(db->stripped.v[i]);
	free(db->stripped.v);
	memset(db, 0, sizeof(*db));
}

static int under_prefix(const char *file, const char *prefix)
{
	char real[PATH_MAX];
	size_t n;

	if (!realpath(prefix, real))
		snprintf(real, sizeof(real), "%s", prefix);
	n = strlen(real);
	return strncmp(file, real, n) == 0 &&
	       (file[n] == '/' || file[n] == '\0' || real[n - 1] == '/');
}

void compdb_filter(struct compdb *db, char *const *prefixes, int nr_prefixes)
{
	size_t i, kept = 0;
	int p;

	if (nr_prefixes == 0)
		return;
	for (i = 0; i < db->nr; i++) {
		int keep = 0;

		for (p = 0; p < nr_prefixes && !keep; p++)
			keep = under_prefix(db->entries[i].file, prefixes[p]);
		if (keep)
			db->entries[kept++] = db->entries[i];
		else
			free_entry(&db->entries[i]);
	}
	db->nr = kept;
}

/* Flags that take their value as the next argument. */
static int takes_value(const char *a)
{
	static const char *const two[] = {
		"-I", "-D", "-U", "-include", "-isystem", "-iquote", NULL};
	int i;

	for (i = 0; two[i]; i++)
		if (strcmp(a, two[i]) == 0)
			return 1;
	return 0;
}

static int is_preproc(const char *a)
{
	return !strncmp(a, "-I", 2) || !strncmp(a, "-D", 2) ||
	       !strncmp(a, "-U", 2) || !strncmp(a, "-include", 8) ||
	       !strncmp(a, "-isystem", 8) || !strncmp(a, "-iquote", 7) ||
	       !strncmp(a, "-std=", 5);
}

int compdb_preproc_args(const struct compdb_entry *e, char ***out, int *nr)
{
	char **v = calloc((size_t)e->argc + 1, sizeof(char *));
	int i, n = 0;

	if (!v)
		return -ENOMEM;
	for (i = 1; i < e->argc; i++) {
		if (!is_preproc(e->argv[i]))
			continue;
		v[n++] = e->argv[i];
		if (takes_value(e->argv[i]) && i + 1 < e->argc)
			v[n++] = e->argv[++i];
	}
	*out = v;
	*nr = n;
	return 0;
}
