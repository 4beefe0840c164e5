// SPDX-License-Identifier: MIT
/*
 * Roles from annotated headers: clang parses the header with the analyzer
 * plugin's gpuown-roles action, which prints every annotated function with
 * its role and parameter index. The header the analyzer reads is thereby the
 * only source of the names the Coccinelle rules need.
 */
#include "roles.h"
#include "jobs.h"
#include "layer.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GPUOWN_CHECK_DEFAULT_ROLES_HEADER
#define GPUOWN_CHECK_DEFAULT_ROLES_HEADER "runtime/include/gpuown/object.h"
#endif
#ifndef GPUOWN_CHECK_INCLUDE_DIRS
#define GPUOWN_CHECK_INCLUDE_DIRS "annotations:runtime/include"
#endif

void roles_free(struct roles *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->v[i].function);
		free(r->v[i].role);
	}
	free(r->v);
	r->v = NULL;
	r->nr = 0;
	for (i = 0; i < r->nr_fields; i++) {
		free(r->fields[i].field);
		free(r->fields[i].record);
		free(r->fields[i].role);
		free(r->fields[i].arg);
	}
	free(r->fields);
	r->fields = NULL;
	r->nr_fields = 0;
}

static int add_field(struct roles *r, const char *field, const char *record,
		     const char *role, const char *arg)
{
	struct field_entry *v =
		realloc(r->fields, (r->nr_fields + 1) * sizeof(*v));
	struct field_entry *e;

	if (!v)
		return -ENOMEM;
	r->fields = v;
	e = &v[r->nr_fields];
	e->field = strdup(field);
	e->record = strdup(record ? record : "");
	e->role = strdup(role);
	e->arg = strdup(arg ? arg : "");
	if (!e->field || !e->record || !e->role || !e->arg) {
		free(e->field);
		free(e->record);
		free(e->role);
		free(e->arg);
		return -ENOMEM;
	}
	r->nr_fields++;
	return 0;
}

static int add_entry(struct roles *r, const char *fn, const char *role,
		     int param)
{
	struct role_entry *v = realloc(r->v, (r->nr + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	r->v = v;
	v[r->nr].function = strdup(fn);
	v[r->nr].role = strdup(role);
	v[r->nr].param = param;
	v[r->nr].from_profile = 0;
	if (!v[r->nr].function || !v[r->nr].role) {
		free(v[r->nr].function);
		free(v[r->nr].role);
		return -ENOMEM;
	}
	r->nr++;
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

/*
 * A role whose argument is one word (mapping:noncoherent, units:gpu_pages)
 * is also listed as ROLE__ARG, so a rule can name the functions of one kind
 * (GPUOWN_ROLE_mapping__noncoherent) and not every function of the role.
 */
static int add_arg_entry(struct roles *r, const char *fn, const char *role,
			 const char *arg, int param)
{
	char buf[256];
	size_t i;

	if (!arg || !*arg)
		return 0;
	for (i = 0; arg[i]; i++)
		if (!isalnum((unsigned char)arg[i]) && arg[i] != '_')
			return 0;
	if ((size_t)snprintf(buf, sizeof(buf), "%s__%s", role, arg) >=
	    sizeof(buf))
		return 0;
	return add_entry(r, fn, buf, param);
}

int roles_parse_json(const char *text, const char *what, struct roles *out)
{
	struct json_object *root = json_tokener_parse(text), *e, *p;
	size_t i, n;
	int ret = 0;

	if (!root || !json_object_is_type(root, json_type_array)) {
		fprintf(stderr,
			"gpuown-check: %s: the role list is not a JSON array\n",
			what);
		json_object_put(root);
		return -EINVAL;
	}
	n = json_object_array_length(root);
	for (i = 0; i < n && !ret; i++) {
		const char *fn, *role;

		e = json_object_array_get_idx(root, i);
		fn = get_string(e, "function");
		role = get_string(e, "role");
		if (get_string(e, "field") && role) {
			ret = add_field(out, get_string(e, "field"),
					get_string(e, "record"), role,
					get_string(e, "arg"));
			continue;
		}
		if (!fn || !role ||
		    !json_object_object_get_ex(e, "param", &p) ||
		    !json_object_is_type(p, json_type_int)) {
			fprintf(stderr,
				"gpuown-check: %s: role entry %zu lacks "
				"function (or field), role or param\n",
				what, i);
			ret = -EINVAL;
			break;
		}
		ret = add_entry(out, fn, role, json_object_get_int(p));
		if (!ret)
			ret = add_arg_entry(out, fn, role, get_string(e, "arg"),
					    json_object_get_int(p));
	}
	json_object_put(root);
	return ret;
}

/* "dir1:dir2" -> "-I" arguments. */
static int add_includes(char **argv, int n, char *buf)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(buf, ":", &save); tok;
	     tok = strtok_r(NULL, ":", &save)) {
		argv[n++] = "-I";
		argv[n++] = tok;
	}
	return n;
}

static struct job *roles_job(const struct check_config *cfg,
			     const struct compdb *db, const char *header)
{
	char incbuf[4096], abs[PATH_MAX];
	char **pre = NULL, **argv;
	int npre = 0, n = 0, k;
	struct job *job;

	snprintf(incbuf, sizeof(incbuf), "%s",
		 cfg->include_dirs ? cfg->include_dirs
				   : GPUOWN_CHECK_INCLUDE_DIRS);
	/* The job runs in the unit's directory. */
	if (!realpath(header, abs)) {
		fprintf(stderr, "gpuown-check: profile %s: %s\n", header,
			strerror(errno));
		return NULL;
	}
	if (db && db->nr && compdb_preproc_args(&db->entries[0], &pre, &npre))
		return NULL;
	argv = calloc((size_t)npre + 32, sizeof(char *));
	if (!argv) {
		free(pre);
		return NULL;
	}
	argv[n++] = (char *)cfg->clang;
	argv[n++] = "-fsyntax-only";
	argv[n++] = "-Wno-everything";
	for (k = 0; k < npre; k++)
		argv[n++] = pre[k];
	/* After the unit's own, so a driver's copy of the headers wins. */
	n = add_includes(argv, n, incbuf);
	argv[n++] = "-Xclang";
	argv[n++] = "-load";
	argv[n++] = "-Xclang";
	argv[n++] = (char *)cfg->plugin;
	argv[n++] = "-Xclang";
	argv[n++] = "-plugin";
	argv[n++] = "-Xclang";
	argv[n++] = "gpuown-roles";
	argv[n++] = "-x";
	argv[n++] = "c";
	argv[n++] = abs;
	argv[n] = NULL;
	job = job_new(argv, db && db->nr ? db->entries[0].directory : cfg->root,
		      NULL);
	free(argv);
	free(pre);
	return job;
}

int roles_load(const struct check_config *cfg, const struct compdb *db,
	       struct roles *out)
{
	const char *headers[2] = {cfg->roles_header
					  ? cfg->roles_header
					  : GPUOWN_CHECK_DEFAULT_ROLES_HEADER,
				  cfg->profile};
	const char *which[2];
	struct job *jobs[2];
	size_t nr = 0, i, k, first;
	int ret = 0;

	for (i = 0; i < 2; i++) {
		if (!headers[i])
			continue;
		jobs[nr] = roles_job(cfg, db, headers[i]);
		if (!jobs[nr]) {
			ret = -ENOMEM;
			goto out;
		}
		which[nr++] = headers[i];
	}
	ret = jobs_run(jobs, nr, 2, cfg->timeout, cfg->tmpdir, NULL, NULL);
	for (i = 0; i < nr && !ret; i++) {
		const char *what = which[i];

		if (jobs[i]->status != 0 || !jobs[i]->output) {
			fprintf(stderr,
				"gpuown-check: cannot list the roles of %s "
				"(clang with the gpuown-roles action exited "
				"%d):\n%s\n",
				what, jobs[i]->status,
				jobs[i]->output ? jobs[i]->output : "");
			ret = -EIO;
			break;
		}
		first = out->nr;
		ret = roles_parse_json(jobs[i]->output, what, out);
		/* The driver's own names go first where one name is needed. */
		for (k = first; k < out->nr && what == cfg->profile; k++)
			out->v[k].from_profile = 1;
	}
out:
	for (i = 0; i < nr; i++)
		job_free(jobs[i]);
	return ret;
}

static int from_profile(const struct roles *r, const char *fn)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (r->v[i].from_profile && !strcmp(r->v[i].function, fn))
			return 1;
	return 0;
}

/* The profile's functions first, then by name. */
static int cmp_fn(const void *a, const void *b, void *arg)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int px = from_profile(arg, x), py = from_profile(arg, y);

	if (px != py)
		return py - px;
	return strcmp(x, y);
}

size_t roles_functions(const struct roles *r, const char *role, int param,
		       const char **names, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nr; i++) {
		const struct role_entry *e = &r->v[i];

		if (strcmp(e->role, role) != 0 ||
		    (param >= 0 && e->param != param))
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(names[j], e->function))
				break;
		if (j < n)
			continue;
		if (n == max)
			break;
		names[n++] = e->function;
	}
	qsort_r(names, n, sizeof(*names), cmp_fn, (void *)r);
	return n;
}

static int field_is_plain(const struct roles *r, const char *field)
{
	size_t i;

	for (i = 0; i < r->nr_fields; i++)
		if (!r->fields[i].role[0] && !strcmp(r->fields[i].field, field))
			return 1;
	return 0;
}

int roles_field_list(const struct roles *r, const char *role, char **out)
{
	size_t len = 0, i;
	FILE *o = open_memstream(out, &len);
	int n = 0;

	if (!o)
		return -ENOMEM;
	for (i = 0; i < r->nr_fields; i++) {
		const struct field_entry *e = &r->fields[i];

		/* The list's own separators, and a Python string's quotes. */
		if (strcmp(e->role, role) || field_is_plain(r, e->field) ||
		    strpbrk(e->arg, ";\"\\\n"))
			continue;
		fprintf(o, "%s%s=%s", n++ ? ";" : "", e->field, e->arg);
	}
	if (fclose(o)) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

void roles_print(const struct roles *r)
{
	struct json_object *root = json_object_new_array(), *e;
	size_t i;

	if (!root)
		return;
	for (i = 0; i < r->nr; i++) {
		e = json_object_new_object();
		json_object_object_add(
			e, "function",
			json_object_new_string(r->v[i].function));
		json_object_object_add(e, "role",
				       json_object_new_string(r->v[i].role));
		json_object_object_add(e, "param",
				       json_object_new_int(r->v[i].param));
		json_object_array_add(root, e);
	}
	for (i = 0; i < r->nr_fields; i++) {
		const struct field_entry *f = &r->fields[i];

		e = json_object_new_object();
		json_object_object_add(e, "field",
				       json_object_new_string(f->field));
		json_object_object_add(e, "record",
				       json_object_new_string(f->record));
		json_object_object_add(e, "role",
				       json_object_new_string(f->role));
		json_object_object_add(e, "arg",
				       json_object_new_string(f->arg));
		json_object_array_add(root, e);
	}
	printf("%s\n", json_object_to_json_string_ext(
			       root, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}
