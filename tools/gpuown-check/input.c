// SPDX-License-Identifier: MIT
#include "input.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

struct json_object *json_read_bounded(const char *path, size_t max, char *err,
				      size_t err_len)
{
	struct json_object *root = NULL;
	enum json_tokener_error je = json_tokener_continue;
	struct json_tokener *tok;
	size_t total = 0, line = 1, i, end;
	char chunk[65536];
	size_t n = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!tok) {
		fclose(f);
		snprintf(err, err_len, "%s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	/*
	 * Parse while reading: a file that is not JSON (/dev/zero) fails at
	 * its first bytes, and one that is too big at the bound.
	 */
	while (!root && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (total + n > max) {
			snprintf(err, err_len,
				 "%s: larger than %zu MiB, the limit for this "
				 "input",
				 path, max >> 20);
			goto fail;
		}
		root = json_tokener_parse_ex(tok, chunk, (int)n);
		je = json_tokener_get_error(tok);
		end = root || je != json_tokener_continue
			      ? json_tokener_get_parse_end(tok)
			      : n;
		for (i = 0; i < end && i < n; i++)
			line += chunk[i] == '\n';
		total += n;
		if (!root && je != json_tokener_continue)
			break;
	}
	if (ferror(f)) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!root && je == json_tokener_continue)
		snprintf(err, err_len,
			 "%s:%zu: not valid JSON: unexpected end of file "
			 "(truncated?)",
			 path, line);
	if (!root) {
		if (je != json_tokener_continue)
			snprintf(err, err_len, "%s:%zu: not valid JSON: %s",
				 path, line, json_tokener_error_desc(je));
		goto fail;
	}
	json_tokener_free(tok);
	fclose(f);
	return root;
fail:
	json_object_put(root);
	json_tokener_free(tok);
	fclose(f);
	return NULL;
}
