// SPDX-License-Identifier: MIT
/*
 * Report composition shared by every host: the text of a gpusan report, from
 * one report-info struct, written through the host's ->report_vprintf and
 * ->stack_print. The host begins a report (sink, lock, separator), calls a
 * composer, and ends it (emission, callback, halt).
 */
#include <gpuown/san.h>

/* Names from gpuown's one table, <gpuown/violations.def>. */
static const char *const gs_class_names[GPUSAN_CLASS_NR] = {
	[GPUSAN_NONE] = "none",
#define GPUOWN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	[GPUSAN_##id] = name,
#define GPUSAN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	[GPUSAN_##id] = name,
#include <gpuown/violations.def>
};

const char *gpusan_class_name(enum gpusan_class cls)
{
	if ((unsigned)cls >= GPUSAN_CLASS_NR)
		return "unknown";
	if (!gs_class_names[cls] && (unsigned)cls < GPUOWN_V_NR)
		return gpuown_violation_name((enum gpuown_violation)cls);
	return gs_class_names[cls] ? gs_class_names[cls] : "unknown";
}

/* ------------------------------------------------------------------------
 * Wrapper frames. Appended before reports are composed and read under the
 * host's report lock; the count is published after its entry.
 */
static char gs_wraps[GS_WRAP_MAX][GS_WRAP_LEN];
static unsigned gs_nwraps;

int gs_wrap_add(const char *pattern)
{
	unsigned n = GPUOWN_LOAD_ACQ(&gs_nwraps), i;
	size_t len = pattern ? strlen(pattern) : 0;

	if (!len || len >= GS_WRAP_LEN)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!strcmp(gs_wraps[i], pattern))
			return 0;
	if (n >= GS_WRAP_MAX)
		return -ENOSPC;
	memcpy(gs_wraps[n], pattern, len + 1);
	GPUOWN_STORE_REL(&gs_nwraps, n + 1);
	return 0;
}

void gs_wrap_clear(void)
{
	GPUOWN_STORE_REL(&gs_nwraps, 0u);
}

unsigned gs_wrap_count(void)
{
	return GPUOWN_LOAD_ACQ(&gs_nwraps);
}

/* A file pattern has a dot: "drv_bo.c" matches ".../drv_bo.c:123". */
static bool gs_wrap_file(const char *pat, const char *loc)
{
	size_t plen = strlen(pat), flen = strlen(loc);

	/* The path ends at the last ':' (before the line number). */
	while (flen && loc[flen - 1] != ':')
		flen--;
	if (flen)
		flen--;

	if (!flen || plen > flen || strncmp(loc + flen - plen, pat, plen))
		return false;
	return plen == flen || loc[flen - plen - 1] == '/';
}

bool gs_wrap_match(const char *fn, const char *loc)
{
	unsigned n = GPUOWN_LOAD_ACQ(&gs_nwraps), i;

	for (i = 0; i < n; i++) {
		const char *p = gs_wraps[i];
		size_t len = strlen(p);

		if (strchr(p, '.')) {
			if (loc && gs_wrap_file(p, loc))
				return true;
		} else if (p[len - 1] == '*') {
			if (fn && !strncmp(fn, p, len - 1))
				return true;
		} else if (fn && !strcmp(fn, p)) {
			return true;
		}
	}
	return false;
}

#define GS_WRAP_FRAMES 24

static bool gs_frame_is_wrapper(void *pc)
{
	char loc[256];
	const char *fn = gpuown_host.symbolize(pc, loc, sizeof(loc));

	return gs_wrap_match(fn, loc);
}

void *gs_skip_wrappers(void *caller, gpuown_stack_t st)
{
	void *pcs[GS_WRAP_FRAMES];
	unsigned n, i;

	if (!caller || !gs_wrap_count() || !gs_frame_is_wrapper(caller))
		return caller;
	if (!gpuown_host.stack_frames)
		return caller;
	if (!st)
		st = gpuown_host.stack_save(caller, GS_WRAP_FRAMES);
	n = gpuown_host.stack_frames(st, pcs, GS_WRAP_FRAMES);
	for (i = 0; i < n && pcs[i] != caller; i++)
		;
	/* A wrapper all the way out: the outermost wrapper frame. */
	for (i++; i < n; i++)
		if (!gs_frame_is_wrapper(pcs[i]))
			return pcs[i];
	return caller;
}

void gs_printf(struct gs_report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gpuown_host.report_vprintf(rep->sink, fmt, ap);
	va_end(ap);
}

void gs_compose_begin(struct gs_report *rep, enum gpusan_class cls,
		      void *caller)
{
	caller = gs_skip_wrappers(caller, rep->caller_st);
	snprintf(rep->fn, sizeof(rep->fn), "%s",
		 caller ? gpuown_host.symbolize(caller, rep->loc,
						sizeof(rep->loc))
			: "??");
	rep->pub.cls = cls;
	rep->pub.class_name = gpusan_class_name(cls);
	rep->pub.caller = caller;
	rep->pub.function = rep->fn;
	rep->pub.location = rep->loc;
	/* No caller: an explanation inside a sanitizer report naming it. */
	if (caller)
		gs_printf(rep, "BUG: GPUSAN: %s in %s %s\n",
			  rep->pub.class_name, rep->fn, rep->loc);
	else
		gs_printf(rep, "BUG: GPUSAN: %s\n", rep->pub.class_name);
}

static void gs_compose_stack_titled(struct gs_report *rep, void *caller,
				    const char *title)
{
	gpuown_stack_t st =
		rep->stack_depth
			? gpuown_host.stack_save(caller, rep->stack_depth)
			: 0;

	gs_printf(rep, "%s\n", title);
	gpuown_host.stack_print(rep->sink, st);
}

static void gs_compose_current_stack(struct gs_report *rep, void *caller)
{
	gs_compose_stack_titled(rep, caller, "Call trace:");
}

static const char *gs_field_type(const struct gpuown_field_desc *fd, char *buf,
				 size_t len)
{
	unsigned esz = fd->count ? fd->size / fd->count : fd->size;
	char elem[64];

	switch (fd->kind) {
	case GPUOWN_FIELD_GPU_PTR:
		snprintf(elem, sizeof(elem), "gpu_%sptr(%s)",
			 (fd->flags & GPUOWN_FIELD_WEAK) ? "weak_" : "",
			 fd->target ? fd->target : "?");
		break;
	case GPUOWN_FIELD_FW_PTR:
		snprintf(elem, sizeof(elem), "fw_%sptr(%s)",
			 (fd->flags & GPUOWN_FIELD_WEAK) ? "weak_" : "",
			 fd->target ? fd->target : "?");
		break;
	case GPUOWN_FIELD_STRUCT:
		snprintf(elem, sizeof(elem), "struct %s",
			 fd->target ? fd->target : "?");
		break;
	case GPUOWN_FIELD_PADDING:
		snprintf(elem, sizeof(elem), "padding");
		break;
	default:
		snprintf(elem, sizeof(elem), "u%u", esz * 8);
		break;
	}
	if (fd->count > 1 || fd->kind == GPUOWN_FIELD_ARRAY)
		snprintf(buf, len, "%s[%u]", elem, fd->count);
	else
		snprintf(buf, len, "%s", elem);
	return buf;
}

const char *gs_field_desc(const struct gpuown_struct_desc *layout, uint64_t off,
			  char *buf, size_t len,
			  const struct gpuown_field_desc **out)
{
	const struct gpuown_field_desc *fd = NULL;
	char type[96];
	uint32_t i;

	if (out)
		*out = NULL;
	if (!layout || off >= layout->size)
		return NULL;
	/* Innermost match by table order; the table is small. */
	for (i = 0; i < layout->nr_fields; i++) {
		const struct gpuown_field_desc *f = &layout->fields[i];

		if (off >= f->offset && off < (uint64_t)f->offset + f->size)
			fd = f;
	}
	if (!fd)
		return NULL;
	if (out)
		*out = fd;
	if (fd->count > 1 && fd->size) {
		unsigned esz = fd->size / fd->count;

		snprintf(buf, len, "%s[%" PRIu64 "] (%s, offset 0x%x)",
			 fd->name, (off - fd->offset) / esz,
			 gs_field_type(fd, type, sizeof(type)),
			 fd->offset +
				 (unsigned)((off - fd->offset) / esz) * esz);
		return buf;
	}
	snprintf(buf, len, "%s (%s, offset 0x%x)", fd->name,
		 gs_field_type(fd, type, sizeof(type)), fd->offset);
	return buf;
}

static const char *gs_state_str(enum gpuown_state st)
{
	switch (st) {
	case GPUOWN_STATE_CPU:
		return "cpu-owned";
	case GPUOWN_STATE_FW:
		return "firmware-owned";
	case GPUOWN_STATE_SHARED:
		return "shared";
	case GPUOWN_STATE_GPU_ONLY:
		return "gpu-only";
	case GPUOWN_STATE_QUARANTINED:
		return "freed (quarantined)";
	case GPUOWN_STATE_RELEASED:
		return "released";
	}
	return "?";
}

static const char *gs_op_str(uint8_t op)
{
	return op < GPUOWN_OP_NR ? gpuown_op_name((enum gpuown_op)op) : "?";
}

static const char *gs_dir_str(uint32_t dir)
{
	static const char *const names[4] = {"none", "read", "write", "rw"};

	return names[dir & 3];
}

static void gs_report_object(struct gs_report *rep, const struct gs_meta *m,
			     const char *title)
{
	if (!rep->pub.obj_name) {
		rep->pub.obj_name = m->name;
		rep->pub.obj_id = m->id;
	}
	gs_printf(rep, "%s %s", title, m->name);
	if (m->layout && m->layout->variant)
		gs_printf(rep, " (variant %s)", m->layout->variant);
	gs_printf(rep, " id %" PRIu64 "\n", m->id);
	gs_printf(rep,
		  " at gpu va [0x%" PRIx64 ", 0x%" PRIx64 ") of size %" PRIu64,
		  m->va, m->va + m->size, m->size);
	if (m->layout && m->layout->footprint > m->layout->size)
		gs_printf(rep, " (struct %u bytes, firmware footprint %u)",
			  m->layout->size, m->layout->footprint);
	gs_printf(rep, "\n");
	if (m->fw_addr)
		gs_printf(rep, " fw addr 0x%" PRIx64, m->fw_addr);
	if (m->cpu)
		gs_printf(rep, " cpu %p", (void *)m->cpu);
	if (m->vm)
		gs_printf(rep, " vm %s (id %u)", m->vm_name, m->vm_id);
	else
		gs_printf(rep, " firmware vm");
	gs_printf(rep, "\n [state=%s holders=%u fw_dir=%s%s]\n",
		  gs_state_str(m->state), m->holders, gs_dir_str(m->fw_dir),
		  m->poisoned ? " cpu-view=poisoned" : "");
}

static void gs_report_location(struct gs_report *rep, const struct gs_meta *m,
			       uint64_t va)
{
	char buf[160];
	const char *fd;

	if (va < m->va) {
		gs_printf(rep,
			  "The buggy address is located %" PRIu64
			  " bytes to the left of the %" PRIu64 "-byte region\n",
			  m->va - va, m->size);
		return;
	}
	if (va >= m->va + m->size) {
		gs_printf(rep,
			  "The buggy address is located %" PRIu64
			  " bytes to the right of the %" PRIu64
			  "-byte region%s\n",
			  va - (m->va + m->size), m->size,
			  m->layout && m->layout->footprint > m->layout->size
				  ? " (beyond the declared firmware footprint)"
				  : "");
		return;
	}
	if (m->layout && m->layout->footprint > m->layout->size &&
	    va - m->va >= m->layout->size) {
		gs_printf(rep,
			  "The buggy address is located %" PRIu64
			  " bytes inside of the %" PRIu64
			  "-byte region, in the firmware footprint beyond the "
			  "%u-byte struct\n",
			  va - m->va, m->size, m->layout->size);
		return;
	}
	gs_printf(rep,
		  "The buggy address is located %" PRIu64
		  " bytes inside of the %" PRIu64 "-byte region\n",
		  va - m->va, m->size);
	fd = gs_field_desc(m->layout, va - m->va, buf, sizeof(buf), NULL);
	if (fd) {
		gs_printf(rep, " in field %s\n", fd);
		if (!rep->pub.field) {
			/* The callback copy must outlive this frame: keep the
			 * name. */
			const struct gpuown_field_desc *fdp;

			gs_field_desc(m->layout, va - m->va, buf, sizeof(buf),
				      &fdp);
			rep->pub.field = fdp ? fdp->name : NULL;
		}
	}
}

static void gs_report_stacks(struct gs_report *rep, const struct gs_meta *m)
{
	gs_printf(rep, "Allocated by thread %d:\n", m->alloc_st.tid);
	gpuown_host.stack_print(rep->sink, m->alloc_st.st);
	if (m->has_free) {
		gs_printf(rep, "Freed by thread %d (%s):\n", m->free_st.tid,
			  gs_op_str(m->free_op));
		gpuown_host.stack_print(rep->sink, m->free_st.st);
	}
	if (m->has_last) {
		gs_printf(rep, "Last transition (%s) by thread %d:\n",
			  gs_op_str(m->last_op), m->last_st.tid);
		gpuown_host.stack_print(rep->sink, m->last_st.st);
	}
}

static void gs_report_history(struct gs_report *rep, const struct gs_meta *m)
{
	uint64_t first, i;
	char loc[256];

	if (!m->nhist || !m->hist)
		return;
	first = m->nhist > m->hist_cap ? m->nhist - m->hist_cap : 0;
	gs_printf(rep,
		  "Ownership history (last %" PRIu64 " of %" PRIu64
		  " operations):\n",
		  m->nhist - first, m->nhist);
	for (i = first; i < m->nhist; i++) {
		const struct gs_hist *h = &m->hist[i % m->hist_cap];
		const char *fn = gpuown_host.symbolize(
			h->st ? gs_skip_wrappers(h->caller, h->st) : h->caller,
			loc, sizeof(loc));

		gs_printf(rep, "  #%" PRIu64 " %-9s %s -> %s holders=%u", i + 1,
			  gs_op_str(h->op),
			  h->op == GPUOWN_OP_ALLOC ? "(new)"
						   : gs_state_str(h->from),
			  gs_state_str(h->to), h->holders);
		if (h->violation)
			gs_printf(rep, " REFUSED %s (%d)",
				  gpusan_class_name(h->violation), h->err);
		gs_printf(rep, " thread %d in %s %s\n", h->tid, fn, loc);
	}
}

static void gs_report_shadow(struct gs_report *rep, const struct gs_shadow *sh,
			     uint64_t va, const char *space)
{
	uint64_t row = 16ull * GS_GRANULE; /* VA bytes per dump row */
	uint64_t bad_row = va & ~(row - 1), start, r;
	unsigned col = (unsigned)((va - bad_row) >> GS_GRANULE_SHIFT), i;

	if (va >> GS_VA_BITS)
		return;
	start = bad_row >= 2 * row ? bad_row - 2 * row : 0;
	gs_printf(rep,
		  "Memory state around the buggy address (%s, one byte per "
		  "%u-byte granule):\n",
		  space, GS_GRANULE);
	for (r = start; r <= bad_row + 2 * row; r += row) {
		gs_printf(rep, "%c0x%012" PRIx64 ":", r == bad_row ? '>' : ' ',
			  r);
		for (i = 0; i < 16; i++)
			gs_printf(rep, " %02x",
				  gs_shadow_get(sh, r + i * GS_GRANULE));
		gs_printf(rep, "\n");
		if (r == bad_row)
			gs_printf(rep, "%*s^\n", 1 + 2 + 12 + 1 + 1 + col * 3,
				  "");
	}
	gs_printf(
		rep,
		"Shadow byte legend (high nibble: state; low nibble: valid "
		"bytes of a partial granule, 0 = all):\n"
		"  0x unmapped  1x redzone  2x cpu-owned  3x fw-owned(r)  4x "
		"fw-owned(w)\n"
		"  5x fw-owned(rw)  6x shared(r)  7x shared(rw)  8x gpu-only  "
		"9x freed\n"
		"  ax fw footprint  bx bound  cx bound(ro)  dx unbound  "
		"ex non-coherent\n");
}
static const char *gs_space_name(enum gpuown_space s)
{
	return s == GPUOWN_SPACE_FW	  ? "fw addr"
	       : s == GPUOWN_SPACE_GPU_VA ? "gpu va"
					  : "cpu accessor, gpu va";
}

static void gs_print_agent(struct gs_report *rep,
			   const struct gpuown_access *acc)
{
	char tname[32] = "";

	gpuown_host.thread_name(tname, sizeof(tname));
	if (acc->agent == GPUOWN_AGENT_FW)
		gs_printf(rep, "by firmware (on thread %d \"%s\")\n",
			  gpuown_host.thread_id(), tname);
	else if (acc->agent == GPUOWN_AGENT_GPU)
		gs_printf(rep, "by GPU (on thread %d \"%s\")\n",
			  gpuown_host.thread_id(), tname);
	else
		gs_printf(rep, "by CPU thread %d \"%s\"\n",
			  gpuown_host.thread_id(), tname);
}

static bool gs_in(uint64_t addr, uint64_t base, uint64_t size)
{
	return base && addr >= base && addr - base < size;
}

enum gs_addr_kind gs_addr_kind(const struct gs_meta *m, uint64_t addr,
			       enum gpuown_space space,
			       const struct gpuown_vm *vm)
{
	if (!m->mapped || space == GPUOWN_SPACE_CPU)
		return GS_ADDR_NONE;
	if (m->cpu && gs_in(addr, (uint64_t)(uintptr_t)m->cpu, m->size))
		return GS_ADDR_CPU;
	if (space == GPUOWN_SPACE_FW)
		return gs_in(addr, m->va, m->size) ? GS_ADDR_GPU_VA
						   : GS_ADDR_NONE;
	if (gs_in(addr, m->fw_addr, m->size))
		return GS_ADDR_FW;
	/* A VA of another VM (the firmware VM is NULL here). */
	if (m->vm != vm && gs_in(addr, m->va, m->size))
		return GS_ADDR_GPU_VA;
	return GS_ADDR_NONE;
}

static uint64_t gs_kind_base(const struct gs_meta *m, enum gs_addr_kind k)
{
	if (k == GS_ADDR_CPU)
		return (uint64_t)(uintptr_t)m->cpu;
	return k == GS_ADDR_FW ? m->fw_addr : m->va;
}

static void gs_report_owner(struct gs_report *rep,
			    const struct gs_access_info *in, uint64_t addr)
{
	static const char *const kinds[] = {
		[GS_ADDR_NONE] = "?",
		[GS_ADDR_GPU_VA] = "a gpu va",
		[GS_ADDR_FW] = "a firmware address",
		[GS_ADDR_CPU] = "a cpu pointer",
	};
	const struct gs_meta *o = in->owner;
	uint64_t off = addr - gs_kind_base(o, in->owner_kind);

	gs_printf(rep, " [%s 0x%" PRIx64 " is not %s: it is %s",
		  gs_space_name(in->acc->space), addr,
		  in->acc->space == GPUOWN_SPACE_FW ? "a firmware address"
						    : "a gpu va of this vm",
		  kinds[in->owner_kind]);
	if (in->owner_kind == GS_ADDR_GPU_VA) {
		if (o->vm)
			gs_printf(rep, " of vm %s (id %u)", o->vm_name,
				  o->vm_id);
		else
			gs_printf(rep, " of the firmware vm");
	}
	gs_printf(rep, ", %" PRIu64 " bytes into object %s id %" PRIu64, off,
		  o->name, o->id);
	if (in->acc->space == GPUOWN_SPACE_FW && o->fw_addr)
		gs_printf(rep, ", whose fw addr is 0x%" PRIx64,
			  o->fw_addr + off);
	else if (in->owner_kind != GS_ADDR_GPU_VA)
		gs_printf(rep, ", whose gpu va is 0x%" PRIx64 " in %s",
			  o->va + off, o->vm ? o->vm_name : "the firmware vm");
	gs_printf(rep, "]\n");
}

void gs_compose_access(struct gs_report *rep, const struct gs_access_info *in)
{
	const struct gpuown_access *acc = in->acc;
	const struct gs_shadow *sh = in->sh;
	uint64_t va = in->va, bad_va = in->bad_va;
	uint64_t addr = acc->addr + (bad_va > va ? bad_va - va : 0);
	enum gpusan_class cls = rep->pub.cls;
	struct gs_meta *m = in->m;
	uint8_t bad = in->bad;
	bool inside;

	rep->pub.is_access = true;
	rep->pub.agent = acc->agent;
	rep->pub.space = acc->space;
	rep->pub.write = acc->write;
	rep->pub.addr = addr;
	rep->pub.size = acc->size;
	gs_printf(rep, "%s%s of size %zu at %s 0x%" PRIx64,
		  acc->atomic ? "Atomic " : "", acc->write ? "Write" : "Read",
		  acc->size, gs_space_name(acc->space), acc->addr);
	if (sh && acc->space == GPUOWN_SPACE_FW)
		gs_printf(rep, " (gpu va 0x%" PRIx64 ")", va);
	if (m && m->fw_addr && acc->space != GPUOWN_SPACE_FW && bad_va >= m->va)
		gs_printf(rep, " (fw addr 0x%" PRIx64 ")",
			  m->fw_addr + (va - m->va));
	if (m && m->cpu && va >= m->va && va < m->va + m->size)
		gs_printf(rep, " (cpu %p)", (void *)(m->cpu + (va - m->va)));
	gs_printf(rep, "\n ");
	gs_print_agent(rep, acc);
	if (bad_va != va)
		gs_printf(rep, " first bad byte at gpu va 0x%" PRIx64 "\n",
			  bad_va);
	if (!sh && acc->space == GPUOWN_SPACE_FW)
		gs_printf(rep, " [the firmware address does not translate]\n");
	else
		gs_printf(rep, " [granule=%02x %s]\n", bad,
			  gs_state_name(GS_STATE(bad)));
	if (in->note)
		gs_printf(rep, " [%s]\n", in->note);
	if (in->owner)
		gs_report_owner(rep, in, acc->addr);
	gs_compose_current_stack(rep, acc->caller);
	inside = m && bad_va >= m->va && bad_va < m->va + m->size;
	if (in->owner) {
		const struct gs_meta *o = in->owner;

		gs_report_object(rep, in->owner,
				 o->released
					 ? "The address belonged, as "
					   "another kind, to the released "
					   "object"
					 : "The address belongs, as another "
					   "kind, to the object");
		gs_report_location(
			rep, o,
			o->va + (acc->addr - gs_kind_base(o, in->owner_kind)));
		gs_report_stacks(rep, o);
		gs_report_history(rep, o);
	} else if (m && cls == GPUSAN_WILD_ADDRESS && !inside) {
		/* Not this object's bytes or redzone: name it as a landmark
		 * only. */
		gs_printf(rep, "The buggy address belongs to no object; the "
			       "nearest is:\n");
		gs_report_object(rep, m, "  ");
		rep->pub.obj_name = NULL;
		rep->pub.obj_id = 0;
		gs_report_location(rep, m, bad_va);
	} else if (m) {
		gs_report_object(
			rep, m,
			m->released
				? "The buggy address belonged to the released "
				  "object"
				: "The buggy address belongs to the object");
		if (!in->via_binding)
			gs_report_location(rep, m, bad_va);
		gs_report_stacks(rep, m);
		gs_report_history(rep, m);
	} else if (sh) {
		gs_printf(rep, "The buggy address belongs to no object gpusan "
			       "knows of\n");
	}
	if (sh)
		gs_report_shadow(rep, sh, bad_va, "gpu va");
}

static const char *gs_op_title(enum gpuown_op op)
{
	static const char *const t[GPUOWN_OP_NR] = {
		"Alloc",
		"Free",
		"Release",
		"Publish",
		"Firmware get",
		"Reclaim",
		"Share",
		"Detach",
		"CPU access begin",
		"CPU access end",
		"Pointer store",
		"Pointer clear",
		"Bind",
		"Unbind",
		"Lifecycle transition",
		"CPU access",
		"Memory system destroy",
		"GPU access",
		"VM destroy",
		"Get",
		"Put",
		"Table insert",
		"Table remove",
		"Busy-until",
		"Sync",
		"Address hand-over",
	};
	return (unsigned)op < GPUOWN_OP_NR ? t[op] : "Operation";
}

static void gs_report_edge(struct gs_report *rep, const struct gs_edge_info *ei,
			   const char *what)
{
	const struct gpuown_ptr_edge *e = &ei->e;
	struct gs_meta *c = ei->c, *t = ei->t;
	const struct gpuown_field_desc *fd = NULL;
	char buf[160];
	const char *desc = NULL;

	if (c)
		desc = gs_field_desc(c->layout, e->offset, buf, sizeof(buf),
				     &fd);
	gs_printf(rep, " %s %s", what, c ? c->name : "?");
	if (c && c->layout && c->layout->variant)
		gs_printf(rep, " (variant %s)", c->layout->variant);
	gs_printf(rep, " id %" PRIu64 " [%s]", c ? c->id : 0,
		  c ? gpuown_state_name(c->state) : "?");
	if (desc)
		gs_printf(rep, " field %s", desc);
	else
		gs_printf(rep, " offset 0x%x", e->offset);
	gs_printf(rep, "\n   holds the %s of %s id %" PRIu64 " [%s]\n",
		  e->fw_addr ? "fw addr" : "gpu va", t ? t->name : "?",
		  t ? t->id : 0, t ? gpuown_state_name(t->state) : "?");
	if (!rep->pub.field)
		rep->pub.field =
			fd ? fd->name : (e->field ? e->field->name : NULL);
}

static void gs_report_lifecycle(struct gs_report *rep,
				const struct gpuown_event *ev,
				enum gpusan_class cls)
{
	if (cls == GPUSAN_LIFECYCLE_NOT_PERMITTED)
		gs_printf(rep,
			  "Operation not permitted in lifecycle %s: requires "
			  "state '%s', the object is in '%s'\n",
			  ev->lc_name ? ev->lc_name : "?",
			  ev->lc_to ? ev->lc_to : "?",
			  ev->lc_from ? ev->lc_from : "?");
	else
		gs_printf(rep,
			  "Illegal transition of lifecycle %s: '%s' -> '%s' is "
			  "not declared\n",
			  ev->lc_name ? ev->lc_name : "?",
			  ev->lc_from ? ev->lc_from : "?",
			  ev->lc_to ? ev->lc_to : "?");
	gs_printf(rep,
		  " [lifecycle=%s from=%s to=%s err=%d] by CPU thread %d\n",
		  ev->lc_name ? ev->lc_name : "?",
		  ev->lc_from ? ev->lc_from : "?", ev->lc_to ? ev->lc_to : "?",
		  ev->err, gpuown_host.thread_id());
}

void gs_compose_event(struct gs_report *rep, const struct gs_event_info *in)
{
	const struct gpuown_event *ev = in->ev;
	enum gpusan_class cls = rep->pub.cls;
	struct gs_meta *m = in->m;
	unsigned i;

	rep->pub.op = ev->op;
	rep->pub.addr = m ? m->va : (uint64_t)(uintptr_t)ev->wild;
	if (m) {
		rep->pub.obj_name = m->name;
		rep->pub.obj_id = m->id;
	}
	if (ev->op == GPUOWN_OP_LIFECYCLE) {
		gs_report_lifecycle(rep, ev, cls);
	} else if (!m && cls == GPUSAN_FOREIGN_OBJECT && ev->obj) {
		/* Alive, but another memory system's: name it from there. */
		rep->pub.obj_name = gpuown_obj_name(ev->obj);
		rep->pub.obj_id = gpuown_obj_id(ev->obj);
		gs_printf(rep,
			  "%s of object %s id %" PRIu64
			  ", which belongs to another memory system, at gpu va "
			  "0x%" PRIx64 " of a VM of this one\n",
			  gs_op_title(ev->op), rep->pub.obj_name,
			  rep->pub.obj_id, ev->va);
	} else if (!m && in->untracked) {
		const char *name = gpuown_obj_name(ev->obj);

		rep->pub.obj_name = name ? name : "(unnamed)";
		rep->pub.obj_id = gpuown_obj_id(ev->obj);
		gs_printf(rep,
			  "%s of object %s id %" PRIu64
			  " by CPU thread %d (not sampled: gpusan keeps no "
			  "stacks or history for it)\n",
			  gs_op_title(ev->op), rep->pub.obj_name,
			  rep->pub.obj_id, gpuown_host.thread_id());
	} else if (!m && ev->op == GPUOWN_OP_GPU_ACCESS) {
		gs_printf(rep,
			  "GPU access through VM %p, which is not a live VM "
			  "(destroyed, or never created)\n",
			  ev->wild);
	} else if (!m && ev->op == GPUOWN_OP_VM_DESTROY) {
		gs_printf(rep,
			  "Destroy of VM %p, which is not a live VM (destroyed "
			  "twice, or never created)\n",
			  ev->wild);
	} else if (!m && ev->op == GPUOWN_OP_MM_DESTROY) {
		gs_printf(rep,
			  "Destroy of memory system %p, which is not a live "
			  "memory system (destroyed twice, or never created)\n",
			  ev->wild);
	} else if (!m) {
		gs_printf(
			rep,
			"%s of handle %p, which is not a gpuown object (never "
			"allocated, released long ago, or an interior "
			"pointer)\n",
			gs_op_title(ev->op),
			ev->obj ? (void *)ev->obj : ev->wild);
	} else {
		gs_printf(rep,
			  "%s of object %s id %" PRIu64 " at gpu va 0x%" PRIx64
			  " by CPU thread %d\n",
			  gs_op_title(ev->op), m->name, m->id, m->va,
			  gpuown_host.thread_id());
	}
	if (ev->op != GPUOWN_OP_LIFECYCLE)
		gs_printf(rep, " [op=%s state=%s holders=%u err=%d]\n",
			  gpuown_op_name(ev->op), gpuown_state_name(ev->from),
			  ev->holders, ev->err);
	if (ev->note)
		gs_printf(rep, " %s\n", ev->note);
	if (ev->edge)
		gs_report_edge(rep, &in->edge,
			       cls == GPUSAN_DANGLING_AT_FREE
				       ? "Still pointed at by"
				       : "The pointer:");
	for (i = 0; i < in->nrefs; i++)
		gs_report_edge(rep, &in->refs[i], "and by");
	if (in->more_refs)
		gs_printf(rep, " and by %u more\n", in->more_refs);
	gs_compose_current_stack(rep, ev->caller);
	if (m) {
		gs_report_object(rep, m, "The object:");
		gs_report_stacks(rep, m);
		gs_report_history(rep, m);
	}
	if (ev->edge) {
		/* The other end of the edge: the pointing struct, or its
		 * target. */
		bool at_target = ev->edge->target == ev->obj;
		struct gs_meta *t = in->other;

		if (t && t != m) {
			gs_report_object(rep, t,
					 at_target ? "The pointing object:"
						   : "The pointed-to object:");
			gs_report_stacks(rep, t);
			gs_report_history(rep, t);
		}
	}
}

void gs_compose_cpu_trap(struct gs_report *rep, struct gs_meta *m,
			 const void *cpu, uint64_t va, bool write, size_t size)
{
	rep->pub.is_access = true;
	rep->pub.agent = GPUOWN_AGENT_CPU;
	rep->pub.space = GPUOWN_SPACE_CPU;
	rep->pub.write = write;
	rep->pub.addr = va;
	rep->pub.size = size;
	if (size)
		gs_printf(rep,
			  "The access the sanitizer reported above is a plain "
			  "CPU %s of size %zu at cpu %p (gpu va 0x%" PRIx64
			  ")\n",
			  write ? "write" : "read", size, cpu, va);
	else /* the sanitizer's report says which (KASAN's hook does not) */
		gs_printf(rep,
			  "The access the sanitizer reported above is a plain "
			  "CPU access at cpu %p (gpu va 0x%" PRIx64 ")\n",
			  cpu, va);
	gs_printf(rep,
		  " by CPU thread %d, outside the framework's accessors, while "
		  "the CPU does not own the object\n",
		  gpuown_host.thread_id());
	gs_report_object(rep, m, "The object:");
	gs_report_location(rep, m, va);
	gs_report_stacks(rep, m);
	gs_report_history(rep, m);
	if (m->sh)
		gs_report_shadow(rep, m->sh, va, "gpu va");
}

void gs_compose_misuse(struct gs_report *rep, const char *what, void *caller)
{
	gs_printf(rep, "%s", what);
	gs_compose_current_stack(rep, caller);
}

void gs_compose_leak(struct gs_report *rep, struct gs_meta *m, void *caller)
{
	rep->pub.op = GPUOWN_OP_ALLOC;
	rep->pub.addr = m->va;
	rep->pub.size = m->size;
	gs_printf(rep,
		  "Object %s id %" PRIu64 " of size %" PRIu64
		  " was never freed: still %s at teardown\n",
		  m->name, m->id, m->size, gs_state_str(m->state));
	gs_printf(rep, " [state=%s holders=%u transitions=%" PRIu64 "]\n",
		  gs_state_str(m->state), m->holders, m->nhist);
	gs_compose_stack_titled(rep, caller, "Found at teardown:");
	gs_report_object(rep, m, "The object:");
	gs_report_stacks(rep, m);
	gs_report_history(rep, m);
}

/* ------------------------------------------------------------------------
 * Ownership graph as Graphviz DOT
 */
static const char *gs_dot_fill(enum gpuown_state st)
{
	switch (st) {
	case GPUOWN_STATE_CPU:
		return "#cfe2ff";
	case GPUOWN_STATE_FW:
		return "#ffd8a8";
	case GPUOWN_STATE_SHARED:
		return "#fff3bf";
	case GPUOWN_STATE_GPU_ONLY:
		return "#dee2e6";
	case GPUOWN_STATE_QUARANTINED:
		return "#ffa8a8";
	case GPUOWN_STATE_RELEASED:
		return "#f1f3f5";
	}
	return "white";
}

/* @s with the characters DOT strings cannot hold as they are escaped. */
static const char *gs_dot_esc(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; s && *s && o + 2 < len; s++) {
		if (*s == '"' || *s == '\\')
			buf[o++] = '\\';
		buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

/* A node is an object: its metadata when gpusan has it, else its handle. */
struct gs_dot_node {
	const void *key;
	const struct gs_meta *m;
};

static unsigned gs_dot_node(struct gs_dot_node *nodes, unsigned *n,
			    const struct gs_meta *m, const void *obj)
{
	const void *key = m ? (const void *)m : obj;
	unsigned i;

	for (i = 0; i < *n; i++)
		if (nodes[i].key == key)
			return i;
	nodes[*n].key = key;
	nodes[*n].m = m;
	return (*n)++;
}

void gs_compose_dot(struct gs_report *rep, const struct gs_graph *g)
{
	struct gs_dot_node nodes[2 * GS_GRAPH_MAX_EDGES + 1];
	unsigned n = 0, i, c, t;
	char a[160], b[160], fdesc[160];

	gs_dot_node(nodes, &n, g->center, NULL);
	gs_printf(rep,
		  "digraph gpusan {\n"
		  "  graph [label=\"gpusan: %s in %s %s\", labelloc=t, "
		  "fontname=\"monospace\", rankdir=LR];\n"
		  "  node [shape=box, style=\"rounded,filled\", "
		  "fontname=\"monospace\"];\n"
		  "  edge [fontname=\"monospace\"];\n",
		  gs_dot_esc(rep->pub.class_name, a, sizeof(a)),
		  gs_dot_esc(rep->fn, b, sizeof(b)), rep->loc);
	for (i = 0; i < g->n; i++) {
		gs_dot_node(nodes, &n, g->e[i].c, g->e[i].e.container);
		gs_dot_node(nodes, &n, g->e[i].t, g->e[i].e.target);
	}
	for (i = 0; i < n; i++) {
		const struct gs_meta *m = nodes[i].m;

		if (!m) {
			gs_printf(rep,
				  "  n%u [label=\"untracked object\", "
				  "fillcolor=white];\n",
				  i);
			continue;
		}
		gs_printf(rep, "  n%u [label=\"%s id %" PRIu64, i,
			  gs_dot_esc(m->name, a, sizeof(a)), m->id);
		if (m->layout && m->layout->variant)
			gs_printf(rep, "\\n%s",
				  gs_dot_esc(m->layout->variant, a, sizeof(a)));
		gs_printf(rep,
			  "\\n%s holders=%u\\ngpu va 0x%" PRIx64
			  "\", fillcolor=\"%s\"%s];\n",
			  gs_state_str(m->state), m->holders, m->va,
			  gs_dot_fill(m->state), i == 0 ? ", penwidth=3" : "");
	}
	for (i = 0; i < g->n; i++) {
		const struct gs_edge_info *ei = &g->e[i];
		const struct gpuown_field_desc *fd = NULL;
		const char *desc = NULL;

		c = gs_dot_node(nodes, &n, ei->c, ei->e.container);
		t = gs_dot_node(nodes, &n, ei->t, ei->e.target);
		if (ei->c)
			desc = gs_field_desc(ei->c->layout, ei->e.offset, fdesc,
					     sizeof(fdesc), &fd);
		if (!desc) {
			snprintf(fdesc, sizeof(fdesc), "offset 0x%x",
				 ei->e.offset);
			desc = fdesc;
		}
		gs_printf(rep, "  n%u -> n%u [label=\"%s\\n(%s)\"%s];\n", c, t,
			  gs_dot_esc(desc, a, sizeof(a)),
			  ei->e.fw_addr ? "fw addr" : "gpu va",
			  fd && (fd->flags & GPUOWN_FIELD_WEAK)
				  ? ", style=dashed"
				  : "");
	}
	if (g->more)
		gs_printf(rep,
			  "  more [shape=plaintext, style=\"\", label=\"... "
			  "%u more pointers\"];\n",
			  g->more);
	gs_printf(rep, "}\n");
}
