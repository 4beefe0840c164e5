// SPDX-License-Identifier: MIT
/*
 * Printing reports (the core composes their text, runtime/model/src/
 * san_report.c). A report is built in memory and written with one write(),
 * under one global lock, so reports never interleave.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
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
/* The report being written (under gs_report_mutex): a stdio stream. */
static FILE *gs_f;
static char *gs_buf;
static size_t gs_len;
static void *gs_cb_ctx;

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
	return gs_report_begin_st(ctx, rep, cls, caller, 0);
}

bool gs_report_begin_st(struct gs_ctx *ctx, struct gs_report *rep,
			enum gpusan_class cls, void *caller, gpuown_stack_t st)
{
	memset(rep, 0, sizeof(*rep));
	rep->caller_st = st;
	gs_report_lock();
	__atomic_store_n(&gs_nreports, gs_nreports + 1, __ATOMIC_RELEASE);
	if (gs_reported_once && !ctx->opts.multi_shot && cls != GPUSAN_LEAK) {
		gs_report_unlock();
		return false;
	}
	gs_buf = NULL;
	gs_len = 0;
	gs_f = open_memstream(&gs_buf, &gs_len);
	if (!gs_f) {
		gs_report_unlock();
		return false;
	}
	gs_symbolize_enable(ctx->opts.symbolize);
	rep->sink = (struct gpuown_report_sink *)gs_f;
	rep->stack_depth = ctx->opts.stack_depth;
	fputs(GS_SEPARATOR, gs_f);
	gs_compose_begin(rep, cls, caller);
	return true;
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

struct gs_gcoll {
	struct gpuown_ptr_edge e[GS_GRAPH_MAX_EDGES];
	unsigned n, more;
};

static void gs_gcoll_add(const struct gpuown_ptr_edge *e, void *arg)
{
	struct gs_gcoll *g = arg;
	unsigned i;

	for (i = 0; i < g->n; i++)
		if (g->e[i].container == e->container &&
		    g->e[i].offset == e->offset)
			return;
	if (g->n < GS_GRAPH_MAX_EDGES)
		g->e[g->n++] = *e;
	else
		g->more++;
}

/* Two levels of referrers (who holds whom), one of pointees. */
static void gs_graph_collect(struct gs_ctx *ctx, struct gs_meta *center,
			     struct gs_graph *g)
{
	struct gs_gcoll col = {.n = 0};
	unsigned i, first;

	memset(g, 0, sizeof(*g));
	g->center = center;
	if (center->obj && !__atomic_load_n(&ctx->mm_gone, __ATOMIC_ACQUIRE)) {
		gpuown_obj_for_each_referrer(center->obj, gs_gcoll_add, &col);
		first = col.n;
		for (i = 0; i < first; i++)
			if (col.e[i].container != center->obj)
				gpuown_obj_for_each_referrer(
					col.e[i].container, gs_gcoll_add, &col);
		gpuown_obj_for_each_pointee(center->obj, gs_gcoll_add, &col);
	}
	for (i = 0; i < col.n; i++) {
		g->e[i].e = col.e[i];
		g->e[i].c = gs_meta_of(ctx, col.e[i].container);
		g->e[i].t = gs_meta_of(ctx, col.e[i].target);
	}
	g->n = col.n;
	g->more = col.more;
}

void gs_report_dot(struct gs_ctx *ctx, struct gs_report *rep,
		   struct gs_meta *center)
{
	struct gs_report dot;
	struct gs_graph g;
	char path[512];
	FILE *f;
	int n;

	if (!ctx->opts.dot_dir[0] || !center)
		return;
	n = snprintf(path, sizeof(path), "%s/gpusan-%d-%u.dot",
		     ctx->opts.dot_dir, (int)getpid(), gs_nreports);
	if (n < 0 || (size_t)n >= sizeof(path))
		return;
	f = fopen(path, "we");
	if (!f) {
		gs_printf(rep, "Ownership graph: cannot write %s: %s\n", path,
			  strerror(errno));
		return;
	}
	gs_graph_collect(ctx, center, &g);
	dot = *rep;
	dot.sink = (struct gpuown_report_sink *)f;
	gs_compose_dot(&dot, &g);
	if (fclose(f))
		gs_printf(rep, "Ownership graph: cannot write %s: %s\n", path,
			  strerror(errno));
	else
		gs_printf(rep, "Ownership graph (DOT): %s\n", path);
}

void gs_report_note(struct gs_ctx *ctx, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	gs_report_lock();
	gs_emit(ctx, buf, (size_t)n);
	gs_report_unlock();
}

void gs_report_end(struct gs_ctx *ctx, struct gs_report *rep)
{
	bool halt = ctx->opts.halt_on_error;

	fputs(GS_SEPARATOR, gs_f);
	fclose(gs_f);
	gs_f = NULL;
	rep->pub.text = gs_buf;
	gs_reported_once = true;
	gs_emit(ctx, gs_buf, gs_len);
	if (gs_cb)
		gs_cb(&rep->pub, gs_cb_ctx);
	free(gs_buf);
	gs_buf = NULL;
	gs_report_unlock();
	if (halt) {
		fprintf(stderr, "gpusan: halt_on_error=1: aborting\n");
		abort();
	}
}
