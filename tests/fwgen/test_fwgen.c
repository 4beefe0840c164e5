// SPDX-License-Identifier: MIT
/*
 * fwgen's checker driven in-process: predicate evaluation (every operator,
 * precedence, `!`, parentheses), const alternatives, enum renumbering, the
 * predicate printer, order independence across files, line continuation.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "fwgen.h"

static FILE *errf;
static char *errbuf;
static size_t errlen;

static struct fwgen *load(const char *text)
{
	errf = open_memstream(&errbuf, &errlen);
	cr_assert_not_null(errf);
	struct fwgen *g = fwgen_create(errf);

	fwgen_load_buffer(g, "t.fwdef", text, strlen(text));
	return g;
}

static struct fwgen *load_ok(const char *text)
{
	struct fwgen *g = load(text);
	int ret = fwgen_check(g);

	fflush(errf);
	cr_assert_eq(ret, 0, "%s", errbuf);
	return g;
}

static void done(struct fwgen *g)
{
	fwgen_destroy(g);
	fclose(errf);
	free(errbuf);
	errbuf = NULL;
}

#define AXES                                                                   \
	"axis G: A B C\naxis V: V0 V1 V2 V3\n"                                 \
	"variant A V0\nvariant A V1\nvariant A V2\nvariant A V3\n"             \
	"variant B V1\nvariant C V3\n"

/* Values of const P in the six variants of AXES, as a string of 0/1. */
static void expect_pred(const char *pred, const char *want)
{
	char text[512], got[8] = {0};
	struct fwgen *g;

	snprintf(text, sizeof(text), AXES "const P = 1 when %s | 0\n", pred);
	g = load_ok(text);
	for (int v = 0; v < 6; v++) {
		uint64_t val = 9;

		cr_assert_eq(fwgen_const_value(g, "P", v, &val), 0);
		got[v] = (char)('0' + val);
	}
	cr_assert_str_eq(got, want, "%s: got %s, want %s", pred, got, want);
	done(g);
}

Test(predicates, comparisons)
{
	/* Variants: A/V0 A/V1 A/V2 A/V3 B/V1 C/V3 */
	expect_pred("V < V1", "100000");
	expect_pred("V <= V1", "110010");
	expect_pred("V > V1", "001101");
	expect_pred("V >= V1", "011111");
	expect_pred("V == V1", "010010");
	expect_pred("V != V1", "101101");
	expect_pred("G == B", "000010");
	expect_pred("G > A", "000011");
	expect_pred("G <= B", "111110");
}

Test(predicates, combinations)
{
	expect_pred("V >= V1 && G == A", "011100");
	expect_pred("V == V0 || G == C", "100001");
	/* && binds tighter than ||. */
	expect_pred("V == V0 || V == V1 && G == B", "100010");
	expect_pred("(V == V0 || V == V1) && G == A", "110000");
	expect_pred("!(G == A)", "000011");
	expect_pred("!G == A", "000011");
	expect_pred("!!(V >= V2)", "001101");
	expect_pred("!(V < V1 || G == C) && (G > A || V >= V3)", "000110");
	expect_pred("(G >= B && V < V3) || (G <= A && V >= V3)", "000110");
}

Test(predicates, multiline_alternatives)
{
	struct fwgen *g = load_ok(AXES "const N = 0x14 when V < V1\n"
				       "          | 0x18 when V < V3 &&\n"
				       "                      G == A\n"
				       "          # comment between\n"
				       "          | 0x19\n");
	static const uint64_t want[6] = {0x14, 0x18, 0x18, 0x19, 0x19, 0x19};

	for (int v = 0; v < 6; v++) {
		uint64_t val;

		cr_assert_eq(fwgen_const_value(g, "N", v, &val), 0);
		cr_assert_eq(val, want[v], "variant %d", v);
	}
	uint64_t dummy;

	cr_assert_neq(fwgen_const_value(g, "NOPE", 0, &dummy), 0);
	cr_assert_neq(fwgen_const_value(g, "N", 6, &dummy), 0);
	done(g);
}

Test(predicates, format_round_trip)
{
	static const char *const preds[] = {
		"V < V1",
		"V >= V1 && G == A",
		"V == V0 || V == V1 && G == B",
		"(V == V0 || V == V1) && G == A",
		"!(G == A)",
		"!(V < V1 || G == C) && (G > A || V >= V3)",
	};

	for (size_t i = 0; i < sizeof(preds) / sizeof(preds[0]); i++) {
		char text[512], buf[256];
		struct fwgen *g;

		snprintf(text, sizeof(text), AXES "const P = 1 when %s | 0\n",
			 preds[i]);
		g = load_ok(text);
		cr_assert_eq(fwgen_pred_format(g->consts->alts->when, buf,
					       sizeof(buf)),
			     strlen(preds[i]));
		cr_assert_str_eq(buf, preds[i]);
		/* Truncation is safe and reports the full length. */
		cr_assert_eq(fwgen_pred_format(g->consts->alts->when, buf, 4),
			     strlen(preds[i]));
		cr_assert_eq(strlen(buf), 3);
		done(g);
	}
}

static uint64_t enum_value(struct fwgen *g, const char *name, int v,
			   bool *present)
{
	for (struct enum_def *e = g->enums; e; e = e->next) {
		int i = 0;

		for (struct enum_item *it = e->items; it; it = it->next, i++) {
			if (strcmp(it->name, name))
				continue;
			*present = fwgen_pred_eval(it->when, &g->variants[v]);
			return e->values[v][i];
		}
	}
	cr_assert_fail("no enum value %s", name);
	return 0;
}

Test(enums, gated_values_renumber)
{
	struct fwgen *g = load_ok(AXES "enum e {\n"
				       "\tE_A\n"
				       "\tE_B when V >= V2\n"
				       "\tE_C\n"
				       "\tE_D = 10 when G != A\n"
				       "\tE_E\n"
				       "}\n");
	bool present;

	cr_assert_eq(enum_value(g, "E_A", 0, &present), 0);
	cr_assert_eq(enum_value(g, "E_C", 0, &present), 1);
	cr_assert_eq(enum_value(g, "E_C", 2, &present), 2);
	enum_value(g, "E_B", 1, &present);
	cr_assert_not(present);
	cr_assert_eq(enum_value(g, "E_B", 3, &present), 1);
	cr_assert(present);
	cr_assert_eq(enum_value(g, "E_E", 0, &present), 2);
	cr_assert_eq(enum_value(g, "E_E", 4, &present), 11);
	cr_assert_eq(enum_value(g, "E_E", 5, &present), 11);
	done(g);
}

/* Axes and variants may come after their use, in another file. */
Test(files, order_independent)
{
	struct fwgen *g;
	const char *structs = "struct b fw(read) { struct a x_0\n size 8 }\n"
			      "struct a fw(read) { u64 y_0 }\n";

	errf = open_memstream(&errbuf, &errlen);
	g = fwgen_create(errf);
	cr_assert_eq(fwgen_load_buffer(g, "s.fwdef", structs, strlen(structs)),
		     0);
	cr_assert_eq(fwgen_load_buffer(g, "a.fwdef", AXES, strlen(AXES)), 0);
	cr_assert_eq(fwgen_check(g), 0);
	/* Emission order puts the by-value dependency first. */
	cr_assert_str_eq(g->order->name, "a");
	cr_assert_str_eq(g->order->order_next->name, "b");
	done(g);
}

Test(files, errors_are_counted_and_reported)
{
	struct fwgen *g = load(AXES "const P = 1 when V < V9 | 0\n"
				    "const Q = 1 when G < V1 | 0\n");

	cr_assert_neq(fwgen_check(g), 0);
	fflush(errf);
	cr_assert_eq(g->nr_errors, 2);
	cr_assert_str_eq(errbuf, "t.fwdef:9:22: error: unknown V value `V9` "
				 "(axis V: V0 V1 V2 V3)\n"
				 "t.fwdef:10:22: error: `V1` is a value of "
				 "axis V, not G: compare it with `V`\n");
	done(g);
}

Test(files, deep_predicates_are_refused_not_crashed)
{
	size_t n = 100000;
	char *text = malloc(n * 2 + 256);
	struct fwgen *g;

	strcpy(text, AXES "const P = 1 when ");
	size_t at = strlen(text);

	memset(text + at, '(', n);
	strcpy(text + at + n, "V < V1 | 0\n");
	g = load(text);
	cr_assert_neq(fwgen_check(g), 0);
	fflush(errf);
	cr_assert(strstr(errbuf, "nested too deeply"), "%s", errbuf);
	done(g);

	text = realloc(text, 5000 * 12 + 256);
	strcpy(text, AXES "const P = 1 when V < V1");
	at = strlen(text);
	for (int i = 0; i < 5000; i++) {
		memcpy(text + at, " && V < V1", 10);
		at += 10;
	}
	strcpy(text + at, " | 0\n");
	g = load(text);
	cr_assert_neq(fwgen_check(g), 0);
	fflush(errf);
	cr_assert(strstr(errbuf, "predicate too long"), "%s", errbuf);
	done(g);
	free(text);
}

Test(files, error_output_is_capped)
{
	char text[4096];
	size_t at;
	struct fwgen *g;
	int lines = 0;

	strcpy(text, AXES);
	at = strlen(text);
	for (int i = 0; i < 30; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
				       "const C%d = 1 when V < V9 | 0\n", i);
	g = load(text);
	cr_assert_neq(fwgen_check(g), 0);
	fflush(errf);
	cr_assert_eq(g->nr_errors, 30);
	for (const char *p = errbuf; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, FWGEN_MAX_ERRORS);
	done(g);
}

Test(files, huge_offsets_and_sizes)
{
	struct fwgen *g = load(AXES "struct a fw(read) {\n"
				    "\tu32 x_0\n"
				    "\tu32 y_4 @0x123456789\n"
				    "}\n"
				    "struct b fw(read) {\n"
				    "\tu32 x_0\n"
				    "\tsize 0xffffffffffff\n"
				    "}\n");

	cr_assert_neq(fwgen_check(g), 0);
	fflush(errf);
	cr_assert_str_eq(errbuf,
			 "t.fwdef:11:6: error: `y_4` stated at 0x123456789: "
			 "offsets stop at 4 GiB\n"
			 "t.fwdef:15:7: error: size 0xffffffffffff is larger "
			 "than 4 GiB\n");
	done(g);
}
