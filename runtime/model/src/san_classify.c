// SPDX-License-Identifier: MIT
/*
 * Classification of a bad access (as mm/kasan/report_generic.c classifies a
 * bad shadow byte): the fast table of states each agent may touch, the
 * field-level direction rules the table leaves open, and the bug class.
 */
#include <gpuown/san.h>

#define B(s) (1u << (s))

/*
 * States an agent may always touch, by [agent][write][atomic]. States left out
 * are either bugs or need the object's layout to decide (field direction),
 * which the slow path does.
 */
#define GS_DEV_READ                                                            \
	(B(GS_FW_R) | B(GS_FW_W) | B(GS_FW_RW) | B(GS_SHARED_R) |              \
	 B(GS_SHARED_RW) | B(GS_GPU_ONLY) | B(GS_FOOTPRINT))
#define GS_DEV_WRITE                                                           \
	(B(GS_FW_W) | B(GS_FW_RW) | B(GS_GPU_ONLY) | B(GS_FOOTPRINT))

#define GS_CPU_READ (B(GS_CPU) | B(GS_FW_R))
#define GS_CPU_ATOMIC_READ (GS_CPU_READ | B(GS_SHARED_R) | B(GS_SHARED_RW))
#define GS_GPU_READ (GS_DEV_READ | B(GS_BOUND) | B(GS_BOUND_RO))
#define GS_GPU_WRITE (GS_DEV_WRITE | B(GS_BOUND))

const uint32_t gs_fast[3][2][2] = {
	[GPUOWN_AGENT_CPU] = {{GS_CPU_READ, GS_CPU_ATOMIC_READ},
			      {B(GS_CPU), B(GS_CPU)}},
	[GPUOWN_AGENT_FW] = {{GS_DEV_READ, GS_DEV_READ},
			     {GS_DEV_WRITE, GS_DEV_WRITE}},
	[GPUOWN_AGENT_GPU] = {{GS_GPU_READ, GS_GPU_READ},
			      {GS_GPU_WRITE, GS_GPU_WRITE}},
};

static bool gs_overlaps_fw_writes(const struct gpuown_struct_desc *l,
				  uint64_t off, uint64_t len, bool *any)
{
	bool hit = false;
	uint32_t i;

	*any = false;
	for (i = 0; l && i < l->nr_fields; i++) {
		const struct gpuown_field_desc *f = &l->fields[i];

		if (!(f->flags & GPUOWN_FIELD_FW_WRITES))
			continue;
		*any = true;
		if (off < (uint64_t)f->offset + f->size &&
		    f->offset < off + len)
			hit = true;
	}
	return hit;
}

/* Every non-padding field overlapping the range is firmware-written. */
static bool gs_only_fw_writes(const struct gpuown_struct_desc *l, uint64_t off,
			      uint64_t len)
{
	uint32_t i;

	for (i = 0; i < l->nr_fields; i++) {
		const struct gpuown_field_desc *f = &l->fields[i];

		if (f->kind == GPUOWN_FIELD_PADDING ||
		    f->kind == GPUOWN_FIELD_STRUCT)
			continue;
		if (off < (uint64_t)f->offset + f->size &&
		    f->offset < off + len &&
		    !(f->flags & GPUOWN_FIELD_FW_WRITES))
			return false;
	}
	return true;
}

/*
 * Field-level direction rules for a granule state the fast table leaves
 * open. Returns the state to admit, or GS_NR_STATES when it is a bug.
 */
enum gs_state gs_refine(const struct gpuown_access *acc,
			const struct gs_meta *m, enum gs_state st, uint64_t va)
{
	uint64_t off;
	bool any;

	if (!m || va < m->va || va + acc->size > m->va + m->size)
		return GS_NR_STATES;
	off = va - m->va;
	if (acc->agent == GPUOWN_AGENT_CPU) {
		if (st == GS_SHARED_R || st == GS_SHARED_RW) {
			/* Firmware-written fields: atomic reads only, no
			 * writes. */
			if (!gs_overlaps_fw_writes(m->layout, off, acc->size,
						   &any))
				return st;
			return (!acc->write && acc->atomic) ? st : GS_NR_STATES;
		}
		if ((st == GS_FW_W || st == GS_FW_RW) && !acc->write) {
			/* Readable only where the firmware never writes. */
			if (gs_overlaps_fw_writes(m->layout, off, acc->size,
						  &any) ||
			    !any)
				return GS_NR_STATES;
			return st;
		}
		return GS_NR_STATES;
	}
	if (st == GS_SHARED_RW && acc->write) {
		gs_overlaps_fw_writes(m->layout, off, acc->size, &any);
		if (!any || gs_only_fw_writes(m->layout, off, acc->size))
			return st;
	}
	return GS_NR_STATES;
}

enum gpusan_class gs_classify(const struct gpuown_access *acc,
			      const struct gs_meta *m, uint8_t bad,
			      uint64_t bad_va)
{
	enum gs_state st = GS_STATE(bad);
	bool dev = acc->agent != GPUOWN_AGENT_CPU;

	switch (st) {
	case GS_UNMAPPED:
		if (m && m->released && bad_va >= m->va &&
		    bad_va < m->va + m->footprint)
			return GPUSAN_USE_AFTER_FREE;
		return GPUSAN_WILD_ADDRESS;
	case GS_REDZONE:
		if (dev && m && m->layout &&
		    m->layout->footprint > m->layout->size &&
		    bad_va >= m->va + m->size)
			return GPUSAN_BEYOND_FOOTPRINT;
		return GPUSAN_OUT_OF_BOUNDS;
	case GS_FOOTPRINT:
		return GPUSAN_OUT_OF_BOUNDS;
	case GS_QUARANTINED:
		return GPUSAN_USE_AFTER_FREE;
	case GS_UNBOUND:
		return GPUSAN_STALE_MAPPING;
	case GS_GPU_ONLY:
		return dev ? GPUSAN_OUT_OF_BOUNDS : GPUSAN_CPU_ACCESS_GPU_ONLY;
	default:
		break;
	}
	/* The granule's state admits the agent: a partial granule's tail. */
	if (gs_fast[acc->agent][acc->write][acc->atomic] & B(st) &&
	    GS_PARTIAL(bad))
		return GPUSAN_OUT_OF_BOUNDS;
	if (st == GS_CPU)
		return acc->agent == GPUOWN_AGENT_FW
			       ? GPUSAN_FW_ACCESS_CPU_OWNED
		       : acc->agent == GPUOWN_AGENT_GPU
			       ? GPUSAN_GPU_ACCESS_CPU_OWNED
			       : GPUSAN_OUT_OF_BOUNDS;
	if (dev)
		return acc->write ? GPUSAN_WRITE_AGAINST_DIRECTION
				  : GPUSAN_OUT_OF_BOUNDS;
	if (st == GS_SHARED_R || st == GS_SHARED_RW)
		return GPUSAN_CPU_ACCESS_SHARED_UNDECLARED;
	if (st == GS_FW_R || st == GS_FW_W || st == GS_FW_RW)
		return acc->write ? GPUSAN_CPU_WRITE_FW_OWNED
				  : GPUSAN_CPU_READ_FW_WRITES;
	return GPUSAN_OUT_OF_BOUNDS;
}

enum gpusan_class gs_classify_cpu_trap(const struct gs_meta *m, bool write)
{
	if (m->state == GPUOWN_STATE_QUARANTINED)
		return GPUSAN_USE_AFTER_FREE;
	if (m->state == GPUOWN_STATE_FW)
		return write ? GPUSAN_CPU_WRITE_FW_OWNED
			     : GPUSAN_CPU_READ_FW_WRITES;
	return GPUSAN_CPU_ACCESS_POISONED;
}
