/* SPDX-License-Identifier: MIT */
/*
 * gpusan: KASAN-style runtime shadow tracker of GPU and firmware address
 * spaces.
 *
 * Attach it to a memory system in a debug build; from then on every firmware,
 * GPU and checked CPU access and every ownership transition is checked against
 * a shadow of the address spaces, and each violation produces a report.
 * Options come from the GPUSAN_OPTIONS environment variable (docs/gpusan.md).
 */
#ifndef GPUOWN_GPUSAN_H
#define GPUOWN_GPUSAN_H

/* Kernel-safe: the portable core composes gpusan reports too. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include <gpuown/hooks.h>
#include <gpuown/mm.h>

/* Attach gpusan to @mm (before any object is allocated). 0 or -errno. */
int gpusan_attach(struct gpuown_mm *mm);
/* Detach before gpuown_mm_destroy(). */
void gpusan_detach(struct gpuown_mm *mm);
/* Reports produced since start (all memory systems). */
unsigned gpusan_report_count(void);

/*
 * Bug classes, one row each in <gpuown/violations.def>. The first
 * GPUOWN_V_NR values are the object model's own violation classes (hooks.h),
 * so a refusal converts by a cast; the rest (GPUSAN_VIOLATION rows) are found
 * only by gpusan's shadow checks.
 *
 * gpusan_shadow_index numbers the shadow-only classes among themselves.
 */
enum gpusan_shadow_index {
#define GPUSAN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	GPUSAN_SHADOW_INDEX_##id,
#include <gpuown/violations.def>
	GPUSAN_SHADOW_NR,
};

enum gpusan_class {
	GPUSAN_NONE = GPUOWN_OK,
#define GPUOWN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	GPUSAN_##id = GPUOWN_V_##id,
#include <gpuown/violations.def>
#define GPUSAN_VIOLATION(id, name, errno_, short_help, full_help, anchor, sev) \
	GPUSAN_##id = GPUOWN_V_NR + GPUSAN_SHADOW_INDEX_##id,
#include <gpuown/violations.def>
	GPUSAN_CLASS_NR = GPUOWN_V_NR + GPUSAN_SHADOW_NR,
};

/* Short class name used in "BUG: GPUSAN: <class> in <function>". */
const char *gpusan_class_name(enum gpusan_class cls);

/* Options; GPUSAN_OPTIONS="name=value:name=value" (',' also separates). */
struct gpusan_options {
	bool halt_on_error; /* abort() after the first report (default 0) */
	bool multi_shot; /* report every bug, not only the first (default 0) */
	bool refuse_bad_access; /* make a bad access fail with -EACCES (default
				   1) */
	bool poison_cpu;	/* ASan-poison CPU views the CPU must not touch
				   (default 1) */
	bool symbolize;		/* libdw file:line in stacks (default 1) */
	bool print; /* write reports to stderr / report_file (default 1) */
	bool quarantine_set;	    /* quarantine_budget was given */
	uint64_t quarantine_budget; /* bytes; suffixes K, M, G */
	unsigned history; /* transitions kept per object, 1..256 (default 16) */
	unsigned stack_depth; /* frames per stack, 0..64 (default 16) */
	unsigned redzone; /* min. redzone around objects, 0..65536 (default 64)
			   */
	char report_file[256]; /* append reports here instead of stderr */
	/*
	 * Functions or files whose frames reports skip ("a|b|c", see
	 * gpusan_add_wrapper()); added to the process-wide list at attach.
	 */
	char wrappers[512];
	bool detect_leaks; /* report each object still alive at detach (1) */
	char dot_dir[256]; /* write each report's ownership graph here (DOT) */
	/*
	 * Sampled mode (like KFENCE): track 1 object in @sample, chosen at
	 * allocation from @sample_seed; 0 or 1 tracks every object. Untracked
	 * objects get no shadow, metadata or stacks, and an access to them
	 * costs one shadow lookup.
	 */
	unsigned sample;
	unsigned long long sample_seed;
	bool sample_seed_set;
	/*
	 * Fault injection (<gpuown/fault.h>): make the fail_nth-th, or a
	 * seeded random 1-in-fail_one_in, call of fail_op fail, at most
	 * fail_times times, only under fail_site when given. Each injected
	 * failure prints a notice with its stack.
	 */
	int fail_op; /* an enum gpuown_fault_op, or -1 (default: none) */
	unsigned long long fail_nth;
	unsigned fail_one_in;
	unsigned long long fail_seed;
	unsigned fail_times;
	char fail_site[64];
};

/*
 * Wrapper layers, like KASAN skipping its own frames: the first frame a
 * report shows (the BUG line, the ownership history, a leak's allocation)
 * is the first outside every registered wrapper. @pattern is a function
 * name ("drv_obj_alloc"), a prefix ending in '*' ("drv_bo_*"), or a source
 * file, recognised by its dot ("drv_bo.c", the end of the frame's path).
 * Process-wide; register before the reports that should use it. Up to 32
 * patterns of up to 63 bytes: 0, -EINVAL or -ENOSPC.
 */
int gpusan_add_wrapper(const char *pattern);
/* Forget every registered wrapper. */
void gpusan_clear_wrappers(void);

/* Fill @opts with the defaults. */
void gpusan_options_default(struct gpusan_options *opts);

/*
 * Parse @str ("a=1:b=2") on top of @opts. Returns 0, or -EINVAL with a message
 * naming the bad option in @err (if non-NULL) and @opts partly updated.
 */
int gpusan_options_parse(const char *str, struct gpusan_options *opts,
			 char *err, size_t err_len);

/*
 * Attach with explicit options (GPUSAN_OPTIONS is not read). gpusan_attach()
 * is this with the defaults and GPUSAN_OPTIONS, and returns -EINVAL (after a
 * message on stderr) when the variable is malformed.
 */
int gpusan_attach_opts(struct gpuown_mm *mm, const struct gpusan_options *opts);

/* What one report is about, for the test callback. */
struct gpusan_report {
	enum gpusan_class cls;
	const char *class_name;
	bool is_access;		 /* an access check (else an operation) */
	enum gpuown_op op;	 /* the operation, when !is_access */
	enum gpuown_agent agent; /* the access, when is_access */
	enum gpuown_space space;
	bool write;
	uint64_t addr; /* in @space; for operations, the object's GPU VA or bad
			  handle */
	uint64_t size;
	uint64_t obj_id;      /* 0 when no object is known */
	const char *obj_name; /* NULL when no object is known */
	const char *field;    /* field hit / pointer field concerned, or NULL */
	void *caller;	      /* return address of the public entry point */
	const char *function; /* caller's function, symbolized */
	const char *location; /* caller's "dir/file.c:line", or module+offset */
	const char *text;     /* the whole report */
};

typedef void (*gpusan_report_fn)(const struct gpusan_report *r, void *ctx);

/*
 * Call @fn for every report (even with print=0), under the report lock, after
 * the report is written. NULL removes it.
 */
void gpusan_set_report_callback(gpusan_report_fn fn, void *ctx);

/*
 * Prepare a memory-system config for gpusan before gpuown_mm_create(): the
 * redzone and quarantine budget from GPUSAN_OPTIONS (redzone at least
 * GPUSAN_MIN_REDZONE by default). gpusan_attach() applies both too, through
 * gpuown_mm_min_redzone() / gpuown_mm_set_quarantine_budget(); this is for
 * code that wants them from the start. In sampled mode (sample=N) the
 * redzone is left alone: gpusan gives it to the tracked objects only.
 * Malformed options are left for gpusan_attach() to report.
 */
#define GPUSAN_MIN_REDZONE 64u
void gpusan_mm_config(struct gpuown_mm_config *cfg);

/*
 * Does gpusan track @obj (metadata, shadow, stacks)? Always for a live
 * object of an attached memory system, unless sampling left it out.
 */
bool gpusan_obj_tracked(const struct gpuown_obj *obj);

/* Shadow bytes resident in memory for @mm (all its address spaces). */
uint64_t gpusan_shadow_bytes(struct gpuown_mm *mm);

/*
 * The shadow byte of @va in @vm (NULL: the firmware VM) of @mm, for tests and
 * tools: high nibble the granule state, low nibble the partial count. 0 when
 * unmapped or gpusan is not attached.
 */
uint8_t gpusan_shadow_byte(struct gpuown_mm *mm, struct gpuown_vm *vm,
			   uint64_t va);

#endif /* GPUOWN_GPUSAN_H */
