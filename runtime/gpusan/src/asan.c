// SPDX-License-Identifier: MIT
/*
 * ASan integration: poison the CPU view of objects the CPU must not touch, so
 * a plain dereference in driver code is trapped by ASan, and append gpusan's
 * explanation of the ownership state to ASan's report.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusan_int.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GS_HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define GS_HAVE_ASAN 1
#endif

#ifdef GS_HAVE_ASAN
#include <sanitizer/asan_interface.h>

bool gs_asan_active(void)
{
	return true;
}

struct gs_asan_find {
	uintptr_t addr;
	struct gs_ctx *ctx;
	struct gs_meta *m;
};

static void gs_asan_find_ctx(struct gs_ctx *ctx, void *arg)
{
	struct gs_asan_find *f = arg;
	struct gs_meta *m;

	if (f->m)
		return;
	for (m = ctx->live.next; m != &ctx->live; m = m->next) {
		uintptr_t lo = (uintptr_t)m->cpu;

		if (m->cpu && f->addr >= lo && f->addr < lo + m->size + 8) {
			f->ctx = ctx;
			f->m = m;
			return;
		}
	}
}

static void gs_asan_explain(struct gs_ctx *ctx, struct gs_meta *m,
			    uintptr_t addr)
{
	bool write = __asan_get_report_access_type() != 0;
	void *pc = __asan_get_report_pc();
	struct gs_report rep;
	uint64_t va = m->va + (addr - (uintptr_t)m->cpu);

	/* ASan's report pc is already a return address (its call into the
	 * report routine), which is what the symbolizer expects. */
	if (!gs_report_begin(ctx, &rep, gs_classify_cpu_trap(m, write), pc))
		return;
	gs_compose_cpu_trap(&rep, m, (void *)addr, va, write,
			    __asan_get_report_access_size());
	gs_report_end(ctx, &rep);
}

static void gs_asan_report_cb(const char *report)
{
	struct gs_asan_find f = {
		.addr = (uintptr_t)__asan_get_report_address()};

	(void)report;
	/* The process is dying: do not wait on a lock another thread may hold.
	 */
	gs_for_each_ctx(gs_asan_find_ctx, &f);
	if (!f.m)
		return;
	if (pthread_mutex_trylock(&f.ctx->lock) == 0) {
		gs_asan_explain(f.ctx, f.m, f.addr);
		pthread_mutex_unlock(&f.ctx->lock);
		return;
	}
	gs_asan_explain(f.ctx, f.m, f.addr);
}

static void gs_asan_install_once(void)
{
	__asan_set_error_report_callback(gs_asan_report_cb);
}

void gs_asan_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, gs_asan_install_once);
}
#else
bool gs_asan_active(void)
{
	return false;
}

void gs_asan_install(void)
{
}
#endif
