// SPDX-License-Identifier: MIT
#include "rules_meta.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule_meta {
	const char *id;
	const char *level;
	const char *anchor;	/* section of docs/rules.md */
	const char *short_desc; /* NULL: the Coccinelle script's header */
	const char *full_desc;
};

/* gpuown's one table: annotations/gpuown/violations.def. */
static const struct rule_meta table[] = {
#define GPUOWN_CHECK(id, short_help, full_help, anchor, sev)                   \
	{id, #sev, anchor, short_help, full_help},
#include <gpuown/violations.def>
};

/* The runtime's violation classes, for --list-rules. */
static const struct rule_meta violations[] = {
#define GPUOWN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	{name, #sev, anchor, short_help, full_help},
#define GPUSAN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	{name, #sev, anchor, short_help, full_help},
#include <gpuown/violations.def>
};

static const struct rule_meta *lookup(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].id, id))
			return &table[i];
	return NULL;
}

const char *rules_meta_level(const char *rule_id)
{
	const struct rule_meta *m = lookup(rule_id);

	return m ? m->level : "warning";
}

bool rules_meta_known(const char *rule_id)
{
	return lookup(rule_id) != NULL;
}

void rules_meta_list(FILE *out)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		fprintf(out, "check\t%s\t%s\t%s\n", table[i].id, table[i].level,
			table[i].anchor);
	for (i = 0; i < sizeof(violations) / sizeof(violations[0]); i++)
		fprintf(out, "violation\t%s\t%s\t%s\n", violations[i].id,
			violations[i].level, violations[i].anchor);
}

/*
 * The `///` lines heading a Coccinelle script: the first sentence is the
 * short description, the whole paragraph the full one.
 */
static int cocci_header(const char *cocci_dir, const char *rule, char *full,
			size_t len)
{
	char path[4096], line[1024];
	size_t n = 0;
	FILE *f;

	full[0] = '\0';
	if (!cocci_dir || strncmp(rule, "cocci.", 6) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.cocci", cocci_dir, rule + 6);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *s = line;
		size_t l;

		if (strncmp(s, "///", 3) != 0) {
			if (n)
				break;
			continue;
		}
		s += 3;
		while (*s == ' ')
			s++;
		l = strcspn(s, "\n");
		if (!l)
			break;
		n += (size_t)snprintf(full + n, n < len ? len - n : 0, "%s%.*s",
				      n ? " " : "", (int)l, s);
		if (n >= len)
			break;
	}
	fclose(f);
	return full[0] ? 0 : -1;
}

static void add_text(struct json_object *o, const char *key, const char *text)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "text", json_object_new_string(text));
	json_object_object_add(o, key, m);
}

struct json_object *rules_meta_descriptor(const char *rule_id,
					  const char *help_base,
					  const char *cocci_dir)
{
	struct json_object *rd = json_object_new_object();
	struct json_object *conf = json_object_new_object();
	const struct rule_meta *m = lookup(rule_id);
	char full[2048], shortd[512], uri[4096];
	const char *anchor = m ? m->anchor : "";
	char *dot;

	json_object_object_add(rd, "id", json_object_new_string(rule_id));
	if (m && m->short_desc) {
		add_text(rd, "shortDescription", m->short_desc);
		add_text(rd, "fullDescription", m->full_desc);
	} else if (cocci_header(cocci_dir, rule_id, full, sizeof(full)) == 0) {
		dot = strstr(full, ". ");
		snprintf(shortd, sizeof(shortd), "%.*s",
			 dot ? (int)(dot - full + 1) : (int)strlen(full), full);
		add_text(rd, "shortDescription", shortd);
		add_text(rd, "fullDescription", full);
	} else {
		snprintf(full, sizeof(full), "Findings of %s.", rule_id);
		add_text(rd, "shortDescription", full);
		add_text(rd, "fullDescription", full);
	}
	if (help_base && *help_base) {
		snprintf(uri, sizeof(uri), "%s%s%s", help_base,
			 *anchor ? "#" : "", anchor);
		json_object_object_add(rd, "helpUri",
				       json_object_new_string(uri));
	}
	json_object_object_add(
		conf, "level",
		json_object_new_string(rules_meta_level(rule_id)));
	json_object_object_add(rd, "defaultConfiguration", conf);
	return rd;
}
