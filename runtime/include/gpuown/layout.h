/* SPDX-License-Identifier: MIT */
/*
 * Run-time descriptors of versioned firmware structs.
 *
 * The firmware-struct generator (tools/fwgen) emits one struct_desc per
 * (struct, variant) and one variant_desc per built variant. The object model
 * records an object's layout as a struct_desc; gpusan uses the field tables to
 * name the field an access hits and to follow GPU pointers; the layout tool
 * (tools/fwlayout) prints and diffs them.
 */
#ifndef GPUOWN_LAYOUT_H
#define GPUOWN_LAYOUT_H

/* Kernel-safe: the portable core (runtime/model) includes it too. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

enum gpuown_field_kind {
	GPUOWN_FIELD_SCALAR,
	GPUOWN_FIELD_ARRAY,
	GPUOWN_FIELD_PADDING,
	GPUOWN_FIELD_GPU_PTR, /* gpu_ptr(T): GPU virtual address of a T */
	GPUOWN_FIELD_FW_PTR,  /* fw_ptr(T): firmware address of a T */
	GPUOWN_FIELD_STRUCT,  /* nested firmware struct, by value */
};

/* Field flags. */
#define GPUOWN_FIELD_WEAK (1u << 0)	 /* non-owning pointer: not tracked */
#define GPUOWN_FIELD_FW_WRITES (1u << 1) /* the firmware writes this field */
/* fw_shared_u32 / fw_shared_u64: a shared word, CPU access only atomically. */
#define GPUOWN_FIELD_SHARED_WORD (1u << 2)

/* Who owns instances once live (the struct's ownership class). */
enum gpuown_class {
	GPUOWN_CLASS_CPU,
	GPUOWN_CLASS_FW,
	GPUOWN_CLASS_SHARED,
	GPUOWN_CLASS_GPU_ONLY,
};

/* The firmware's access direction; a bit set. */
#define GPUOWN_DIR_NONE 0u
#define GPUOWN_DIR_READ 1u
#define GPUOWN_DIR_WRITE 2u
#define GPUOWN_DIR_RW 3u

struct gpuown_field_desc {
	const char *name;
	uint32_t offset; /* bytes from the struct start */
	uint32_t size;	 /* whole field, all elements */
	uint32_t count;	 /* array elements; 1 for non-arrays */
	enum gpuown_field_kind kind;
	uint32_t flags;	    /* GPUOWN_FIELD_* */
	const char *target; /* pointed-to / nested struct name, or NULL */
};

struct gpuown_struct_desc {
	const char *name;    /* variant-independent name, e.g. "fw_job_desc" */
	const char *variant; /* e.g. "G11_V2_1" */
	uint32_t size;	     /* sizeof in this variant */
	uint32_t footprint;  /* bytes the firmware may access (>= size) */
	enum gpuown_class cls;
	uint32_t fw_dir; /* GPUOWN_DIR_* */
	const struct gpuown_field_desc *fields;
	uint32_t nr_fields;
	const char *file; /* definition file and line, for messages */
	uint32_t line;
};

struct gpuown_variant_desc {
	const char *name;     /* "G11_V2_1" */
	const char *gen_name; /* "G11" */
	const char *fw_name;  /* "V2_1" */
	uint32_t gen;	      /* ordinal on the generation axis */
	uint32_t fw;	      /* ordinal on the firmware axis */
	const struct gpuown_struct_desc *const *structs;
	uint32_t nr_structs;
};

struct gpuown_variant_table {
	const struct gpuown_variant_desc *const *variants;
	uint32_t nr_variants;
	const char *const *gen_names; /* the generation axis, in order */
	uint32_t nr_gens;
	const char *const *fw_names; /* the firmware axis, in order */
	uint32_t nr_fws;
};

/*
 * Select the variant built for (generation name, firmware version name).
 * Returns 0 and sets *out, or -ENOENT when the pair is not built (with a
 * message naming the pair and the supported list written to @err, if non-NULL,
 * up to @err_len bytes), or -EINVAL for a name that is on neither axis.
 */
int gpuown_variant_select(const struct gpuown_variant_table *tbl,
			  const char *gen, const char *fw,
			  const struct gpuown_variant_desc **out, char *err,
			  size_t err_len);

/* The struct @name in @variant, or NULL. */
const struct gpuown_struct_desc *
gpuown_variant_struct(const struct gpuown_variant_desc *variant,
		      const char *name);

/* The field of @desc covering byte @offset, or NULL (e.g. beyond size). */
const struct gpuown_field_desc *
gpuown_struct_field_at(const struct gpuown_struct_desc *desc, uint32_t offset);

/* The field named @name, or NULL. */
const struct gpuown_field_desc *
gpuown_struct_field(const struct gpuown_struct_desc *desc, const char *name);

#endif /* GPUOWN_LAYOUT_H */
