/* SPDX-License-Identifier: MIT */
/*
 * Lookup tables that own references: the runtime's model of a driver's
 * xarray / idr / handle table of GPU objects.
 *
 * insert takes over the caller's reference (the caller must not put it
 * again); lookup lends a pointer without a reference (valid only while the
 * table keeps the object, and never to be put); lookup_get returns a new
 * reference the caller must put; remove hands the table's reference back to
 * the caller, who then owns it (and puts it). A put that would drop a
 * reference a table owns is refused and reported (REF_NOT_OWNED), which
 * catches both a put of a borrowed pointer and a put of a reference given
 * to a table; freeing an object a table holds is FREE_WHILE_REFERENCED.
 *
 * Thread safety: each table has its own lock (outermost: never call a table
 * operation from a hook). Keys are the caller's (handles, ids).
 */
#ifndef GPUOWN_TABLE_H
#define GPUOWN_TABLE_H

#include <gpuown/object.h>

struct gpuown_table;

/* A new empty table for objects of @mm; 0, -EINVAL or -ENOMEM. */
int gpuown_table_create(struct gpuown_mm *mm, const char *name,
			struct gpuown_table **out);
/*
 * Destroy an empty table: -EBUSY (nothing done) while it still holds
 * objects; remove and put them first.
 */
int gpuown_table_destroy(struct gpuown_table *t);

/*
 * Store @obj under @key, taking over one reference of the caller's: 0,
 * -EEXIST for a key in use, -EINVAL for a freed or wild object (reported as
 * for any use), -ENOMEM.
 */
int gpuown_table_insert(struct gpuown_table *t, uint64_t key,
			struct gpuown_obj *obj __gpuown_insert);
/* The object under @key, borrowed (no reference taken), or NULL. */
struct gpuown_obj *gpuown_table_lookup(struct gpuown_table *t,
				       uint64_t key) __gpuown_lookup;
/* The object under @key with a new reference the caller must put, or NULL. */
struct gpuown_obj *gpuown_table_lookup_get(struct gpuown_table *t,
					   uint64_t key) __gpuown_lookup_get;
/*
 * Remove @key and hand its reference to the caller: the object, or NULL
 * when the key is not in the table.
 */
struct gpuown_obj *gpuown_table_remove(struct gpuown_table *t,
				       uint64_t key) __gpuown_remove;
/* Objects in the table. */
size_t gpuown_table_count(struct gpuown_table *t);

#endif /* GPUOWN_TABLE_H */
