// SPDX-License-Identifier: MIT
#include "sarif.h"
#include "atomic_out.h"
#include "input.h"
#include "rules_meta.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GPUOWN_VERSION
#define GPUOWN_VERSION "0.0.0"
#endif

char *sarif_uri_encode(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(path) * 3 + 1), *o = out;
	const unsigned char *s;

	if (!out)
		return NULL;
	for (s = (const unsigned char *)path; *s; s++) {
		if (isalnum(*s) || strchr("-._~/", *s)) {
			*o++ = (char)*s;
			continue;
		}
		*o++ = '%';
		*o++ = hex[*s >> 4];
		*o++ = hex[*s & 15];
	}
	*o = '\0';
	return out;
}

/* The path a file:// URI (as clang writes them) names, decoded. */
static char *uri_decode_path(const char *uri)
{
	char *out, *o;
	const char *s;

	if (!strncmp(uri, "file://", 7))
		uri += 7;
	out = malloc(strlen(uri) + 1);
	if (!out)
		return NULL;
	for (s = uri, o = out; *s; s++) {
		if (s[0] == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char h[3] = {s[1], s[2], 0};

			*o++ = (char)strtol(h, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/* One run's artifacts: every file a location of the run names, once. */
struct artifacts {
	struct json_object *array;
	struct json_object *index; /* "uri" -> position */
	const char *root;
};

/* An artifactLocation for @file, entered into the run's artifacts. */
static struct json_object *artifact_location(struct artifacts *a,
					     const char *file)
{
	struct json_object *loc = json_object_new_object(), *idx, *art, *al;
	const char *rel = findings_relpath(file, a->root);
	char *enc = sarif_uri_encode(rel), *uri = NULL;
	int base = rel != file, i;

	if (!enc)
		return loc;
	if (!base && file[0] == '/') {
		if (asprintf(&uri, "file://%s", enc) < 0)
			uri = NULL;
		free(enc);
	} else {
		uri = enc;
	}
	if (!uri)
		return loc;
	json_object_object_add(loc, "uri", json_object_new_string(uri));
	if (base)
		json_object_object_add(loc, "uriBaseId",
				       json_object_new_string("SRCROOT"));
	if (json_object_object_get_ex(a->index, uri, &idx)) {
		i = json_object_get_int(idx);
	} else {
		i = (int)json_object_array_length(a->array);
		json_object_object_add(a->index, uri, json_object_new_int(i));
		art = json_object_new_object();
		al = json_object_new_object();
		json_object_object_add(al, "uri", json_object_new_string(uri));
		if (base)
			json_object_object_add(
				al, "uriBaseId",
				json_object_new_string("SRCROOT"));
		json_object_object_add(art, "location", al);
		json_object_array_add(a->array, art);
	}
	json_object_object_add(loc, "index", json_object_new_int(i));
	free(uri);
	return loc;
}

/*
 * Point every artifactLocation inside @o (clang's codeFlows, indexed into
 * clang's per-unit artifacts) at this run's artifacts instead.
 */
static void remap_locations(struct artifacts *a, struct json_object *o)
{
	struct json_object *uri;
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			remap_locations(a, json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, key, val)
	{
		if (!strcmp(key, "artifactLocation") &&
		    json_object_object_get_ex(val, "uri", &uri) &&
		    json_object_is_type(uri, json_type_string)) {
			char *path =
				uri_decode_path(json_object_get_string(uri));

			if (path) {
				/* Replaces the value: leave the loop. */
				json_object_object_add(
					o, "artifactLocation",
					artifact_location(a, path));
				free(path);
			}
			return;
		}
		remap_locations(a, val);
	}
}

static struct json_object *location(struct artifacts *a,
				    const struct finding *n)
{
	struct json_object *loc = json_object_new_object();
	struct json_object *pl = json_object_new_object();
	struct json_object *reg = json_object_new_object();

	json_object_object_add(reg, "startLine",
			       json_object_new_int(n->line > 0 ? n->line : 1));
	if (n->col > 0)
		json_object_object_add(reg, "startColumn",
				       json_object_new_int(n->col));
	json_object_object_add(pl, "artifactLocation",
			       artifact_location(a, n->file));
	json_object_object_add(pl, "region", reg);
	json_object_object_add(loc, "physicalLocation", pl);
	return loc;
}

static struct json_object *result(struct artifacts *a, const struct finding *n,
				  int rule_index)
{
	struct json_object *r = json_object_new_object();
	struct json_object *msg = json_object_new_object();
	struct json_object *locs = json_object_new_array();
	struct json_object *fp = json_object_new_object();
	struct json_object *flows;

	json_object_object_add(r, "ruleId", json_object_new_string(n->rule));
	json_object_object_add(r, "ruleIndex", json_object_new_int(rule_index));
	json_object_object_add(
		r, "level", json_object_new_string(rules_meta_level(n->rule)));
	json_object_object_add(msg, "text", json_object_new_string(n->message));
	json_object_object_add(r, "message", msg);
	json_object_array_add(locs, location(a, n));
	json_object_object_add(r, "locations", locs);
	json_object_object_add(fp, SARIF_FINGERPRINT_KEY,
			       json_object_new_string(n->fingerprint));
	json_object_object_add(r, "partialFingerprints", fp);
	json_object_object_add(
		r, "baselineState",
		json_object_new_string(n->is_new ? "new" : "unchanged"));
	/* Keep the analyzer's path story (notes) when clang gave one. */
	if (n->sarif &&
	    json_object_object_get_ex(n->sarif, "codeFlows", &flows)) {
		struct json_object *copy = NULL;

		if (json_object_deep_copy(flows, &copy, NULL) == 0) {
			remap_locations(a, copy);
			json_object_object_add(r, "codeFlows", copy);
		}
	}
	return r;
}

static struct json_object *notification(struct artifacts *a, const char *id,
					const char *file, const char *text)
{
	struct json_object *n = json_object_new_object();
	struct json_object *msg = json_object_new_object();
	struct json_object *desc = json_object_new_object();

	json_object_object_add(desc, "id", json_object_new_string(id));
	json_object_object_add(n, "descriptor", desc);
	json_object_object_add(n, "level",
			       json_object_new_string(strcmp(id, "result-cap")
							      ? "error"
							      : "warning"));
	json_object_object_add(msg, "text", json_object_new_string(text));
	json_object_object_add(n, "message", msg);
	if (file) {
		struct json_object *locs = json_object_new_array();
		struct json_object *loc = json_object_new_object();
		struct json_object *pl = json_object_new_object();

		json_object_object_add(pl, "artifactLocation",
				       artifact_location(a, file));
		json_object_object_add(loc, "physicalLocation", pl);
		json_object_array_add(locs, loc);
		json_object_object_add(n, "locations", locs);
	}
	return n;
}

/* Which of the layer's findings fit in the run: new ones first. */
static void choose(const struct findings *f, const char *layer, int max,
		   char *keep, int *dropped)
{
	int pass, kept = 0;
	size_t i;

	*dropped = 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < f->nr; i++) {
			if (strcmp(f->v[i].layer, layer) ||
			    f->v[i].is_new != !pass)
				continue;
			keep[i] = kept < max;
			kept += keep[i];
			*dropped += !keep[i];
		}
	}
}

static struct json_object *run(const struct layer *l, const struct findings *f,
			       const struct notices *notices,
			       const struct sarif_opts *o)
{
	struct json_object *run = json_object_new_object();
	struct json_object *tool = json_object_new_object();
	struct json_object *drv = json_object_new_object();
	struct json_object *rules = json_object_new_array();
	struct json_object *results = json_object_new_array();
	struct json_object *seen = json_object_new_object();
	struct json_object *inv = json_object_new_object();
	struct json_object *invs = json_object_new_array();
	struct json_object *notes = json_object_new_array();
	struct artifacts a = {
		.array = json_object_new_array(),
		.index = json_object_new_object(),
		.root = o->root,
	};
	char *keep = calloc(f->nr ? f->nr : 1, 1), text[256];
	int max = o->max_results > 0 ? o->max_results : SARIF_MAX_RESULTS;
	int dropped = 0, failed = 0;
	struct json_object *idx;
	size_t i;

	if (keep)
		choose(f, l->name, max, keep, &dropped);
	for (i = 0; keep && i < f->nr; i++) {
		const struct finding *n = &f->v[i];

		if (!keep[i])
			continue;
		if (!json_object_object_get_ex(seen, n->rule, &idx)) {
			idx = json_object_new_int(
				(int)json_object_array_length(rules));
			json_object_object_add(seen, n->rule, idx);
			json_object_array_add(
				rules,
				rules_meta_descriptor(n->rule, o->help_base,
						      o->cocci_dir));
		}
		json_object_array_add(results,
				      result(&a, n, json_object_get_int(idx)));
	}
	free(keep);
	json_object_put(seen);
	for (i = 0; notices && i < notices->nr; i++) {
		const struct notice *n = &notices->v[i];

		if (strcmp(n->layer, l->name))
			continue;
		json_object_array_add(
			notes, notification(&a, n->id, n->file, n->message));
		failed = 1;
	}
	if (dropped) {
		snprintf(text, sizeof(text),
			 "%d results left out: a run holds at most %d (GitHub "
			 "code scanning's limit); all are printed on the "
			 "console",
			 dropped, max);
		fprintf(stderr, "gpuown-check: %s: %s\n", l->name, text);
		json_object_array_add(
			notes, notification(&a, "result-cap", NULL, text));
	}
	json_object_object_add(drv, "name", json_object_new_string(l->tool));
	json_object_object_add(drv, "version",
			       json_object_new_string(GPUOWN_VERSION));
	json_object_object_add(drv, "semanticVersion",
			       json_object_new_string(GPUOWN_VERSION));
	json_object_object_add(drv, "rules", rules);
	json_object_object_add(tool, "driver", drv);
	json_object_object_add(run, "tool", tool);
	json_object_object_add(inv, "executionSuccessful",
			       json_object_new_boolean(!failed));
	json_object_object_add(inv, "toolExecutionNotifications", notes);
	json_object_array_add(invs, inv);
	json_object_object_add(run, "invocations", invs);
	if (o->root) {
		struct json_object *base = json_object_new_object();
		struct json_object *srcroot = json_object_new_object();
		char *enc = sarif_uri_encode(o->root), *uri;

		if (enc && asprintf(&uri, "file://%s/", enc) >= 0) {
			json_object_object_add(srcroot, "uri",
					       json_object_new_string(uri));
			free(uri);
		}
		free(enc);
		json_object_object_add(base, "SRCROOT", srcroot);
		json_object_object_add(run, "originalUriBaseIds", base);
	}
	json_object_object_add(run, "artifacts", a.array);
	json_object_put(a.index);
	json_object_object_add(run, "results", results);
	return run;
}

int sarif_write(const char *path, const struct findings *f,
		const struct notices *notices,
		const struct layer *const *layers, int nr_layers,
		const struct sarif_opts *o)
{
	struct json_object *log = json_object_new_object();
	struct json_object *runs = json_object_new_array();
	const char *text;
	size_t len;
	int i, ret;

	json_object_object_add(
		log, "$schema",
		json_object_new_string(
			"https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_object_add(log, "version", json_object_new_string("2.1.0"));
	for (i = 0; i < nr_layers; i++)
		json_object_array_add(runs, run(layers[i], f, notices, o));
	json_object_object_add(log, "runs", runs);
	text = json_object_to_json_string_length(
		log, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE,
		&len);
	ret = text ? atomic_write(path, text, len) : -ENOMEM;
	json_object_put(log);
	return ret;
}

/* An array member @key of @o, or NULL; -1 when present but not an array. */
static int get_array(struct json_object *o, const char *key,
		     struct json_object **out)
{
	*out = NULL;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, out))
		return 0;
	if (!json_object_is_type(*out, json_type_array))
		return -1;
	return 0;
}

/* The fingerprints of a baseline; a message naming what is malformed. */
static int collect_fingerprints(struct json_object *log,
				struct json_object *set, char *err,
				size_t err_len)
{
	struct json_object *runs, *results, *fps, *fp;
	size_t r, i;

	if (get_array(log, "runs", &runs) || !runs) {
		snprintf(err, err_len, "not a SARIF log (no \"runs\" array)");
		return -EINVAL;
	}
	for (r = 0; r < json_object_array_length(runs); r++) {
		struct json_object *run = json_object_array_get_idx(runs, r);

		if (!json_object_is_type(run, json_type_object)) {
			snprintf(err, err_len, "runs[%zu] is not an object", r);
			return -EINVAL;
		}
		if (get_array(run, "results", &results)) {
			snprintf(err, err_len,
				 "runs[%zu].results is not an array", r);
			return -EINVAL;
		}
		for (i = 0; results && i < json_object_array_length(results);
		     i++) {
			struct json_object *res =
				json_object_array_get_idx(results, i);

			if (!json_object_is_type(res, json_type_object)) {
				snprintf(err, err_len,
					 "runs[%zu].results[%zu] is not an "
					 "object",
					 r, i);
				return -EINVAL;
			}
			if (json_object_object_get_ex(
				    res, "partialFingerprints", &fps) &&
			    json_object_is_type(fps, json_type_object) &&
			    json_object_object_get_ex(
				    fps, SARIF_FINGERPRINT_KEY, &fp) &&
			    json_object_is_type(fp, json_type_string))
				json_object_object_add(
					set, json_object_get_string(fp), NULL);
		}
	}
	return 0;
}

int sarif_apply_baseline(const char *baseline, struct findings *f)
{
	char err[1024];
	struct json_object *log =
		json_read_bounded(baseline, INPUT_MAX_SARIF, err, sizeof(err));
	struct json_object *set;
	int fresh = 0;
	size_t i;

	if (!log) {
		fprintf(stderr, "gpuown-check: baseline %s\n", err);
		return -EINVAL;
	}
	set = json_object_new_object();
	if (collect_fingerprints(log, set, err, sizeof(err))) {
		fprintf(stderr, "gpuown-check: baseline %s: %s\n", baseline,
			err);
		json_object_put(set);
		json_object_put(log);
		return -EINVAL;
	}
	for (i = 0; i < f->nr; i++) {
		f->v[i].is_new = !json_object_object_get_ex(
			set, f->v[i].fingerprint, NULL);
		fresh += f->v[i].is_new;
	}
	json_object_put(set);
	json_object_put(log);
	return fresh;
}
