// SPDX-License-Identifier: MIT
/*
 * Run-time lookups over the descriptor tables fwgen generates (layout.h).
 * The tables are small and read-only, so plain scans keep this obviously
 * correct; the hot path (gpusan naming the field an access hits) uses
 * gpuown_struct_field_at, a binary search over fields sorted by offset.
 */
#include <gpuown/compat.h>
#include <gpuown/layout.h>

static int axis_index(const char *const *names, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

/* Appends to @err like snprintf, never past @err_len; tolerates NULL. */
static void err_append(char *err, size_t err_len, size_t *at, const char *fmt,
		       ...) __attribute__((format(printf, 4, 5)));

static void err_append(char *err, size_t err_len, size_t *at, const char *fmt,
		       ...)
{
	va_list ap;
	int n;

	if (!err || *at >= err_len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err + *at, err_len - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n;
}

static void list_axis(char *err, size_t err_len, size_t *at,
		      const char *const *names, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		err_append(err, err_len, at, "%s%s", i ? " " : "", names[i]);
}

static int unknown_name(const struct gpuown_variant_table *tbl, bool gen,
			const char *name, char *err, size_t err_len)
{
	size_t at = 0;

	err_append(err, err_len, &at, "unknown %s `%s` (known: ",
		   gen ? "GPU generation" : "firmware version", name);
	if (gen)
		list_axis(err, err_len, &at, tbl->gen_names, tbl->nr_gens);
	else
		list_axis(err, err_len, &at, tbl->fw_names, tbl->nr_fws);
	err_append(err, err_len, &at, ")");
	return -EINVAL;
}

int gpuown_variant_select(const struct gpuown_variant_table *tbl,
			  const char *gen, const char *fw,
			  const struct gpuown_variant_desc **out, char *err,
			  size_t err_len)
{
	size_t at = 0;

	if (err && err_len)
		err[0] = '\0';
	if (!tbl || !gen || !fw || !out) {
		err_append(err, err_len, &at, "missing argument");
		return -EINVAL;
	}
	*out = NULL;
	if (axis_index(tbl->gen_names, tbl->nr_gens, gen) < 0)
		return unknown_name(tbl, true, gen, err, err_len);
	if (axis_index(tbl->fw_names, tbl->nr_fws, fw) < 0)
		return unknown_name(tbl, false, fw, err, err_len);
	for (uint32_t i = 0; i < tbl->nr_variants; i++) {
		const struct gpuown_variant_desc *v = tbl->variants[i];

		if (!strcmp(v->gen_name, gen) && !strcmp(v->fw_name, fw)) {
			*out = v;
			return 0;
		}
	}
	err_append(
		err, err_len, &at,
		"firmware %s on GPU generation %s is not supported; supported:",
		fw, gen);
	for (uint32_t i = 0; i < tbl->nr_variants; i++)
		err_append(err, err_len, &at, " %s/%s",
			   tbl->variants[i]->gen_name,
			   tbl->variants[i]->fw_name);
	return -ENOENT;
}

const struct gpuown_struct_desc *
gpuown_variant_struct(const struct gpuown_variant_desc *variant,
		      const char *name)
{
	if (!variant || !name)
		return NULL;
	for (uint32_t i = 0; i < variant->nr_structs; i++)
		if (!strcmp(variant->structs[i]->name, name))
			return variant->structs[i];
	return NULL;
}

/* Fields are emitted in offset order and never overlap (fwgen checks). */
const struct gpuown_field_desc *
gpuown_struct_field_at(const struct gpuown_struct_desc *desc, uint32_t offset)
{
	uint32_t lo = 0, hi;

	if (!desc || offset >= desc->size)
		return NULL;
	hi = desc->nr_fields;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct gpuown_field_desc *f = &desc->fields[mid];

		if (offset < f->offset)
			hi = mid;
		else if (offset - f->offset >= f->size)
			lo = mid + 1;
		else
			return f;
	}
	return NULL;
}

const struct gpuown_field_desc *
gpuown_struct_field(const struct gpuown_struct_desc *desc, const char *name)
{
	if (!desc || !name)
		return NULL;
	for (uint32_t i = 0; i < desc->nr_fields; i++)
		if (!strcmp(desc->fields[i].name, name))
			return &desc->fields[i];
	return NULL;
}
