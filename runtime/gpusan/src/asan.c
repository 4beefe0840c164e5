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

/* ASan tracks 8-byte granules; objects start 64-byte aligned. */
#define GS_ASAN_GRANULE 8u

bool gs_asan_active(void)
{
	return true;
}

/*
 * Under ctx->lock: one object's region is never (un)poisoned concurrently.
 * The tail is rounded up to ASan's granule: the bytes after the object in its
 * last granule belong to no other object (the next one is 64-byte aligned).
 */
void gs_asan_poison(struct gs_meta *m, bool poison)
{
	size_t len = (m->size + GS_ASAN_GRANULE - 1) &
		     ~(size_t)(GS_ASAN_GRANULE - 1);

	if (!m->cpu || !len)
		return;
	if (poison)
		ASAN_POISON_MEMORY_REGION(m->cpu, len);
	else
		ASAN_UNPOISON_MEMORY_REGION(m->cpu, len);
	m->poisoned = poison;
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

static enum gpusan_class gs_asan_class(const struct gs_meta *m, bool write)
{
	if (m->state == GPUOWN_STATE_QUARANTINED)
		return GPUSAN_USE_AFTER_FREE;
	if (m->state == GPUOWN_STATE_FW)
		return write ? GPUSAN_CPU_WRITE_FW_OWNED
			     : GPUSAN_CPU_READ_FW_WRITES;
	return GPUSAN_CPU_ACCESS_POISONED;
}

static void gs_asan_explain(struct gs_ctx *ctx, struct gs_meta *m,
			    uintptr_t addr)
{
	bool write = __asan_get_report_access_type() != 0;
	void *pc = __asan_get_report_pc();
	struct gs_report rep;
	uint64_t va = m->va + (addr - (uintptr_t)m->cpu);

	/* ASan's report pc is already a return address (its call into the
	 * report routine), which is what gs_symbolize expects. */
	if (!gs_report_begin(ctx, &rep, gs_asan_class(m, write), pc))
		return;
	rep.pub.is_access = true;
	rep.pub.agent = GPUOWN_AGENT_CPU;
	rep.pub.space = GPUOWN_SPACE_CPU;
	rep.pub.write = write;
	rep.pub.addr = va;
	rep.pub.size = __asan_get_report_access_size();
	fprintf(rep.f,
		"The access ASan reported above is a plain CPU %s of size %zu "
		"at cpu %p (gpu va 0x%" PRIx64 ")\n"
		" by CPU thread %d, outside the framework's accessors, while "
		"the CPU does not own the object\n",
		write ? "write" : "read", __asan_get_report_access_size(),
		(void *)addr, va, gs_gettid());
	gs_report_object(ctx, &rep, m, "The object:");
	gs_report_location(&rep, m, va);
	gs_report_stacks(&rep, m);
	gs_report_history(&rep, m);
	if (m->sh)
		gs_report_shadow(&rep, m->sh, va, "gpu va");
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

void gs_asan_poison(struct gs_meta *m, bool poison)
{
	(void)m;
	(void)poison;
}

void gs_asan_install(void)
{
}
#endif
