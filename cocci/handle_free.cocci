// SPDX-License-Identifier: MIT
/// Find uses of an object after it was freed or put through a pointer to its
/// handle (kamd_bo_unref(&bo), i915_vma_unpin_and_release(&vma, 0)): such a
/// call releases the object and sets the handle to NULL, so a second call is
/// harmless, but
/// 1. a copy of the handle taken before (vma = ct->vma) still points at the
///    released object: using it is a use after free;
/// 2. the handle itself is NULL: dereferencing it is a NULL dereference.
/// The functions: a parameter marked __gpuown_unref, or __gpuown_frees on a
/// pointer to the handle (called with &handle).
//# The search along a path stops when the copy or the handle is assigned
//# again. Passing the NULL handle to a call is not reported (NULL-safe
//# helpers are the idiom's point).
///
// Confidence: High
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

def forward(p1, p2):
	"""A use reached only around a loop may be another object."""
	return (int(p2[0].line), int(p2[0].column)) > \
		(int(p1[0].line), int(p1[0].column))

CTX = set()

def mark(*positions):
	for p in positions:
		CTX.add((p[0].file, p[0].line, p[0].column))

@rel@
expression H, D;
position p1;
@@
(
 GPUOWN_ROLE_unref_1@p1(&H, ...)
|
 GPUOWN_ROLE_unref_2@p1(D, &H, ...)
|
 GPUOWN_ROLE_free_1@p1(&H, ...)
|
 GPUOWN_ROLE_free_2@p1(D, &H, ...)
)

// 1. A copy of the handle taken before the release.
@copy exists@
identifier fr, fld, f;
expression rel.H, E, E2;
identifier x;
position rel.p1, p0, p2;
type T;
@@
(
 x@p0 = H;
|
 T x@p0 = H;
)
... when != x = E
    when != H = E
fr@p1(...)
... when != x = E2
    when != &x
(
 x@p2->fld
|
 f@p2(..., x, ...)
)

// 2. The handle, NULL now, dereferenced.
@deref exists@
identifier fr, fld;
expression rel.H, E;
position rel.p1, p2;
@@
fr@p1(...)
... when != H = E
    when != &H
H@p2->fld

@script:python depends on report@
p1 << rel.p1;
p2 << copy.p2;
x << copy.x;
H << rel.H;
@@
if forward(p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: use of '%s' after the object it copies from '%s' was released through '&%s'"
		% (expr(x), expr(H), expr(H)))

@script:python depends on report@
p1 << rel.p1;
p2 << deref.p2;
H << rel.H;
@@
if forward(p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: dereference of '%s', NULL after its object was released through '&%s'"
		% (expr(H), expr(H)))

@script:python depends on org@
p1 << rel.p1;
p2 << copy.p2;
x << copy.x;
@@
if forward(p1, p2):
	cocci.print_main("use of '%s' after release" % expr(x), p2)
	cocci.print_secs("released", p1)

@script:python depends on org@
p1 << rel.p1;
p2 << deref.p2;
H << rel.H;
@@
if forward(p1, p2):
	cocci.print_main("dereference of released handle '%s'" % expr(H), p2)
	cocci.print_secs("released", p1)

@script:python depends on context@
p1 << rel.p1;
p2 << copy.p2;
@@
if forward(p1, p2):
	mark(p1, p2)

@script:python depends on context@
p1 << rel.p1;
p2 << deref.p2;
@@
if forward(p1, p2):
	mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
