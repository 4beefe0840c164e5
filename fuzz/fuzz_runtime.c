// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: random sequences of runtime API calls under gpusan.
 *
 * The input is a program: each step is an opcode byte and its argument bytes
 * (memory systems created and destroyed, objects allocated, freed,
 * published, reclaimed, shared, detached, CPU accesses, firmware and GPU
 * accesses through VMs, binds, pointer stores, wild and stale handles). Up to
 * two memory systems live at once, each with gpusan attached (multi_shot, no
 * printing), so every report reaches the report callback.
 *
 * Invariants, checked after every call (abort() names the step otherwise):
 * - no crash and no ASan / UBSan error;
 * - a refusal (a negative return) comes with exactly one gpusan report, and
 *   a call that succeeds with none, apart from the argument errors
 *   docs/object-model.md lists as unreported (bind / unbind alignment,
 *   range and overlap, a bad fence, a bad allocation request or memory
 *   exhausted, a VM still in use);
 * - a misuse that returns nothing (cpu_end without begin, detach after
 *   destroy, destroy twice) is one report.
 * FUZZ_RUNTIME_TRACE=1 prints each step to stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpuown/gpusan.h>
#include <gpuown/hooks.h>
#include <gpuown/layout.h>
#include <gpuown/mm.h>
#include <gpuown/object.h>

#define NMM 2	 /* live memory systems at once */
#define NOBJ 16	 /* object handles (live, freed or stale) */
#define NVM 6	 /* VM handles (live or destroyed) */
#define NSTALE 4 /* destroyed memory systems remembered */
#define MAX_STEPS 512
#define MAX_VMS 64 /* VM creations per input: a destroyed VM stays readable */
#define WILD_BYTES 4096

/* ------------------------------------------------------------------------
 * Two firmware structs: a job descriptor with a strong GPU pointer to a
 * buffer, a firmware pointer and a firmware-written result; a shared ring
 * with one declared shared word.
 */
#define F(n, o, s, c, k, fl, t)                                                \
	{                                                                      \
		.name = n, .offset = o, .size = s, .count = c,                 \
		.kind = GPUOWN_FIELD_##k, .flags = fl, .target = t             \
	}

static const struct gpuown_field_desc job_fields[] = {
	F("flags", 0x0, 4, 1, SCALAR, 0, NULL),
	F("status", 0x4, 4, 1, SCALAR, GPUOWN_FIELD_FW_WRITES, NULL),
	F("buf", 0x8, 8, 1, GPU_PTR, 0, "fz_buf"),
	F("ring", 0x10, 8, 1, FW_PTR, GPUOWN_FIELD_WEAK, "fz_ring"),
	F("any", 0x18, 8, 1, GPU_PTR, 0, NULL),
};
static const struct gpuown_struct_desc fz_job = {
	.name = "fz_job",
	.variant = "V1",
	.size = 0x20,
	.footprint = 0x20,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = job_fields,
	.nr_fields = 5,
};

static const struct gpuown_field_desc buf_fields[] = {
	F("data", 0x0, 0x40, 0x40, ARRAY, 0, NULL),
};
static const struct gpuown_struct_desc fz_buf = {
	.name = "fz_buf",
	.variant = "V1",
	.size = 0x40,
	.footprint = 0x40,
	.cls = GPUOWN_CLASS_FW,
	.fw_dir = GPUOWN_DIR_READ,
	.fields = buf_fields,
	.nr_fields = 1,
};

static const struct gpuown_field_desc ring_fields[] = {
	F("wptr", 0x0, 4, 1, SCALAR, 0, NULL),
	F("rptr", 0x4, 4, 1, SCALAR,
	  GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD, NULL),
	F("seq", 0x8, 8, 1, SCALAR,
	  GPUOWN_FIELD_FW_WRITES | GPUOWN_FIELD_SHARED_WORD, NULL),
};
static const struct gpuown_struct_desc fz_ring = {
	.name = "fz_ring",
	.variant = "V1",
	.size = 0x10,
	.footprint = 0x10,
	.cls = GPUOWN_CLASS_SHARED,
	.fw_dir = GPUOWN_DIR_RW,
	.fields = ring_fields,
	.nr_fields = 3,
};

static const struct gpuown_struct_desc *const layouts[] = {
	NULL,
	&fz_job,
	&fz_buf,
	&fz_ring,
};

/* ------------------------------------------------------------------------
 * The program's state
 */
struct fz_obj {
	struct gpuown_obj *h; /* NULL: empty slot */
	int mm;		      /* index in mms[], -1 once its mm is gone */
	bool window;	      /* a cpu_begin without its cpu_end */
};

struct fz_vm {
	struct gpuown_vm *h; /* NULL: empty slot */
	int mm;		     /* -1 once destroyed (a stale pointer) */
	bool fw;	     /* the firmware VM (not destroyable) */
};

static struct gpuown_mm *mms[NMM];
static struct gpuown_mm *stale_mms[NSTALE];
static struct fz_obj objs[NOBJ];
static struct fz_vm vms[NVM];
static unsigned nvm_created;
static unsigned nreports;
static enum gpusan_class last_cls;
static unsigned char wild[WILD_BYTES] __attribute__((aligned(64)));
static bool trace;

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct fz_in *in)
{
	uint8_t v;

	if (!in->n)
		return 0;
	v = *in->p++;
	in->n--;
	return v;
}

static uint32_t u32(struct fz_in *in)
{
	uint32_t v = u8(in);

	v |= (uint32_t)u8(in) << 8;
	v |= (uint32_t)u8(in) << 16;
	return v | (uint32_t)u8(in) << 24;
}

static void on_report(const struct gpusan_report *r, void *ctx)
{
	(void)ctx;
	nreports++;
	last_cls = r->cls;
}

static void say(const char *fmt, ...)
{
	va_list ap;

	if (!trace)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static bool any_attached(void)
{
	unsigned i;

	for (i = 0; i < NMM; i++)
		if (mms[i])
			return true;
	return false;
}

/*
 * The invariant. @ret the call's result (0 for a void call), @misuse a void
 * call that is a misuse, @argerr_ok a refusal that may be an unreported
 * argument error.
 */
static void expect(const char *what, unsigned before, int ret, bool misuse,
		   bool argerr_ok)
{
	unsigned got = nreports - before;
	bool ok;

	say("  %s -> %d, %u report(s)\n", what, ret, got);
	/* With no gpusan attached anywhere, nothing can report. */
	if (!any_attached() && !got)
		return;
	if (ret < 0)
		ok = got == 1 || (argerr_ok && got == 0);
	else
		ok = got == (misuse ? 1u : 0u);
	if (ok)
		return;
	fprintf(stderr,
		"fuzz_runtime: %s returned %d with %u gpusan report(s)%s%s "
		"(last class %s)\n",
		what, ret, got, misuse ? ", a misuse" : "",
		argerr_ok ? ", argument error allowed" : "",
		got ? gpusan_class_name(last_cls) : "-");
	abort();
}

/* ------------------------------------------------------------------------
 * Picking handles: live ones mostly, stale and wild ones sometimes.
 */
static struct gpuown_obj *pick_obj(struct fz_in *in, int *slot)
{
	uint8_t b = u8(in);

	*slot = -1;
	if (b >= 0xf8)
		return (struct gpuown_obj *)(wild + (b & 7) * 64); /* wild */
	if (b >= 0xf0)
		return NULL;
	*slot = b % NOBJ;
	return objs[*slot].h;
}

static struct gpuown_vm *pick_vm(struct fz_in *in, int *slot)
{
	uint8_t b = u8(in);

	*slot = -1;
	if (b >= 0xf8)
		return (struct gpuown_vm *)(wild + 512 + (b & 7) * 128);
	*slot = b % NVM;
	return vms[*slot].h;
}

static int pick_mm(struct fz_in *in)
{
	return u8(in) % NMM;
}

/* A GPU VA near an object, in a window, or anywhere. */
static uint64_t pick_va(struct fz_in *in)
{
	uint8_t b = u8(in);
	int s = b % NOBJ;
	uint32_t off = u32(in);

	if (b < 0xc0 && objs[s].h && objs[s].mm >= 0)
		return gpuown_gpu_addr_to_u64(gpuown_obj_gpu_va(objs[s].h)) +
		       (int32_t)(off % 0x8000) - 0x4000;
	return ((uint64_t)off << 14) ^ u8(in);
}

/* A firmware address near an object, or anywhere. */
static uint64_t pick_fw(struct fz_in *in)
{
	uint8_t b = u8(in);
	int s = b % NOBJ;
	uint32_t off = u32(in);

	if (b < 0xc0 && objs[s].h && objs[s].mm >= 0)
		return gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(objs[s].h)) +
		       (int32_t)(off % 0x200) - 0x100;
	return ((uint64_t)off << 12) ^ u8(in);
}

static int free_obj_slot(void)
{
	int i;

	for (i = 0; i < NOBJ; i++)
		if (!objs[i].h)
			return i;
	return -1;
}

/* ------------------------------------------------------------------------
 * Memory systems
 */
static void op_mm_create(struct fz_in *in)
{
	/* One declaration per read: the input is decoded in a fixed order. */
	size_t backing = (size_t)(1 + u8(in) % 4) << 20;
	uint64_t budget = (uint64_t)(u8(in) % 4) << 14;
	struct gpuown_mm_config cfg = {
		.backing_bytes = backing,
		.redzone = 64,
		.quarantine_budget = budget,
	};
	struct gpusan_options o;
	int i = pick_mm(in), j;

	if (mms[i])
		return;
	if (gpuown_mm_create(&cfg, &mms[i])) {
		fprintf(stderr, "fuzz_runtime: gpuown_mm_create failed\n");
		abort();
	}
	/* A new memory system at a destroyed one's address is not stale. */
	for (j = 0; j < NSTALE; j++)
		if (stale_mms[j] == mms[i])
			stale_mms[j] = NULL;
	gpusan_options_default(&o);
	o.multi_shot = true;
	o.print = false;
	o.symbolize = false;
	o.stack_depth = 4;
	o.history = 4;
	/* Sequences end with live objects: only refusals are counted here. */
	o.detect_leaks = false;
	if (gpusan_attach_opts(mms[i], &o)) {
		fprintf(stderr, "fuzz_runtime: gpusan_attach_opts failed\n");
		abort();
	}
	for (j = 0; j < NVM; j++) {
		if (!vms[j].h) {
			vms[j] = (struct fz_vm){gpuown_mm_fw_vm(mms[i]), i,
						true};
			break;
		}
	}
	say("mm_create %d\n", i);
}

/* Forget the handles of memory system @i: they are stale now. */
static void forget_mm(int i)
{
	int j;

	for (j = 0; j < NOBJ; j++)
		if (objs[j].h && objs[j].mm == i)
			objs[j].mm = -1;
	for (j = 0; j < NVM; j++) {
		if (vms[j].h && vms[j].mm == i) {
			vms[j].mm = -1;
			/* A destroyed memory system's firmware VM is gone. */
			if (vms[j].fw)
				vms[j].h = NULL;
		}
	}
	for (j = 0; j < NSTALE; j++) {
		if (!stale_mms[j]) {
			stale_mms[j] = mms[i];
			break;
		}
	}
	mms[i] = NULL;
}

static void op_mm_destroy(struct fz_in *in)
{
	int i = pick_mm(in);
	uint8_t how = u8(in) % 4;
	struct gpuown_mm *mm = mms[i];
	unsigned before;

	if (how == 3) {
		/* A destroyed one again: reported to the others. */
		mm = stale_mms[u8(in) % NSTALE];
		if (!mm || gpuown_mm_alive(mm))
			return;
		say("mm_destroy stale %p\n", (void *)mm);
		before = nreports;
		gpuown_mm_destroy(mm);
		expect("gpuown_mm_destroy(destroyed)", before, 0,
		       any_attached(), false);
		return;
	}
	if (!mm)
		return;
	say("mm_destroy %d (%s)\n", i,
	    how == 0 ? "detach first" : "destroy, then detach");
	before = nreports;
	if (how == 0) {
		gpusan_detach(mm);
		gpuown_mm_destroy(mm);
		forget_mm(i);
		expect("detach + gpuown_mm_destroy", before, 0, false, false);
		return;
	}
	gpuown_mm_destroy(mm);
	expect("gpuown_mm_destroy", before, 0, false, false);
	forget_mm(i);
	before = nreports;
	gpusan_detach(mm);
	expect("gpusan_detach(destroyed)", before, 0, true, false);
}

static void op_alloc(struct fz_in *in)
{
	struct gpuown_alloc_args a = {0};
	int i = pick_mm(in), s = free_obj_slot(), vs, ret;
	uint8_t b = u8(in), stale = u8(in);
	struct gpuown_mm *mm = mms[i];
	struct gpuown_vm *vm;
	struct gpuown_obj *o = NULL;
	unsigned before;

	a.mode = b % GPUOWN_MAP_NR_MODES;
	a.layout = layouts[(b >> 3) % 4];
	a.flags = (b >> 5) & 3;
	a.size = (b & 0x80) ? GPUOWN_GPU_PAGE_SIZE * (1 + u8(in) % 3)
			    : u8(in) % 0x90;
	a.align = (b & 0x80) ? GPUOWN_GPU_PAGE_SIZE : 0;
	vm = pick_vm(in, &vs);
	if (vs < 0 || (vs >= 0 && !vms[vs].fw))
		a.vm = vm;
	if (stale >= 0xf0)
		mm = stale_mms[stale % NSTALE];
	if (s < 0 || !mm)
		return;
	say("alloc mm %d mode %d layout %s size %zu flags %u vm %p\n", i,
	    a.mode, a.layout ? a.layout->name : "raw", a.size, a.flags,
	    (void *)a.vm);
	before = nreports;
	ret = gpuown_obj_alloc(mm, &a, &o);
	/* Bad requests and exhaustion are unreported; so is a destroyed mm. */
	expect("gpuown_obj_alloc", before, ret, false, true);
	if (ret)
		return;
	objs[s] = (struct fz_obj){o, i, false};
}

/* ------------------------------------------------------------------------
 * Objects
 */
static void op_transition(struct fz_in *in)
{
	uint8_t which = u8(in) % 6;
	int s, fs;
	struct gpuown_obj *o = pick_obj(in, &s), *stamp;
	struct gpuown_fence f;
	const struct gpuown_fence *fp = NULL;
	unsigned before;
	int ret = 0;

	stamp = pick_obj(in, &fs);
	if (u8(in) & 1) {
		f.stamp = stamp;
		f.offset = (u8(in) % 6) * 4;
		f.value = u32(in) % 4;
		fp = &f;
	}
	say("transition %d on slot %d (%p) fence %p\n", which, s, (void *)o,
	    (void *)(fp ? stamp : NULL));
	before = nreports;
	switch (which) {
	case 0:
		ret = gpuown_obj_free(o);
		expect("gpuown_obj_free", before, ret, false, false);
		break;
	case 1:
		ret = gpuown_obj_publish(o, fp);
		expect("gpuown_obj_publish", before, ret, false, fp != NULL);
		break;
	case 2:
		ret = gpuown_obj_fw_get(o, fp);
		expect("gpuown_obj_fw_get", before, ret, false, fp != NULL);
		break;
	case 3:
		ret = gpuown_obj_reclaim(o, fp);
		expect("gpuown_obj_reclaim", before, ret, false, fp != NULL);
		break;
	case 4:
		ret = gpuown_obj_share(o);
		expect("gpuown_obj_share", before, ret, false, false);
		break;
	case 5:
		ret = gpuown_obj_detach(o);
		expect("gpuown_obj_detach", before, ret, false, false);
		break;
	}
}

static void op_cpu(struct fz_in *in)
{
	uint8_t which = u8(in) % 8;
	int s;
	struct gpuown_obj *o = pick_obj(in, &s);
	size_t off = u8(in) % 0x50, len = 1 + u8(in) % 0x40;
	uint8_t buf[0x40];
	uint32_t v32 = u32(in);
	uint64_t v64 = v32;
	void *cpu = NULL;
	unsigned before;
	int ret = 0;

	memset(buf, 0xa5, sizeof(buf));
	say("cpu %d on slot %d (%p) off %zu len %zu\n", which, s, (void *)o,
	    off, len);
	before = nreports;
	switch (which) {
	case 0:
		ret = gpuown_cpu_begin(o, 1 + v32 % 3, &cpu);
		expect("gpuown_cpu_begin", before, ret, false, false);
		if (!ret && s >= 0)
			objs[s].window = true;
		break;
	case 1: {
		/* A window of a destroyed memory system is a stale handle. */
		bool open = s >= 0 && o && objs[s].window && objs[s].mm >= 0;

		gpuown_cpu_end(o);
		expect("gpuown_cpu_end", before, 0, !open, false);
		if (open)
			objs[s].window = false;
		break;
	}
	case 2:
		ret = gpuown_cpu_read(o, off, buf, len);
		expect("gpuown_cpu_read", before, ret, false, false);
		break;
	case 3:
		ret = gpuown_cpu_write(o, off, buf, len);
		expect("gpuown_cpu_write", before, ret, false, false);
		break;
	case 4:
		ret = gpuown_shared_load32(o, off, &v32);
		expect("gpuown_shared_load32", before, ret, false, false);
		break;
	case 5:
		ret = gpuown_shared_store32(o, off, v32);
		expect("gpuown_shared_store32", before, ret, false, false);
		break;
	case 6:
		ret = gpuown_shared_load64(o, off, &v64);
		expect("gpuown_shared_load64", before, ret, false, false);
		break;
	case 7:
		ret = gpuown_shared_store64(o, off, v64);
		expect("gpuown_shared_store64", before, ret, false, false);
		break;
	}
}

static void op_ptr(struct fz_in *in)
{
	uint8_t which = u8(in) % 3;
	int cs, ts;
	struct gpuown_obj *c = pick_obj(in, &cs), *t = pick_obj(in, &ts);
	size_t off = (u8(in) % 0x12) * 4;
	unsigned before;
	int ret;

	say("ptr %d container slot %d target slot %d off %zu\n", which, cs, ts,
	    off);
	before = nreports;
	if (which == 0) {
		ret = gpuown_store_gpu_ptr(c, off, t);
		expect("gpuown_store_gpu_ptr", before, ret, false, false);
	} else if (which == 1) {
		ret = gpuown_store_fw_ptr(c, off, t);
		expect("gpuown_store_fw_ptr", before, ret, false, false);
	} else {
		ret = gpuown_clear_ptr(c, off);
		expect("gpuown_clear_ptr", before, ret, false, false);
	}
}

/* ------------------------------------------------------------------------
 * VMs, binding and accesses
 */
static void op_vm(struct fz_in *in)
{
	uint8_t which = u8(in) % 5;
	int vs, os, i, ret;
	struct gpuown_vm *vm = pick_vm(in, &vs);
	struct gpuown_obj *o = pick_obj(in, &os);
	uint64_t va = (uint64_t)(u8(in) % 64) << GPUOWN_GPU_PAGE_SHIFT;
	uint64_t off = (uint64_t)(u8(in) % 2) << GPUOWN_GPU_PAGE_SHIFT;
	uint64_t size = (uint64_t)(u8(in) % 3) << GPUOWN_GPU_PAGE_SHIFT;
	uint32_t flags = u8(in) & 1;
	unsigned before;
	bool handles_ok;

	if (u8(in) & 1) /* unaligned now and then */
		va |= 0x100;
	before = nreports;
	switch (which) {
	case 0: {
		struct gpuown_vm *nv = NULL;

		i = pick_mm(in);
		for (vs = 0; vs < NVM && vms[vs].h; vs++)
			;
		if (!mms[i] || vs == NVM || nvm_created >= MAX_VMS)
			return;
		say("vm_create mm %d\n", i);
		ret = gpuown_vm_create(mms[i], "fz", &nv);
		expect("gpuown_vm_create", before, ret, false, true);
		if (!ret) {
			vms[vs] = (struct fz_vm){nv, i, false};
			nvm_created++;
		}
		break;
	}
	case 1:
		if (vs >= 0 && vms[vs].fw && vms[vs].mm >= 0)
			return; /* -EINVAL by contract, unreported */
		say("vm_destroy slot %d (%p)\n", vs, (void *)vm);
		ret = gpuown_vm_destroy(vm);
		/* -EBUSY (bindings or objects remain) is unreported. */
		expect("gpuown_vm_destroy", before, ret, false,
		       ret == -EBUSY || !vm);
		if (!ret && vs >= 0)
			vms[vs].mm = -1;
		break;
	case 2:
		say("vm_bind slot %d obj slot %d va %#llx off %#llx size "
		    "%#llx\n",
		    vs, os, (unsigned long long)va, (unsigned long long)off,
		    (unsigned long long)size);
		ret = gpuown_vm_bind(vm, gpuown_gpu_addr_from_u64(va), o, off,
				     size, flags);
		/*
		 * With valid handles of one memory system a refusal is an
		 * argument error; otherwise it is reported.
		 */
		handles_ok = vs >= 0 && vm && vms[vs].mm >= 0 && os >= 0 && o &&
			     objs[os].mm == vms[vs].mm &&
			     gpuown_obj_state(o) != GPUOWN_STATE_QUARANTINED &&
			     gpuown_obj_state(o) != GPUOWN_STATE_RELEASED;
		expect("gpuown_vm_bind", before, ret, false,
		       handles_ok || !vm || !o);
		break;
	case 3:
		say("vm_unbind slot %d va %#llx size %#llx\n", vs,
		    (unsigned long long)va, (unsigned long long)size);
		ret = gpuown_vm_unbind(vm, gpuown_gpu_addr_from_u64(va), size);
		handles_ok = vs >= 0 && vm && vms[vs].mm >= 0;
		expect("gpuown_vm_unbind", before, ret, false,
		       handles_ok || !vm);
		break;
	case 4:
		if (vs < 0 || !vm || vms[vs].mm < 0)
			return; /* void, and documented for live VMs only */
		say("vm_tlb_invalidated slot %d\n", vs);
		gpuown_vm_tlb_invalidated(vm);
		expect("gpuown_vm_tlb_invalidated", before, 0, false, false);
		break;
	}
}

static void op_access(struct fz_in *in)
{
	uint8_t which = u8(in) % 8;
	int i = pick_mm(in), vs;
	struct gpuown_vm *vm = pick_vm(in, &vs);
	uint64_t fa = pick_fw(in), va = pick_va(in);
	size_t len = 1 + u8(in) % 0x60;
	uint8_t buf[0x60];
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	unsigned before;
	int ret;

	memset(buf, 0x3c, sizeof(buf));
	before = nreports;
	if (which >= 6) {
		/* A stale VM is reported; an empty slot is NULL: -EINVAL. */
		say("gpu %s vm slot %d (%p) va %#llx len %zu\n",
		    which == 6 ? "read" : "write", vs, (void *)vm,
		    (unsigned long long)va, len);
		if (which == 6)
			ret = gpuown_gpu_read(vm, gpuown_gpu_addr_from_u64(va),
					      buf, len);
		else
			ret = gpuown_gpu_write(vm, gpuown_gpu_addr_from_u64(va),
					       buf, len);
		expect(which == 6 ? "gpuown_gpu_read" : "gpuown_gpu_write",
		       before, ret, false, !vm);
		return;
	}
	if (!mms[i])
		return;
	say("fw %d mm %d addr %#llx len %zu\n", which, i,
	    (unsigned long long)fa, len);
	switch (which) {
	case 0:
		ret = gpuown_fw_read(mms[i], gpuown_fw_addr_from_u64(fa), buf,
				     len);
		break;
	case 1:
		ret = gpuown_fw_write(mms[i], gpuown_fw_addr_from_u64(fa), buf,
				      len);
		break;
	case 2:
		ret = gpuown_fw_load32(mms[i], gpuown_fw_addr_from_u64(fa),
				       &v32);
		break;
	case 3:
		ret = gpuown_fw_store32(mms[i], gpuown_fw_addr_from_u64(fa),
					v32);
		break;
	case 4:
		ret = gpuown_fw_load64(mms[i], gpuown_fw_addr_from_u64(fa),
				       &v64);
		break;
	default:
		ret = gpuown_fw_store64(mms[i], gpuown_fw_addr_from_u64(fa),
					v64);
		break;
	}
	/* A misaligned atomic access is an argument error (-EINVAL). */
	expect("gpuown_fw_*", before, ret, false, which >= 2 && ret == -EINVAL);
}

static void op_coherency(struct fz_in *in)
{
	int i = pick_mm(in);
	unsigned before = nreports;

	if (!mms[i])
		return;
	say("fw_cache_flushed mm %d\n", i);
	gpuown_mm_fw_cache_flushed(mms[i]);
	expect("gpuown_mm_fw_cache_flushed", before, 0, false, false);
}

/* Firmware stamps move fences; the firmware writes a ring's shared word. */
static void op_fw_stamp(struct fz_in *in)
{
	int s;
	struct gpuown_obj *o = pick_obj(in, &s);
	uint32_t v = u32(in) % 4;
	unsigned before = nreports;
	int ret;

	if (s < 0 || !o || objs[s].mm < 0)
		return;
	say("fw stamp slot %d = %u\n", s, v);
	ret = gpuown_fw_store32(
		gpuown_obj_mm(o),
		gpuown_fw_addr_from_u64(
			gpuown_fw_addr_to_u64(gpuown_obj_fw_addr(o)) +
			(u8(in) % 4) * 4),
		v);
	expect("gpuown_fw_store32(stamp)", before, ret, false, false);
}

/* ------------------------------------------------------------------------
 * The driver loop
 */
static void reset(void)
{
	unsigned before;
	int i;

	for (i = 0; i < NMM; i++) {
		if (!mms[i])
			continue;
		before = nreports;
		gpusan_detach(mms[i]);
		gpuown_mm_destroy(mms[i]);
		expect("cleanup", before, 0, false, false);
		mms[i] = NULL;
	}
	memset(stale_mms, 0, sizeof(stale_mms));
	memset(objs, 0, sizeof(objs));
	memset(vms, 0, sizeof(vms));
	nvm_created = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = {data, size};
	unsigned steps = 0;
	static bool init;

	if (!init) {
		trace = getenv("FUZZ_RUNTIME_TRACE") != NULL;
		gpusan_set_report_callback(on_report, NULL);
		init = true;
	}
	/* Wild handles point at bytes the input chose. */
	memset(wild, 0, sizeof(wild));
	memcpy(wild, data, size < sizeof(wild) ? size : sizeof(wild));
	while (in.n && steps++ < MAX_STEPS) {
		switch (u8(&in) % 11) {
		case 0:
			op_mm_create(&in);
			break;
		case 1:
			op_mm_destroy(&in);
			break;
		case 2:
		case 3:
			op_alloc(&in);
			break;
		case 4:
			op_transition(&in);
			break;
		case 5:
			op_cpu(&in);
			break;
		case 6:
			op_ptr(&in);
			break;
		case 7:
			op_vm(&in);
			break;
		case 8:
			op_access(&in);
			break;
		case 9:
			op_coherency(&in);
			break;
		default:
			op_fw_stamp(&in);
			break;
		}
	}
	reset();
	return 0;
}
