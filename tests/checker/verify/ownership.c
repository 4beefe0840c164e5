// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.Ownership
/*
 * gpuown.Ownership: each positive case (pNN) has a negative twin (nNN).
 */
#include <gpuown/lifecycle.h>
#include <gpuown/object.h>

#include "foreign.h"

struct desc {
	uint32_t magic;
	uint32_t flags;
	uint32_t status __gpuown_fw_writes;
};

struct result {
	uint32_t value;
} __gpuown_fw_owned(rw);

struct ring {
	uint32_t wptr;
	fw_shared_u32 rptr __gpuown_fw_writes;
};

static struct gpuown_obj *keep;

static int alloc(struct gpuown_mm *mm, struct gpuown_obj **o)
{
	struct gpuown_alloc_args a = { .size = 64 };

	return gpuown_obj_alloc(mm, &a, o);
}

/* Driver helpers the analyzer cannot see into; the annotations tell. */
void submit_extern(struct gpuown_obj *o __gpuown_publishes);
void fill_extern(struct gpuown_obj *o __gpuown_requires(cpu));
void kick_extern(struct gpuown_obj *o __gpuown_requires(fw));

static void submit_inline(struct gpuown_obj *o)
{
	gpuown_obj_publish(o, NULL);
}

/* ---- 1. CPU write after publish */
void p01(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	struct desc *d = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	d->flags = 1; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
	keep = o;
}

void n01(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	struct desc *d = gpuown_obj_cpu(o);
	d->flags = 1; // no-warning
	gpuown_obj_publish(o, NULL);
	keep = o;
}

/* ---- 2. write through an interior pointer after publish */
void p02(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	struct desc *d = gpuown_obj_cpu(o);
	uint32_t *f = &d->magic;
	gpuown_obj_publish(o, NULL);
	*f = 0xfeed; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
	keep = o;
}

void n02(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	struct desc *d = gpuown_obj_cpu(o);
	uint32_t *f = &d->magic;
	*f = 0xfeed; // no-warning
	gpuown_obj_publish(o, NULL);
	keep = o;
}

/* ---- 3. read of a firmware-written field while firmware-owned */
uint32_t p03(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return 0;
	struct desc *d = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	keep = o;
	return d->status; // expected-warning{{CPU read of firmware-written data while the firmware owns the GPU object}}
}

/* Reading what only the CPU writes is fine (direction matters). */
uint32_t n03(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return 0;
	struct desc *d = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	keep = o;
	return d->magic; // no-warning
}

/* ---- 4. read of a struct the firmware writes (class fw(rw)) */
uint32_t p04(struct gpuown_obj *o)
{
	struct result *r = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	return r->value; // expected-warning{{CPU read of firmware-written data while the firmware owns the GPU object}}
}

uint32_t n04(struct gpuown_obj *o)
{
	struct result *r = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	return r->value; // no-warning
}

/* ---- 5. free while firmware-owned */
void p05(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_publish(o, NULL);
	gpuown_obj_free(o); // expected-warning{{Free of a GPU object while the firmware owns it}}
}

void n05(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_publish(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	gpuown_obj_free(o); // no-warning
}

/* ---- 6. free of a shared object before the firmware detached */
void p06(struct gpuown_obj *o)
{
	gpuown_obj_share(o);
	gpuown_obj_free(o); // expected-warning{{Free of a shared GPU object before the firmware detached it}}
}

void n06(struct gpuown_obj *o)
{
	gpuown_obj_share(o);
	gpuown_obj_detach(o);
	gpuown_obj_free(o); // no-warning
}

/* ---- 7. publish twice */
void p07(struct gpuown_obj *o)
{
	gpuown_obj_publish(o, NULL);
	gpuown_obj_publish(o, NULL); // expected-warning{{GPU object published to the firmware twice}}
}

void n07(struct gpuown_obj *o)
{
	gpuown_obj_publish(o, NULL);
	gpuown_obj_fw_get(o, NULL); // no-warning
}

/* ---- 8. share of a firmware-owned object */
void p08(struct gpuown_obj *o)
{
	gpuown_obj_publish(o, NULL);
	gpuown_obj_share(o); // expected-warning{{Share of a GPU object while the firmware owns it}}
}

void n08(struct gpuown_obj *o)
{
	gpuown_obj_share(o); // no-warning
}

/* ---- 9. reclaim of an object never published */
void p09(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_reclaim(o, NULL); // expected-warning{{Reclaim of a GPU object that was not published to the firmware}}
}

/* A parameter's state is unknown: no report. */
void n09(struct gpuown_obj *o)
{
	gpuown_obj_reclaim(o, NULL); // no-warning
}

/* ---- 10. extra firmware hold on a CPU-owned object */
void p10(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_fw_get(o, NULL); // expected-warning{{Firmware hold of a GPU object that was not published to the firmware}}
}

void n10(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_publish(o, NULL);
	gpuown_obj_fw_get(o, NULL); // no-warning
	keep = o;
}

/* ---- 11. holders are counted: the third reclaim has nothing to release */
void p11(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_publish(o, NULL);
	gpuown_obj_fw_get(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	gpuown_obj_reclaim(o, NULL); // expected-warning{{Reclaim of a GPU object that was not published to the firmware}}
}

void n11(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_publish(o, NULL);
	gpuown_obj_fw_get(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	struct desc *d = gpuown_obj_cpu(o);
	gpuown_obj_reclaim(o, NULL); // no-warning
	d->flags = 0;
	gpuown_obj_free(o);
}

/* ---- 12. a write still refused while another holder remains */
void p12(struct gpuown_obj *o)
{
	struct desc *d = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	gpuown_obj_fw_get(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	d->flags = 0; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
}

void n12(struct gpuown_obj *o)
{
	struct desc *d = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	gpuown_obj_reclaim(o, NULL);
	d->flags = 0; // no-warning
}

/* ---- 13. detach of an object that is not shared */
void p13(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_detach(o); // expected-warning{{Detach of a GPU object that is CPU-owned, not shared}}
}

void n13(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	gpuown_obj_share(o);
	gpuown_obj_detach(o); // no-warning
	gpuown_obj_free(o);
}

/* ---- 14. CPU write window on a firmware-owned object */
void p14(struct gpuown_obj *o)
{
	void *cpu;
	gpuown_obj_publish(o, NULL);
	gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, &cpu); // expected-warning{{CPU write access opened on a GPU object while the firmware owns it}}
}

void n14(struct gpuown_obj *o)
{
	void *cpu;
	gpuown_obj_publish(o, NULL);
	gpuown_cpu_begin(o, GPUOWN_DIR_READ, &cpu); // no-warning
	gpuown_cpu_end(o);
}

/* ---- 15. __gpuown_requires(cpu) */
void p15(struct gpuown_obj *o)
{
	gpuown_obj_publish(o, NULL);
	fill_extern(o); // expected-warning{{'fill_extern' requires a GPU object in state 'cpu', but it is firmware-owned}}
}

void n15(struct gpuown_obj *o)
{
	fill_extern(o); // no-warning
	gpuown_obj_publish(o, NULL);
}

/* ---- 16. __gpuown_requires(fw) */
void p16(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	kick_extern(o); // expected-warning{{'kick_extern' requires a GPU object in state 'fw', but it is CPU-owned}}
}

void n16(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	submit_extern(o);
	kick_extern(o); // no-warning
	keep = o;
}

/* ---- 17. reclaim on the path where the fence is not reached */
void p17(struct gpuown_obj *o, struct gpuown_fence *f)
{
	gpuown_obj_publish(o, f);
	if (!gpuown_fence_reached(f))
		gpuown_obj_reclaim(o, f); // expected-warning{{Reclaim of a GPU object before its completion fence is reached}}
}

void n17(struct gpuown_obj *o, struct gpuown_fence *f)
{
	gpuown_obj_publish(o, f);
	if (gpuown_fence_reached(f))
		gpuown_obj_reclaim(o, f); // no-warning
}

/* ---- 18. plain access to a firmware-written field of a shared object */
uint32_t p18(struct gpuown_obj *o)
{
	struct ring *r = gpuown_obj_cpu(o);
	gpuown_obj_share(o);
	return r->rptr; // expected-warning{{Plain CPU access to a firmware-written field of a shared GPU object}}
}

uint32_t n18(struct gpuown_obj *o)
{
	struct ring *r = gpuown_obj_cpu(o);
	gpuown_obj_share(o);
	r->wptr = 1; // no-warning
	return 0;
}

/* ---- 19. a foreign driver's submit, twice */
void p19(struct my_bo *bo)
{
	my_bo_submit(bo);
	my_bo_submit(bo); // expected-warning{{GPU object published to the firmware twice}}
}

void n19(struct my_bo *bo)
{
	my_bo_submit(bo);
	my_bo_retire(bo);
	my_bo_submit(bo); // no-warning
}

/* ---- 20. publish through an inlined helper, then write */
void p20(struct gpuown_obj *o)
{
	uint32_t *w = gpuown_obj_cpu(o);
	submit_inline(o);
	w[0] = 1; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
}

void n20(struct gpuown_obj *o)
{
	uint32_t *w = gpuown_obj_cpu(o);
	w[0] = 1; // no-warning
	submit_inline(o);
}

/* ---- 21. publish through a non-inlined annotated helper, then free */
void p21(struct gpuown_obj *o)
{
	submit_extern(o);
	gpuown_obj_free(o); // expected-warning{{Free of a GPU object while the firmware owns it}}
}

/* Handed to code we cannot see: it may have reclaimed the object. */
void n21(struct gpuown_obj *o)
{
	submit_extern(o);
	opaque_keep(o);
	gpuown_obj_free(o); // no-warning
}

/* ---- 22. arrays of objects */
void p22(struct gpuown_obj *objs[2])
{
	uint32_t *w = gpuown_obj_cpu(objs[1]);
	gpuown_obj_publish(objs[1], NULL);
	w[2] = 0; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
}

void n22(struct gpuown_obj *objs[2])
{
	uint32_t *w = gpuown_obj_cpu(objs[1]);
	gpuown_obj_publish(objs[0], NULL);
	w[2] = 0; // no-warning
}

/* ---- 23. loop: the second iteration publishes again */
void p23(struct gpuown_obj *o, int n)
{
	for (int i = 0; i < n; i++)
		gpuown_obj_publish(o, NULL); // expected-warning{{GPU object published to the firmware twice}}
}

void n23(struct gpuown_obj *o, int n)
{
	for (int i = 0; i < n; i++) {
		gpuown_obj_publish(o, NULL); // no-warning
		gpuown_obj_reclaim(o, NULL);
	}
}

/* ---- Driver lifecycles */
GPUOWN_LIFECYCLE(channel, "enabled -> stopped, stopped -> enabled, "
			  "stopped -> disabled");

struct channel {
	int id;
};

struct channel *channel_create(int id) __gpuown_lifecycle_init(channel);
void channel_stop(struct channel *ch __gpuown_transition(channel, enabled, stopped));
void channel_start(struct channel *ch __gpuown_transition(channel, stopped, enabled));
void channel_disable(struct channel *ch __gpuown_transition(channel, stopped, disabled));
void channel_kill(struct channel *ch __gpuown_transition(channel, enabled, disabled));
void channel_submit(struct channel *ch __gpuown_in_state(channel, enabled));
void channel_bogus(struct channel *ch __gpuown_in_state(channel, paused));

/* ---- 24. transition from a state the object is not in */
void p24(struct channel *ch)
{
	channel_stop(ch);
	channel_disable(ch);
	channel_start(ch); // expected-warning{{Illegal transition of lifecycle 'channel': 'channel_start' moves it from 'stopped', but it is in state 'disabled'}}
}

void n24(struct channel *ch)
{
	channel_stop(ch);
	channel_start(ch); // no-warning
	channel_submit(ch);
}

/* ---- 25. operation not permitted in the current state */
void p25(struct channel *ch)
{
	channel_stop(ch);
	channel_submit(ch); // expected-warning{{'channel_submit' is not permitted in state 'stopped' of lifecycle 'channel' (needs 'enabled')}}
}

void n25(struct channel *ch)
{
	channel_submit(ch); // no-warning
	channel_stop(ch);
}

/* ---- 26. transition the lifecycle does not declare */
void p26(struct channel *ch)
{
	channel_kill(ch); // expected-warning{{'channel_kill' moves lifecycle 'channel' from 'enabled' to 'disabled', a transition the lifecycle does not declare}}
}

void p26b(struct channel *ch)
{
	channel_bogus(ch); // expected-warning{{'channel_bogus' names state 'paused', which lifecycle 'channel' does not declare}}
}

/* ---- 27. the initial state comes from the declaration */
void p27(void)
{
	struct channel *ch = channel_create(1);
	channel_start(ch); // expected-warning{{Illegal transition of lifecycle 'channel': 'channel_start' moves it from 'stopped', but it is in state 'enabled'}}
}

void n27(void)
{
	struct channel *ch = channel_create(1);
	channel_submit(ch); // no-warning
	channel_stop(ch);
	channel_disable(ch);
}

/* ---- 28. lifecycle of a stack object */
void p28(void)
{
	struct channel ch = { 0 };
	channel_stop(&ch);
	channel_stop(&ch); // expected-warning{{Illegal transition of lifecycle 'channel': 'channel_stop' moves it from 'enabled', but it is in state 'stopped'}}
}

void n28(void)
{
	struct channel a = { 0 }, b = { 1 };
	channel_stop(&a);
	channel_stop(&b); // no-warning
}

/* ---- 29. an operation that returned an error changed nothing */
void p29(struct gpuown_obj *o)
{
	if (gpuown_obj_share(o) == 0)
		gpuown_obj_free(o); // expected-warning{{Free of a shared GPU object before the firmware detached it}}
}

void n29(struct gpuown_obj *o)
{
	if (gpuown_obj_share(o))
		gpuown_obj_free(o); // no-warning
}

/* ---- 30. combined helpers: reclaim then free, detach then free */
void reclaim_free(struct gpuown_obj *o __gpuown_reclaims __gpuown_frees);
void detach_free(struct gpuown_obj *o __gpuown_detaches __gpuown_frees);

void p30(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	detach_free(o); // expected-warning{{Detach of a GPU object that is CPU-owned, not shared}}
}

void n30(struct gpuown_obj *a, struct gpuown_obj *b)
{
	gpuown_obj_publish(a, NULL);
	reclaim_free(a); // no-warning
	gpuown_obj_share(b);
	detach_free(b); // no-warning
}

/* ---- 31. code that asks the run time knows better than the analyzer */
void n31(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (alloc(mm, &o))
		return;
	if (gpuown_obj_state(o) == GPUOWN_STATE_FW)
		gpuown_obj_reclaim(o, NULL); // no-warning
	gpuown_obj_free(o);
}

/* ---- 32. a transition annotated on the function names its first pointer */
int channel_pause(struct channel *ch) __gpuown_transition(channel, enabled, stopped);

void p32(struct channel *ch)
{
	channel_pause(ch);
	channel_pause(ch); // expected-warning{{Illegal transition of lifecycle 'channel': 'channel_pause' moves it from 'enabled', but it is in state 'stopped'}}
}

void n32(struct channel *ch)
{
	channel_pause(ch);
	channel_start(ch); // no-warning
}

/* ---- 33. the CPU access window's pointer is the object's CPU address */
void p33(struct gpuown_obj *o)
{
	struct desc *d;
	if (gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, (void **)&d))
		return;
	gpuown_cpu_end(o);
	gpuown_obj_publish(o, NULL);
	d->magic = 1; // expected-warning{{CPU write to a GPU object while the firmware owns it}}
}

void n33(struct gpuown_obj *o)
{
	struct desc *d;
	if (gpuown_cpu_begin(o, GPUOWN_DIR_WRITE, (void **)&d))
		return;
	d->magic = 1; // no-warning
	gpuown_cpu_end(o);
	gpuown_obj_publish(o, NULL);
}

/* ---- 34. an out parameter that receives an object already shared */
int shared_alloc(struct gpuown_mm *mm,
		 struct gpuown_obj **out __gpuown_alloc_out __gpuown_shares);

void p34(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (shared_alloc(mm, &o))
		return;
	gpuown_obj_free(o); // expected-warning{{Free of a shared GPU object before the firmware detached it}}
}

void n34(struct gpuown_mm *mm)
{
	struct gpuown_obj *o;
	if (shared_alloc(mm, &o))
		return;
	gpuown_obj_detach(o); // no-warning
	gpuown_obj_free(o);
}

/* ---- 35. a malformed lifecycle declaration is named, not guessed at */
GPUOWN_LIFECYCLE(broken, "idle -> , busy -> idle");
void broken_op(struct channel *ch __gpuown_transition(broken, idle, busy));

void p35(struct channel *ch)
{
	broken_op(ch); // expected-warning{{Lifecycle 'broken' has a malformed declaration: malformed transition 'idle ->'}}
}

GPUOWN_LIFECYCLE(fine, "idle -> busy, busy -> idle");
void fine_op(struct channel *ch __gpuown_transition(fine, idle, busy));

void n35(struct channel *ch)
{
	fine_op(ch); // no-warning
}

/* ---- 36. a write by a library call is a CPU write */
void *memcpy(void *dst, const void *src, size_t n);

void p36(struct gpuown_obj *o, const void *src)
{
	void *cpu = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	memcpy(cpu, src, 16); // expected-warning{{CPU write to a GPU object while the firmware owns it (by memcpy)}}
}

void n36(struct gpuown_obj *o, const void *src)
{
	void *cpu = gpuown_obj_cpu(o);
	memcpy(cpu, src, 16); // no-warning
	gpuown_obj_publish(o, NULL);
}
