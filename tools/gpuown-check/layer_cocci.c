// SPDX-License-Identifier: MIT
/*
 * The Coccinelle layer. The rules in cocci/ name roles, not functions
 * (GPUOWN_ROLE_free_1, GPUOWN_ROLE_publish); the roles come from the annotated
 * headers (gpuown's runtime API and the driver's profile) through the
 * analyzer plugin's gpuown-roles action, and each rule is instantiated here
 * with the literal names, so spatch's token prefilter still skips files that
 * hold none of them. spatch runs with the rule's own `// Options:` line, the
 * macro file generated from annotations.h, the kernel's per-file timeout, and
 * one job per rule and chunk of files, in parallel with the other layers.
 *
 * A file spatch gives up on (its --timeout: an "EXN: ...Common.Timeout in
 * FILE" line on its stderr) is a notice, as is a job the pool had to kill.
 *
 * In report mode each line becomes a finding; in patch, context and org mode
 * the output is spatch's, printed as it comes, rule after rule.
 */
#include "cache.h"
#include "cocci_instance.h"
#include "cocci_merge.h"
#include "diag_parse.h"
#include "layer.h"
#include "roles.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OPTIONS 32

/* Start-up of run-cocci and spatch (macro files, rule parsing), seconds. */
#define COCCI_GRACE 30

struct cocci_job {
	char *rule;
	int merged;   /* the rule set in one pass: reports name their rule */
	char *groups; /* --file-groups list, removed with the job */
	/* With the cache: the job's files and their keys ("": not cached). */
	char **files;
	char (*keys)[CACHE_KEY_LEN + 1];
	size_t nr_files;
};

struct file_list {
	char **v;
	size_t nr;
};

static void free_cocci_job(void *data)
{
	struct cocci_job *cj = data;

	free(cj->rule);
	free(cj->groups);
	while (cj->nr_files)
		free(cj->files[--cj->nr_files]);
	free(cj->files);
	free(cj->keys);
	free(cj);
}

static int rule_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && strcmp(d->d_name + n - 6, ".cocci") == 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int list_add(struct file_list *l, const char *path, const char *root)
{
	size_t n = strlen(root), i;
	char **v;

	/* Relative to the root, so patches read a/..., b/... from there. */
	if (root[0] && !strncmp(path, root, n) && path[n] == '/')
		path += n + 1;
	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i], path))
			return 0;
	v = realloc(l->v, (l->nr + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->nr] = strdup(path);
	if (!v[l->nr])
		return -ENOMEM;
	l->nr++;
	return 0;
}

static void list_free(struct file_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
}

/* The .c and .h files under @path (or @path itself), .h only if @headers. */
static int walk(const char *path, int headers_only, const char *root,
		struct file_list *l)
{
	struct dirent **ents;
	struct stat st;
	int n, i, ret = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "gpuown-check: %s: %s\n", path,
			strerror(errno));
		return -ENOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (has_suffix(path, ".h") ||
		    (!headers_only && has_suffix(path, ".c")))
			return list_add(l, path, root);
		return 0;
	}
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		char sub[PATH_MAX];

		if (!ret && ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
				 ents[i]->d_name);
			ret = walk(sub, headers_only, root, l);
		}
		free(ents[i]);
	}
	free(ents);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The database's units, plus the headers under the paths (inline and
 * per-variant code is checked on its own, --include-headers); without a
 * database, every .c and .h file under the paths.
 */
static int collect_files(const struct check_config *cfg,
			 const struct compdb *db, struct file_list *l)
{
	size_t i;
	int k, ret = 0;

	for (i = 0; i < db->nr && !ret; i++)
		if (has_suffix(db->entries[i].file, ".c"))
			ret = list_add(l, db->entries[i].file, cfg->root);
	for (k = 0; k < cfg->nr_paths && !ret; k++)
		ret = walk(cfg->paths[k], db->nr > 0, cfg->root, l);
	if (!ret && l->nr)
		qsort(l->v, l->nr, sizeof(*l->v), cmp_str);
	return ret;
}

/* The words of the rule's `// Options:` line, in @buf. */
static int rule_options(const char *text, char *buf, size_t len, char **opt)
{
	const char *p = strstr(text, "\n// Options:");
	char *tok, *save = NULL;
	int n = 0;

	buf[0] = '\0';
	if (!p)
		return 0;
	p += strlen("\n// Options:");
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	for (tok = strtok_r(buf, " \t", &save); tok && n < MAX_OPTIONS;
	     tok = strtok_r(NULL, " \t", &save))
		opt[n++] = tok;
	return n;
}

/* Firmware-struct headers fwgen wrote into the build: gen/<set>/gpuown_fw/. */
static int generated_headers(const char *build, struct file_list *l)
{
	struct dirent **sets;
	char dir[PATH_MAX];
	int n, i, ret = 0;

	snprintf(dir, sizeof(dir), "%s/gen", build);
	n = scandir(dir, &sets, NULL, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct dirent **hs;
		int m, k;

		snprintf(dir, sizeof(dir), "%s/gen/%s/gpuown_fw", build,
			 sets[i]->d_name);
		free(sets[i]);
		m = scandir(dir, &hs, NULL, alphasort);
		for (k = 0; k < m; k++) {
			char h[PATH_MAX];

			snprintf(h, sizeof(h), "%s/%s", dir, hs[k]->d_name);
			if (!ret && has_suffix(h, ".h") &&
			    !has_suffix(h, "_instantiate.h"))
				ret = list_add(l, h, "");
			free(hs[k]);
		}
		if (m >= 0)
			free(hs);
	}
	free(sets);
	return ret;
}

static int fw_headers_define(const struct check_config *cfg, char **out)
{
	struct file_list l = {0};
	size_t len = 16, i;
	int k, ret = 0;

	*out = NULL;
	for (k = 0; k < cfg->nr_fw_headers && !ret; k++)
		ret = list_add(&l, cfg->fw_headers[k], "");
	if (!ret && !cfg->nr_fw_headers && cfg->compdb_dir)
		ret = generated_headers(cfg->compdb_dir, &l);
	if (ret || !l.nr)
		goto out;
	for (i = 0; i < l.nr; i++)
		len += strlen(l.v[i]) + PATH_MAX + 1;
	*out = calloc(1, len);
	if (!*out) {
		ret = -ENOMEM;
		goto out;
	}
	strcpy(*out, "fw_headers=");
	for (i = 0; i < l.nr; i++) {
		char abs[PATH_MAX];

		if (!realpath(l.v[i], abs)) {
			fprintf(stderr,
				"gpuown-check: no such firmware-struct header: "
				"%s\n",
				l.v[i]);
			ret = -ENOENT;
			goto out;
		}
		if (i)
			strcat(*out, ":");
		strcat(*out, abs);
	}
out:
	list_free(&l);
	return ret;
}

/* The job name of the rule set merged into one pass (cocci_merge.c). */
#define MERGED_NAME "rule-set"

/* Options a rule turns on with gpuown_opt_NAME, at most, per job. */
#define GPUOWN_COCCI_MAX_SWITCHES 64

struct cocci_setup {
	const char *macros;
	const char *types;
	const char *fw_define;
	const struct file_list *files;
	const char *python; /* spatch --python, or NULL */
};

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0) {
		if (f)
			fclose(f);
		fprintf(stderr, "gpuown-check: cannot write %s\n", path);
		return -EIO;
	}
	return fclose(f) ? -EIO : 0;
}

/*
 * A rule reads option NAME in a script rule that depends on the virtual rule
 * gpuown_opt_NAME (a script rule that always runs would cost spatch its
 * token prefilter): given NAME=VALUE, turn it on, if @text declares it.
 * Returns the "-D" value to add, or NULL.
 */
static char *option_switch(const char *text, const char *define)
{
	size_t len = strcspn(define, "=");
	char *sw = NULL;
	const char *p;

	if (asprintf(&sw, "gpuown_opt_%.*s", (int)len, define) < 0)
		return NULL;
	for (p = text; (p = strstr(p, "virtual ")); p += 8) {
		const char *q = p + 8;

		if ((p == text || p[-1] == '\n') &&
		    !strncmp(q, sw, strlen(sw)) &&
		    (q[strlen(sw)] == '\n' || q[strlen(sw)] == '\0'))
			return sw;
	}
	free(sw);
	return NULL;
}

/*
 * The Python spatch embeds. Left to itself spatch runs `python3` from PATH
 * to find the library to load, and a PATH holding a version manager's shim
 * (pyenv, a virtualenv) makes that cost about a second of CPU per spatch
 * process, and may name a Python other than the one spatch was built for.
 * Debian's spatch (/usr/bin/spatch) is built for Debian's /usr/bin/python3;
 * $GPUOWN_SPATCH_PYTHON names another. NULL: spatch's own choice.
 */
static const char *spatch_python(const struct check_config *cfg)
{
	const char *env = getenv("GPUOWN_SPATCH_PYTHON"), *path, *p;
	char buf[PATH_MAX], real[PATH_MAX];

	if (env)
		return *env ? env : NULL;
	if (access("/usr/bin/python3", X_OK))
		return NULL;
	if (strchr(cfg->spatch, '/'))
		return realpath(cfg->spatch, real) &&
				       !strcmp(real, "/usr/bin/spatch")
			       ? "/usr/bin/python3"
			       : NULL;
	path = getenv("PATH");
	for (p = path; p && *p;
	     p += strcspn(p, ":") + (p[strcspn(p, ":")] != 0)) {
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)strcspn(p, ":"), p,
			 cfg->spatch);
		if (!access(buf, X_OK))
			return realpath(buf, real) &&
					       !strcmp(real, "/usr/bin/spatch")
				       ? "/usr/bin/python3"
				       : NULL;
	}
	return NULL;
}

static int add_rule_job(const struct check_config *cfg,
			const struct cocci_setup *su, const char *rule,
			const char *instance, const char *text, char **opt,
			int nopt, size_t first, size_t step,
			char (*keys)[CACHE_KEY_LEN + 1], struct job ***jobs,
			size_t *nr)
{
	char **argv =
		calloc(32 + (size_t)nopt + 4 * (size_t)cfg->nr_cocci_defines,
		       sizeof(char *));
	char *sw[GPUOWN_COCCI_MAX_SWITCHES] = {0};
	int nsw = 0;
	struct cocci_job *cj = calloc(1, sizeof(*cj));
	char timeout[16];
	struct job *job;
	FILE *g = NULL;
	size_t i;
	int n = 0, k;

	if (!argv || !cj)
		goto nomem;
	cj->rule = strdup(rule);
	cj->merged = !strcmp(rule, MERGED_NAME);
	if (!cj->rule || asprintf(&cj->groups, "%s/%s.%zu.groups", cfg->tmpdir,
				  rule, first) < 0) {
		cj->groups = NULL;
		goto nomem;
	}
	g = fopen(cj->groups, "w");
	if (!g)
		goto nomem;
	/* One group per file: each file is its own unit, as with --dir. */
	for (i = first; i < su->files->nr; i += step)
		fprintf(g, "%s\n\n", su->files->v[i]);
	if (keys) {
		size_t nf = (su->files->nr - first + step - 1) / step;

		cj->files = calloc(nf, sizeof(*cj->files));
		cj->keys = calloc(nf, sizeof(*cj->keys));
		if (!cj->files || !cj->keys) {
			fclose(g);
			goto nomem;
		}
		/* Copies: parse() runs after the file list is gone. */
		for (i = first; i < su->files->nr; i += step) {
			cj->files[cj->nr_files] = strdup(su->files->v[i]);
			if (!cj->files[cj->nr_files]) {
				fclose(g);
				goto nomem;
			}
			memcpy(cj->keys[cj->nr_files++], keys[i],
			       sizeof(*keys));
		}
	}
	if (fclose(g))
		goto nomem;
	snprintf(timeout, sizeof(timeout), "%d", cfg->timeout);
	argv[n++] = (char *)cfg->spatch;
	if (su->python) {
		argv[n++] = "--python";
		argv[n++] = (char *)su->python;
	}
	argv[n++] = "-D";
	argv[n++] = (char *)cfg->cocci_mode;
	argv[n++] = "--very-quiet";
	argv[n++] = "--timeout";
	argv[n++] = timeout;
	argv[n++] = "--macro-file";
	argv[n++] = (char *)su->macros;
	argv[n++] = "--include";
	argv[n++] = (char *)su->types;
	argv[n++] = "--sp-file";
	argv[n++] = (char *)instance;
	argv[n++] = "--file-groups";
	argv[n++] = cj->groups;
	if (!strcmp(cfg->cocci_mode, "report"))
		argv[n++] = "--no-show-diff";
	if (!strcmp(cfg->cocci_mode, "patch") ||
	    !strcmp(cfg->cocci_mode, "context")) {
		argv[n++] = "--patch";
		argv[n++] = ".";
	}
	for (k = 0; k < nopt; k++)
		argv[n++] = opt[k];
	if (su->fw_define) {
		argv[n++] = "-D";
		argv[n++] = (char *)su->fw_define;
		sw[nsw] = option_switch(text, su->fw_define);
		if (sw[nsw]) {
			argv[n++] = "-D";
			argv[n++] = sw[nsw++];
		}
	}
	for (k = 0; k < cfg->nr_cocci_defines; k++) {
		argv[n++] = "-D";
		argv[n++] = cfg->cocci_defines[k];
		if (nsw == GPUOWN_COCCI_MAX_SWITCHES)
			continue;
		sw[nsw] = option_switch(text, cfg->cocci_defines[k]);
		if (sw[nsw]) {
			argv[n++] = "-D";
			argv[n++] = sw[nsw++];
		}
	}
	argv[n] = NULL;
	job = job_new(argv, cfg->root, cj);
	free(argv);
	while (nsw)
		free(sw[--nsw]);
	if (!job) {
		free_cocci_job(cj);
		return -ENOMEM;
	}
	job->free_data = free_cocci_job;
	/* Cached per unit (cache_select()), never as a whole job. */
	if (keys)
		job->unit = -2;
	/* The timeout is per file: this job covers its chunk of files. */
	job->nr_files =
		(unsigned int)((su->files->nr - first + step - 1) / step);
	/* spatch times each file out itself; this is the safety net. */
	job->grace = COCCI_GRACE;
	return layer_push_job(jobs, nr, job);
nomem:
	free(argv);
	if (cj)
		free_cocci_job(cj);
	return -ENOMEM;
}

static int rule_selected(const struct check_config *cfg, const char *rule)
{
	int k;

	if (!cfg->nr_cocci_rules)
		return 1;
	for (k = 0; k < cfg->nr_cocci_rules; k++)
		if (!strcmp(cfg->cocci_rules[k], rule))
			return 1;
	return 0;
}

/*
 * The findings cache, per (rule, unit): the units whose findings for this
 * rule are stored are loaded into cfg->cached and not run; the others go
 * into @run, each with its key (@keys, "" for a file that is no database
 * unit), and parse() stores their findings when their job ends.
 */
static int cache_select(const struct check_config *cfg,
			const struct cocci_setup *su, const char *inst,
			char **opt, int nopt, struct file_list *run,
			char (**keys)[CACHE_KEY_LEN + 1])
{
	char digest[CACHE_KEY_LEN + 1], key[CACHE_KEY_LEN + 1];
	size_t i;

	cache_rule_digest(inst, opt, nopt, su->fw_define, digest);
	run->v = calloc(su->files->nr ? su->files->nr : 1, sizeof(*run->v));
	*keys = calloc(su->files->nr ? su->files->nr : 1, sizeof(**keys));
	if (!run->v || !*keys)
		return -ENOMEM;
	for (i = 0; i < su->files->nr; i++) {
		const char *file = su->files->v[i];

		if (!digest[0] ||
		    cache_unit_key(cfg->cache, cfg, digest, file, key))
			key[0] = '\0';
		else if (cache_load(cfg->cache, key, cfg->cached))
			continue;
		run->v[run->nr] = su->files->v[i];
		memcpy((*keys)[run->nr++], key, sizeof(key));
	}
	return 0;
}

static int add_rule(const struct check_config *cfg,
		    const struct cocci_setup *su, const struct roles *roles,
		    const char *name, int nrules, struct job ***jobs,
		    size_t *nr)
{
	char path[PATH_MAX], instance[PATH_MAX], optbuf[512];
	char *opt[MAX_OPTIONS], *text, *inst = NULL, **tokens = NULL;
	char(*keys)[CACHE_KEY_LEN + 1] = NULL;
	struct file_list mine = {0}, run = {0};
	struct cocci_setup own, sel;
	size_t chunks, c;
	int nopt, ntok = 0, ret;

	snprintf(path, sizeof(path), "%s/%s.cocci", cfg->cocci_dir, name);
	snprintf(instance, sizeof(instance), "%s/%s.cocci", cfg->tmpdir, name);
	text = cocci_read_file(path);
	if (!text) {
		fprintf(stderr, "gpuown-check: %s: %s\n", path,
			strerror(errno));
		return -EIO;
	}
	ret = cocci_instance(text, roles, cfg->cocci_defines,
			     cfg->nr_cocci_defines, &inst);
	if (!ret)
		ret = write_file(instance, inst);
	if (ret)
		goto out;
	nopt = rule_options(text, optbuf, sizeof(optbuf), opt);
	/* Only the files holding one of the rule's tokens (its Tokens line). */
	ntok = cocci_tokens(text, roles, cfg->cocci_defines,
			    cfg->nr_cocci_defines, &tokens);
	if (ntok < 0) {
		ret = ntok;
		goto out;
	}
	for (c = 0; ntok && c < su->files->nr && !ret; c++) {
		const char *f = su->files->v[c];
		char full[PATH_MAX];

		/* Listed relative to the root the jobs run in. */
		snprintf(full, sizeof(full), "%s%s%s",
			 f[0] == '/' ? "" : cfg->root, f[0] == '/' ? "" : "/",
			 f);
		if (cocci_file_has_token(full, tokens, ntok))
			ret = list_add(&mine, f, "");
	}
	if (ret || (ntok && !mine.nr))
		goto out;
	if (ntok) {
		own = *su;
		own.files = &mine;
		su = &own;
	}
	/* Of those, only the files the cache has no findings for. */
	if (cfg->cache) {
		ret = cache_select(cfg, su, inst, opt, nopt, &run, &keys);
		if (ret || !run.nr)
			goto out;
		sel = *su;
		sel.files = &run;
		su = &sel;
	}
	/* Enough chunks per rule to keep every job busy, none under 8 files. */
	chunks = (size_t)((cfg->jobs + nrules - 1) / nrules);
	if (chunks > (su->files->nr + 7) / 8)
		chunks = (su->files->nr + 7) / 8;
	if (!chunks)
		chunks = 1;
	for (c = 0; c < chunks && !ret; c++)
		ret = add_rule_job(cfg, su, name, instance, text, opt, nopt, c,
				   chunks, keys, jobs, nr);
out:
	cocci_tokens_free(tokens, ntok > 0 ? ntok : 0);
	list_free(&mine);
	free(text);
	free(inst);
	free(run.v); /* the strings are the full list's */
	free(keys);
	return ret;
}

/*
 * The files of @su holding one of the tokens of rule @text (all of them when
 * it has no Tokens line), into @mine. Returns the token count or -errno.
 */
static int token_files(const struct check_config *cfg,
		       const struct cocci_setup *su, const struct roles *roles,
		       const char *text, struct file_list *mine)
{
	char **tokens = NULL;
	size_t c;
	int ntok, ret = 0;

	ntok = cocci_tokens(text, roles, cfg->cocci_defines,
			    cfg->nr_cocci_defines, &tokens);
	if (ntok < 0)
		return ntok;
	for (c = 0; c < su->files->nr && !ret; c++) {
		const char *f = su->files->v[c];
		char full[PATH_MAX];

		snprintf(full, sizeof(full), "%s%s%s",
			 f[0] == '/' ? "" : cfg->root, f[0] == '/' ? "" : "/",
			 f);
		if (!ntok || cocci_file_has_token(full, tokens, ntok))
			ret = list_add(mine, f, "");
	}
	cocci_tokens_free(tokens, ntok);
	return ret ? ret : ntok;
}

/*
 * Report mode without the findings cache: every selected rule whose tokens
 * some file holds, in one semantic patch (cocci_merge.c), run over the
 * union of their files in cfg->jobs chunks. One spatch start and one parse
 * of each file for the whole set, instead of one per rule; each rule is
 * scoped to the files holding its tokens (cocci_merge_scoped()), as on its
 * own, so the findings are the per-rule runs' own. Rules whose `//
 * Options:` line differs from the first one's run on their own (@alone).
 * Returns 1, having added nothing, when the files are too many for one pass
 * to pay.
 */
static int add_merged(const struct check_config *cfg,
		      const struct cocci_setup *su, const struct roles *roles,
		      char **names, int nnames, int *alone, struct job ***jobs,
		      size_t *nr)
{
	char path[PATH_MAX], merged[PATH_MAX], optbuf[512], optbuf1[512];
	char *opt[MAX_OPTIONS], *texts[256] = {0}, *insts[256] = {0};
	const char *rules[256];
	char *out = NULL, *opt1 = NULL, *tok, *save = NULL;
	struct file_list all = {0}, scope[256] = {0};
	struct cocci_merge_scope scopes[256];
	struct cocci_setup own = *su;
	size_t n = 0, pairs = 0, chunks, c, i;
	int k, nopt = 0, ret = 0;

	for (k = 0; k < nnames && k < 256 && !ret; k++) {
		struct file_list mine = {0};
		char *text;
		int ntok;

		alone[k] = 0;
		snprintf(path, sizeof(path), "%s/%s.cocci", cfg->cocci_dir,
			 names[k]);
		text = cocci_read_file(path);
		if (!text) {
			fprintf(stderr, "gpuown-check: %s: %s\n", path,
				strerror(errno));
			ret = -EIO;
			break;
		}
		rule_options(text, optbuf, sizeof(optbuf), opt);
		if (!opt1 && !(opt1 = strdup(optbuf))) {
			ret = -ENOMEM;
		} else if (strcmp(opt1, optbuf)) {
			alone[k] = 1;
		} else {
			ntok = token_files(cfg, su, roles, text, &mine);
			if (ntok < 0)
				ret = ntok;
			/* Tokens no file holds: the rule has nothing to do. */
			for (i = 0; ntok >= 0 && i < mine.nr && !ret; i++)
				ret = list_add(&all, mine.v[i], "");
			pairs += mine.nr;
			if (!ret && mine.nr) {
				ret = cocci_instance(
					text, roles, cfg->cocci_defines,
					cfg->nr_cocci_defines, &insts[n]);
				rules[n] = names[k];
				/* Its own files only (cocci_merge_scoped()). */
				if (ntok) {
					scope[n] = mine;
					mine = (struct file_list){0};
				}
				texts[n++] = text;
				text = NULL;
			}
		}
		free(text);
		list_free(&mine);
	}
	if (ret || !n || !all.nr)
		goto out;
	/* Few files per job, or files most rules share (cocci_merge.c). */
	if (!cocci_merge_pays(all.nr, pairs, cfg->jobs)) {
		ret = 1;
		goto out;
	}
	for (i = 0; i < n; i++)
		scopes[i] = (struct cocci_merge_scope){
			(const char *const *)scope[i].v, scope[i].nr};
	ret = cocci_merge_scoped(rules, (const char *const *)insts, scopes, n,
				 &out);
	snprintf(merged, sizeof(merged), "%s/%s.cocci", cfg->tmpdir,
		 MERGED_NAME);
	if (!ret)
		ret = write_file(merged, out);
	if (ret)
		goto out;
	chunks = (size_t)(cfg->jobs > 0 ? cfg->jobs : 1);
	if (chunks > (all.nr + 7) / 8)
		chunks = (all.nr + 7) / 8;
	if (!chunks)
		chunks = 1;
	/* About as many bytes to parse per job (cocci_merge_balance()). */
	qsort(all.v, all.nr, sizeof(*all.v), cmp_str);
	ret = cocci_merge_balance(all.v, all.nr, cfg->root, chunks);
	if (ret)
		goto out;
	snprintf(optbuf1, sizeof(optbuf1), "%s", opt1);
	for (tok = strtok_r(optbuf1, " \t", &save); tok && nopt < MAX_OPTIONS;
	     tok = strtok_r(NULL, " \t", &save))
		opt[nopt++] = tok;
	own.files = &all;
	for (c = 0; c < chunks && !ret; c++)
		ret = add_rule_job(cfg, &own, MERGED_NAME, merged, out, opt,
				   nopt, c, chunks, NULL, jobs, nr);
out:
	for (i = 0; i < n; i++) {
		free(texts[i]);
		free(insts[i]);
		list_free(&scope[i]);
	}
	free(out);
	free(opt1);
	list_free(&all);
	return ret;
}

static int add_jobs(const struct check_config *cfg, const struct compdb *db,
		    struct job ***jobs, size_t *nr)
{
	struct roles roles = {0};
	struct file_list files = {0};
	struct dirent **rules = NULL;
	char macros[PATH_MAX], types[PATH_MAX], extra[PATH_MAX];
	char *fw_define = NULL;
	struct cocci_setup su;
	int nrules = 0, nsel = 0, r, k, ret;

	for (k = 0; k < cfg->nr_cocci_rules; k++) {
		snprintf(extra, sizeof(extra), "%s/%s.cocci", cfg->cocci_dir,
			 cfg->cocci_rules[k]);
		if (access(extra, R_OK)) {
			fprintf(stderr,
				"gpuown-check: unknown Coccinelle rule '%s' "
				"(no %s)\n",
				cfg->cocci_rules[k], extra);
			return -ENOENT;
		}
	}
	ret = collect_files(cfg, db, &files);
	if (ret || !files.nr)
		goto out;
	ret = roles_load(cfg, db, &roles);
	if (ret)
		goto out;
	snprintf(macros, sizeof(macros), "%s/gpuown-macros.h", cfg->tmpdir);
	snprintf(extra, sizeof(extra), "%s/gpuown-macros.h", cfg->cocci_dir);
	snprintf(types, sizeof(types), "%s/gpuown-types.h", cfg->cocci_dir);
	ret = cocci_macro_file(cfg->clang, cfg->annotations, extra, macros,
			       cfg->timeout, cfg->tmpdir);
	if (ret)
		goto out;
	ret = fw_headers_define(cfg, &fw_define);
	if (ret)
		goto out;
	nrules = scandir(cfg->cocci_dir, &rules, rule_filter, alphasort);
	if (nrules <= 0) {
		fprintf(stderr, "gpuown-check: no Coccinelle rules in %s\n",
			cfg->cocci_dir);
		ret = -ENOENT;
		goto out;
	}
	for (r = 0; r < nrules; r++) {
		rules[r]->d_name[strlen(rules[r]->d_name) - 6] = '\0';
		nsel += rule_selected(cfg, rules[r]->d_name);
	}
	su = (struct cocci_setup){macros, types, fw_define, &files,
				  spatch_python(cfg)};
	if (nsel > 1 && !cfg->cache && !strcmp(cfg->cocci_mode, "report")) {
		char *names[256];
		int alone[256], n = 0;

		for (r = 0; r < nrules && n < 256; r++)
			if (rule_selected(cfg, rules[r]->d_name))
				names[n++] = rules[r]->d_name;
		ret = add_merged(cfg, &su, &roles, names, n, alone, jobs, nr);
		for (k = 0; k < n && !ret; k++)
			if (alone[k])
				ret = add_rule(cfg, &su, &roles, names[k], nsel,
					       jobs, nr);
		if (ret <= 0)
			goto out;
		ret = 0;
	}
	for (r = 0; r < nrules && !ret; r++)
		if (rule_selected(cfg, rules[r]->d_name))
			ret = add_rule(cfg, &su, &roles, rules[r]->d_name, nsel,
				       jobs, nr);
out:
	for (r = 0; r < nrules; r++)
		free(rules[r]);
	free(rules);
	free(fw_define);
	list_free(&files);
	roles_free(&roles);
	return ret;
}

/* A rule that rejects an option names it in a ValueError; keep that line. */
static const char *rule_error(const char *out)
{
	const char *p = strstr(out ? out : "", "ValueError: ");

	return p ? p + strlen("ValueError: ") : NULL;
}

/*
 * Files spatch gave up on (its --timeout): spatch names each in an
 * "EXN: ...Common.Timeout in FILE" line. A notice each, never a silent
 * pass; the line itself is blanked so it cannot read as a finding.
 */
static int timeouts(const struct check_config *cfg, struct cocci_job *cj,
		    struct job *job)
{
	static const char mark[] = "Common.Timeout in ";
	char *s = job->output, *hit, *eol, path[4096 + 256], msg[512];
	int ret;

	while (s && (hit = strstr(s, mark))) {
		char *bol = hit;

		while (bol > job->output && bol[-1] != '\n')
			bol--;
		eol = strchrnul(hit, '\n');
		hit += sizeof(mark) - 1;
		snprintf(path, sizeof(path), "%s%s%.*s",
			 hit[0] == '/' ? "" : job->cwd,
			 hit[0] == '/' ? "" : "/", (int)(eol - hit), hit);
		snprintf(msg, sizeof(msg),
			 "Coccinelle rule cocci.%s timed out on this file (%d "
			 "s): "
			 "not checked",
			 cj->rule, cfg->timeout);
		ret = notices_add(cfg->notices, "coccinelle", "timeout", path,
				  msg);
		if (ret)
			return ret;
		memset(bol, ' ', (size_t)(eol - bol));
		s = eol;
	}
	return 0;
}

static int parse(const struct check_config *cfg, struct job *job,
		 struct findings *out)
{
	struct cocci_job *cj = job->data;
	const char *text = job->output ? job->output : "";
	const char *bad = rule_error(text);
	struct findings tmp = {0};
	size_t i, before = out->nr, notices = cfg->notices->nr;
	char rule[300];
	int ret;

	if (bad) {
		fprintf(stderr, "gpuown-check: Coccinelle rule %s: %.*s\n",
			cj->rule, (int)strcspn(bad, "\n"), bad);
		return -EINVAL;
	}
	if (job->timed_out) {
		char msg[256];

		snprintf(msg, sizeof(msg),
			 "Coccinelle rule cocci.%s timed out over its %u "
			 "files: not "
			 "checked",
			 cj->rule, job->nr_files);
		return notices_add(cfg->notices, "coccinelle", "timeout", NULL,
				   msg);
	}
	if (job->status != 0 || strstr(text, "Python failure") ||
	    strstr(text, "parse error")) {
		fprintf(stderr,
			"gpuown-check: Coccinelle rule %s failed:\n%s\n",
			cj->rule, text);
		return -EIO;
	}
	ret = timeouts(cfg, cj, job);
	if (ret)
		return ret;
	if (strcmp(cfg->cocci_mode, "report") != 0) {
		fputs(text, stdout);
		return 0;
	}
	snprintf(rule, sizeof(rule), "cocci.%s", cj->rule);
	ret = diag_parse(text, "coccinelle", rule, job->cwd, &tmp);
	/* spatch counts columns from 0; compilers and editors from 1. */
	for (i = 0; ret >= 0 && i < tmp.nr; i++) {
		struct finding *f = &tmp.v[i];
		const char *msg = f->message, *end;
		char own[300];

		/* The merged rule set names each report's rule first. */
		if (cj->merged && !strncmp(msg, "[cocci.", 7) &&
		    (end = strstr(msg, "] "))) {
			snprintf(own, sizeof(own), "%.*s", (int)(end - msg - 1),
				 msg + 1);
			ret = findings_add(out, "coccinelle", own, f->file,
					   f->line, f->col + 1, end + 2, NULL);
			continue;
		}
		ret = findings_add(out, "coccinelle", rule, f->file, f->line,
				   f->col + 1, f->message, NULL);
	}
	findings_free(&tmp);
	if (ret < 0)
		return ret;
	/* A clean, complete answer, split by unit, for the next run. */
	if (cfg->cache && cj->nr_files && cfg->notices->nr == notices &&
	    cache_files_cover(cfg, out, before, cj->files, cj->nr_files))
		for (i = 0; i < cj->nr_files; i++)
			if (cj->keys[i][0])
				cache_store_file(cfg->cache, cfg, cj->keys[i],
						 out, before, cj->files[i]);
	return 0;
}

const struct layer layer_cocci = {
	.name = "coccinelle",
	.tool = "coccinelle",
	.add_jobs = add_jobs,
	.parse = parse,
};
