// SPDX-License-Identifier: MIT
/// Find CPU pointers stored into a GPU-pointer field of a firmware struct:
/// `desc->cmdbuf.va = (gpu_addr_t)(uintptr_t)cpu_ptr`. The firmware
/// dereferences a CPU virtual address in the GPU's address space: at best a
/// fault, at worst someone else's memory. The field needs the target's GPU
/// address, stored with the profile's pointer store (__gpuown_stores_gpu_ptr)
/// so the reference is also tracked.
//# A GPU-pointer field is recognised by its shape: a member `.va` (or `.fa`)
//# of a struct member. A CPU pointer is an expression of pointer type (as far
//# as Coccinelle knows the type), an address-of, or a CPU address function
//# (__gpuown_cpu_addr), under any integer casts, also inside a conversion
//# marked __gpuown_addr_from_int.
//# The patch applies when the pointer is CPU_ADDR(O) (directly or via a
//# variable assigned from it) and the struct's CPU address came from
//# CPU_ADDR(C) or a CPU window (__gpuown_cpu_begin) of C: the store becomes
//# STORE(C, offsetof(typeof(*x), field), O), STORE the profile's function
//# marked __gpuown_stores_gpu_ptr (the runtime's own by default), whose
//# parameters are (container, offset, target). CPU_ADDR is the profile's
//# __gpuown_cpu_addr function.
///
// Confidence: Moderate
// Options: --no-includes --include-headers
// Tokens: va fa

virtual patch
virtual context
virtual org
virtual report

// The container's CPU address first, then the target's, or the other way.
@fix depends on patch disable drop_cast@
identifier x, fld, p;
expression C, O, D;
type T, T1, T2, T3;
@@
(
 x = GPUOWN_ROLE_cpu_addr(C);
|
 T x = GPUOWN_ROLE_cpu_addr(C);
|
 GPUOWN_ROLE_cpu_begin_1(C, D, (void **)&x)
)
...
(
 p = GPUOWN_ROLE_cpu_addr(O);
|
 T3 p = GPUOWN_ROLE_cpu_addr(O);
)
<...
(
- x->fld.va = (T1)(T2)p;
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
|
- x->fld.va = (T1)p;
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
|
- x->fld.va = GPUOWN_ROLE_addr_from_int((T1)p);
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
)
...>

@fix2 depends on patch disable drop_cast@
identifier x, fld, p;
expression C, O, D;
type T, T1, T2, T3;
@@
(
 p = GPUOWN_ROLE_cpu_addr(O);
|
 T3 p = GPUOWN_ROLE_cpu_addr(O);
)
...
(
 x = GPUOWN_ROLE_cpu_addr(C);
|
 T x = GPUOWN_ROLE_cpu_addr(C);
|
 GPUOWN_ROLE_cpu_begin_1(C, D, (void **)&x)
)
<...
(
- x->fld.va = (T1)(T2)p;
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
|
- x->fld.va = (T1)p;
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
|
- x->fld.va = GPUOWN_ROLE_addr_from_int((T1)p);
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
)
...>

@fix_direct depends on patch disable drop_cast@
identifier x, fld;
expression C, O, D;
type T, T1, T2;
@@
(
 x = GPUOWN_ROLE_cpu_addr(C);
|
 T x = GPUOWN_ROLE_cpu_addr(C);
|
 GPUOWN_ROLE_cpu_begin_1(C, D, (void **)&x)
)
<...
(
- x->fld.va = (T1)(T2)GPUOWN_ROLE_cpu_addr(O);
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
|
- x->fld.va = (T1)GPUOWN_ROLE_cpu_addr(O);
+ GPUOWN_ROLE_stores_gpu_ptr(C, offsetof(typeof(*x), fld), O);
)
...>

@cpu disable drop_cast@
expression X, V, O;
identifier fld;
identifier m = {va, fa};
position pos;
type T, T1, T2;
T *p;
@@
(
 X@pos->fld.m = \((T1)(T2)p\|(T1)p\|(T1)(T2)&V\|(T1)&V\|(T1)(T2)GPUOWN_ROLE_cpu_addr(O)\|(T1)GPUOWN_ROLE_cpu_addr(O)\)
|
 X@pos.fld.m = \((T1)(T2)p\|(T1)p\|(T1)(T2)&V\|(T1)&V\|(T1)(T2)GPUOWN_ROLE_cpu_addr(O)\|(T1)GPUOWN_ROLE_cpu_addr(O)\)
|
 X@pos->fld.m = GPUOWN_ROLE_addr_from_int(\((T1)p\|(T1)&V\|(T1)GPUOWN_ROLE_cpu_addr(O)\))
|
 X@pos.fld.m = GPUOWN_ROLE_addr_from_int(\((T1)p\|(T1)&V\|(T1)GPUOWN_ROLE_cpu_addr(O)\))
)

@script:python depends on report@
pos << cpu.pos;
fld << cpu.fld;
@@
coccilib.report.print_report(pos[0],
	"ERROR: CPU pointer stored into GPU-pointer field '%s'; store the object's GPU address with %s()"
	% (fld, "GPUOWN_ROLE_stores_gpu_ptr".split(",")[0]))

@script:python depends on org@
pos << cpu.pos;
fld << cpu.fld;
@@
cocci.print_main("CPU pointer stored into GPU-pointer field '%s'" % fld, pos)

@ctx depends on context disable drop_cast@
expression X, V, O;
identifier fld;
identifier m = {va, fa};
type T, T1, T2;
T *p;
@@
(
* X->fld.m = \((T1)(T2)p\|(T1)p\|(T1)(T2)&V\|(T1)&V\|(T1)(T2)GPUOWN_ROLE_cpu_addr(O)\|(T1)GPUOWN_ROLE_cpu_addr(O)\)
|
* X.fld.m = \((T1)(T2)p\|(T1)p\|(T1)(T2)&V\|(T1)&V\|(T1)(T2)GPUOWN_ROLE_cpu_addr(O)\|(T1)GPUOWN_ROLE_cpu_addr(O)\)
)
