// SPDX-License-Identifier: MIT
/*
 * fwgen must never crash, whatever it is fed: random mutations of the valid
 * sample set (byte flips to syntax characters, deletions, duplicated and
 * swapped lines, inserted keywords, truncation) run through the parser,
 * checker and, when accepted, all three emitters. Built with ASan+UBSan, any
 * memory error or undefined behaviour fails the test. The seed is fixed so a
 * failure reproduces; FWGEN_FUZZ_ITERS and FWGEN_FUZZ_SEED override the
 * iteration count and the seed.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "fwgen.h"

#ifndef FWGEN_SAMPLE_DIR
#error "FWGEN_SAMPLE_DIR must name tests/fwgen/sample"
#endif

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	b->cap = (b->len + more) * 2;
	b->p = realloc(b->p, b->cap);
	cr_assert_not_null(b->p);
}

static void buf_insert(struct buf *b, size_t at, const char *s, size_t n)
{
	buf_reserve(b, n);
	memmove(b->p + at + n, b->p + at, b->len - at);
	memcpy(b->p + at, s, n);
	b->len += n;
}

static void buf_delete(struct buf *b, size_t at, size_t n)
{
	if (at + n > b->len)
		n = b->len - at;
	memmove(b->p + at, b->p + at + n, b->len - at - n);
	b->len -= n;
}

static void read_sample(struct buf *b, const char *name)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", FWGEN_SAMPLE_DIR, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	do {
		buf_reserve(b, 4096);
		n = fread(b->p + b->len, 1, 4096, f);
		b->len += n;
	} while (n);
	fclose(f);
}

static const char *const tokens[] = {
	"when ",
	"struct ",
	"padding",
	"fw_writes",
	"V2_0",
	"G11",
	"0xffffffff",
	"0x0",
	"@",
	"[",
	"]",
	"(",
	")",
	"&&",
	"||",
	"!",
	"|",
	"{",
	"}",
	"\n",
	"size ",
	"footprint ",
	"u64 ",
	"gpu_ptr(",
	"fw_job_desc",
	"FW_JOB_SLOTS",
	"const X = ",
	"enum e {\n",
	"variant ",
	"axis V: ",
	"#",
	"4294967296",
	"99999999999999999999999",
	"\t",
	"struct fw_ctx_info ",
	"G >= ",
	"V < ",
	"pad_8",
};

static const char syntax_chars[] = "{}()[]|&!<>=@:#\n \t0x1fGV_\"\\\x80";

static void mutate_one(struct buf *b)
{
	size_t at = rnd_below(b->len + 1);

	switch (rnd_below(6)) {
	case 0:
		if (b->len)
			b->p[rnd_below(b->len)] = syntax_chars[rnd_below(
				sizeof(syntax_chars) - 1)];
		break;
	case 1:
		buf_delete(b, at, rnd_below(16) + 1);
		break;
	case 2: {
		const char *t =
			tokens[rnd_below(sizeof(tokens) / sizeof(tokens[0]))];

		buf_insert(b, at, t, strlen(t));
		break;
	}
	case 3: { /* duplicate a line */
		size_t s = at, e = at;

		while (s > 0 && b->p[s - 1] != '\n')
			s--;
		while (e < b->len && b->p[e] != '\n')
			e++;
		char *line = malloc(e - s + 2);

		memcpy(line, b->p + s, e - s);
		line[e - s] = '\n';
		buf_insert(b, s, line, e - s + 1);
		free(line);
		break;
	}
	case 4:
		if (b->len)
			b->p[rnd_below(b->len)] = (char)rnd();
		break;
	case 5:
		b->len = at;
		break;
	}
}

static int run_once(const char *text, size_t len, FILE *sink)
{
	struct fwgen *g = fwgen_create(sink);
	const char *keep = getenv("FWGEN_FUZZ_KEEP");
	static int kept;
	int ok;

	fwgen_load_buffer(g, "fuzz.fwdef", text, len);
	ok = fwgen_check(g) == 0;
	/* FWGEN_FUZZ_KEEP=dir writes accepted mutants' C, to compile by hand. */
	if (ok && keep && kept < 200) {
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/m%d", keep, kept++);
		fwgen_write(g, "fuzz", dir);
	}
	if (ok) {
		fwgen_emit_header(g, "fuzz", sink);
		fwgen_emit_instantiate(g, "fuzz", sink);
		fwgen_emit_desc(g, "fuzz", sink);
	}
	fwgen_destroy(g);
	return ok;
}

Test(fuzz, mutated_sample_never_crashes, .timeout = 240)
{
	struct buf orig = {0}, b = {0};
	FILE *sink = fopen("/dev/null", "w");
	const char *env = getenv("FWGEN_FUZZ_ITERS");
	const char *seed = getenv("FWGEN_FUZZ_SEED");
	int iters = env ? atoi(env) : 3000, accepted = 0;

	cr_assert_not_null(sink);
	if (seed && strtoull(seed, NULL, 0))
		rng_state = strtoull(seed, NULL, 0);
	read_sample(&orig, "axes.fwdef");
	read_sample(&orig, "ring.fwdef");
	read_sample(&orig, "job.fwdef");
	cr_assert_eq(run_once(orig.p, orig.len, sink), 1,
		     "the unmutated sample must be accepted");
	for (int i = 0; i < iters; i++) {
		int n = 1 + (int)rnd_below(4);

		b.len = 0;
		buf_reserve(&b, orig.len);
		memcpy(b.p, orig.p, orig.len);
		b.len = orig.len;
		for (int k = 0; k < n; k++)
			mutate_one(&b);
		accepted += run_once(b.p, b.len, sink);
	}
	cr_log_info("fuzz: %d of %d mutants accepted", accepted, iters);
	free(orig.p);
	free(b.p);
	fclose(sink);
}
