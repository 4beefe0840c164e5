/* SPDX-License-Identifier: MIT */
/*
 * fwgen internals: the .fwdef model shared by the lexer, parser, checker and
 * emitters (docs/fwdef-language.md is the language; docs/firmware-structs.md
 * the design). Everything a run allocates lives in one arena, so a run that
 * stops at any error frees everything with fwgen_destroy().
 */
#ifndef FWGEN_H
#define FWGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FWGEN_MAX_ERRORS 20
#define FWGEN_MAX_DIMS 4
/* Sizes, offsets and counts must fit the descriptors' uint32_t fields. */
#define FWGEN_MAX_VALUE 0xffffffffull

struct fw_loc {
	const char *file;
	int line;
	int col;
};

enum tok_kind {
	T_EOF,
	T_NL,
	T_IDENT,
	T_NUM,
	T_LBRACE,
	T_RBRACE,
	T_LPAREN,
	T_RPAREN,
	T_LBRACK,
	T_RBRACK,
	T_COLON,
	T_ASSIGN,
	T_BAR,
	T_AT,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_EQ,
	T_NE,
	T_AND,
	T_OR,
	T_NOT,
};

struct token {
	enum tok_kind kind;
	struct fw_loc loc;
	const char *text; /* NUL-terminated copy */
	uint64_t num;
};

enum axis_id { AXIS_G, AXIS_V, AXIS_COUNT };

enum cmp_op { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };

enum pred_kind { P_CMP, P_AND, P_OR, P_NOT };

struct pred {
	enum pred_kind kind;
	struct fw_loc loc;
	/* P_CMP */
	enum axis_id axis;
	enum cmp_op op;
	const char *value;
	struct fw_loc value_loc;
	int ordinal; /* resolved by the checker */
	/* P_AND, P_OR: l, r; P_NOT: l */
	struct pred *l, *r;
};

/* A number or the name of a const. */
struct valref {
	uint64_t num;
	const char *name;
	struct fw_loc loc;
};

/* One alternative of `v1 when p1 | v2 when p2 | v3`. */
struct alt {
	struct valref val;
	struct pred *when; /* NULL: always */
	struct alt *next;
};

struct axis {
	bool declared;
	struct fw_loc loc;
	const char **names;
	struct fw_loc *locs;
	int count;
};

struct variant {
	const char *gen_name, *fw_name;
	struct fw_loc loc, gen_loc, fw_loc;
	int ord[AXIS_COUNT];
	char *name; /* "G11_V2_1" */
};

struct const_def {
	const char *name;
	struct fw_loc loc;
	struct alt *alts;
	uint64_t *value; /* per variant */
	struct const_def *next;
};

struct enum_item {
	const char *name;
	struct fw_loc loc;
	bool has_value;
	uint64_t value;
	struct pred *when;
	struct enum_item *next;
};

struct enum_def {
	const char *name;
	struct fw_loc loc;
	struct enum_item *items;
	uint64_t *
		*values; /* [variant][item]; valid where the item is present */
	struct enum_def *next;
};

enum ftype {
	FT_U8,
	FT_U16,
	FT_U32,
	FT_U64,
	FT_S8,
	FT_S16,
	FT_S32,
	FT_S64,
	FT_SHARED_U32,
	FT_SHARED_U64,
	FT_GPU_PTR,
	FT_GPU_WEAK_PTR,
	FT_FW_PTR,
	FT_FW_WEAK_PTR,
	FT_STRUCT,
};

#define FF_FW_WRITES (1u << 0)
#define FF_PADDING (1u << 1)
/* Packed (alignment 1), as the firmware's unaligned U32/U64/pointer types. */
#define FF_PACKED (1u << 2)

struct field {
	const char *name;
	struct fw_loc loc;
	enum ftype type;
	const char *target; /* pointers and FT_STRUCT */
	struct fw_loc target_loc;
	struct struct_def *target_def;
	struct valref dims[FWGEN_MAX_DIMS];
	int nr_dims;
	struct pred *when;
	struct alt *at; /* @ offsets */
	struct fw_loc at_loc;
	unsigned int flags;
	struct field *next;
};

enum fw_class { CLS_CPU, CLS_FW, CLS_SHARED, CLS_GPU_ONLY };

/* Firmware direction bits, as GPUOWN_DIR_*. */
#define DIR_READ 1u
#define DIR_WRITE 2u

/* One field's place in one variant. */
struct field_layout {
	bool present;
	uint32_t offset, size, count, elem_size, align;
};

struct struct_layout {
	bool done;
	uint32_t size, align, footprint;
	struct field_layout *fields; /* indexed like the struct's field list */
};

struct struct_def {
	const char *name;
	struct fw_loc loc;
	enum fw_class cls;
	unsigned int dir;
	struct alt *footprint;
	struct fw_loc footprint_loc;
	struct field *fields;
	int nr_fields;
	struct alt *size;
	struct fw_loc size_loc;
	struct fw_loc end_loc;	      /* the closing brace */
	struct struct_layout *layout; /* per variant */
	int visit;   /* 0 new, 1 in progress, 2 done (layout order) */
	bool failed; /* one layout error reported: stop there */
	struct struct_def *next;
	struct struct_def *order_next; /* emission order: by-value deps first */
};

struct fwgen {
	FILE *err;
	int nr_errors;
	/* arena */
	struct arena_chunk *arena;
	struct axis axes[AXIS_COUNT];
	struct variant *variants;
	int nr_variants, cap_variants;
	int *oldest_order; /* variant indexes, oldest (V, then G) first */
	struct const_def *consts, **consts_tail;
	struct enum_def *enums, **enums_tail;
	struct struct_def *structs, **structs_tail;
	struct struct_def *order, **order_tail;
	const char **files;
	int nr_files, cap_files;
	/*
	 * Name indexes (glibc hsearch_r), built by fwgen_check: name lookups
	 * stay O(1) so a set of 200k structs checks in linear time.
	 */
	struct hsearch_data *struct_index, *const_index;
	bool checked;
};

/* Lifetime. Diagnostics go to @err. */
struct fwgen *fwgen_create(FILE *err);
void fwgen_destroy(struct fwgen *g);

/* Parse one .fwdef from memory; @name is used in diagnostics. 0 or -1. */
int fwgen_load_buffer(struct fwgen *g, const char *name, const char *buf,
		      size_t len);
int fwgen_load_file(struct fwgen *g, const char *path);
/* Resolve names, evaluate predicates, lay out and check every struct. */
int fwgen_check(struct fwgen *g);

/* Emitters (after a successful fwgen_check). */
void fwgen_emit_header(struct fwgen *g, const char *set, FILE *out);
void fwgen_emit_instantiate(struct fwgen *g, const char *set, FILE *out);
void fwgen_emit_desc(struct fwgen *g, const char *set, FILE *out);
/* Write the three files under @outdir; 0 or -1 (with a message). */
int fwgen_write(struct fwgen *g, const char *set, const char *outdir);

/* Queries for tests and tools. */
int fwgen_const_value(const struct fwgen *g, const char *name, int variant,
		      uint64_t *out);
bool fwgen_pred_eval(const struct pred *p, const struct variant *v);
/*
 * Render @p in the language's syntax (for the versioned annotation), like
 * snprintf: returns the full length, writes at most @len bytes.
 */
size_t fwgen_pred_format(const struct pred *p, char *buf, size_t len);

/* Shared helpers (util.c). */
void *fw_alloc(struct fwgen *g, size_t size);
char *fw_strdup(struct fwgen *g, const char *s, size_t len);
char *fw_printf(struct fwgen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fw_error(struct fwgen *g, struct fw_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Grow an arena-backed array by one element; returns the new slot. */
void *fw_vec_push(struct fwgen *g, void *vecp, int *nr, int *cap, size_t elem);

/* Lexer (lex.c): tokens of one file, ending with T_EOF; NULL on error. */
struct token *fw_lex(struct fwgen *g, const char *file, const char *buf,
		     size_t len, int *nr);
const char *fw_tok_describe(struct fwgen *g, const struct token *t);

/* Parser (parse.c). */
int fw_parse(struct fwgen *g, struct token *toks, int nr);

#endif /* FWGEN_H */
