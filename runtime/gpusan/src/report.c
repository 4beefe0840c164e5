// SPDX-License-Identifier: MIT
/*
 * Report formatting and emission. A report is built in memory and written
 * with one write(), under one global lock, so reports never interleave.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusan_int.h"

#define GS_SEPARATOR                                                           \
	"==================================================================\n"

static pthread_mutex_t gs_report_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned gs_nreports; /* under gs_report_mutex; read atomically */
static bool gs_reported_once;
static gpusan_report_fn gs_cb;
static void *gs_cb_ctx;

static const char *const gs_class_names[GPUSAN_CLASS_NR] = {
	[GPUSAN_NONE] = "none",
	[GPUSAN_DOUBLE_FREE] = "double-free",
	[GPUSAN_INVALID_FREE] = "invalid-free",
	[GPUSAN_FREE_WHILE_FW_OWNED] = "free-while-firmware-owned",
	[GPUSAN_FREE_WHILE_SHARED] = "free-while-shared",
	[GPUSAN_PUBLISH_TWICE] = "publish-twice",
	[GPUSAN_PUBLISH_FREED] = "publish-after-free",
	[GPUSAN_PUBLISH_DANGLING] = "publish-dangling-pointer",
	[GPUSAN_PUBLISH_UNPUBLISHED] = "publish-unpublished-pointer",
	[GPUSAN_RECLAIM_NOT_PUBLISHED] = "reclaim-not-published",
	[GPUSAN_RECLAIM_BEFORE_COMPLETION] = "reclaim-before-completion",
	[GPUSAN_ILLEGAL_TRANSITION] = "illegal-transition",
	[GPUSAN_CPU_WRITE_FW_OWNED] = "cpu-write-while-firmware-owned",
	[GPUSAN_CPU_READ_FW_WRITES] = "cpu-read-against-direction",
	[GPUSAN_CPU_ACCESS_GPU_ONLY] = "cpu-access-gpu-only",
	[GPUSAN_CPU_ACCESS_SHARED_UNDECLARED] = "cpu-access-shared-undeclared",
	[GPUSAN_USE_AFTER_FREE] = "use-after-free",
	[GPUSAN_DANGLING_AT_FREE] = "dangling-gpu-pointer",
	[GPUSAN_PTR_TYPE_MISMATCH] = "pointer-type-mismatch",
	[GPUSAN_LIFECYCLE_ILLEGAL] = "illegal-lifecycle-transition",
	[GPUSAN_LIFECYCLE_NOT_PERMITTED] = "lifecycle-not-permitted",
	[GPUSAN_OUT_OF_BOUNDS] = "out-of-bounds",
	[GPUSAN_WILD_ADDRESS] = "wild-address",
	[GPUSAN_FOREIGN_OBJECT] = "foreign-object",
	[GPUSAN_FW_ACCESS_CPU_OWNED] = "firmware-access-while-cpu-owned",
	[GPUSAN_GPU_ACCESS_CPU_OWNED] = "gpu-access-while-cpu-owned",
	[GPUSAN_WRITE_AGAINST_DIRECTION] = "write-against-direction",
	[GPUSAN_BEYOND_FOOTPRINT] = "beyond-footprint",
	[GPUSAN_STALE_MAPPING] = "use-after-unbind",
	[GPUSAN_CPU_ACCESS_POISONED] = "cpu-access-while-not-cpu-owned",
};

const char *gpusan_class_name(enum gpusan_class cls)
{
	if ((unsigned)cls >= GPUSAN_CLASS_NR || !gs_class_names[cls])
		return "unknown";
	return gs_class_names[cls];
}

unsigned gpusan_report_count(void)
{
	return __atomic_load_n(&gs_nreports, __ATOMIC_ACQUIRE);
}

void gpusan_set_report_callback(gpusan_report_fn fn, void *ctx)
{
	pthread_mutex_lock(&gs_report_mutex);
	gs_cb = fn;
	gs_cb_ctx = ctx;
	pthread_mutex_unlock(&gs_report_mutex);
}

void gs_report_lock(void)
{
	pthread_mutex_lock(&gs_report_mutex);
}

void gs_report_unlock(void)
{
	pthread_mutex_unlock(&gs_report_mutex);
}

bool gs_report_begin(struct gs_ctx *ctx, struct gs_report *rep,
		     enum gpusan_class cls, void *caller)
{
	memset(rep, 0, sizeof(*rep));
	gs_report_lock();
	__atomic_store_n(&gs_nreports, gs_nreports + 1, __ATOMIC_RELEASE);
	if (gs_reported_once && !ctx->opts.multi_shot) {
		gs_report_unlock();
		return false;
	}
	rep->f = open_memstream(&rep->buf, &rep->len);
	if (!rep->f) {
		gs_report_unlock();
		return false;
	}
	gs_symbolize_enable(ctx->opts.symbolize);
	snprintf(rep->fn, sizeof(rep->fn), "%s",
		 caller ? gs_symbolize(caller, rep->loc, sizeof(rep->loc))
			: "??");
	rep->pub.cls = cls;
	rep->pub.class_name = gpusan_class_name(cls);
	rep->pub.caller = caller;
	rep->pub.function = rep->fn;
	rep->pub.location = rep->loc;
	fprintf(rep->f, GS_SEPARATOR "BUG: GPUSAN: %s in %s %s\n",
		rep->pub.class_name, rep->fn, rep->loc);
	return true;
}

void gs_report_current_stack(struct gs_ctx *ctx, struct gs_report *rep,
			     void *caller)
{
	void *pcs[GS_STACK_MAX];
	struct gs_stack st = {.cap = GS_STACK_MAX, .pcs = pcs};

	gs_stack_capture(&st, ctx->opts.stack_depth, caller);
	fprintf(rep->f, "Call trace:\n");
	gs_stack_print(rep->f, &st);
}

static void gs_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void gs_emit(struct gs_ctx *ctx, const char *buf, size_t len)
{
	int fd = STDERR_FILENO;

	if (!ctx->opts.print)
		return;
	if (ctx->opts.report_file[0]) {
		fd = open(ctx->opts.report_file,
			  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr,
				"gpusan: cannot open report_file '%s': %s; "
				"reporting to stderr\n",
				ctx->opts.report_file, strerror(errno));
			fd = STDERR_FILENO;
		}
	}
	gs_write_all(fd, buf, len);
	if (fd != STDERR_FILENO)
		close(fd);
}

void gs_report_end(struct gs_ctx *ctx, struct gs_report *rep)
{
	bool halt = ctx->opts.halt_on_error;

	fprintf(rep->f, GS_SEPARATOR);
	fclose(rep->f);
	rep->pub.text = rep->buf;
	gs_reported_once = true;
	gs_emit(ctx, rep->buf, rep->len);
	if (gs_cb)
		gs_cb(&rep->pub, gs_cb_ctx);
	free(rep->buf);
	rep->buf = NULL;
	gs_report_unlock();
	if (halt) {
		fprintf(stderr, "gpusan: halt_on_error=1: aborting\n");
		abort();
	}
}

const char *gs_field_type(const struct gpuown_field_desc *fd, char *buf,
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

void gs_report_object(struct gs_ctx *ctx, struct gs_report *rep,
		      const struct gs_meta *m, const char *title)
{
	FILE *f = rep->f;

	if (!rep->pub.obj_name) {
		rep->pub.obj_name = m->name;
		rep->pub.obj_id = m->id;
	}
	fprintf(f, "%s %s", title, m->name);
	if (m->layout && m->layout->variant)
		fprintf(f, " (variant %s)", m->layout->variant);
	fprintf(f, " id %" PRIu64 "\n", m->id);
	fprintf(f, " at gpu va [0x%" PRIx64 ", 0x%" PRIx64 ") of size %" PRIu64,
		m->va, m->va + m->size, m->size);
	if (m->layout && m->layout->footprint > m->layout->size)
		fprintf(f, " (struct %u bytes, firmware footprint %u)",
			m->layout->size, m->layout->footprint);
	fprintf(f, "\n");
	if (m->fw_addr)
		fprintf(f, " fw addr 0x%" PRIx64, m->fw_addr);
	if (m->cpu)
		fprintf(f, " cpu %p", (void *)m->cpu);
	if (m->vm && m->vm != ctx->fw_vm)
		fprintf(f, " vm %s (id %u)", gpuown_vm_name(m->vm),
			gpuown_vm_id(m->vm));
	else
		fprintf(f, " firmware vm");
	fprintf(f, "\n [state=%s holders=%u fw_dir=%s%s]\n",
		gs_state_str(m->state), m->holders, gs_dir_str(m->fw_dir),
		m->poisoned ? " cpu-view=asan-poisoned" : "");
}

void gs_report_location(struct gs_report *rep, const struct gs_meta *m,
			uint64_t va)
{
	char buf[160];
	const char *fd;

	if (va < m->va) {
		fprintf(rep->f,
			"The buggy address is located %" PRIu64
			" bytes to the left of the %" PRIu64 "-byte region\n",
			m->va - va, m->size);
		return;
	}
	if (va >= m->va + m->size) {
		fprintf(rep->f,
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
		fprintf(rep->f,
			"The buggy address is located %" PRIu64
			" bytes inside of the %" PRIu64
			"-byte region, in the firmware footprint beyond the "
			"%u-byte struct\n",
			va - m->va, m->size, m->layout->size);
		return;
	}
	fprintf(rep->f,
		"The buggy address is located %" PRIu64
		" bytes inside of the %" PRIu64 "-byte region\n",
		va - m->va, m->size);
	fd = gs_field_desc(m->layout, va - m->va, buf, sizeof(buf), NULL);
	if (fd) {
		fprintf(rep->f, " in field %s\n", fd);
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

void gs_report_stacks(struct gs_report *rep, const struct gs_meta *m)
{
	fprintf(rep->f, "Allocated by thread %d:\n", m->alloc_st.tid);
	gs_stack_print(rep->f, &m->alloc_st);
	if (m->has_free) {
		fprintf(rep->f, "Freed by thread %d:\n", m->free_st.tid);
		gs_stack_print(rep->f, &m->free_st);
	}
	if (m->has_last) {
		fprintf(rep->f, "Last transition (%s) by thread %d:\n",
			gs_op_str(m->last_op), m->last_st.tid);
		gs_stack_print(rep->f, &m->last_st);
	}
}

void gs_report_history(struct gs_report *rep, const struct gs_meta *m)
{
	uint64_t first, i;
	char loc[256];

	if (!m->nhist || !m->hist)
		return;
	first = m->nhist > m->hist_cap ? m->nhist - m->hist_cap : 0;
	fprintf(rep->f,
		"Ownership history (last %" PRIu64 " of %" PRIu64
		" operations):\n",
		m->nhist - first, m->nhist);
	for (i = first; i < m->nhist; i++) {
		const struct gs_hist *h = &m->hist[i % m->hist_cap];
		const char *fn = gs_symbolize(h->caller, loc, sizeof(loc));

		fprintf(rep->f, "  #%" PRIu64 " %-9s %s -> %s holders=%u",
			i + 1, gs_op_str(h->op),
			h->op == GPUOWN_OP_ALLOC ? "(new)"
						 : gs_state_str(h->from),
			gs_state_str(h->to), h->holders);
		if (h->violation)
			fprintf(rep->f, " REFUSED %s (%d)",
				gpusan_class_name(h->violation), h->err);
		fprintf(rep->f, " thread %d in %s %s\n", h->tid, fn, loc);
	}
}

void gs_report_shadow(struct gs_report *rep, const struct gs_shadow *sh,
		      uint64_t va, const char *space)
{
	uint64_t row = 16ull * GS_GRANULE; /* VA bytes per dump row */
	uint64_t bad_row = va & ~(row - 1), start, r;
	unsigned col = (unsigned)((va - bad_row) >> GS_GRANULE_SHIFT), i;

	if (va >> GS_VA_BITS)
		return;
	start = bad_row >= 2 * row ? bad_row - 2 * row : 0;
	fprintf(rep->f,
		"Memory state around the buggy address (%s, one byte per "
		"%u-byte granule):\n",
		space, GS_GRANULE);
	for (r = start; r <= bad_row + 2 * row; r += row) {
		fprintf(rep->f, "%c0x%012" PRIx64 ":", r == bad_row ? '>' : ' ',
			r);
		for (i = 0; i < 16; i++)
			fprintf(rep->f, " %02x",
				gs_shadow_get(sh, r + i * GS_GRANULE));
		fprintf(rep->f, "\n");
		if (r == bad_row)
			fprintf(rep->f, "%*s^\n", 1 + 2 + 12 + 1 + 1 + col * 3,
				"");
	}
	fprintf(rep->f,
		"Shadow byte legend (high nibble: state; low nibble: valid "
		"bytes of a partial granule, 0 = all):\n"
		"  0x unmapped  1x redzone  2x cpu-owned  3x fw-owned(r)  4x "
		"fw-owned(w)\n"
		"  5x fw-owned(rw)  6x shared(r)  7x shared(rw)  8x gpu-only  "
		"9x freed\n"
		"  ax fw footprint  bx bound  cx bound(ro)  dx unbound\n");
}
