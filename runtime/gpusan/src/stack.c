// SPDX-License-Identifier: MIT
/* Stack capture with backtrace(), symbolization with libdw's dwfl. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <execinfo.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gpuown/san.h>
#include <gpuown/simhost.h>

#include "stack.h"

/* The dwfl session is used only under the report lock of gpusan.c. */
static Dwfl *gs_dwfl;
static bool gs_dwfl_failed;
static bool gs_symbolize_on = true;

static const Dwfl_Callbacks gs_dwfl_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

int gs_gettid(void)
{
	static __thread int tid;

	if (!tid)
		tid = (int)syscall(SYS_gettid);
	return tid;
}

/* This thread's stack, for validating frame pointers. */
static __thread uintptr_t gs_stack_lo, gs_stack_hi;

static void gs_stack_bounds(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	gs_stack_hi = 1; /* tried: a failure leaves an empty range */
	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		gs_stack_lo = (uintptr_t)addr;
		gs_stack_hi = (uintptr_t)addr + size;
	}
	pthread_attr_destroy(&attr);
}

/*
 * Walk the frame-pointer chain (as ASan's fast unwinder does): each frame
 * must lie on this thread's stack, above the previous one, aligned. Returns
 * the return addresses found; a frame without a frame pointer ends or skips.
 */
__attribute__((no_sanitize("address", "thread"), noinline)) static unsigned
gs_fp_walk(void **buf, unsigned max)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0), next;
	unsigned n = 0;
	void *pc;

	if (!gs_stack_hi)
		gs_stack_bounds();
	while (n < max) {
		if (fp < gs_stack_lo || fp + 16 > gs_stack_hi || (fp & 7))
			break;
		next = ((const uintptr_t *)fp)[0];
		pc = ((void *const *)fp)[1];
		if (!pc)
			break;
		buf[n++] = pc;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

static int gs_find(void *const *buf, int n, const void *pc)
{
	int i;

	for (i = 0; pc && i < n; i++)
		if (buf[i] == pc)
			return i;
	return -1;
}

void gs_stack_capture(struct gs_stack *st, unsigned depth, void *caller)
{
	void *buf[GS_STACK_MAX + 16];
	int n, i, start;

	st->tid = gs_gettid();
	st->n = 0;
	if (depth > st->cap)
		depth = st->cap;
	if (depth > GS_STACK_MAX)
		depth = GS_STACK_MAX;
	if (!depth)
		return;
	/*
	 * Frame pointers first: an order of magnitude cheaper than the DWARF
	 * unwinder. Trusted only when the chain reaches @caller (the frames the
	 * event came through are intact); otherwise backtrace() unwinds.
	 */
	n = (int)gs_fp_walk(buf, depth + 16);
	i = gs_find(buf, n, caller);
	if (i < 0) {
		n = backtrace(buf, (int)depth + 16);
		i = gs_find(buf, n, caller);
	}
	/* buf[i - 1] is inside the entry point that @caller called. */
	if (i >= 0)
		start = i > 0 ? i - 1 : i;
	else
		start = n > 2 ? 2 : 0; /* drop capture + hook frames */
	for (i = start; i < n && st->n < depth; i++)
		st->pcs[st->n++] = buf[i];
}

void gs_symbolize_enable(bool on)
{
	gs_symbolize_on = on;
}

static Dwfl *gs_dwfl_get(bool refresh)
{
	if (refresh && gs_dwfl) {
		dwfl_end(gs_dwfl);
		gs_dwfl = NULL;
		gs_dwfl_failed = false;
	}
	if (gs_dwfl || gs_dwfl_failed)
		return gs_dwfl;
	gs_dwfl = dwfl_begin(&gs_dwfl_callbacks);
	if (!gs_dwfl)
		goto fail;
	if (dwfl_linux_proc_report(gs_dwfl, getpid()) != 0 ||
	    dwfl_report_end(gs_dwfl, NULL, NULL) != 0) {
		dwfl_end(gs_dwfl);
		gs_dwfl = NULL;
		goto fail;
	}
	return gs_dwfl;
fail:
	gs_dwfl_failed = true;
	return NULL;
}

void gs_symbolize_fini(void)
{
	if (gs_dwfl)
		dwfl_end(gs_dwfl);
	gs_dwfl = NULL;
	gs_dwfl_failed = false;
}

static Dwfl_Module *gs_module(Dwarf_Addr pc)
{
	Dwfl *d = gs_dwfl_get(false);
	Dwfl_Module *m = d ? dwfl_addrmodule(d, pc) : NULL;

	/* A library loaded after the session started: re-read the maps once. */
	if (!m && d) {
		d = gs_dwfl_get(true);
		m = d ? dwfl_addrmodule(d, pc) : NULL;
	}
	return m;
}

static const char *gs_basename_tail(const char *path)
{
	/* Keep the last two components: "src/object.c", readable and unique
	 * enough. */
	const char *p = path + strlen(path), *slash = NULL;
	int seen = 0;

	while (p > path) {
		p--;
		if (*p == '/' && ++seen == 2) {
			slash = p + 1;
			break;
		}
	}
	return slash ? slash : path;
}

static const char *gs_symbolize_fallback(void *ret_addr, char *loc,
					 size_t loc_len)
{
	Dl_info info;

	if (dladdr(ret_addr, &info) && info.dli_fname) {
		snprintf(loc, loc_len, "(%s+0x%" PRIxPTR ")",
			 gs_basename_tail(info.dli_fname),
			 (uintptr_t)ret_addr - (uintptr_t)info.dli_fbase);
		if (info.dli_sname)
			return info.dli_sname;
	} else {
		snprintf(loc, loc_len, "(unknown)");
	}
	return "??";
}

/*
 * File and line of @pc. dwfl_module_getsrc() needs .debug_aranges, which
 * clang does not emit by default; fall back to walking the CUs.
 */
static const char *gs_src(Dwfl_Module *m, Dwarf_Addr pc, int *lineno)
{
	Dwfl_Line *line = dwfl_module_getsrc(m, pc);
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;
	Dwarf_Line *dl;

	if (line)
		return dwfl_lineinfo(line, NULL, lineno, NULL, NULL, NULL);
	while ((cu = dwfl_module_nextcu(m, cu, &bias))) {
		if (dwarf_haspc(cu, pc - bias) <= 0)
			continue;
		dl = dwarf_getsrc_die(cu, pc - bias);
		if (!dl || dwarf_lineno(dl, lineno))
			return NULL;
		return dwarf_linesrc(dl, NULL, NULL);
	}
	return NULL;
}

const char *gs_symbolize(void *ret_addr, char *loc, size_t loc_len)
{
	/* A return address points after the call: look up the call itself. */
	Dwarf_Addr pc = (Dwarf_Addr)(uintptr_t)ret_addr - 1;
	Dwfl_Module *m;
	const char *name, *file;
	int lineno = 0;

	loc[0] = '\0';
	if (!ret_addr)
		return "??";
	if (!gs_symbolize_on)
		return gs_symbolize_fallback(ret_addr, loc, loc_len);
	m = gs_module(pc);
	if (!m)
		return gs_symbolize_fallback(ret_addr, loc, loc_len);
	name = dwfl_module_addrname(m, pc);
	file = gs_src(m, pc, &lineno);
	if (file)
		snprintf(loc, loc_len, "%s:%d", gs_basename_tail(file), lineno);
	else
		gs_symbolize_fallback(ret_addr, loc, loc_len);
	return name ? name : "??";
}

void gs_stack_print(FILE *f, const struct gs_stack *st)
{
	char loc[256];
	unsigned i;

	if (!st->n) {
		fprintf(f, "  (no stack: stack_depth=0)\n");
		return;
	}
	for (i = 0; i < st->n; i++) {
		const char *fn = gs_symbolize(st->pcs[i], loc, sizeof(loc));

		fprintf(f, "  #%u %p in %s %s\n", i, st->pcs[i], fn, loc);
	}
}

/* ------------------------------------------------------------------------
 * The depot: every distinct stack saved once, never freed (handles stay
 * valid for the process, like the kernel's stack_depot). Lookups are
 * lock-free; inserts take the lock.
 */
#define GS_DEPOT_BUCKETS 4096

struct gs_depot_ent {
	struct gs_depot_ent *next;
	uint64_t hash;
	unsigned n;
	void *pcs[];
};

static struct gs_depot_ent *gs_depot[GS_DEPOT_BUCKETS];
static pthread_mutex_t gs_depot_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t gs_stack_hash(void *const *pcs, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned i;

	for (i = 0; i < n; i++) {
		h ^= (uint64_t)(uintptr_t)pcs[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

static struct gs_depot_ent *gs_depot_find(struct gs_depot_ent *e, uint64_t hash,
					  void *const *pcs, unsigned n)
{
	for (; e; e = e->next) {
		if (e->hash == hash && e->n == n &&
		    !memcmp(e->pcs, pcs, n * sizeof(*pcs)))
			return e;
	}
	return NULL;
}

static gpuown_stack_t gs_stack_save(void *caller, unsigned depth)
{
	void *pcs[GS_STACK_MAX];
	struct gs_stack st = {.cap = GS_STACK_MAX, .pcs = pcs};
	struct gs_depot_ent **b, *e;
	uint64_t hash;

	gs_stack_capture(&st, depth, caller);
	if (!st.n)
		return 0;
	hash = gs_stack_hash(pcs, st.n);
	b = &gs_depot[hash % GS_DEPOT_BUCKETS];
	e = gs_depot_find(__atomic_load_n(b, __ATOMIC_ACQUIRE), hash, pcs,
			  st.n);
	if (e)
		return (gpuown_stack_t)(uintptr_t)e;
	pthread_mutex_lock(&gs_depot_lock);
	e = gs_depot_find(*b, hash, pcs, st.n);
	if (!e) {
		e = malloc(sizeof(*e) + st.n * sizeof(void *));
		if (e) {
			e->hash = hash;
			e->n = st.n;
			memcpy(e->pcs, pcs, st.n * sizeof(void *));
			e->next = *b;
			__atomic_store_n(b, e, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&gs_depot_lock);
	return (gpuown_stack_t)(uintptr_t)e;
}

static void gs_stack_print_saved(struct gpuown_report_sink *sink,
				 gpuown_stack_t h)
{
	struct gs_depot_ent *e = (struct gs_depot_ent *)(uintptr_t)h;
	struct gs_stack st = {0};

	if (e) {
		st.n = st.cap = e->n;
		st.pcs = e->pcs;
	}
	/* The simulator's report sinks are stdio streams. */
	gs_stack_print((FILE *)sink, &st);
}

static unsigned gs_stack_frames(gpuown_stack_t h, void **pcs, unsigned max)
{
	struct gs_depot_ent *e = (struct gs_depot_ent *)(uintptr_t)h;
	unsigned n;

	if (!e)
		return 0;
	n = e->n < max ? e->n : max;
	memcpy(pcs, e->pcs, n * sizeof(*pcs));
	return n;
}

static const struct gpuown_sim_stacks gs_sim_stacks = {
	.save = gs_stack_save,
	.print = gs_stack_print_saved,
	.symbolize = gs_symbolize,
	.frames = gs_stack_frames,
};

void gs_stack_install(void)
{
	gpuown_sim_set_stacks(&gs_sim_stacks);
}
