// SPDX-License-Identifier: MIT
/*
 * The ownership state machine: every operation from every state, legal and
 * illegal, with the error code and the violation reported; fences and
 * multi-holder firmware ownership; CPU access windows.
 */
#include "common.h"

GPUOWN_LIFECYCLE(ok, "a -> b");

enum start {
	S_CPU,
	S_FW,
	S_SHARED,
	S_DETACHED,
	S_GPU_ONLY,
	S_QUARANTINED,
	S_RELEASED,
	S_NR,
};

static const char *const start_names[] = {
	"cpu",	    "fw",	   "shared",   "shared-detached",
	"gpu-only", "quarantined", "released",
};

enum opk {
	K_FREE,
	K_PUBLISH,
	K_FW_GET,
	K_RECLAIM,
	K_SHARE,
	K_DETACH,
	K_BEGIN_W,
	K_BEGIN_R,
	K_NR,
};

static const enum gpuown_op op_of[K_NR] = {
	GPUOWN_OP_FREE,	     GPUOWN_OP_PUBLISH,	  GPUOWN_OP_FW_GET,
	GPUOWN_OP_RECLAIM,   GPUOWN_OP_SHARE,	  GPUOWN_OP_DETACH,
	GPUOWN_OP_CPU_BEGIN, GPUOWN_OP_CPU_BEGIN,
};

struct expect {
	int err;
	enum gpuown_violation v;
	enum gpuown_state to; /* checked when err == 0 */
};

/* clang-format off */
#define OK(st) { 0, GPUOWN_OK, GPUOWN_STATE_##st }
#define NO(e, v) { -e, GPUOWN_V_##v, 0 }

static const struct expect table[S_NR][K_NR] = {
	[S_CPU] = {
		OK(QUARANTINED), OK(FW), NO(EPERM, ILLEGAL_TRANSITION),
		NO(EPERM, RECLAIM_NOT_PUBLISHED), OK(SHARED),
		NO(EPERM, ILLEGAL_TRANSITION), OK(CPU), OK(CPU),
	},
	[S_FW] = {
		NO(EBUSY, FREE_WHILE_FW_OWNED), NO(EALREADY, PUBLISH_TWICE),
		OK(FW), OK(CPU), NO(EPERM, ILLEGAL_TRANSITION),
		NO(EPERM, ILLEGAL_TRANSITION), NO(EPERM, CPU_WRITE_FW_OWNED),
		NO(EPERM, CPU_READ_FW_WRITES),
	},
	[S_SHARED] = {
		NO(EBUSY, FREE_WHILE_SHARED), NO(EPERM, ILLEGAL_TRANSITION),
		OK(SHARED), NO(EBUSY, DETACH_WHILE_FW_HOLDS),
		NO(EALREADY, ILLEGAL_TRANSITION), OK(SHARED),
		NO(EPERM, CPU_ACCESS_SHARED_UNDECLARED),
		NO(EPERM, CPU_ACCESS_SHARED_UNDECLARED),
	},
	[S_DETACHED] = {
		OK(QUARANTINED), NO(EPERM, ILLEGAL_TRANSITION),
		NO(EPERM, ILLEGAL_TRANSITION), OK(CPU),
		NO(EALREADY, ILLEGAL_TRANSITION),
		NO(EALREADY, ILLEGAL_TRANSITION),
		NO(EPERM, CPU_ACCESS_SHARED_UNDECLARED),
		NO(EPERM, CPU_ACCESS_SHARED_UNDECLARED),
	},
	[S_GPU_ONLY] = {
		OK(QUARANTINED), NO(EPERM, ILLEGAL_TRANSITION),
		NO(EPERM, ILLEGAL_TRANSITION), NO(EPERM, RECLAIM_NOT_PUBLISHED),
		NO(EPERM, ILLEGAL_TRANSITION), NO(EPERM, ILLEGAL_TRANSITION),
		NO(EPERM, CPU_ACCESS_GPU_ONLY), NO(EPERM, CPU_ACCESS_GPU_ONLY),
	},
	[S_QUARANTINED] = {
		NO(EINVAL, DOUBLE_FREE), NO(EINVAL, PUBLISH_FREED),
		NO(EINVAL, USE_AFTER_FREE), NO(EINVAL, USE_AFTER_FREE),
		NO(EINVAL, USE_AFTER_FREE), NO(EINVAL, USE_AFTER_FREE),
		NO(EINVAL, USE_AFTER_FREE), NO(EINVAL, USE_AFTER_FREE),
	},
	[S_RELEASED] = {
		NO(EINVAL, DOUBLE_FREE), NO(EINVAL, PUBLISH_FREED),
		NO(EINVAL, USE_AFTER_FREE), NO(EINVAL, USE_AFTER_FREE),
		NO(EINVAL, USE_AFTER_FREE), NO(EINVAL, USE_AFTER_FREE),
		NO(EINVAL, USE_AFTER_FREE), NO(EINVAL, USE_AFTER_FREE),
	},
};
/* clang-format on */

/* An object in state @s. Objects sit in the firmware-cached window, so a
 * free leaves them quarantined (no flush yet); released ones come from an
 * uncached window, where a free with no budget releases at once. */
static struct gpuown_obj *in_state(struct gpuown_mm *mm, enum start s)
{
	enum gpuown_map_mode mode =
		s == S_RELEASED ? GPUOWN_MAP_FW_SHARED : GPUOWN_MAP_FW_PRIVATE;
	uint32_t flags = s == S_GPU_ONLY ? GPUOWN_ALLOC_NO_CPU_MAP : 0;
	struct gpuown_obj *o = mk_obj_ex(mm, mode, 256, flags, NULL);

	switch (s) {
	case S_FW:
		cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
		break;
	case S_DETACHED:
		cr_assert_eq(gpuown_obj_share(o), 0);
		cr_assert_eq(gpuown_obj_detach(o), 0);
		break;
	case S_SHARED:
		cr_assert_eq(gpuown_obj_share(o), 0);
		break;
	case S_QUARANTINED:
	case S_RELEASED:
		cr_assert_eq(gpuown_obj_free(o), 0);
		break;
	default:
		break;
	}
	return o;
}

static int run_op(struct gpuown_obj *o, enum opk k)
{
	void *cpu;

	switch (k) {
	case K_FREE:
		return gpuown_obj_free(o);
	case K_PUBLISH:
		return gpuown_obj_publish(o, NULL);
	case K_FW_GET:
		return gpuown_obj_fw_get(o, NULL);
	case K_RECLAIM:
		return gpuown_obj_reclaim(o, NULL);
	case K_SHARE:
		return gpuown_obj_share(o);
	case K_DETACH:
		return gpuown_obj_detach(o);
	case K_BEGIN_W:
		return gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, &cpu);
	case K_BEGIN_R:
		return gpuown_cpu_begin(o, GPUOWN_DIR_READ, &cpu);
	default:
		return 0;
	}
}

Test(states, every_operation_from_every_state)
{
	unsigned s, k, rows = 0;
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);

	for (s = 0; s < S_NR; s++) {
		for (k = 0; k < K_NR; k++) {
			const struct expect *x = &table[s][k];
			struct gpuown_obj *o = in_state(mm, s);
			unsigned n = c.nev;
			int r = run_op(o, k);
			const struct gpuown_event *ev;

			cr_assert_eq(r, x->err,
				     "from %s, op %u: got %d want %d",
				     start_names[s], k, r, x->err);
			cr_assert_gt(c.nev, n, "from %s, op %u: no event",
				     start_names[s], k);
			ev = &c.ev[(n) % CAP_MAX];
			cr_assert_eq(ev->op, op_of[k], "from %s, op %u: op %s",
				     start_names[s], k, gpuown_op_name(ev->op));
			cr_assert_eq(ev->err, x->err);
			cr_assert_eq(ev->violation, x->v,
				     "from %s, op %u: violation %s, want %s",
				     start_names[s], k,
				     gpuown_violation_name(ev->violation),
				     gpuown_violation_name(x->v));
			cr_assert_eq(ev->obj, o);
			if (!x->err) {
				cr_assert_eq(
					gpuown_obj_state(o), x->to,
					"from %s, op %u: state %s",
					start_names[s], k,
					gpuown_state_name(gpuown_obj_state(o)));
				cr_assert_eq(ev->to, x->to);
			}
			rows++;
		}
	}
	cr_assert_eq(rows, S_NR * K_NR);
	gpuown_mm_destroy(mm);
}

Test(states, legal_events_record_from_to_and_caller)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);

	expect_event(&c, GPUOWN_OP_ALLOC, 0, GPUOWN_OK);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	expect_event(&c, GPUOWN_OP_PUBLISH, 0, GPUOWN_OK);
	cr_assert_eq(cap_last(&c)->from, GPUOWN_STATE_CPU);
	cr_assert_eq(cap_last(&c)->to, GPUOWN_STATE_FW);
	cr_assert_eq(cap_last(&c)->holders, 1);
	cr_assert_not_null(cap_last(&c)->caller);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(cap_last(&c)->from, GPUOWN_STATE_FW);
	cr_assert_eq(cap_last(&c)->to, GPUOWN_STATE_CPU);
	cr_assert_eq(gpuown_obj_free(o), 0);
	/* Uncached window, no budget: released right after the free. */
	expect_event(&c, GPUOWN_OP_RELEASE, 0, GPUOWN_OK);
	cr_assert_eq(cap_last(&c)->to, GPUOWN_STATE_RELEASED);
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
}

static struct gpuown_obj *mk_stamp(struct gpuown_mm *mm)
{
	struct gpuown_obj *s = mk_obj_ex(mm, GPUOWN_MAP_FW_SHARED, 64,
					 GPUOWN_ALLOC_ZERO, NULL);

	cr_assert_eq(gpuown_obj_share(s), 0);
	return s;
}

Test(states, fences_and_multiple_holders)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *st = mk_stamp(mm);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	struct gpuown_fence f1 = {.stamp = st, .offset = 0, .value = 1},
			    f2 = {.stamp = st, .offset = 0, .value = 2};

	cr_assert_eq(gpuown_obj_publish(o, &f1), 0);
	cr_assert_eq(gpuown_obj_fw_get(o, &f2), 0);
	cr_assert_eq(gpuown_obj_fw_holders(o), 2);
	cr_assert_eq(cap_last(&c)->holders, 2);
	/* Neither job is done. */
	expect_refused(&c, gpuown_obj_reclaim(o, &f1), GPUOWN_OP_RECLAIM,
		       -EAGAIN, GPUOWN_V_RECLAIM_BEFORE_COMPLETION);
	/* A hold that was never taken. */
	expect_refused(&c, gpuown_obj_reclaim(o, NULL), GPUOWN_OP_RECLAIM,
		       -ENOENT, GPUOWN_V_ILLEGAL_TRANSITION);
	cr_assert_eq(gpuown_fw_store32(mm, gpuown_obj_fw_addr(st), 1), 0);
	cr_assert(gpuown_fence_reached(&f1));
	cr_assert_not(gpuown_fence_reached(&f2));
	cr_assert_eq(gpuown_obj_reclaim(o, &f1), 0);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_FW);
	cr_assert_eq(gpuown_obj_fw_holders(o), 1);
	expect_refused(&c, gpuown_obj_free(o), GPUOWN_OP_FREE, -EBUSY,
		       GPUOWN_V_FREE_WHILE_FW_OWNED);
	expect_refused(&c, gpuown_obj_reclaim(o, &f2), GPUOWN_OP_RECLAIM,
		       -EAGAIN, GPUOWN_V_RECLAIM_BEFORE_COMPLETION);
	cr_assert_eq(gpuown_fw_store32(mm, gpuown_obj_fw_addr(st), 7), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, &f2), 0);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	cr_assert_eq(gpuown_obj_fw_holders(o), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	cr_assert_eq(gpuown_obj_detach(st), 0);
	cr_assert_eq(gpuown_obj_free(st), 0);
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
}

Test(states, fence_compare_wraps_around)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *st = mk_stamp(mm);
	struct gpuown_fence f = {.stamp = st,
				 .offset = 4,
				 .value = 0xfffffff0u},
			    g = {.stamp = st, .offset = 4, .value = 3};

	cr_assert_eq(gpuown_fw_store32(mm, fa(fa_of(st) + 4), 0xfffffff1u), 0);
	cr_assert(gpuown_fence_reached(&f));
	cr_assert_not(gpuown_fence_reached(&g));
	cr_assert_eq(gpuown_fw_store32(mm, fa(fa_of(st) + 4), 4), 0);
	cr_assert(gpuown_fence_reached(&f), "4 is after 0xfffffff0");
	cr_assert(gpuown_fence_reached(&g));
	gpuown_mm_destroy(mm);
}

Test(states, bad_fence_is_an_argument_error)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *st = mk_stamp(mm);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	int junk;
	struct gpuown_fence oob = {.stamp = st, .offset = 64, .value = 1},
			    wild = {.stamp = (struct gpuown_obj *)&junk,
				    .offset = 0,
				    .value = 1};

	expect_refused(&c, gpuown_obj_publish(o, &oob), GPUOWN_OP_PUBLISH,
		       -EINVAL, GPUOWN_OK);
	expect_refused(&c, gpuown_obj_publish(o, &wild), GPUOWN_OP_PUBLISH,
		       -EINVAL, GPUOWN_OK);
	cr_assert_eq(cap_last(&c)->wild, &junk);
	cr_assert_eq(gpuown_obj_state(o), GPUOWN_STATE_CPU);
	cr_assert_not(gpuown_fence_reached(&wild));
	cr_assert_not(gpuown_fence_reached(NULL));
	gpuown_mm_destroy(mm);
}

Test(states, cpu_window_blocks_publish_share_and_free)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	void *cpu = NULL;

	cr_assert_eq(gpuown_cpu_begin(o, GPUOWN_DIR_RW, &cpu), 0);
	cr_assert_eq(cpu, gpuown_obj_cpu(o));
	expect_event(&c, GPUOWN_OP_CPU_BEGIN, 0, GPUOWN_OK);
	expect_refused(&c, gpuown_obj_publish(o, NULL), GPUOWN_OP_PUBLISH,
		       -EBUSY, GPUOWN_V_ILLEGAL_TRANSITION);
	expect_refused(&c, gpuown_obj_share(o), GPUOWN_OP_SHARE, -EBUSY,
		       GPUOWN_V_ILLEGAL_TRANSITION);
	expect_refused(&c, gpuown_obj_free(o), GPUOWN_OP_FREE, -EBUSY,
		       GPUOWN_V_ILLEGAL_TRANSITION);
	gpuown_cpu_end(o);
	expect_event(&c, GPUOWN_OP_CPU_END, 0, GPUOWN_OK);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	/* An end without a begin. */
	gpuown_cpu_end(o);
	expect_event(&c, GPUOWN_OP_CPU_END, -EINVAL,
		     GPUOWN_V_ILLEGAL_TRANSITION);
	expect_refused(&c, gpuown_cpu_begin(o, 0, &cpu), GPUOWN_OP_CPU_BEGIN,
		       -EINVAL, GPUOWN_OK);
	cr_assert_null(cpu);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_mm_destroy(mm);
}

Test(states, firmware_read_only_object_readable_while_published)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_FW_PRIVATE,
		.size = 64,
		.fw_dir = GPUOWN_DIR_READ,
	};
	struct gpuown_obj *o;
	uint32_t v = 0x1234, back = 0;
	void *cpu;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	cr_assert_eq(gpuown_obj_fw_dir(o), GPUOWN_DIR_READ);
	cr_assert_eq(gpuown_cpu_write(o, 8, &v, 4), 0);
	cr_assert_eq(gpuown_obj_publish(o, NULL), 0);
	/* The firmware never writes it: the CPU may read, not write. */
	cr_assert_eq(gpuown_cpu_begin(o, GPUOWN_DIR_READ, &cpu), 0);
	gpuown_cpu_end(o);
	cr_assert_eq(gpuown_cpu_read(o, 8, &back, 4), 0);
	cr_assert_eq(back, 0x1234);
	expect_refused(&c, gpuown_cpu_write(o, 8, &v, 4), GPUOWN_OP_CPU_ACCESS,
		       -EPERM, GPUOWN_V_CPU_WRITE_FW_OWNED);
	cr_assert_eq(gpuown_obj_reclaim(o, NULL), 0);
	cr_assert_eq(gpuown_obj_free(o), 0);
	gpuown_mm_destroy(mm);
}

Test(states, cpu_accessors_check_state_bounds_and_call_the_hook)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	uint8_t buf[16] = {1, 2, 3}, back[16];
	const struct gpuown_access *acc;

	cr_assert_eq(gpuown_cpu_write(o, 48, buf, 16), 0);
	acc = cap_last_access(&c);
	cr_assert_eq(acc->agent, GPUOWN_AGENT_CPU);
	cr_assert_eq(acc->space, GPUOWN_SPACE_CPU);
	cr_assert_eq(acc->addr, va_of(o) + 48);
	cr_assert_eq(acc->size, 16);
	cr_assert(acc->write);
	cr_assert_eq(acc->obj, o);
	cr_assert_eq(gpuown_cpu_read(o, 48, back, 16), 0);
	cr_assert_arr_eq(back, buf, 16);
	cr_assert_not(cap_last_access(&c)->write);
	expect_refused(&c, gpuown_cpu_read(o, 49, back, 16),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL, GPUOWN_V_OUT_OF_BOUNDS);
	expect_refused(&c, gpuown_cpu_write(o, (size_t)-8, buf, 16),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL, GPUOWN_V_OUT_OF_BOUNDS);
	/* The hook refuses: nothing is copied. */
	c.refuse = 1;
	memset(back, 0, sizeof(back));
	cr_assert_eq(gpuown_cpu_read(o, 48, back, 16), -EACCES);
	cr_assert_eq(back[0], 0);
	c.refuse = 0;
	cr_assert_eq(gpuown_obj_share(o), 0);
	expect_refused(&c, gpuown_cpu_read(o, 0, back, 4), GPUOWN_OP_CPU_ACCESS,
		       -EPERM, GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED);
	gpuown_mm_destroy(mm);
}

static const struct gpuown_field_desc ring_fields[] = {
	{"wptr_0", 0, 4, 1, GPUOWN_FIELD_SCALAR, GPUOWN_FIELD_SHARED_WORD,
	 NULL},
	{"rptr_4", 4, 4, 1, GPUOWN_FIELD_SCALAR,
	 GPUOWN_FIELD_SHARED_WORD | GPUOWN_FIELD_FW_WRITES, NULL},
	{"seq_8", 8, 8, 1, GPUOWN_FIELD_SCALAR, GPUOWN_FIELD_FW_WRITES, NULL},
	{"flags_10", 0x10, 4, 1, GPUOWN_FIELD_SCALAR, 0, NULL},
	{"slots_14", 0x14, 8, 2, GPUOWN_FIELD_ARRAY, GPUOWN_FIELD_SHARED_WORD,
	 NULL},
};

static const struct gpuown_struct_desc ring_desc = {
	.name = "fw_ring_state",
	.variant = "T",
	.size = 0x20,
	.footprint = 0x20,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = ring_fields,
	.nr_fields = 5,
};

Test(states, shared_accessors_only_on_declared_words)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj_ex(mm, GPUOWN_MAP_FW_SHARED, 0,
					 GPUOWN_ALLOC_ZERO, &ring_desc);
	uint32_t v = 0;
	uint64_t w = 0;

	cr_assert_eq(gpuown_obj_size(o), 0x20);
	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_shared_store32(o, 0, 5), 0);
	cr_assert(cap_last_access(&c)->atomic);
	cr_assert_eq(gpuown_fw_load32(mm, gpuown_obj_fw_addr(o), &v), 0);
	cr_assert_eq(v, 5);
	cr_assert_eq(gpuown_fw_store32(mm, fa(fa_of(o) + 4), 9), 0);
	cr_assert_eq(gpuown_shared_load32(o, 4, &v), 0);
	cr_assert_eq(v, 9);
	cr_assert_eq(gpuown_shared_store64(o, 8, 77), 0);
	cr_assert_eq(gpuown_shared_load64(o, 8, &w), 0);
	cr_assert_eq(w, 77);
	cr_assert_eq(gpuown_shared_load32(o, 0x18, &v), 0, "array element");
	/* Not a shared word; a word of the wrong width; misaligned. */
	expect_refused(&c, gpuown_shared_store32(o, 0x10, 1),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL,
		       GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED);
	expect_refused(&c, gpuown_shared_load64(o, 0, &w), GPUOWN_OP_CPU_ACCESS,
		       -EINVAL, GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED);
	expect_refused(&c, gpuown_shared_load32(o, 2, &v), GPUOWN_OP_CPU_ACCESS,
		       -EINVAL, GPUOWN_V_OUT_OF_BOUNDS);
	expect_refused(&c, gpuown_shared_load32(o, 0x20, &v),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL, GPUOWN_V_OUT_OF_BOUNDS);
	gpuown_mm_destroy(mm);
}

static const struct gpuown_field_desc log_fields[] = {
	{"head_0", 0, 4, 1, GPUOWN_FIELD_SCALAR, GPUOWN_FIELD_SHARED_WORD,
	 NULL},
	{"pad_4", 4, 4, 1, GPUOWN_FIELD_PADDING, 0, NULL},
	{"entries_8", 8, 0x30, 3, GPUOWN_FIELD_STRUCT, GPUOWN_FIELD_FW_WRITES,
	 "fw_log_entry"},
	{"spare_38", 0x38, 8, 1, GPUOWN_FIELD_STRUCT, 0, "fw_spare"},
};

static const struct gpuown_struct_desc log_desc = {
	.name = "fw_log_ring",
	.variant = "T",
	.size = 0x40,
	.footprint = 0x40,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = log_fields,
	.nr_fields = 4,
};

Test(states, shared_words_inside_firmware_written_struct_arrays)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *o = mk_obj_ex(mm, GPUOWN_MAP_FW_SHARED, 0,
					 GPUOWN_ALLOC_ZERO, &log_desc);
	uint64_t w;
	uint32_t v;

	cr_assert_eq(gpuown_obj_share(o), 0);
	cr_assert_eq(gpuown_fw_store64(mm, fa(fa_of(o) + 0x18), 9), 0);
	cr_assert_eq(gpuown_shared_load64(o, 0x18, &w), 0);
	cr_assert_eq(w, 9);
	cr_assert_eq(gpuown_shared_load32(o, 0x2c, &v), 0);
	expect_refused(&c, gpuown_shared_load32(o, 0x38, &v),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL,
		       GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED);
	expect_refused(&c, gpuown_shared_load32(o, 4, &v), GPUOWN_OP_CPU_ACCESS,
		       -EINVAL, GPUOWN_V_CPU_ACCESS_SHARED_UNDECLARED);
	gpuown_mm_destroy(mm);
}

Test(states, shared_accessors_on_raw_and_gpu_only_objects)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 0, 0);
	struct gpuown_obj *raw = mk_obj(mm, GPUOWN_MAP_FW_SHARED, 64);
	struct gpuown_obj *g = mk_obj_ex(mm, GPUOWN_MAP_GPU_SHARED, 64,
					 GPUOWN_ALLOC_NO_CPU_MAP, NULL);
	uint32_t v;

	cr_assert_null(gpuown_obj_cpu(g));
	cr_assert_eq(gpuown_shared_store32(raw, 60, 3), 0);
	cr_assert_eq(gpuown_shared_load32(raw, 60, &v), 0);
	cr_assert_eq(v, 3);
	expect_refused(&c, gpuown_shared_load32(g, 0, &v), GPUOWN_OP_CPU_ACCESS,
		       -EPERM, GPUOWN_V_CPU_ACCESS_GPU_ONLY);
	cr_assert_eq(gpuown_obj_free(raw), 0);
	expect_refused(&c, gpuown_shared_load32(raw, 0, &v),
		       GPUOWN_OP_CPU_ACCESS, -EINVAL, GPUOWN_V_USE_AFTER_FREE);
	gpuown_mm_destroy(mm);
}

Test(states, alloc_arguments_are_validated)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_alloc_args a = {.mode = GPUOWN_MAP_FW_PRIVATE};
	struct gpuown_obj *o = (void *)1;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL,
		     "size 0, no layout");
	cr_assert_null(o);
	a.size = 64;
	a.align = 48;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL, "align not 2^n");
	a.align = 0;
	a.mode = GPUOWN_MAP_NR_MODES;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL, "bad mode");
	a.mode = GPUOWN_MAP_FW_PRIVATE;
	a.flags = 1u << 7;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL, "bad flag");
	a.flags = 0;
	a.layout = &ring_desc;
	a.size = 8;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), -EINVAL,
		     "smaller than layout");
	cr_assert_eq(gpuown_obj_alloc(NULL, &a, &o), -EINVAL);
	cr_assert_eq(gpuown_obj_alloc(mm, NULL, &o), -EINVAL);
	cr_assert_eq(gpuown_obj_alloc(mm, &a, NULL), -EINVAL);
	a.size = 0;
	cr_assert_eq(gpuown_obj_alloc(mm, &a, &o), 0);
	cr_assert_str_eq(gpuown_obj_name(o), "fw_ring_state");
	cr_assert_eq(gpuown_obj_layout(o), &ring_desc);
	cr_assert_eq(gpuown_mm_destroy(mm), 1, "one object leaked");
}

Test(states, names)
{
	cr_assert_str_eq(gpuown_state_name(GPUOWN_STATE_FW), "firmware-owned");
	cr_assert_str_eq(gpuown_state_name(99), "unknown-state");
	cr_assert_str_eq(gpuown_violation_name(GPUOWN_V_DANGLING_AT_FREE),
			 "dangling-gpu-pointer");
	cr_assert_str_eq(gpuown_violation_name(GPUOWN_V_NR),
			 "unknown-violation");
	cr_assert_str_eq(gpuown_op_name(GPUOWN_OP_RECLAIM), "reclaim");
	cr_assert_str_eq(gpuown_op_name(GPUOWN_OP_NR), "unknown-op");
}

Test(states, object_ids_are_unique_and_san_data_is_kept)
{
	struct gpuown_mm *mm = mk_mm(NULL, 0, 0);
	struct gpuown_obj *a = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 16);
	struct gpuown_obj *b = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 16);
	int tag;

	cr_assert_neq(gpuown_obj_id(a), gpuown_obj_id(b));
	gpuown_obj_set_san_data(a, &tag);
	cr_assert_eq(gpuown_obj_san_data(a), &tag);
	cr_assert_null(gpuown_obj_san_data(b));
	cr_assert_eq(gpuown_obj_mm(a), mm);
	cr_assert_eq(gpuown_obj_vm(a), gpuown_mm_fw_vm(mm));
	cr_assert_eq(gpuown_obj_mode(b), GPUOWN_MAP_FW_PRIVATE);
	cr_assert_eq(gpuown_mm_live_objects(mm), 2);
	cr_assert_eq(gpuown_mm_destroy(mm), 2);
}

/* Hooks that call back into the API, as gpusan does: no internal lock may be
 * held when they run (a held lock would deadlock here). */
struct reenter {
	struct gpuown_mm *mm;
	unsigned events, ranges, accesses, found;
};

static void re_event(void *ctx, const struct gpuown_event *ev)
{
	struct reenter *r = ctx;

	r->events++;
	if (ev->obj) {
		(void)gpuown_obj_state(ev->obj);
		(void)gpuown_obj_for_each_referrer(ev->obj, NULL, NULL);
		r->found += gpuown_obj_lookup_va(r->mm, NULL,
						 gpuown_obj_gpu_va(ev->obj)) ==
			    ev->obj;
	}
}

static void re_range(void *ctx, const struct gpuown_range *rg)
{
	struct reenter *r = ctx;

	r->ranges++;
	(void)gpuown_obj_lookup_va(r->mm, rg->vm, ga(rg->va));
	(void)gpuown_mm_live_objects(r->mm);
}

static int re_access(void *ctx, const struct gpuown_access *acc)
{
	struct reenter *r = ctx;

	r->accesses++;
	(void)gpuown_obj_lookup_va(r->mm, acc->vm, ga(acc->va));
	return 0;
}

Test(states, hooks_may_call_back_into_the_api, .timeout = 30)
{
	struct reenter r = {0};
	struct gpuown_hooks h = {
		.ctx = &r,
		.on_event = re_event,
		.on_range = re_range,
		.on_access = re_access,
	};
	struct gpuown_mm *mm = mk_mm(NULL, 16, 0);
	struct gpuown_obj *a, *b;
	struct gpuown_vm *vm;
	uint32_t v = 1;
	void *cpu;

	r.mm = mm;
	gpuown_mm_set_hooks(mm, &h);
	cr_assert_eq(gpuown_mm_hooks(mm), &h);
	a = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 64);
	b = mk_obj_ex(mm, GPUOWN_MAP_GPU_SHARED, GPUOWN_GPU_PAGE_SIZE, 0, NULL);
	cr_assert_eq(gpuown_store_gpu_ptr(a, 0, b), 0);
	cr_assert_eq(gpuown_cpu_begin(a, GPUOWN_DIR_WRITE, &cpu), 0);
	gpuown_cpu_end(a);
	cr_assert_eq(gpuown_cpu_write(a, 8, &v, 4), 0);
	cr_assert_eq(gpuown_obj_publish(b, NULL), 0);
	cr_assert_eq(gpuown_obj_publish(a, NULL), 0);
	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(a), &v, 4), 0);
	cr_assert_eq(gpuown_obj_reclaim(a, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(b, NULL), 0);
	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_obj_free(a), 0);
	cr_assert_eq(gpuown_obj_free(b), 0);
	gpuown_mm_fw_cache_flushed(mm);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_gt(r.events, 10);
	cr_assert_gt(r.ranges, 3);
	cr_assert_gt(r.accesses, 2);
	cr_assert_gt(r.found, 5);
	gpuown_mm_set_hooks(mm, NULL);
	cr_assert_null(gpuown_mm_hooks(mm));
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
}

/* The negative twin of every refusal above: a correct driver flow through
 * every operation reports no violation and no error. */
Test(states, a_correct_flow_reports_nothing)
{
	struct cap c;
	struct gpuown_mm *mm = mk_mm(&c, 64, 0);
	struct gpuown_obj *st = mk_stamp(mm);
	struct gpuown_obj *job = mk_obj(mm, GPUOWN_MAP_FW_PRIVATE, 128);
	struct gpuown_alloc_args a = {
		.mode = GPUOWN_MAP_GPU_SHARED,
		.size = GPUOWN_GPU_PAGE_SIZE,
		.align = GPUOWN_GPU_PAGE_SIZE,
	};
	struct gpuown_obj *buf, *g = mk_obj_ex(mm, GPUOWN_MAP_GPU_SHARED, 256,
					       GPUOWN_ALLOC_NO_CPU_MAP, NULL);
	struct gpuown_fence f = {.stamp = st, .offset = 0, .value = 1};
	struct gpuown_vm *vm;
	struct gpuown_lc lc;
	uint32_t v = 3;
	void *cpu;
	unsigned i;

	cr_assert_eq(gpuown_obj_alloc(mm, &a, &buf), 0);
	cr_assert_eq(gpuown_cpu_begin(job, GPUOWN_DIR_RW, &cpu), 0);
	gpuown_cpu_end(job);
	cr_assert_eq(gpuown_cpu_write(job, 16, &v, 4), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(job, 0, buf), 0);
	cr_assert_eq(gpuown_store_gpu_ptr(job, 8, g), 0);
	cr_assert_eq(gpuown_obj_publish(buf, &f), 0);
	cr_assert_eq(gpuown_obj_publish(job, &f), 0);
	cr_assert_eq(gpuown_obj_fw_get(job, NULL), 0);
	cr_assert_eq(gpuown_fw_read(mm, gpuown_obj_fw_addr(job), &v, 4), 0);
	cr_assert_eq(gpuown_vm_create(mm, "ctx", &vm), 0);
	cr_assert_eq(gpuown_vm_bind(vm, ga(1ull << 32), buf, 0,
				    GPUOWN_GPU_PAGE_SIZE, 0),
		     0);
	cr_assert_eq(gpuown_gpu_write(vm, ga(1ull << 32), &v, 4), 0);
	cr_assert_eq(gpuown_fw_store32(mm, gpuown_obj_fw_addr(st), 1), 0);
	cr_assert_eq(gpuown_obj_reclaim(job, NULL), 0);
	cr_assert_eq(gpuown_obj_reclaim(job, &f), 0);
	cr_assert_eq(gpuown_obj_reclaim(buf, &f), 0);
	cr_assert_eq(gpuown_vm_unbind(vm, ga(1ull << 32), GPUOWN_GPU_PAGE_SIZE),
		     0);
	gpuown_vm_tlb_invalidated(vm);
	cr_assert_eq(gpuown_vm_destroy(vm), 0);
	cr_assert_eq(gpuown_clear_ptr(job, 0), 0);
	cr_assert_eq(gpuown_obj_free(job), 0);
	cr_assert_eq(gpuown_obj_free(buf), 0);
	cr_assert_eq(gpuown_obj_free(g), 0);
	cr_assert_eq(gpuown_lc_init(&lc, &gpuown_lifecycle_ok, mm, NULL), 0);
	cr_assert_eq(gpuown_lc_transition(&lc, "b"), 0);
	cr_assert_eq(gpuown_lc_require(&lc, "b"), 0);
	cr_assert_eq(gpuown_obj_detach(st), 0);
	cr_assert_eq(gpuown_obj_free(st), 0);
	gpuown_mm_fw_cache_flushed(mm);
	cr_assert_lt(c.nev, CAP_MAX, "every event kept");
	for (i = 0; i < c.nev; i++)
		cr_assert(c.ev[i].err == 0 && c.ev[i].violation == GPUOWN_OK,
			  "event %u (%s): err %d, %s", i,
			  gpuown_op_name(c.ev[i].op), c.ev[i].err,
			  gpuown_violation_name(c.ev[i].violation));
	cr_assert_gt(c.nev, 20);
	cr_assert_eq(gpuown_mm_live_objects(mm), 0);
	cr_assert_eq(gpuown_mm_destroy(mm), 0);
}
