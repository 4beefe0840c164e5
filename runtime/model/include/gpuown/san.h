/* SPDX-License-Identifier: MIT */
/*
 * The part of gpusan every host shares (runtime/model/src/san_*.c), the way
 * mm/kasan/ splits generic code from its reports:
 *
 *   - per-object metadata: history ring, saved stacks, the shadow painted
 *     from the object's state (san_meta.c);
 *   - classification of a bad access from its shadow byte and the object's
 *     layout (san_classify.c, like report_generic.c);
 *   - report composition: one report-info struct per report kind, turned
 *     into text through the host's ->report_vprintf and ->stack_print
 *     (san_report.c).
 *
 * A host keeps its contexts, finds metadata (the object's san_data slot,
 * then a graveyard of released objects), checks accesses against the shadow
 * on its fast path, and prints: begins a report (a sink, the report lock),
 * calls the composer, ends it (emits, callbacks, halt / panic_on_warn).
 */
#ifndef GPUOWN_SAN_H
#define GPUOWN_SAN_H

#include <gpuown/compat.h>
#include <gpuown/gpusan.h>
#include <gpuown/hooks.h>
#include <gpuown/host.h>
#include <gpuown/layout.h>
#include <gpuown/shadow.h>

#define GS_STACK_MAX 64

/* One ownership transition (or refused operation) of an object. */
struct gs_hist {
	uint64_t seq;
	void *caller;
	gpuown_stack_t st; /* its stack (0: none), to skip wrapper frames */
	int tid;
	int err;
	unsigned holders;
	uint8_t op, from, to, violation;
};

/* A saved stack and the thread it was taken on. */
struct gs_stack_ref {
	gpuown_stack_t st;
	int tid;
};

/* What gpusan knows about one object; survives the object for a while. */
struct gs_meta {
	struct gs_meta *next, *prev; /* the host's live list */
	struct gpuown_obj *obj;	     /* NULL once released */
	const void *old_obj;	     /* the handle, kept after release */
	uint64_t id;
	char name[48];
	const struct gpuown_struct_desc *layout;
	struct gpuown_vm *vm; /* NULL: the firmware VM */
	char vm_name[32];
	uint32_t vm_id;
	struct gs_shadow *sh;
	uint64_t va, size, footprint;
	uint32_t redzone;
	uint64_t fw_addr;
	char *cpu;
	uint32_t fw_dir;
	enum gpuown_state state;
	unsigned holders;
	bool mapped; /* the OBJECT range was seen */
	bool released;
	bool poisoned; /* CPU view poisoned (host ->cpu_poison) */
	/*
	 * The body state (enum gs_state) gs_meta_paint() last painted, plus
	 * one; 0 repaints everything, redzones included. A host that paints
	 * the object's range itself (a new range) sets it to 0.
	 */
	uint8_t painted;
	/*
	 * A non-coherent object whose device-reachable body the host wants
	 * painted GS_NONCOH (its slow path then checks the syncs).
	 */
	bool noncoh;
	bool has_free, has_last;
	uint8_t free_op; /* the op that freed it: free, or the last put */
	struct gs_stack_ref alloc_st, free_st, last_st;
	void *alloc_caller; /* return address of the allocating entry point */
	uint8_t last_op;
	struct gs_hist *hist;
	unsigned hist_cap;
	uint64_t nhist; /* transitions recorded (the ring keeps the last few) */
};

/* ------------------------------------------------------------------------
 * Metadata (san_meta.c)
 */

/* New metadata for live @obj with a history ring of @history entries. */
struct gs_meta *gs_meta_create(struct gpuown_obj *obj, unsigned history);

/*
 * Copy the string @src into @dst of @size bytes, cut to fit and always
 * terminated (what snprintf("%s") does, at a fraction of its cost on the
 * allocation path).
 */
static inline void gs_copy_name(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	while (n + 1 < size && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}
void gs_meta_destroy(struct gs_meta *m);
/*
 * Record @ev (a transition or a refusal) as number @seq, saving stacks of
 * @depth frames for successful transitions.
 */
void gs_meta_record(struct gs_meta *m, const struct gpuown_event *ev,
		    uint64_t seq, unsigned depth);
/* Re-read the object's state and holders (after a successful event). */
void gs_meta_refresh(struct gs_meta *m);
/*
 * Paint the object's shadow from its state (body, footprint, redzones) and,
 * when @poison_cpu, poison or unpoison its CPU view to match. Only what
 * changed since the last paint is painted (m->painted): redzones once, the
 * body when its state changes.
 */
void gs_meta_paint(struct gs_meta *m, bool poison_cpu);
/* The state the object's body is in (what gs_meta_paint paints, before
 * GS_NONCOH replaces it). */
enum gs_state gs_meta_body_state(const struct gs_meta *m);
/* Poison / unpoison the CPU view through the host (no-op without one). */
void gs_meta_poison(struct gs_meta *m, bool poison);
/* Mark released: the object pointer is dropped, the handle kept. */
void gs_meta_bury(struct gs_meta *m);

/* ------------------------------------------------------------------------
 * Classification (san_classify.c)
 */

/* Shadow states an agent may always touch, by [agent][write][atomic]. */
extern const uint32_t gs_fast[3][2][2];
/*
 * Field-level direction rules for a granule state the fast table leaves
 * open: the state to admit, or GS_NR_STATES when it is a bug.
 */
enum gs_state gs_refine(const struct gpuown_access *acc,
			const struct gs_meta *m, enum gs_state st, uint64_t va);
/* The bug class of an access whose first bad byte @bad_va has shadow @bad. */
enum gpusan_class gs_classify(const struct gpuown_access *acc,
			      const struct gs_meta *m, uint8_t bad,
			      uint64_t bad_va);

/*
 * The class of a plain CPU access the sanitizer (ASan, KASAN) trapped on a
 * poisoned object: freed, firmware-owned, or another non-CPU state.
 */
enum gpusan_class gs_classify_cpu_trap(const struct gs_meta *m, bool write);

/* ------------------------------------------------------------------------
 * Reports (san_report.c)
 */

/* A report being written: the callback's view, and where the text goes. */
struct gs_report {
	struct gpusan_report pub;
	struct gpuown_report_sink *sink;
	unsigned stack_depth;
	gpuown_stack_t caller_st; /* a saved stack holding the caller, or 0 */
	char fn[128];
	char loc[256];
};

/* What kind of address a wrong-kind address really is (gs_addr_kind). */
enum gs_addr_kind {
	GS_ADDR_NONE,
	GS_ADDR_GPU_VA, /* a GPU VA of the object's VM */
	GS_ADDR_FW,	/* a firmware address */
	GS_ADDR_CPU,	/* a CPU pointer into the object's CPU view */
};

/*
 * Does @addr lie inside @m in an address space other than @space (and, for
 * GPU VAs, @vm, the VM the access went through)? The kind it is, or
 * GS_ADDR_NONE.
 */
enum gs_addr_kind gs_addr_kind(const struct gs_meta *m, uint64_t addr,
			       enum gpuown_space space,
			       const struct gpuown_vm *vm);

/* A bad firmware / GPU / checked CPU access. */
struct gs_access_info {
	const struct gpuown_access *acc;
	const struct gs_shadow *sh; /* NULL: the address does not translate */
	uint64_t va;		    /* translated address of the access */
	uint64_t bad_va;	    /* first bad byte */
	uint8_t bad;		    /* its shadow byte */
	struct gs_meta *m;	    /* the object hit or nearest, or NULL */
	/* A wrong-kind address: the object it belongs to, and as what. */
	struct gs_meta *owner;
	enum gs_addr_kind owner_kind;
	/* One more line on what was wrong (a coherency note), or NULL. */
	const char *note;
	/* @m is reached through a binding: its own VA is not the address's. */
	bool via_binding;
};

#define GS_MAX_REFERRERS 8

/* An edge to print with the metadata of both ends (NULL when unknown). */
struct gs_edge_info {
	struct gpuown_ptr_edge e;
	struct gs_meta *c, *t;
};

/* A refused operation (a violation the object model reported). */
struct gs_event_info {
	const struct gpuown_event *ev;
	struct gs_meta *m;	  /* the object, or NULL */
	struct gs_edge_info edge; /* valid when ev->edge */
	struct gs_meta *other;	  /* the other end of ev->edge, or NULL */
	struct gs_edge_info refs[GS_MAX_REFERRERS]; /* more live referrers */
	unsigned nrefs, more_refs;
	/* Sampled mode: ev->obj is a valid object gpusan does not track. */
	bool untracked;
};

/* Short class name used in "BUG: GPUSAN: <class> in <function>". */
const char *gpusan_class_name(enum gpusan_class cls);
/* Append formatted text to @rep. */
void gs_printf(struct gs_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Fill the report's common fields and write its first line (after the
 * host's separator): "BUG: GPUSAN: <class> in <function> <location>", or
 * "BUG: GPUSAN: <class>" without a @caller (the sanitizer's report above
 * names the function).
 */
void gs_compose_begin(struct gs_report *rep, enum gpusan_class cls,
		      void *caller);
void gs_compose_access(struct gs_report *rep, const struct gs_access_info *in);
void gs_compose_event(struct gs_report *rep, const struct gs_event_info *in);
/*
 * A plain CPU access of @size bytes at @cpu (gpu va @va) that the sanitizer
 * trapped: gpusan's explanation of the object and its ownership. @size 0:
 * the host does not know the access's size and direction (KASAN's report
 * hook passes only the address); the sanitizer's own report gives them.
 */
void gs_compose_cpu_trap(struct gs_report *rep, struct gs_meta *m,
			 const void *cpu, uint64_t va, bool write, size_t size);
/* A report of API misuse with no object: @what, then the call trace. */
void gs_compose_misuse(struct gs_report *rep, const char *what, void *caller);
/*
 * An object never freed when gpusan is detached (or its memory system
 * destroyed) by @caller: the BUG line names the allocation (first frame
 * outside wrappers), then the object, its stacks and history.
 */
void gs_compose_leak(struct gs_report *rep, struct gs_meta *m, void *caller);

/* ------------------------------------------------------------------------
 * Ownership graph (san_report.c): Graphviz DOT of the objects around the
 * one a report is about, gathered by the host.
 */
#define GS_GRAPH_MAX_EDGES 32

struct gs_graph {
	struct gs_meta *center; /* the object the report is about */
	struct gs_edge_info e[GS_GRAPH_MAX_EDGES];
	unsigned n, more; /* edges kept, edges dropped */
};

/*
 * Write @g as a DOT digraph through @rep's sink: one node per object (name,
 * id, variant, state, holders, fill by state), one edge per pointer (field,
 * fw addr or gpu va, weak dashed), the center drawn bold and the report's
 * class as the graph label.
 */
void gs_compose_dot(struct gs_report *rep, const struct gs_graph *g);

/* ------------------------------------------------------------------------
 * Wrapper frames (san_report.c), like KASAN skipping its own frames: the
 * first frame a report shows (the BUG line, the history, a leak's
 * allocation) is the first one outside the wrapper functions and files
 * registered here. Patterns: a function name ("drv_obj_alloc"), a prefix
 * ("drv_bo_*"), or a source file ("drv_bo.c", matched against the end of
 * the frame's path). Register before reports are composed.
 */
#define GS_WRAP_MAX 32
#define GS_WRAP_LEN 64
/* 0, -EINVAL (empty or too long) or -ENOSPC. */
int gs_wrap_add(const char *pattern);
void gs_wrap_clear(void);
unsigned gs_wrap_count(void);
/* Does the frame of function @fn at @loc ("dir/file.c:line") match? */
bool gs_wrap_match(const char *fn, const char *loc);
/*
 * @caller, or when it is inside a wrapper, the first frame of @st after it
 * that is not (@st: a saved stack holding @caller; 0 saves one now).
 */
void *gs_skip_wrappers(void *caller, gpuown_stack_t st);

/* Field description "name (u32, offset 0x40)" of @off in @layout, or NULL. */
const char *gs_field_desc(const struct gpuown_struct_desc *layout, uint64_t off,
			  char *buf, size_t len,
			  const struct gpuown_field_desc **out);

#endif /* GPUOWN_SAN_H */
