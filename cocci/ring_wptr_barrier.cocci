// SPDX-License-Identifier: MIT
/// Find ring write pointers published without a write barrier after the
/// entry was written. The firmware polls the write pointer and then reads the
/// entry: without the barrier it can see the new write pointer before the new
/// entry, and run a stale or half-written command.
/// Entry writes: the profile's write accessors (__gpuown_stores_gpu_ptr,
/// __gpuown_stores_fw_ptr, __gpuown_cpu_writes, ...) and stores through a CPU
/// pointer taken with a __gpuown_cpu_addr or __gpuown_cpu_begin function.
/// Write-pointer stores: a __gpuown_shared_store call whose offset names a
/// write pointer, a
/// WRITE_ONCE() to a field so named, or a call of a function the profile
/// marks __gpuown_wptr_publish (the driver's own "set wptr" / "commit"). (A plain store to a field named wptr is
/// taken for the driver's own shadow copy, not the shared word.)
//# Barriers: atomic_thread_fence(), __atomic_thread_fence(),
//# __sync_synchronize(), wmb(), smp_wmb(), dma_wmb(), mb(), smp_mb(), the
//# profile's __gpuown_barrier functions, plus -D barrier_fns=a,b. A store with release semantics
//# (smp_store_release(), atomic_store_explicit()) needs none and is not a
//# write-pointer store for this rule.
//# What names a write pointer: a regular expression over the offset or field
//# expression, -D wptr_re=... (default: wptr|write_ptr|wr_ptr|prod_idx).
//# The patch inserts `atomic_thread_fence(memory_order_release);` before the
//# write-pointer store, or `NAME();` with -D barrier_fn=NAME (e.g. dma_wmb).
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: GPUOWN_ROLE_shared_store GPUOWN_ROLE_wptr_publish WRITE_ONCE

virtual patch
virtual context
virtual org
virtual report
// Each option below is read only when given: a script rule that always
// runs would cost spatch its token prefilter (gpuown-check adds
// -D gpuown_opt_NAME for every -D NAME=VALUE it passes).
virtual gpuown_opt_barrier_fns
virtual gpuown_opt_wptr_re
virtual gpuown_opt_barrier_fn

@initialize:python@
@@
import re

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

def compile_re(spec, what):
	try:
		return re.compile(spec)
	except re.error as e:
		raise ValueError("bad %s '%s': %s" % (what, spec, e))

BARRIERS = set(["atomic_thread_fence", "__atomic_thread_fence",
		"__sync_synchronize", "wmb", "smp_wmb", "dma_wmb",
		"mb", "smp_mb", "rmb"])
# The profile's own barriers.
BARRIERS.update(names("GPUOWN_ROLE_barrier", "barrier_fns"))
WPTR = compile_re(r"wptr|write_ptr|wr_ptr|prod_idx", "wptr_re")

def names_wptr(e):
	return WPTR.search(str(e).replace(" ", "")) is not None

@script:python depends on gpuown_opt_barrier_fns@
spec << virtual.barrier_fns;
@@
BARRIERS.update(names(spec, "barrier_fns"))

@script:python depends on gpuown_opt_wptr_re@
spec << virtual.wptr_re;
@@
WPTR = compile_re(spec, "wptr_re")

@script:python custom_barrier depends on gpuown_opt_barrier_fn@
spec << virtual.barrier_fn;
bf;
@@
if len(names(spec, "barrier_fn")) != 1:
	raise ValueError("bad barrier_fn '%s': expected one function name" % spec)
coccinelle.bf = spec.strip()

// Write-pointer stores, found once so every rule below agrees on them.
@wstore@
expression S, V, X, Y;
identifier st = {GPUOWN_ROLE_shared_store_1};
// Unless wptr_re: identifier fld =~ "wptr|write_ptr|wr_ptr|prod_idx";
identifier fld : script:python () { names_wptr(fld) };
position p2;
type T;
@@
(
 st@p2(S, <+... \(fld\|Y->fld\|Y.fld\) ...+>, V)
|
 st@p2(S, offsetof(T, fld), V)
|
 WRITE_ONCE@p2(X->fld, V)
|
 WRITE_ONCE@p2(X.fld, V)
|
 GPUOWN_ROLE_wptr_publish@p2(...)
)

@bad exists@
identifier wr = {GPUOWN_ROLE_store_container_1, GPUOWN_ROLE_cpu_write_1,
		 GPUOWN_STORE_PTR, GPUOWN_STORE_FW_PTR};
// Unless barrier_fns: identifier bar = {atomic_thread_fence, __atomic_thread_fence, __sync_synchronize, wmb, smp_wmb, dma_wmb, mb, smp_mb, rmb, GPUOWN_ROLE_barrier};
identifier bar : script:python () { bar in BARRIERS };
expression R;
position p1, wstore.p2, p3;
@@
wr@p1(R, ...)
... when != bar(...)
(
 GPUOWN_ROLE_shared_store_1@p2@p3(...)
|
 GPUOWN_ROLE_wptr_publish@p2@p3(...)
|
 WRITE_ONCE@p2@p3(...)
)

// Entries written through the ring's CPU mapping.
@bad_cpu exists@
// Unless barrier_fns: identifier bar = {atomic_thread_fence, __atomic_thread_fence, __sync_synchronize, wmb, smp_wmb, dma_wmb, mb, smp_mb, rmb, GPUOWN_ROLE_barrier};
identifier bar : script:python () { bar in BARRIERS };
expression R, D, V;
identifier x, f;
position p1, wstore.p2, p3 != bad.p3;
type T;
@@
(
 x = GPUOWN_ROLE_cpu_addr(R);
|
 T x = GPUOWN_ROLE_cpu_addr(R);
|
 GPUOWN_ROLE_cpu_begin_1(R, D, (void **)&x)
)
...
(
 x@p1->f = V
|
 x@p1[...] = V
|
 x@p1[...].f = V
|
 memcpy(x@p1, ...)
)
... when != bar(...)
(
 GPUOWN_ROLE_shared_store_1@p2@p3(...)
|
 GPUOWN_ROLE_wptr_publish@p2@p3(...)
|
 WRITE_ONCE@p2@p3(...)
)

// The barrier goes right before the statement that publishes the pointer.
@fix depends on patch && !custom_barrier@
position p3 = {bad.p3, bad_cpu.p3};
expression E2;
identifier st;
@@
(
+ atomic_thread_fence(memory_order_release);
  st@p3(...);
|
+ atomic_thread_fence(memory_order_release);
  E2 = st@p3(...);
|
+ atomic_thread_fence(memory_order_release);
  return st@p3(...);
)

@fix_custom depends on patch && custom_barrier@
position p3 = {bad.p3, bad_cpu.p3};
expression E2;
identifier st;
identifier custom_barrier.bf;
@@
(
+ bf();
  st@p3(...);
|
+ bf();
  E2 = st@p3(...);
|
+ bf();
  return st@p3(...);
)

@script:python depends on report@
p1 << bad.p1;
p2 << wstore.p2;
@@
coccilib.report.print_report(p2[0],
	"ERROR: ring write pointer published without a write barrier after an entry was written")

@script:python depends on report@
p1 << bad_cpu.p1;
p2 << wstore.p2;
@@
coccilib.report.print_report(p2[0],
	"ERROR: ring write pointer published without a write barrier after an entry was written")

@script:python depends on org@
p1 << bad.p1;
p2 << wstore.p2;
@@
cocci.print_main("write pointer published without a barrier", p2)
cocci.print_secs("entry", p1)

@script:python depends on org@
p1 << bad_cpu.p1;
p2 << wstore.p2;
@@
cocci.print_main("write pointer published without a barrier", p2)
cocci.print_secs("entry", p1)

@ctx depends on context exists@
identifier wr = {GPUOWN_ROLE_store_container_1, GPUOWN_ROLE_cpu_write_1,
		 GPUOWN_STORE_PTR, GPUOWN_STORE_FW_PTR};
// Unless barrier_fns: identifier bar = {atomic_thread_fence, __atomic_thread_fence, __sync_synchronize, wmb, smp_wmb, dma_wmb, mb, smp_mb, rmb, GPUOWN_ROLE_barrier};
identifier bar : script:python () { bar in BARRIERS };
expression R;
position wstore.p2;
@@
* wr(R, ...)
... when != bar(...)
(
* GPUOWN_ROLE_shared_store_1@p2(...)
|
* GPUOWN_ROLE_wptr_publish@p2(...)
|
* WRITE_ONCE@p2(...)
)
