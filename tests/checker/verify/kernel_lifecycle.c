// ANALYZE: -analyzer-checker=gpuown.Ownership
/*
 * Lifecycles as kernel drivers write them, on the GuC-shaped CT of
 * include/kshape/guc.h checked unchanged through kshape/guc_profile.h: each
 * positive case (pNN) has a negative twin (nNN).
 */
#include "kshape/guc_profile.h"

/* ---- 1. a send after a failed enable: the failed call moved nothing */
void p1(struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled), const u32 *msg)
{
	if (kguc_ct_enable(ct))
		kguc_ct_send(ct, msg, 2); // expected-warning{{'kguc_ct_send' is not permitted in state 'disabled' of lifecycle 'guc_ct' (needs 'enabled')}}
}

void n1(struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled), const u32 *msg)
{
	if (kguc_ct_enable(ct))
		return;
	kguc_ct_send(ct, msg, 2); // no-warning
}

/* ---- 2. a transition legal from several states */
void p2(struct kguc_ct *ct)
{
	kguc_ct_disable(ct);
	kguc_ct_disable(ct); // expected-warning{{Illegal transition of lifecycle 'guc_ct': 'kguc_ct_disable' moves it from 'enabled|stopped', but it is in state 'disabled'}}
}

void n2(struct kguc_ct *ct __gpuown_lc_state(guc_ct, enabled))
{
	kguc_ct_stop(ct);
	kguc_ct_disable(ct); // no-warning: legal from 'stopped' too
}

/* ---- 3. an operation legal in every state: stop */
void p3(struct kguc_ct *ct, const u32 *msg)
{
	kguc_ct_stop(ct);
	kguc_ct_send(ct, msg, 1); // expected-warning{{'kguc_ct_send' is not permitted in state 'stopped' of lifecycle 'guc_ct' (needs 'enabled')}}
}

void n3(struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled))
{
	kguc_ct_stop(ct);
	kguc_ct_stop(ct); // no-warning: idempotent
	kguc_ct_disable(ct);
}

/* ---- 4. a from-list that names a transition the lifecycle lacks */
void kguc_ct_reset(struct kguc_ct *ct
		   __gpuown_transition(guc_ct, enabled|disabled, stopped));

void p4(struct kguc_ct *ct)
{
	kguc_ct_reset(ct); // expected-warning{{'kguc_ct_reset' moves lifecycle 'guc_ct' from 'disabled' to 'stopped', a transition the lifecycle does not declare}}
}

void kguc_ct_pause(struct kguc_ct *ct __gpuown_transition(guc_ct, enabled, stopped));

void n4(struct kguc_ct *ct)
{
	kguc_ct_pause(ct); // no-warning
}

/* ---- 5. the initial state of a struct field (a profile fact) */
void p5(struct ksubmit *s)
{
	kguc_ct_enable(s->ct); // expected-warning{{Illegal transition of lifecycle 'guc_ct': 'kguc_ct_enable' moves it from 'disabled|stopped', but it is in state 'enabled'}}
}

void n5(struct ksubmit *s, const u32 *msg)
{
	kguc_ct_send(s->ct, msg, 1); // no-warning
}

/* ---- 6. an embedded CT (&guc->ct) is its own object */
void p6(struct kguc *guc, const u32 *msg)
{
	kguc_ct_disable(&guc->ct);
	kguc_ct_send(&guc->ct, msg, 1); // expected-warning{{'kguc_ct_send' is not permitted in state 'disabled' of lifecycle 'guc_ct' (needs 'enabled')}}
}

void n6(struct kguc *a, struct kguc *b, const u32 *msg)
{
	kguc_ct_disable(&a->ct);
	kguc_ct_send(&b->ct, msg, 1); // no-warning
}

/* ---- 7. holds: the CT keeps its buffer alive while enabled or stopped */
void p7(struct kguc_ct *ct __gpuown_lc_state(guc_ct, enabled))
{
	kvma_unpin_and_release(ct->vma); // expected-warning{{Free of the GPU object held in 'vma' while lifecycle 'guc_ct' is in state 'enabled'}}
}

void n7(struct kguc_ct *ct __gpuown_lc_state(guc_ct, enabled))
{
	kguc_ct_disable(ct);
	kvma_unpin_and_release(ct->vma); // no-warning
}

/* ---- 8. holds, for a buffer this path stored into the CT */
void p8(struct kguc *guc, struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled))
{
	struct kvma *vma = kguc_allocate_vma(guc, 4096);

	if (!vma)
		return;
	ct->vma = vma;
	if (kguc_ct_enable(ct))
		return;
	kguc_ct_stop(ct);
	kvma_unpin_and_release(vma); // expected-warning{{Free of the GPU object held in 'vma' while lifecycle 'guc_ct' is in state 'stopped'}}
}

void n8(struct kguc *guc, struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled))
{
	struct kvma *vma = kguc_allocate_vma(guc, 4096);

	if (!vma)
		return;
	ct->vma = vma;
	if (kguc_ct_enable(ct)) {
		kvma_unpin_and_release(vma); // no-warning: the enable failed
		return;
	}
	kguc_ct_disable(ct);
	kvma_unpin_and_release(vma); // no-warning
}

/* ---- 9. an enable the analyzer sees into: its own failure path */
static int ct_enable_inline(struct kguc_ct *ct, int fail)
	__gpuown_transition(guc_ct, disabled|stopped, enabled)
{
	if (fail)
		return -5;
	ct->enabled = 1;
	return 0;
}

void p9(struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled), const u32 *msg)
{
	if (ct_enable_inline(ct, 1) == 0)
		return;
	kguc_ct_send(ct, msg, 1); // expected-warning{{'kguc_ct_send' is not permitted in state 'disabled' of lifecycle 'guc_ct' (needs 'enabled')}}
}

void n9(struct kguc_ct *ct __gpuown_lc_state(guc_ct, disabled), const u32 *msg)
{
	if (ct_enable_inline(ct, 0))
		return;
	kguc_ct_send(ct, msg, 1); // no-warning
}
