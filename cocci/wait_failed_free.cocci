// SPDX-License-Identifier: MIT
/// Find frees and reclaims on the branch where a fence wait failed. A kernel
/// wait returns 0 once the fence signalled and a negative errno on a signal
/// or timeout (dma_fence_wait(): a function marked __gpuown_wait); a wait
/// with a timeout returns the time left, 0 on timeout, a negative errno on a
/// signal (dma_fence_wait_timeout(): __gpuown_wait_timeout). On the failure
/// branch the GPU or the firmware may still be using the memory the fence
/// guards: freeing it (__gpuown_frees, __gpuown_unref), reclaiming it
/// (__gpuown_reclaims) or any call gated by a fence (__gpuown_completes)
/// hands memory in use to the next allocation.
//# The failure branch is the block of an if testing the result for failure
//# (ret, ret < 0, ret != 0; for a timeout wait also !ret, ret == 0,
//# ret <= 0), or the code after the label its goto jumps to. A result
//# assigned again in between is not followed.
///
// Confidence: High
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
WAITS = set(n for n in "GPUOWN_ROLE_wait,GPUOWN_ROLE_wait_timeout".split(",") if n)
CTX = set()

def same_function(p1, p2):
	return p1[0].file == p2[0].file and \
		p1[0].current_element == p2[0].current_element

def gated(fr):
	"""The wait itself takes the fence (__gpuown_completes): not a free."""
	return fr not in WAITS

def mark(*positions):
	for p in positions:
		CTX.add((p[0].file, p[0].line, p[0].column))

// The failure branch is a block.
@block exists@
identifier wf = {GPUOWN_ROLE_wait};
identifier wt = {GPUOWN_ROLE_wait_timeout};
identifier fr = {GPUOWN_ROLE_free_1, GPUOWN_ROLE_free_2, GPUOWN_ROLE_unref_1,
		 GPUOWN_ROLE_unref_2, GPUOWN_ROLE_reclaim_1, GPUOWN_ROLE_reclaim_2,
		 GPUOWN_ROLE_complete_1, GPUOWN_ROLE_complete_2,
		 GPUOWN_ROLE_complete_3};
expression ret, E;
position p1, p2;
@@
(
 ret = wf@p1(...);
 ... when != ret = E
 if (\(ret\|ret < 0\|ret != 0\)) {
 ... when any
 fr@p2(...);
 ... when any
 }
|
 ret = wt@p1(...);
 ... when != ret = E
 if (\(ret <= 0\|!ret\|ret == 0\|ret < 0\)) {
 ... when any
 fr@p2(...);
 ... when any
 }
|
 if (\(wf@p1(...)\|wf@p1(...) < 0\|wf@p1(...) != 0\)) {
 ... when any
 fr@p2(...);
 ... when any
 }
|
 if (\(!wt@p1(...)\|wt@p1(...) <= 0\|wt@p1(...) == 0\|wt@p1(...) < 0\)) {
 ... when any
 fr@p2(...);
 ... when any
 }
)

// The failure branch jumps to a label.
@jump exists@
identifier wf = {GPUOWN_ROLE_wait};
identifier wt = {GPUOWN_ROLE_wait_timeout};
identifier l;
expression ret, E;
position p1;
@@
(
 ret = wf@p1(...);
 ... when != ret = E
 if (\(ret\|ret < 0\|ret != 0\))
  goto l;
|
 ret = wt@p1(...);
 ... when != ret = E
 if (\(ret <= 0\|!ret\|ret == 0\|ret < 0\))
  goto l;
|
 if (\(wf@p1(...)\|wf@p1(...) < 0\|wf@p1(...) != 0\))
  goto l;
|
 if (\(!wt@p1(...)\|wt@p1(...) <= 0\|wt@p1(...) == 0\|wt@p1(...) < 0\))
  goto l;
)

@label exists@
identifier jump.l;
identifier fr = {GPUOWN_ROLE_free_1, GPUOWN_ROLE_free_2, GPUOWN_ROLE_unref_1,
		 GPUOWN_ROLE_unref_2, GPUOWN_ROLE_reclaim_1, GPUOWN_ROLE_reclaim_2,
		 GPUOWN_ROLE_complete_1, GPUOWN_ROLE_complete_2,
		 GPUOWN_ROLE_complete_3};
position p2;
@@
l:
... when any
fr@p2(...);

@script:python depends on report@
p1 << block.p1;
p2 << block.p2;
wf << block.wf = "";
wt << block.wt = "";
fr << block.fr;
@@
if gated(fr):
	coccilib.report.print_report(p2[0],
		"ERROR: %s() on the branch where %s() failed: the GPU may still use the memory"
		% (fr, str(wf) or str(wt)))

@script:python depends on report@
p1 << jump.p1;
p2 << label.p2;
wf << jump.wf = "";
wt << jump.wt = "";
fr << label.fr;
@@
if gated(fr) and same_function(p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: %s() on the branch where %s() failed: the GPU may still use the memory"
		% (fr, str(wf) or str(wt)))

@script:python depends on org@
p1 << block.p1;
p2 << block.p2;
fr << block.fr;
@@
if gated(fr):
	cocci.print_main("%s() after a failed wait" % fr, p2)
	cocci.print_secs("wait", p1)

@script:python depends on org@
p1 << jump.p1;
p2 << label.p2;
fr << label.fr;
@@
if gated(fr) and same_function(p1, p2):
	cocci.print_main("%s() after a failed wait" % fr, p2)
	cocci.print_secs("wait", p1)

@script:python depends on context@
p1 << block.p1;
p2 << block.p2;
fr << block.fr;
@@
if gated(fr):
	mark(p1, p2)

@script:python depends on context@
p1 << jump.p1;
p2 << label.p2;
fr << label.fr;
@@
if gated(fr) and same_function(p1, p2):
	mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
