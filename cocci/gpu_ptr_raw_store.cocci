// SPDX-License-Identifier: MIT
/// Find raw GPU (or firmware) addresses written into a GPU-pointer field of a
/// firmware struct: `desc->cmdbuf.va = drv_bo_gpu_va(cb)`. The store
/// bypasses the profile's pointer store, so nothing records that the struct points
/// at the object and a later free of the target leaves a dangling pointer that
/// no layer can name. Use the profile's pointer store (the function marked
/// __gpuown_stores_gpu_ptr / __gpuown_stores_fw_ptr).
//# A GPU-pointer field is recognised by its shape: a member `.va` (or `.fa`)
//# of a struct member, which is how gpu_ptr(T) / fw_ptr(T) fields look.
//# Storing 0 (a null pointer into a freshly built struct) is not reported.
//# CPU pointers stored into such fields are cpu_ptr_in_gpu_field's business.
//# The patch applies when the struct's CPU address came from
//# a CPU address function (__gpuown_cpu_addr) or a CPU window
//# (__gpuown_cpu_begin) of C and the value from a GPU or firmware address
//# function of O (__gpuown_gpu_addr_fn / __gpuown_fw_addr_fn): it becomes
//# STORE(C, offsetof(typeof(*x), field), O), STORE the profile's function
//# of that kind (parameters container, offset, target; by default
//# the runtime's own stores, which also check the field kind and target
//# type against the layout at run time).
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: va fa

virtual patch
virtual context
virtual org
virtual report

@fix_gpu depends on patch@
identifier x, fld;
expression C, O, D;
type T;
@@
(
 x = GPUOWN_ROLE_cpu_addr(C);
|
 T x = GPUOWN_ROLE_cpu_addr(C);
|
 GPUOWN_ROLE_cpu_begin_1(C, D, (void **)&x)
)
<...
- x->fld.va = GPUOWN_ROLE_gpu_addr_fn(O);
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
...>

@fix_fw depends on patch@
identifier x, fld;
expression C, O, D;
type T;
@@
(
 x = GPUOWN_ROLE_cpu_addr(C);
|
 T x = GPUOWN_ROLE_cpu_addr(C);
|
 GPUOWN_ROLE_cpu_begin_1(C, D, (void **)&x)
)
<...
- x->fld.fa = GPUOWN_ROLE_fw_addr_fn(O);
+ GPUOWN_ROLE_stores_fw_ptr(C, offsetof(typeof(*x), fld), O);
...>

// Everything else is reported (and, in patch mode, what the fix did not cover).
@raw depends on !context disable drop_cast@
expression X, V;
identifier fld;
identifier m = {va, fa};
position p;
type T, T2;
T2 *cptr;
@@
(
 X->fld.m = \(0\|NULL\|(T)0\);
|
 X.fld.m = \(0\|NULL\|(T)0\);
|
 X->fld.m = \((T)&V\|(T)V\);
|
 X.fld.m = \((T)&V\|(T)V\);
|
 X->fld.m = GPUOWN_ROLE_addr_from_int(\((T)cptr\|(T)&V\|(T)GPUOWN_ROLE_cpu_addr(V)\));
|
 X.fld.m = GPUOWN_ROLE_addr_from_int(\((T)cptr\|(T)&V\|(T)GPUOWN_ROLE_cpu_addr(V)\));
|
 X@p->fld.m = V;
|
 X@p.fld.m = V;
)

@raw_ctx depends on context disable drop_cast@
expression X, V;
identifier fld;
identifier m = {va, fa};
type T, T2;
T2 *cptr;
@@
(
 X->fld.m = \(0\|NULL\|(T)0\);
|
 X.fld.m = \(0\|NULL\|(T)0\);
|
 X->fld.m = \((T)&V\|(T)V\);
|
 X.fld.m = \((T)&V\|(T)V\);
|
 X->fld.m = GPUOWN_ROLE_addr_from_int(\((T)cptr\|(T)&V\|(T)GPUOWN_ROLE_cpu_addr(V)\));
|
 X.fld.m = GPUOWN_ROLE_addr_from_int(\((T)cptr\|(T)&V\|(T)GPUOWN_ROLE_cpu_addr(V)\));
|
* X->fld.m = V;
|
* X.fld.m = V;
)

@script:python depends on report@
p << raw.p;
fld << raw.fld;
m << raw.m;
@@
# The profile's own store function of the field's kind (its first name).
fix = ("GPUOWN_ROLE_stores_gpu_ptr" if m == "va"
       else "GPUOWN_ROLE_stores_fw_ptr").split(",")[0] + "()"
kind = "GPU" if m == "va" else "firmware"
coccilib.report.print_report(p[0],
	"WARNING: raw %s address stored into pointer field '%s'; use %s so the reference is tracked"
	% (kind, fld, fix))

@script:python depends on org@
p << raw.p;
fld << raw.fld;
@@
cocci.print_main("raw address stored into pointer field '%s'" % fld, p)
