// SPDX-License-Identifier: MIT
#include "cache.h"
#include "atomic_out.h"
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GPUOWN_VERSION
#define GPUOWN_VERSION "0.0.0"
#endif

static void hex(const unsigned char *md, unsigned int n, char *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[2 * n] = '\0';
}

static void finish(EVP_MD_CTX *ctx, char out[CACHE_KEY_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	hex(md, n, out);
}

static EVP_MD_CTX *start(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx && !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* A string field, with its terminator as the separator. */
static void field(EVP_MD_CTX *ctx, const char *s)
{
	s = s ? s : "";
	EVP_DigestUpdate(ctx, s, strlen(s) + 1);
}

static void hash_file(EVP_MD_CTX *ctx, const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f;

	field(ctx, path);
	f = path ? fopen(path, "r") : NULL;
	if (!f) {
		field(ctx, "(missing)");
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	fclose(f);
}

/* A binary found through PATH: its version shows in its path, size, time. */
static void hash_binary(EVP_MD_CTX *ctx, const char *name)
{
	char path[PATH_MAX], line[128];
	const char *p = getenv("PATH"), *end;
	struct stat st;

	field(ctx, name);
	if (!name)
		return;
	if (strchr(name, '/')) {
		snprintf(path, sizeof(path), "%s", name);
	} else {
		path[0] = '\0';
		for (; p && *p; p = *end ? end + 1 : end) {
			end = strchrnul(p, ':');
			snprintf(path, sizeof(path), "%.*s/%s", (int)(end - p),
				 p, name);
			if (access(path, X_OK) == 0)
				break;
			path[0] = '\0';
		}
	}
	if (!path[0] || stat(path, &st)) {
		field(ctx, "(not found)");
		return;
	}
	snprintf(line, sizeof(line), "%lld %lld.%09ld", (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	field(ctx, line);
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void hash_dir(EVP_MD_CTX *ctx, const char *dir)
{
	struct dirent **v;
	char path[PATH_MAX];
	struct stat st;
	int n, i;

	n = dir ? scandir(dir, &v, not_dot, alphasort) : -1;
	field(ctx, dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			hash_file(ctx, path);
		free(v[i]);
	}
	if (n >= 0)
		free(v);
}

static void tools_fingerprint(const struct check_config *cfg, char *out)
{
	EVP_MD_CTX *ctx = start();
	char jobs[16];
	int i;

	field(ctx, "gpuown-check cache v1");
	field(ctx, GPUOWN_VERSION);
	hash_file(ctx, cfg->plugin);
	hash_file(ctx, cfg->sparse_flags);
	hash_dir(ctx, cfg->cocci_dir);
	hash_file(ctx, cfg->profile);
	hash_file(ctx, cfg->annotations);
	hash_file(ctx, cfg->roles_header);
	/* The Coccinelle selection: mode, rules, rule options, fw headers. */
	field(ctx, cfg->cocci_mode ? cfg->cocci_mode : "report");
	for (i = 0; i < cfg->nr_cocci_rules; i++)
		field(ctx, cfg->cocci_rules[i]);
	field(ctx, "--");
	for (i = 0; i < cfg->nr_cocci_defines; i++)
		field(ctx, cfg->cocci_defines[i]);
	field(ctx, "--");
	for (i = 0; i < cfg->nr_fw_headers; i++)
		hash_file(ctx, cfg->fw_headers[i]);
	/* A rule's files are split in cfg->jobs chunks, one job each. */
	snprintf(jobs, sizeof(jobs), "%d", cfg->jobs);
	field(ctx, jobs);
	hash_binary(ctx, cfg->clang);
	hash_binary(ctx, cfg->sparse);
	hash_binary(ctx, cfg->spatch ? cfg->spatch : "spatch");
	field(ctx, cfg->all_analyzer_checkers ? "all" : "gpuown");
	finish(ctx, out);
}

/* The unit's compile command, made to preprocess to stdout. */
static struct job *preprocess_job(const struct check_config *cfg,
				  const struct compdb_entry *e)
{
	char **argv = calloc((size_t)e->argc + (size_t)cfg->nr_preproc_args + 8,
			     sizeof(char *));
	const char *rel = e->file;
	size_t dl = strlen(e->directory);
	struct job *job;
	int i, n = 0;

	if (!argv)
		return NULL;
	if (!strncmp(rel, e->directory, dl) && rel[dl] == '/')
		rel += dl + 1;
	argv[n++] = (char *)cfg->clang;
	argv[n++] = "-E";
	argv[n++] = "-w";
	if (cfg->profile) {
		argv[n++] = "-include";
		argv[n++] = (char *)cfg->profile;
	}
	for (i = 1; i < e->argc; i++) {
		const char *a = e->argv[i];

		if (!strcmp(a, "-o") || !strcmp(a, "-MF") ||
		    !strcmp(a, "-MT") || !strcmp(a, "-MQ")) {
			i++;
			continue;
		}
		/* -Wp,-MD,file would write a dependency file into the tree. */
		if (!strncmp(a, "-Wp,", 4) && strstr(a, ",-M"))
			continue;
		if (!strcmp(a, "-c") || !strncmp(a, "-o", 2) ||
		    !strncmp(a, "-M", 2) || !strcmp(a, e->file) ||
		    !strcmp(a, rel))
			continue;
		argv[n++] = (char *)a;
	}
	for (i = 0; i < cfg->nr_preproc_args; i++)
		argv[n++] = cfg->preproc_args[i];
	argv[n++] = e->file;
	argv[n] = NULL;
	job = job_new(argv, e->directory, NULL);
	free(argv);
	return job;
}

static int preprocessed(struct job *job, void *ctx)
{
	char *out = ctx;
	EVP_MD_CTX *md;
	size_t idx = (size_t)job->unit;

	if (job->status != 0 || !job->output || job->truncated)
		return 0; /* not cached: the layers will say what is wrong */
	md = start();
	if (!md)
		return 0;
	EVP_DigestUpdate(md, job->output, job->output_len);
	finish(md, out + idx * (CACHE_KEY_LEN + 1));
	free(job->output);
	job->output = NULL;
	return 0;
}

static int default_dir(char *buf, size_t len)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x && *x)
		return snprintf(buf, len, "%s/gpuown/check", x) >= (int)len;
	if (!home || !*home)
		return -1;
	return snprintf(buf, len, "%s/.cache/gpuown/check", home) >= (int)len;
}

static int mkdirs(char *path)
{
	char *s;

	for (s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*s = '/';
			return -errno;
		}
		*s = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int cache_open(struct cache *c, const char *dir, const struct check_config *cfg,
	       const struct compdb *db, int parallel)
{
	struct job **jobs;
	size_t i, n = 0;
	int ret;

	memset(c, 0, sizeof(*c));
	if (dir)
		snprintf(c->dir, sizeof(c->dir), "%s", dir);
	else if (default_dir(c->dir, sizeof(c->dir))) {
		fprintf(stderr,
			"gpuown-check: no cache folder: set XDG_CACHE_HOME or "
			"HOME, or --cache-dir / --no-cache\n");
		return -EINVAL;
	}
	ret = mkdirs(c->dir);
	if (ret) {
		fprintf(stderr, "gpuown-check: cache %s: %s\n", c->dir,
			strerror(-ret));
		return ret;
	}
	tools_fingerprint(cfg, c->tools);
	c->db = db;
	c->nr_units = db->nr;
	c->unit = calloc(db->nr ? db->nr : 1, sizeof(*c->unit));
	jobs = calloc(db->nr ? db->nr : 1, sizeof(*jobs));
	if (!c->unit || !jobs) {
		free(jobs);
		return -ENOMEM;
	}
	for (i = 0; i < db->nr; i++, n++) {
		jobs[i] = preprocess_job(cfg, &db->entries[i]);
		if (!jobs[i]) {
			ret = -ENOMEM;
			goto out;
		}
		jobs[i]->unit = (long)i;
	}
	ret = jobs_run(jobs, n, parallel, cfg->timeout, cfg->tmpdir,
		       preprocessed, c->unit);
out:
	for (i = 0; i < n; i++)
		job_free(jobs[i]);
	free(jobs);
	return ret;
}

void cache_close(struct cache *c)
{
	free(c->unit);
	c->unit = NULL;
}

int cache_key(const struct cache *c, const struct layer *layer,
	      const struct check_config *cfg, const struct job *job, long unit,
	      char key[CACHE_KEY_LEN + 1])
{
	size_t tl = strlen(cfg->tmpdir), i;
	EVP_MD_CTX *ctx;

	if (unit < -1)
		return -1; /* the layer caches per unit itself */
	for (i = 0; i < c->nr_units; i++)
		if ((unit < 0 || (size_t)unit == i) && !c->unit[i][0])
			return -1;
	ctx = start();
	if (!ctx)
		return -1;
	field(ctx, c->tools);
	field(ctx, layer->name);
	field(ctx, job->cwd);
	for (i = 0; job->argv[i]; i++) {
		/* Paths in the private folder change every run. */
		const char *a = job->argv[i];

		if (!strncmp(a, cfg->tmpdir, tl))
			a += tl;
		field(ctx, a);
	}
	for (i = 0; i < c->nr_units; i++)
		if (unit < 0 || (size_t)unit == i)
			field(ctx, c->unit[i]);
	finish(ctx, key);
	return 0;
}

void cache_rule_digest(const char *instance, char *const *opt, int nopt,
		       const char *fw_define, char out[CACHE_KEY_LEN + 1])
{
	EVP_MD_CTX *ctx = start();
	char path[PATH_MAX];
	const char *p, *end;
	int k;

	if (!ctx) {
		out[0] = '\0';
		return;
	}
	field(ctx, instance);
	for (k = 0; k < nopt; k++)
		field(ctx, opt[k]);
	field(ctx, "--");
	field(ctx, fw_define ? fw_define : "");
	p = fw_define ? strchr(fw_define, '=') : NULL;
	while (p && *p) {
		p++;
		end = strchrnul(p, ':');
		snprintf(path, sizeof(path), "%.*s", (int)(end - p), p);
		hash_file(ctx, path);
		p = end;
	}
	finish(ctx, out);
}

/* @file as the Coccinelle layer lists it, made absolute against the root. */
static void unit_path(const struct check_config *cfg, const char *file,
		      char *buf, size_t len)
{
	if (file[0] == '/' || !cfg->root || !cfg->root[0])
		snprintf(buf, len, "%s", file);
	else
		snprintf(buf, len, "%s/%s", cfg->root, file);
}

int cache_unit_key(const struct cache *c, const struct check_config *cfg,
		   const char *what, const char *file,
		   char key[CACHE_KEY_LEN + 1])
{
	char path[PATH_MAX];
	EVP_MD_CTX *ctx;
	size_t i;

	unit_path(cfg, file, path, sizeof(path));
	for (i = 0; i < c->nr_units; i++)
		if (!strcmp(c->db->entries[i].file, path))
			break;
	if (i == c->nr_units || !c->unit[i][0])
		return -1;
	ctx = start();
	if (!ctx)
		return -1;
	field(ctx, c->tools);
	field(ctx, "coccinelle unit");
	field(ctx, what);
	field(ctx, file);
	field(ctx, c->unit[i]);
	hash_file(ctx, path);
	finish(ctx, key);
	return 0;
}

int cache_files_cover(const struct check_config *cfg, const struct findings *f,
		      size_t from, char *const *files, size_t nr)
{
	char path[PATH_MAX];
	size_t i, k;

	for (i = from; i < f->nr; i++) {
		for (k = 0; k < nr; k++) {
			unit_path(cfg, files[k], path, sizeof(path));
			if (!strcmp(f->v[i].file, path))
				break;
		}
		if (k == nr)
			return 0;
	}
	return 1;
}

static void entry_path(const struct cache *c, const char *key, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/%.2s/%s.json", c->dir, key, key + 2);
}

int cache_load(struct cache *c, const char *key, struct findings *f)
{
	char path[PATH_MAX], err[512];
	struct json_object *root, *v;
	size_t i, n;

	entry_path(c, key, path, sizeof(path));
	if (access(path, F_OK)) {
		c->misses++;
		return 0;
	}
	root = json_read_bounded(path, INPUT_MAX_SARIF, err, sizeof(err));
	if (!root || !json_object_object_get_ex(root, "findings", &v) ||
	    !json_object_is_type(v, json_type_array)) {
		json_object_put(root); /* a damaged entry is a miss */
		c->misses++;
		return 0;
	}
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(v, i), *s;
		const char *layer = json_object_get_string(
			json_object_object_get(o, "layer"));
		static const char *const layers[] = {"analyzer", "sparse",
						     "coccinelle"};
		size_t l;

		for (l = 0; l < 3 && layer && strcmp(layer, layers[l]); l++)
			;
		if (!layer || l == 3)
			continue;
		s = json_object_object_get(o, "sarif");
		findings_add(
			f, layers[l],
			json_object_get_string(
				json_object_object_get(o, "rule")),
			json_object_get_string(
				json_object_object_get(o, "file")),
			json_object_get_int(json_object_object_get(o, "line")),
			json_object_get_int(json_object_object_get(o, "col")),
			json_object_get_string(
				json_object_object_get(o, "message")),
			s ? json_object_get(s) : NULL);
	}
	json_object_put(root);
	c->hits++;
	return 1;
}

static void store(struct cache *c, const char *key, const struct findings *f,
		  size_t from, const char *only);

void cache_store(struct cache *c, const char *key, const struct findings *f,
		 size_t from)
{
	store(c, key, f, from, NULL);
}

void cache_store_file(struct cache *c, const struct check_config *cfg,
		      const char *key, const struct findings *f, size_t from,
		      const char *file)
{
	char path[PATH_MAX];

	unit_path(cfg, file, path, sizeof(path));
	store(c, key, f, from, path);
}

/* Store f->v[from..], only the findings in file @only when not NULL. */
static void store(struct cache *c, const char *key, const struct findings *f,
		  size_t from, const char *only)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	char path[PATH_MAX];
	const char *text;
	size_t i, len;

	for (i = from; i < f->nr; i++) {
		const struct finding *n = &f->v[i];
		struct json_object *o;

		if (only && strcmp(n->file, only))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "layer",
				       json_object_new_string(n->layer));
		json_object_object_add(o, "rule",
				       json_object_new_string(n->rule));
		json_object_object_add(o, "file",
				       json_object_new_string(n->file));
		json_object_object_add(o, "line", json_object_new_int(n->line));
		json_object_object_add(o, "col", json_object_new_int(n->col));
		json_object_object_add(o, "message",
				       json_object_new_string(n->message));
		if (n->sarif)
			json_object_object_add(o, "sarif",
					       json_object_get(n->sarif));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "findings", arr);
	snprintf(path, sizeof(path), "%s/%.2s", c->dir, key);
	mkdir(path, 0755);
	entry_path(c, key, path, sizeof(path));
	text = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN,
						 &len);
	if (text)
		atomic_write(path, text, len);
	json_object_put(root);
}
