// SPDX-License-Identifier: MIT
/// Find error paths that leave a reference taken earlier in the function:
/// get(O) (drm_gem_object_get(), dma_fence_get(), kref_get(): a parameter
/// marked __gpuown_get), then a return of an error (return -EINVAL;, return
/// ERR_PTR(...), if (ret) return ret;) reached without a put of O and without
/// handing O on (stored in a struct or variable, inserted into a container,
/// returned). The object is never freed: a leak, and for a fence or a GEM
/// object one the firmware or another process may wait on forever.
//# Error returns are recognised by shape: a negative constant, ERR_PTR(), or
//# the variable an enclosing if tested. A reference handed to a callee that
//# keeps it must be marked on the callee (__gpuown_insert); any other call
//# that takes O is not taken for a hand-over. The analyzer counts references
//# on every path (reference taken and never put); this rule is the fast,
//# per-function check of the error paths.
///
// Confidence: Moderate
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

CTX = set()

def mark(*positions):
	for p in positions:
		CTX.add((p[0].file, p[0].line, p[0].column))

@leak exists@
identifier gf = {GPUOWN_ROLE_get_1};
expression O, E, E2, R, C;
identifier x;
position p1, p2;
type T;
@@
(
 gf@p1(O);
|
 x = gf@p1(O);
|
 T x = gf@p1(O);
)
... when != GPUOWN_ROLE_put_1(O)
    when != GPUOWN_ROLE_put_1(x)
    when != GPUOWN_ROLE_unref_1(&O, ...)
    when != GPUOWN_ROLE_insert_1(O, ...)
    when != GPUOWN_ROLE_insert_2(E2, O, ...)
    when != GPUOWN_ROLE_insert_3(E2, E2, O, ...)
    when != GPUOWN_ROLE_insert_1(x, ...)
    when != GPUOWN_ROLE_insert_2(E2, x, ...)
    when != GPUOWN_ROLE_insert_3(E2, E2, x, ...)
    when != E = O
    when != E = x
    when != O = E
    when != return O;
    when != return x;
(
 return@p2 -C;
|
 return@p2 ERR_PTR(...);
|
 if (\(R\|R < 0\|R != 0\)) return@p2 R;
)

@script:python depends on report@
p1 << leak.p1;
p2 << leak.p2;
O << leak.O;
gf << leak.gf;
@@
coccilib.report.print_report(p2[0],
	"ERROR: error path returns without putting the reference %s() took on '%s'"
	% (gf, expr(O)))

@script:python depends on org@
p1 << leak.p1;
p2 << leak.p2;
O << leak.O;
@@
cocci.print_main("reference to '%s' leaked on an error path" % expr(O), p2)
cocci.print_secs("get", p1)

@script:python depends on context@
p1 << leak.p1;
p2 << leak.p2;
@@
mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
