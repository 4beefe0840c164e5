// SPDX-License-Identifier: MIT
/// Find GPU allocations whose failure is not checked: the status of
/// an allocator (__gpuown_alloc_out / __gpuown_alloc) thrown away, or the object
/// used before the status was looked at. On failure the handle is not set, so
/// the use touches whatever the variable held before (NULL, or a stale object).
//# Allocators with an out parameter (the last argument, `&obj`) return 0 or a
//# negative errno: -D alloc_fns=drv_obj_alloc,... (default: the functions the
//# profile marks __gpuown_alloc_out). Allocators that return the object (NULL or an ERR_PTR on
//# failure): -D alloc_ptr_fns=my_bo_create (default none); their result must
//# be compared or passed to IS_ERR()/IS_ERR_OR_NULL() before use.
//# Any mention of the status variable between the call and the use counts as
//# a check; so does `ret = ret ?: alloc(...)` chaining.
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: GPUOWN_ROLE_alloc_out GPUOWN_ROLE_alloc $alloc_fns $alloc_ptr_fns

virtual context
virtual org
virtual report
// Each option below is read only when given: a script rule that always
// runs would cost spatch its token prefilter (gpuown-check adds
// -D gpuown_opt_NAME for every -D NAME=VALUE it passes).
virtual gpuown_opt_alloc_fns
virtual gpuown_opt_alloc_ptr_fns

@initialize:python@
@@
def names(spec, what):
	out = set()
	for n in spec.split(","):
		n = n.strip()
		if not n:
			continue
		if not n.isidentifier():
			raise ValueError("bad %s entry '%s': expected a function name" % (what, n))
		out.add(n)
	return out

def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

ALLOC = names("GPUOWN_ROLE_alloc_out", "alloc_fns")
ALLOC_PTR = names("GPUOWN_ROLE_alloc", "alloc_ptr_fns")

@script:python depends on gpuown_opt_alloc_fns@
spec << virtual.alloc_fns;
@@
ALLOC.clear()
ALLOC.update(names(spec, "alloc_fns"))

@script:python depends on gpuown_opt_alloc_ptr_fns@
spec << virtual.alloc_ptr_fns;
@@
ALLOC_PTR.clear()
ALLOC_PTR.update(names(spec, "alloc_ptr_fns"))

// The status is dropped on the floor.
@ignored@
// Unless alloc_fns: identifier al = {GPUOWN_ROLE_alloc_out};
identifier al : script:python () { al in ALLOC };
position p;
@@
(
 (void)al@p(...);
|
 al@p(...);
)

// The status is stored, the object used before the status is looked at.
@early exists@
// Unless alloc_fns: identifier al = {GPUOWN_ROLE_alloc_out};
identifier al : script:python () { al in ALLOC };
expression O, ret, E;
identifier f, fld;
position p1, p2;
@@
(
 ret = al@p1(..., &O);
|
 ret = ret ?: al@p1(..., &O);
)
... when != ret
    when != O = E
(
 O@p2->fld
|
 f(..., O@p2, ...)
)

// Pointer-returning allocators: the result is used unchecked. The kernel's
// error-pointer tests are the check itself, never a use.
@ptr_early exists@
// Unless alloc_ptr_fns: identifier al = {GPUOWN_ROLE_alloc};
identifier al : script:python () { al in ALLOC_PTR };
expression x, E;
statement S1, S2;
identifier f != {IS_ERR, IS_ERR_OR_NULL, PTR_ERR, PTR_ERR_OR_ZERO};
identifier fld;
position p1, p2;
@@
x = al@p1(...);
... when != x == NULL
    when != x != NULL
    when != !x
    when != IS_ERR(x)
    when != IS_ERR_OR_NULL(x)
    when != if (x) S1 else S2
    when != if (x) S1
    when != x = E
(
 x@p2->fld
|
 *x@p2
|
 f(..., x@p2, ...)
)

@script:python depends on report@
p << ignored.p;
@@
coccilib.report.print_report(p[0],
	"ERROR: GPU allocation status ignored: on failure no object was allocated")

@script:python depends on report@
p1 << early.p1;
p2 << early.p2;
O << early.O;
ret << early.ret;
@@
coccilib.report.print_report(p2[0],
	"ERROR: '%s' used before the allocation status '%s' is checked"
	% (expr(O), expr(ret)))

@script:python depends on report@
p1 << ptr_early.p1;
p2 << ptr_early.p2;
x << ptr_early.x;
@@
coccilib.report.print_report(p2[0],
	"ERROR: '%s' used before the allocation is checked for failure"
	% (expr(x)))

@script:python depends on org@
p << ignored.p;
@@
cocci.print_main("allocation status ignored", p)

@script:python depends on org@
p1 << early.p1;
p2 << early.p2;
O << early.O;
@@
cocci.print_main("'%s' used before the allocation is checked" % expr(O), p2)
cocci.print_secs("allocated", p1)

@script:python depends on org@
p1 << ptr_early.p1;
p2 << ptr_early.p2;
x << ptr_early.x;
@@
cocci.print_main("'%s' used before the allocation is checked" % expr(x), p2)
cocci.print_secs("allocated", p1)

@ctx_ignored depends on context@
// Unless alloc_fns: identifier al = {GPUOWN_ROLE_alloc_out};
identifier al : script:python () { al in ALLOC };
@@
* al(...);

@ctx_early depends on context exists@
// Unless alloc_fns: identifier al = {GPUOWN_ROLE_alloc_out};
identifier al : script:python () { al in ALLOC };
expression O, ret, E;
identifier f, fld;
@@
 ret = al(..., &O);
... when != ret
    when != O = E
(
* O->fld
|
* f(..., O, ...)
)
