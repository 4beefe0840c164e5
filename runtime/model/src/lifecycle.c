// SPDX-License-Identifier: MIT
/*
 * Driver-declared lifecycles: "a -> b, b -> c" specs, parsed once per
 * lifecycle and cached by content (usually static strings declared with
 * GPUOWN_LIFECYCLE), then checked at every transition.
 */
#include "core.h"

#define LC_NAME_MAX 32

struct lc_parsed {
	const struct gpuown_lifecycle *lc;
	char *spec; /* a copy: the cache key is the content, not the pointer */
	unsigned nstates;
	char names[GPUOWN_LC_MAX_STATES][LC_NAME_MAX];
	uint32_t next[GPUOWN_LC_MAX_STATES]; /* bit t: from -> t declared */
	struct lc_parsed *link;
};

static struct lc_parsed *lc_cache;
/* Created on first use: the core has no static lock initialiser. */
static struct gpuown_host_lock *lc_lock;

static struct gpuown_host_lock *lc_lock_get(void)
{
	struct gpuown_host_lock *l = GPUOWN_LOAD_ACQ(&lc_lock), *want = NULL;

	if (l)
		return l;
	l = gpuown_host.lock_create();
	if (!l)
		return NULL;
	if (!__atomic_compare_exchange_n(&lc_lock, &want, l, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		gpuown_host.lock_destroy(l);
		return want;
	}
	return l;
}

static char *lc_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = gpuown_host.zalloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

struct lc_err {
	char *buf;
	size_t len;
	const char *lc_name;
};

__attribute__((format(printf, 2, 3))) static int lc_fail(struct lc_err *e,
							 const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e->buf || !e->len)
		return -EINVAL;
	n = snprintf(e->buf, e->len, "lifecycle '%s': ", e->lc_name);
	if (n >= 0 && (size_t)n < e->len) {
		va_start(ap, fmt);
		vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The first "->" in @s[0..n), or NULL (memmem is not in every libc). */
static const char *find_arrow(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == '-' && s[i + 1] == '>')
			return s + i;
	}
	return NULL;
}

/* Trim @s[0..n) in place; returns the new start and sets *n. */
static const char *trim(const char *s, size_t *n)
{
	while (*n && isspace((unsigned char)*s)) {
		s++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)s[*n - 1]))
		(*n)--;
	return s;
}

static int state_index(struct lc_parsed *p, const char *s, size_t n)
{
	unsigned i;

	for (i = 0; i < p->nstates; i++) {
		if (strlen(p->names[i]) == n && !memcmp(p->names[i], s, n))
			return (int)i;
	}
	return -1;
}

static int state_add(struct lc_parsed *p, struct lc_err *e, unsigned item,
		     const char *s, size_t n, const char *which)
{
	int idx = state_index(p, s, n);
	size_t i;

	if (idx >= 0)
		return idx;
	if (!n)
		return lc_fail(e, "transition %u: empty %s state name", item,
			       which);
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return lc_fail(e,
				       "transition %u: state name '%.*s' is "
				       "not an identifier",
				       item, (int)n, s);
	}
	if (isdigit((unsigned char)s[0]))
		return lc_fail(
			e,
			"transition %u: state name '%.*s' starts with a digit",
			item, (int)n, s);
	if (n >= LC_NAME_MAX)
		return lc_fail(e,
			       "transition %u: state name '%.*s' is longer "
			       "than %d characters",
			       item, (int)n, s, LC_NAME_MAX - 1);
	if (p->nstates == GPUOWN_LC_MAX_STATES)
		return lc_fail(e, "more than %d states", GPUOWN_LC_MAX_STATES);
	memcpy(p->names[p->nstates], s, n);
	p->names[p->nstates][n] = '\0';
	return (int)p->nstates++;
}

static int parse_item(struct lc_parsed *p, struct lc_err *e, unsigned item,
		      const char *s, size_t n)
{
	const char *arrow, *to;
	size_t fn, tn;
	int from_i, to_i;

	s = trim(s, &n);
	if (!n)
		return lc_fail(e, "transition %u is empty (stray ',')", item);
	arrow = find_arrow(s, n);
	if (!arrow)
		return lc_fail(e,
			       "transition %u ('%.*s'): expected 'from -> to'",
			       item, (int)n, s);
	to = arrow + 2;
	tn = n - (size_t)(to - s);
	if (find_arrow(to, tn))
		return lc_fail(e,
			       "transition %u ('%.*s'): more than one '->'; "
			       "separate transitions with ','",
			       item, (int)n, s);
	fn = (size_t)(arrow - s);
	s = trim(s, &fn);
	to = trim(to, &tn);
	from_i = state_add(p, e, item, s, fn, "source");
	if (from_i < 0)
		return from_i;
	to_i = state_add(p, e, item, to, tn, "target");
	if (to_i < 0)
		return to_i;
	if (p->next[from_i] & (1u << to_i))
		return lc_fail(e,
			       "transition %u: duplicate transition '%s -> %s'",
			       item, p->names[from_i], p->names[to_i]);
	p->next[from_i] |= 1u << to_i;
	return 0;
}

static int lc_parse(const struct gpuown_lifecycle *lc, struct lc_parsed *p,
		    char *err, size_t err_len)
{
	struct lc_err e = {err, err_len, lc && lc->name ? lc->name : "?"};
	const char *s, *comma;
	unsigned item = 1;
	size_t n;
	int ret;

	if (err && err_len)
		err[0] = '\0';
	if (!lc || !lc->spec)
		return lc_fail(&e, "no specification");
	if (!lc->name || !lc->name[0])
		return lc_fail(&e, "lifecycle has no name");
	memset(p, 0, sizeof(*p));
	n = strlen(lc->spec);
	s = trim(lc->spec, &n);
	if (!n)
		return lc_fail(&e,
			       "empty specification; expected 'a -> b, ...'");
	for (s = lc->spec;; s = comma + 1, item++) {
		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		ret = parse_item(p, &e, item, s, n);
		if (ret)
			return ret;
		if (!comma)
			break;
	}
	p->lc = lc;
	return 0;
}

int gpuown_lifecycle_validate(const struct gpuown_lifecycle *lc, char *err,
			      size_t err_len)
{
	struct lc_parsed p;

	return lc_parse(lc, &p, err, err_len);
}

/* The parsed form of @lc, parsing it on first use; NULL if malformed. */
static const struct lc_parsed *lc_get(const struct gpuown_lifecycle *lc)
{
	struct gpuown_host_lock *lock = lc_lock_get();
	struct lc_parsed *p;

	if (!lock)
		return NULL;
	core_lock(lock);
	for (p = lc_cache; p; p = p->link) {
		if (p->lc == lc && lc->spec && !strcmp(p->spec, lc->spec))
			goto out;
	}
	p = gpuown_host.zalloc(sizeof(*p));
	if (p && lc_parse(lc, p, NULL, 0) == 0)
		p->spec = lc_strdup(lc->spec);
	if (p && !p->spec) {
		gpuown_host.free(p);
		p = NULL;
	}
	if (p) {
		p->link = lc_cache;
		lc_cache = p;
	}
out:
	core_unlock(lock);
	return p;
}

int gpuown_lc_init(struct gpuown_lc *s, const struct gpuown_lifecycle *lc,
		   struct gpuown_mm *mm, void *owner)
{
	if (!s || !lc || !lc_get(lc))
		return -EINVAL;
	s->lc = lc;
	s->mm = mm;
	s->state = 0;
	s->owner = owner;
	return 0;
}

static int lc_report(struct gpuown_lc *s, const struct lc_parsed *p,
		     const char *to, int err, enum gpuown_violation v,
		     void *caller)
{
	struct gpuown_model *m = s->mm ? gpuown_host.mm_model(s->mm) : NULL;
	struct gpuown_event ev;

	if (!m)
		return err;
	ev_init(&ev, GPUOWN_OP_LIFECYCLE, NULL, caller);
	ev.err = err;
	ev.violation = v;
	ev.lc_name = s->lc->name;
	ev.lc_from = p->names[s->state];
	ev.lc_to = to;
	ev.lc_owner = s->owner;
	emit_event(m, &ev);
	return err;
}

static const struct lc_parsed *lc_of(const struct gpuown_lc *s)
{
	const struct lc_parsed *p;

	if (!s || !s->lc)
		return NULL;
	p = lc_get(s->lc);
	if (!p || s->state < 0 || (unsigned)s->state >= p->nstates)
		return NULL;
	return p;
}

int gpuown_lc_transition(struct gpuown_lc *s, const char *to)
{
	void *caller = GPUOWN_CALLER();
	const struct lc_parsed *p = lc_of(s);
	int from, idx;

	if (!p || !to)
		return -EINVAL;
	from = s->state;
	idx = state_index((struct lc_parsed *)p, to, strlen(to));
	if (idx < 0)
		return lc_report(s, p, to, -EINVAL, GPUOWN_V_LIFECYCLE_ILLEGAL,
				 caller);
	if (!(p->next[from] & (1u << idx)))
		return lc_report(s, p, p->names[idx], -EPERM,
				 GPUOWN_V_LIFECYCLE_ILLEGAL, caller);
	lc_report(s, p, p->names[idx], 0, GPUOWN_OK, caller);
	s->state = idx;
	return 0;
}

int gpuown_lc_require(struct gpuown_lc *s, const char *st)
{
	void *caller = GPUOWN_CALLER();
	const struct lc_parsed *p = lc_of(s);
	int idx;

	if (!p || !st)
		return -EINVAL;
	idx = state_index((struct lc_parsed *)p, st, strlen(st));
	if (idx < 0)
		return lc_report(s, p, st, -EINVAL,
				 GPUOWN_V_LIFECYCLE_NOT_PERMITTED, caller);
	if (idx != s->state)
		return lc_report(s, p, p->names[idx], -EPERM,
				 GPUOWN_V_LIFECYCLE_NOT_PERMITTED, caller);
	return 0;
}

const char *gpuown_lc_state(const struct gpuown_lc *s)
{
	const struct lc_parsed *p = lc_of(s);

	return p ? p->names[s->state] : NULL;
}

void gpuown_model_cleanup(void)
{
	struct lc_parsed *p;

	while ((p = lc_cache)) {
		lc_cache = p->link;
		gpuown_host.free(p->spec);
		gpuown_host.free(p);
	}
	gpuown_host.lock_destroy(lc_lock);
	lc_lock = NULL;
}
