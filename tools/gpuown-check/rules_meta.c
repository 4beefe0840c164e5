// SPDX-License-Identifier: MIT
#include "rules_meta.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule_meta {
	const char *id;
	const char *level;
	const char *anchor; /* section of docs/rules.md */
	const char *short_desc;
	const char *full_desc;
};

static const struct rule_meta table[] = {
	{"gpuown.Lifetime", "error", "lifetime",
	 "GPU object used after free, freed twice, or leaked.",
	 "A GPU object is used through its handle, CPU, GPU or firmware "
	 "address after it was freed, freed twice, or leaked on a path (error "
	 "paths included)."},
	{"gpuown.Ownership", "error", "ownership-and-lifecycles",
	 "GPU object accessed against its owner.",
	 "The CPU writes (or reads against the firmware's direction) an object "
	 "the firmware owns, frees it while published, publishes twice, "
	 "reclaims without publishing, or breaks a driver lifecycle."},
	{"gpuown.DanglingGpuPointer", "error", "dangling-gpu-pointers",
	 "Firmware struct left pointing at a freed object.",
	 "An object is freed or unmapped while a live firmware struct still "
	 "holds its GPU address, or a struct is published while a target is "
	 "freed or unpublished."},
	{"gpuown.AddressSpace", "error", "address-spaces",
	 "GPU or firmware address used as a CPU pointer.",
	 "A GPU or firmware address is dereferenced by the CPU, mixed with a "
	 "CPU pointer or an integer, or laundered through an integer cast."},
	{"gpuown.FirmwareStruct", "warning", "firmware-layouts",
	 "Firmware struct field holds an address not typed as one.",
	 "A field of a firmware-shared struct holds a GPU or firmware address "
	 "without the gpu_ptr / fw_addr_t types that let the other layers "
	 "track it."},
	{"sparse.address-space", "error", "address-spaces",
	 "Pointer used in the wrong address space (sparse).",
	 "sparse found a pointer of one address space (GPU, firmware, CPU) "
	 "where another belongs."},
	{"sparse.noderef", "error", "address-spaces",
	 "GPU or firmware address dereferenced (sparse).",
	 "sparse found a dereference of a pointer marked noderef: a GPU or "
	 "firmware address the CPU cannot follow."},
	{"sparse.bitwise", "warning", "address-spaces",
	 "Address types mixed (sparse).",
	 "sparse found a restricted (bitwise) address type, gpu_addr_t or "
	 "fw_addr_t, mixed with an integer or another address type."},
	{"sparse.context", "warning", "ownership-and-lifecycles",
	 "Unbalanced CPU-access window (sparse).",
	 "sparse found a gpuown_cpu_begin() without its gpuown_cpu_end() on "
	 "some path, or the reverse."},
	{"sparse.other", "note", "", "Other sparse diagnostic.",
	 "A sparse diagnostic outside gpuown's address-space, bitwise and "
	 "context checks."},
};

/* Coccinelle rules that find memory-safety bugs; the rest are warnings. */
static const char *const cocci_errors[] = {
	"cocci.use_after_free", "cocci.free_published",
	"cocci.write_after_publish", "cocci.cpu_ptr_in_gpu_field", NULL};

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
	int i;

	if (m)
		return m->level;
	for (i = 0; cocci_errors[i]; i++)
		if (!strcmp(cocci_errors[i], rule_id))
			return "error";
	return "warning";
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
	if (m) {
		add_text(rd, "shortDescription", m->short_desc);
		add_text(rd, "fullDescription", m->full_desc);
	} else if (cocci_header(cocci_dir, rule_id, full, sizeof(full)) == 0) {
		dot = strstr(full, ". ");
		snprintf(shortd, sizeof(shortd), "%.*s",
			 dot ? (int)(dot - full + 1) : (int)strlen(full), full);
		add_text(rd, "shortDescription", shortd);
		add_text(rd, "fullDescription", full);
		anchor = "";
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
