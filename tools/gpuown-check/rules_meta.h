/* SPDX-License-Identifier: MIT */
/*
 * What the SARIF log says about each rule: a short and a full description,
 * a help URI and the default level, from gpuown's one table of checks and
 * violations (annotations/gpuown/violations.def), which the runtime and the
 * analyzer plugin include too.
 */
#ifndef GPUOWN_CHECK_RULES_META_H
#define GPUOWN_CHECK_RULES_META_H

#include <stdbool.h>
#include <stdio.h>

struct json_object;

/*
 * The SARIF level ("error", "warning", "note") of findings of @rule_id.
 * Rules about memory safety (use after free, ownership, address spaces) are
 * errors; the rest warnings.
 */
const char *rules_meta_level(const char *rule_id);

/* Whether @rule_id has a row in violations.def. */
bool rules_meta_known(const char *rule_id);

/*
 * Print the table, one row a line, tab-separated: "check" or "violation",
 * the ruleId or violation name, the SARIF level, the docs/rules.md anchor.
 */
void rules_meta_list(FILE *out);

/*
 * A SARIF reportingDescriptor for @rule_id: id, shortDescription,
 * fullDescription, helpUri (under @help_base) and defaultConfiguration.level.
 * Coccinelle rules are described by the `///` header of their script in
 * @cocci_dir.
 */
struct json_object *rules_meta_descriptor(const char *rule_id,
					  const char *help_base,
					  const char *cocci_dir);

#endif /* GPUOWN_CHECK_RULES_META_H */
