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
	memset(rep, 0, sizeof(*rep));
	gs_report_lock();
	__atomic_store_n(&gs_nreports, gs_nreports + 1, __ATOMIC_RELEASE);
	if (gs_reported_once && !ctx->opts.multi_shot) {
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
