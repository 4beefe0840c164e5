/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the gpusan suites: a memory system with gpusan attached,
 * every report captured, and a stray report failing the test.
 */
#ifndef GPUSAN_TEST_FIXTURE_H
#define GPUSAN_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <gpuown/gpusan.h>
#include <gpuown/layout.h>
#include <gpuown/lifecycle.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define FX_MAX_REPORTS 16

struct fx_report {
	enum gpusan_class cls;
	bool is_access, write;
	enum gpuown_op op;
	enum gpuown_agent agent;
	uint64_t addr, size, obj_id;
	char obj[48], field[48], fn[128], loc[256];
	char *text;
};

extern struct gpuown_mm *fx_mm;
extern struct fx_report fx_reports[FX_MAX_REPORTS];
extern unsigned fx_nreports, fx_nseen;
extern int fx_line; /* line of the last FX_AT() */

/* Test layouts (a firmware job, a result block, a ring state, ...). */
extern const struct gpuown_struct_desc fx_job, fx_buf, fx_result, fx_ring,
	fx_fp, fx_stamps;

void fx_setup(void);
void fx_setup_opts(const struct gpusan_options *opts);
/* The same on a memory system created from @cfg. */
void fx_setup_cfg(const struct gpuown_mm_config *cfg,
		  const struct gpusan_options *opts);
void fx_teardown(void);

/*
 * A test whose body is followed by the stray-report check, inside the test:
 * Criterion does not count assertions made in a .fini.
 */
#define FX_TEST(suite, name, ...)                                              \
	static void fx_body_##suite##_##name(void);                            \
	Test(suite, name, ##__VA_ARGS__)                                       \
	{                                                                      \
		fx_body_##suite##_##name();                                    \
		fx_expect_none();                                              \
	}                                                                      \
	static void fx_body_##suite##_##name(void)

/* Record the line of an operation expected to be reported: FX_AT(op(...)). */
#define FX_AT(expr) (fx_line = __LINE__, (expr))

struct gpuown_obj *fx_alloc(const struct gpuown_struct_desc *l,
			    enum gpuown_map_mode mode, size_t size);
struct gpuown_obj *fx_alloc_vm(struct gpuown_vm *vm, size_t size,
			       uint32_t flags);
uint64_t fx_va(struct gpuown_obj *o);
fw_addr_t fx_fa(struct gpuown_obj *o, uint64_t off);

/*
 * Consume the next report and check its class, that it came from the line
 * of the last FX_AT(), and the object it names (NULL: none expected).
 */
const struct fx_report *fx_expect(enum gpusan_class cls, const char *obj);
/* No report since the last fx_expect(). */
void fx_expect_none(void);

#endif /* GPUSAN_TEST_FIXTURE_H */
