/* SPDX-License-Identifier: MIT */
/*
 * Test helpers: a hook set that captures every event, range and access, and
 * assertions on the last event (operation, error, violation).
 */
#ifndef GPUOWN_TEST_RUNTIME_COMMON_H
#define GPUOWN_TEST_RUNTIME_COMMON_H

#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <gpuown/hooks.h>
#include <gpuown/lifecycle.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define CAP_MAX 512

struct cap {
	pthread_mutex_t lock;
	struct gpuown_event ev[CAP_MAX];
	struct gpuown_ptr_edge edge[CAP_MAX];
	unsigned nev;
	struct gpuown_range rg[CAP_MAX];
	unsigned nrg;
	struct gpuown_access acc[CAP_MAX];
	unsigned nacc;
	int refuse; /* on_access returns this when non-zero */
	struct gpuown_hooks hooks;
};

static void cap_event(void *ctx, const struct gpuown_event *ev)
{
	struct cap *c = ctx;
	unsigned i;

	pthread_mutex_lock(&c->lock);
	i = c->nev % CAP_MAX;
	c->ev[i] = *ev;
	if (ev->edge) {
		c->edge[i] = *ev->edge;
		c->ev[i].edge = &c->edge[i];
	}
	c->nev++;
	pthread_mutex_unlock(&c->lock);
}

static int cap_access(void *ctx, const struct gpuown_access *acc)
{
	struct cap *c = ctx;

	pthread_mutex_lock(&c->lock);
	c->acc[c->nacc % CAP_MAX] = *acc;
	c->nacc++;
	pthread_mutex_unlock(&c->lock);
	return c->refuse;
}

static void cap_range(void *ctx, const struct gpuown_range *r)
{
	struct cap *c = ctx;

	pthread_mutex_lock(&c->lock);
	c->rg[c->nrg % CAP_MAX] = *r;
	c->nrg++;
	pthread_mutex_unlock(&c->lock);
}

static inline void cap_init(struct cap *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->hooks.ctx = c;
	c->hooks.on_event = cap_event;
	c->hooks.on_access = cap_access;
	c->hooks.on_range = cap_range;
}

static inline const struct gpuown_event *cap_last(struct cap *c)
{
	cr_assert_gt(c->nev, 0, "no event was reported");
	return &c->ev[(c->nev - 1) % CAP_MAX];
}

static inline const struct gpuown_range *cap_last_range(struct cap *c)
{
	cr_assert_gt(c->nrg, 0, "no range was reported");
	return &c->rg[(c->nrg - 1) % CAP_MAX];
}

static inline const struct gpuown_access *cap_last_access(struct cap *c)
{
	cr_assert_gt(c->nacc, 0, "no access was reported");
	return &c->acc[(c->nacc - 1) % CAP_MAX];
}

/* Count captured events of @op with violation @v. */
static inline unsigned cap_count(struct cap *c, enum gpuown_op op,
				 enum gpuown_violation v)
{
	unsigned i, n = 0, first = c->nev > CAP_MAX ? c->nev - CAP_MAX : 0;

	for (i = first; i < c->nev; i++) {
		const struct gpuown_event *ev = &c->ev[i % CAP_MAX];

		n += ev->op == op && ev->violation == v;
	}
	return n;
}

/* The last event is @op, refused with @err and classified as @v. */
#define expect_event(c, op_, err_, v_)                                         \
	do {                                                                   \
		const struct gpuown_event *_e = cap_last(c);                   \
		cr_assert_eq(_e->op, (op_), "op: got %s, want %s",             \
			     gpuown_op_name(_e->op), gpuown_op_name(op_));     \
		cr_assert_eq(_e->err, (err_), "err: got %d, want %d", _e->err, \
			     (err_));                                          \
		cr_assert_eq(_e->violation, (v_),                              \
			     "violation: got %s, want %s",                     \
			     gpuown_violation_name(_e->violation),             \
			     gpuown_violation_name(v_));                       \
	} while (0)

/* Call must return @err_, and the last event must say so with @v_. */
#define expect_refused(c, call, op_, err_, v_)                                 \
	do {                                                                   \
		unsigned _n = (c)->nev;                                        \
		int _r = (call);                                               \
		cr_assert_eq(_r, (err_), #call ": got %d, want %d", _r,        \
			     (err_));                                          \
		cr_assert_gt((c)->nev, _n, #call ": no event reported");       \
		expect_event(c, op_, err_, v_);                                \
	} while (0)

static inline struct gpuown_mm *mk_mm(struct cap *c, uint32_t redzone,
				      uint64_t budget)
{
	struct gpuown_mm_config cfg = {
		.backing_bytes = 8u << 20,
		.redzone = redzone,
		.quarantine_budget = budget,
	};
	struct gpuown_mm *mm = NULL;

	cr_assert_eq(gpuown_mm_create(&cfg, &mm), 0);
	if (c) {
		cap_init(c);
		gpuown_mm_set_hooks(mm, &c->hooks);
	}
	return mm;
}

static inline struct gpuown_obj *mk_obj_ex(struct gpuown_mm *mm,
					   enum gpuown_map_mode mode,
					   size_t size, uint32_t flags,
					   const struct gpuown_struct_desc *l)
{
	struct gpuown_alloc_args a = {
		.mode = mode,
		.size = size,
		.flags = flags,
		.layout = l,
	};
	struct gpuown_obj *o = NULL;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	cr_assert_not_null(o);
	return o;
}

static inline struct gpuown_obj *mk_obj(struct gpuown_mm *mm,
					enum gpuown_map_mode mode, size_t size)
{
	return mk_obj_ex(mm, mode, size, 0, NULL);
}

static inline uint64_t va_of(const struct gpuown_obj *o)
{
	return gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(o));
}

static inline uint64_t fa_of(const struct gpuown_obj *o)
{
	return gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(o));
}

static inline fw_addr_t fa(uint64_t v)
{
	return gpuown_fw_addr_from_u64(v);
}

static inline gpu_addr_t ga(uint64_t v)
{
	return gpuown_gpu_addr_from_u64(v);
}

#endif /* GPUOWN_TEST_RUNTIME_COMMON_H */
