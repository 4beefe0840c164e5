// SPDX-License-Identifier: MIT
#include "diag_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diag {
	char file[4096];
	int line, col;
	char msg[8192];
};

/* "path:12:5: warning: text", "path:12:5-9: text" or "path:12: text". */
static int parse_line(const char *s, struct diag *d)
{
	const char *p = s, *colon;
	char *end;
	long v;

	colon = strchr(p, ':');
	while (colon && (colon[1] < '0' || colon[1] > '9'))
		colon = strchr(colon + 1, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(d->file) || colon == s)
		return 0;
	memcpy(d->file, s, (size_t)(colon - s));
	d->file[colon - s] = '\0';
	v = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || v <= 0)
		return 0;
	d->line = (int)v;
	d->col = 0;
	p = end;
	if (*p == ':' && p[1] >= '0' && p[1] <= '9') {
		d->col = (int)strtol(p + 1, &end, 10);
		p = end;
		if (*p == '-') /* Coccinelle's column range */
			strtol(p + 1, (char **)&p, 10);
	}
	if (*p != ':' || p[1] != ' ')
		return 0;
	p += 2;
	if (!strncmp(p, "warning: ", 9))
		p += 9;
	else if (!strncmp(p, "error: ", 7))
		p += 7;
	else if (!strncmp(p, "note: ", 6))
		return 0; /* notes belong to the previous diagnostic */
	snprintf(d->msg, sizeof(d->msg), "%s", p);
	return 1;
}

/*
 * sparse repeats "file:line:col:" on the lines that detail a warning, with the
 * detail indented: "a.c:3:5:    expected int". Fold them into the warning.
 */
static int continues(const char *buf, struct diag *d)
{
	struct diag next;
	size_t used;
	const char *t;

	if (!parse_line(buf, &next) ||
	    (next.msg[0] != ' ' && next.msg[0] != '\t'))
		return 0;
	if (strcmp(next.file, d->file) != 0 || next.line != d->line)
		return 0;
	for (t = next.msg; *t == ' ' || *t == '\t'; t++)
		;
	used = strlen(d->msg);
	snprintf(d->msg + used, sizeof(d->msg) - used, "; %s", t);
	return 1;
}

static int flush(struct diag *d, int *have, const char *layer, const char *rule,
		 const char *cwd, struct findings *out)
{
	char path[4096 + 512];

	if (!*have)
		return 0;
	*have = 0;
	if (d->file[0] == '/' || !cwd)
		snprintf(path, sizeof(path), "%s", d->file);
	else
		snprintf(path, sizeof(path), "%s/%s", cwd, d->file);
	return findings_add(out, layer, rule, path, d->line, d->col, d->msg,
			    NULL)
		       ?: 1;
}

int diag_parse(const char *text, const char *layer, const char *rule,
	       const char *cwd, struct findings *out)
{
	struct diag d;
	const char *line = text;
	int have = 0, added = 0, ret;
	char buf[8192];

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		line = nl ? nl + 1 : NULL;
		if ((buf[0] == ' ' || buf[0] == '\t') && have) {
			size_t used = strlen(d.msg);
			char *t = buf;

			while (*t == ' ' || *t == '\t')
				t++;
			snprintf(d.msg + used, sizeof(d.msg) - used, "; %s", t);
			continue;
		}
		if (have && continues(buf, &d))
			continue;
		ret = flush(&d, &have, layer, rule, cwd, out);
		if (ret < 0)
			return ret;
		added += ret;
		have = parse_line(buf, &d);
	}
	ret = flush(&d, &have, layer, rule, cwd, out);
	if (ret < 0)
		return ret;
	return added + ret;
}
