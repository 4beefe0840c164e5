// SPDX-License-Identifier: MIT
/// Find GPU VM unmaps whose translation may still be live in the GPU's TLB:
/// an unmap (a parameter marked __gpuown_vm_unmaps) removes the page-table
/// entries, but the GPU keeps using cached translations until a TLB
/// invalidate or flush (a function marked __gpuown_tlb_invalidates).
/// 1. The object is freed, unreferenced or put (its pages go back to a pool
///    and are reused) after the unmap and before the invalidate: the GPU can
///    still write to memory that now belongs to someone else.
/// 2. No invalidate follows the unmap on some path to the function's end.
//# The unmap is an expression statement or an assignment of its result; on
//# the branch where the result says it failed (if (ret) ... right after it)
//# nothing was unmapped and nothing needs flushing. An unmap in a helper
//# whose callers flush is reported by 2: mark the helper's caller, or flush
//# in the helper.
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

def key(p):
	return (p[0].file, p[0].line, p[0].column)

def mark(*positions):
	for p in positions:
		CTX.add(key(p))

@unmap@
expression O, D, D2, R;
position p1;
@@
(
 GPUOWN_ROLE_vm_unmap_1@p1(O, ...);
|
 GPUOWN_ROLE_vm_unmap_2@p1(D, O, ...);
|
 GPUOWN_ROLE_vm_unmap_3@p1(D, D2, O, ...);
|
 R = GPUOWN_ROLE_vm_unmap_1@p1(O, ...);
|
 R = GPUOWN_ROLE_vm_unmap_2@p1(D, O, ...);
|
 R = GPUOWN_ROLE_vm_unmap_3@p1(D, D2, O, ...);
)

// 1. The memory goes back before the invalidate.
@freed exists@
identifier inv = {GPUOWN_ROLE_tlb_invalidate};
identifier fr;
expression unmap.O, E, D;
position unmap.p1, p2;
@@
fr@p1(...);
... when != inv(...)
    when != O = E
(
 GPUOWN_ROLE_free_1@p2(O, ...)
|
 GPUOWN_ROLE_free_2@p2(D, O, ...)
|
 GPUOWN_ROLE_unref_1@p2(&O, ...)
|
 GPUOWN_ROLE_put_1@p2(O)
)

// 2. Every path reaches an invalidate (forall: the default).
@flushed@
identifier inv = {GPUOWN_ROLE_tlb_invalidate};
identifier fr;
expression R;
statement S;
position unmap.p1;
@@
(
 fr@p1(...);
 ...
 inv(...);
|
 R = fr@p1(...);
 if (\(R\|R < 0\|R != 0\)) S
 ...
 inv(...);
|
 R = fr@p1(...);
 ...
 inv(...);
)

@script:python depends on report@
p1 << unmap.p1;
p2 << freed.p2;
O << unmap.O;
@@
coccilib.report.print_report(p2[0],
	"ERROR: '%s' released after its VM unmap and before the TLB invalidate: the GPU may still reach its pages"
	% expr(O))

@script:python depends on report && !flushed@
p1 << unmap.p1;
O << unmap.O;
@@
coccilib.report.print_report(p1[0],
	"ERROR: '%s' unmapped from a GPU VM, but the TLB is not invalidated on every path after it"
	% expr(O))

@script:python depends on org@
p1 << unmap.p1;
p2 << freed.p2;
O << unmap.O;
@@
cocci.print_main("'%s' released before the TLB invalidate" % expr(O), p2)
cocci.print_secs("unmapped", p1)

@script:python depends on org && !flushed@
p1 << unmap.p1;
O << unmap.O;
@@
cocci.print_main("'%s' unmapped, TLB not invalidated" % expr(O), p1)

@script:python depends on context@
p1 << unmap.p1;
p2 << freed.p2;
@@
mark(p1, p2)

@script:python depends on context && !flushed@
p1 << unmap.p1;
@@
mark(p1)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
