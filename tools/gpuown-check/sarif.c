// SPDX-License-Identifier: MIT
#include "sarif.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static struct json_object *location(const struct finding *n, const char *root)
{
	struct json_object *loc = json_object_new_object();
	struct json_object *pl = json_object_new_object();
	struct json_object *art = json_object_new_object();
	struct json_object *reg = json_object_new_object();
	const char *rel = findings_relpath(n->file, root);

	json_object_object_add(art, "uri", json_object_new_string(rel));
	if (rel != n->file)
		json_object_object_add(art, "uriBaseId",
				       json_object_new_string("SRCROOT"));
	json_object_object_add(reg, "startLine", json_object_new_int(n->line));
	if (n->col > 0)
		json_object_object_add(reg, "startColumn",
				       json_object_new_int(n->col));
	json_object_object_add(pl, "artifactLocation", art);
	json_object_object_add(pl, "region", reg);
	json_object_object_add(loc, "physicalLocation", pl);
	return loc;
}

static struct json_object *result(const struct finding *n, const char *root)
{
	struct json_object *r = json_object_new_object();
	struct json_object *msg = json_object_new_object();
	struct json_object *locs = json_object_new_array();
	struct json_object *fp = json_object_new_object();
	struct json_object *flows;

	json_object_object_add(r, "ruleId", json_object_new_string(n->rule));
	json_object_object_add(r, "level", json_object_new_string("warning"));
	json_object_object_add(msg, "text", json_object_new_string(n->message));
	json_object_object_add(r, "message", msg);
	json_object_array_add(locs, location(n, root));
	json_object_object_add(r, "locations", locs);
	json_object_object_add(fp, SARIF_FINGERPRINT_KEY,
			       json_object_new_string(n->fingerprint));
	json_object_object_add(r, "partialFingerprints", fp);
	json_object_object_add(r, "baselineState",
			       json_object_new_string(n->is_new ? "new" :
								  "unchanged"));
	/* Keep the analyzer's path story (notes) when clang gave one. */
	if (n->sarif && json_object_object_get_ex(n->sarif, "codeFlows", &flows))
		json_object_object_add(r, "codeFlows", json_object_get(flows));
	return r;
}

static struct json_object *run(const struct layer *l, const struct findings *f,
			       const char *root)
{
	struct json_object *run = json_object_new_object();
	struct json_object *tool = json_object_new_object();
	struct json_object *drv = json_object_new_object();
	struct json_object *rules = json_object_new_array();
	struct json_object *results = json_object_new_array();
	struct json_object *seen = json_object_new_object();
	struct json_object *base, *srcroot, *uri;
	size_t i;

	for (i = 0; i < f->nr; i++) {
		const struct finding *n = &f->v[i];

		if (strcmp(n->layer, l->name) != 0)
			continue;
		json_object_array_add(results, result(n, root));
		if (!json_object_object_get_ex(seen, n->rule, NULL)) {
			struct json_object *rd = json_object_new_object();

			json_object_object_add(seen, n->rule, NULL);
			json_object_object_add(rd, "id",
					       json_object_new_string(n->rule));
			json_object_array_add(rules, rd);
		}
	}
	json_object_put(seen);
	json_object_object_add(drv, "name", json_object_new_string(l->tool));
	json_object_object_add(drv, "rules", rules);
	json_object_object_add(tool, "driver", drv);
	json_object_object_add(run, "tool", tool);
	if (root) {
		char buf[4200];

		base = json_object_new_object();
		srcroot = json_object_new_object();
		snprintf(buf, sizeof(buf), "file://%s/", root);
		uri = json_object_new_string(buf);
		json_object_object_add(srcroot, "uri", uri);
		json_object_object_add(base, "SRCROOT", srcroot);
		json_object_object_add(run, "originalUriBaseIds", base);
	}
	json_object_object_add(run, "results", results);
	return run;
}

int sarif_write(const char *path, const struct findings *f,
		const struct layer *const *layers, int nr_layers,
		const char *root)
{
	struct json_object *log = json_object_new_object();
	struct json_object *runs = json_object_new_array();
	int i, ret = 0;

	json_object_object_add(
		log, "$schema",
		json_object_new_string(
			"https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_object_add(log, "version", json_object_new_string("2.1.0"));
	for (i = 0; i < nr_layers; i++)
		json_object_array_add(runs, run(layers[i], f, root));
	json_object_object_add(log, "runs", runs);
	if (json_object_to_file_ext(path, log, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE)) {
		fprintf(stderr, "gpuown-check: cannot write %s: %s\n", path,
			strerror(errno));
		ret = -EIO;
	}
	json_object_put(log);
	return ret;
}

static int collect_fingerprints(struct json_object *log, struct json_object *set)
{
	struct json_object *runs, *results, *fps, *fp;
	size_t r, i;

	if (!json_object_object_get_ex(log, "runs", &runs) ||
	    !json_object_is_type(runs, json_type_array))
		return -EINVAL;
	for (r = 0; r < json_object_array_length(runs); r++) {
		struct json_object *run = json_object_array_get_idx(runs, r);

		if (!json_object_object_get_ex(run, "results", &results))
			continue;
		/* json-c asserts on the array calls below for any other type. */
		if (!json_object_is_type(results, json_type_array))
			return -EINVAL;
		for (i = 0; i < json_object_array_length(results); i++) {
			struct json_object *res =
				json_object_array_get_idx(results, i);

			if (json_object_object_get_ex(res, "partialFingerprints",
						      &fps) &&
			    json_object_object_get_ex(fps, SARIF_FINGERPRINT_KEY,
						      &fp))
				json_object_object_add(
					set, json_object_get_string(fp), NULL);
		}
	}
	return 0;
}

int sarif_apply_baseline(const char *baseline, struct findings *f)
{
	struct json_object *log = json_object_from_file(baseline);
	struct json_object *set;
	int fresh = 0;
	size_t i;

	if (!log) {
		fprintf(stderr, "gpuown-check: baseline %s: %s\n", baseline,
			json_util_get_last_err());
		return -EINVAL;
	}
	set = json_object_new_object();
	if (collect_fingerprints(log, set)) {
		fprintf(stderr,
			"gpuown-check: baseline %s: not a SARIF log (no runs)\n",
			baseline);
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
