// SPDX-License-Identifier: MIT
/// Find CPU writes to, and frees of, an object after its address was handed
/// to the firmware: written into a message, a ring entry or a register by a
/// sink (a parameter marked __gpuown_publishes_addr: a GuC H2G send taking a
/// GGTT offset, a register write taking a page-table base). From the
/// hand-over on the firmware may read the object, so a CPU write races with
/// it (it sees a half-written struct) and a free hands it memory that is
/// someone else's.
/// The address is the object's GPU or firmware address (__gpuown_gpu_addr_fn,
/// __gpuown_fw_addr_fn), given to the sink directly, inside an expression
/// (lower_32_bits(), a cast) or through a variable.
//# Writes are stores through a CPU pointer of the object (__gpuown_cpu_addr)
//# taken before or after the hand-over, memcpy() and memset() into it.
//# A reclaim of the object (__gpuown_reclaims), or a new value for the
//# handle or the pointer, ends the search; the first write on a path is
//# reported.
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

CTX = set()
HANDED = {}  # sink call position -> the objects whose address it takes

def key(p):
	return (p[0].file, p[0].line, p[0].column)

def handed(p1, O):
	return str(O) in HANDED.get(key(p1), ())

def mark(*positions):
	for p in positions:
		CTX.add((p[0].file, p[0].line, p[0].column))

@handed@
identifier sink = {GPUOWN_ROLE_publish_addr};
identifier af = {GPUOWN_ROLE_gpu_addr_fn, GPUOWN_ROLE_fw_addr_fn};
expression O;
position p1;
@@
sink@p1(..., <+... af(..., O, ...) ...+>, ...)

@script:python@
p1 << handed.p1;
O << handed.O;
@@
HANDED.setdefault(key(p1), set()).add(str(O))

@handed_var exists@
identifier sink = {GPUOWN_ROLE_publish_addr};
identifier af = {GPUOWN_ROLE_gpu_addr_fn, GPUOWN_ROLE_fw_addr_fn};
expression O, E;
identifier a;
position p1;
type T;
@@
(
 a = af(..., O, ...);
|
 T a = af(..., O, ...);
)
... when != a = E
sink@p1(..., <+... a ...+>, ...)

@script:python@
p1 << handed_var.p1;
O << handed_var.O;
@@
HANDED.setdefault(key(p1), set()).add(str(O))

// A CPU pointer taken before the hand-over.
@before exists@
identifier cf = {GPUOWN_ROLE_cpu_addr};
identifier sink = {GPUOWN_ROLE_publish_addr};
expression O, E, V, I;
identifier x, fld;
position p1 : script:python () { key(p1) in HANDED };
position p2;
type T;
assignment operator aop;
@@
(
 x = cf(..., O, ...);
|
 T x = cf(..., O, ...);
)
... when != x = E
    when any
sink@p1(...)
... when != x = E
    when != O = E
    when != GPUOWN_ROLE_reclaim_1(O, ...)
(
 x@p2->fld aop V
|
 x@p2->fld[I] aop V
|
 x@p2[I] aop V
|
 *x@p2 aop V
|
 memcpy(x@p2, ...)
|
 memset(x@p2, ...)
)

// A CPU pointer taken after it.
@after exists@
identifier cf = {GPUOWN_ROLE_cpu_addr};
identifier sink = {GPUOWN_ROLE_publish_addr};
expression O, E, V, I;
identifier x, fld;
position p1 : script:python () { key(p1) in HANDED };
position p2;
type T;
assignment operator aop;
@@
sink@p1(...)
... when != O = E
    when != GPUOWN_ROLE_reclaim_1(O, ...)
(
 x = cf(..., O, ...);
|
 T x = cf(..., O, ...);
)
... when != x = E
    when != GPUOWN_ROLE_reclaim_1(O, ...)
(
 x@p2->fld aop V
|
 x@p2->fld[I] aop V
|
 x@p2[I] aop V
|
 *x@p2 aop V
|
 memcpy(x@p2, ...)
|
 memset(x@p2, ...)
)

// A free after the hand-over.
@freed exists@
identifier sink = {GPUOWN_ROLE_publish_addr};
expression O, E, D;
position p1 : script:python () { key(p1) in HANDED };
position p2;
@@
sink@p1(...)
... when != O = E
    when != GPUOWN_ROLE_reclaim_1(O, ...)
(
 GPUOWN_ROLE_free_1@p2(O, ...)
|
 GPUOWN_ROLE_free_2@p2(D, O, ...)
|
 GPUOWN_ROLE_unref_1@p2(&O, ...)
)

@script:python depends on report@
p1 << before.p1;
p2 << before.p2;
O << before.O;
x << before.x;
@@
if handed(p1, O):
	coccilib.report.print_report(p2[0],
		"ERROR: CPU write through '%s' to '%s' after its address was handed to the firmware"
		% (x, expr(O)))

@script:python depends on report@
p1 << after.p1;
p2 << after.p2;
O << after.O;
x << after.x;
@@
if handed(p1, O):
	coccilib.report.print_report(p2[0],
		"ERROR: CPU write through '%s' to '%s' after its address was handed to the firmware"
		% (x, expr(O)))

@script:python depends on report@
p1 << freed.p1;
p2 << freed.p2;
O << freed.O;
@@
if handed(p1, O):
	coccilib.report.print_report(p2[0],
		"ERROR: free of '%s' after its address was handed to the firmware"
		% expr(O))

@script:python depends on org@
p1 << before.p1;
p2 << before.p2;
O << before.O;
@@
if handed(p1, O):
	cocci.print_main("CPU write to '%s' after the hand-over" % expr(O), p2)
	cocci.print_secs("handed over", p1)

@script:python depends on org@
p1 << after.p1;
p2 << after.p2;
O << after.O;
@@
if handed(p1, O):
	cocci.print_main("CPU write to '%s' after the hand-over" % expr(O), p2)
	cocci.print_secs("handed over", p1)

@script:python depends on org@
p1 << freed.p1;
p2 << freed.p2;
O << freed.O;
@@
if handed(p1, O):
	cocci.print_main("free of '%s' after the hand-over" % expr(O), p2)
	cocci.print_secs("handed over", p1)

@script:python depends on context@
p1 << before.p1;
p2 << before.p2;
O << before.O;
@@
if handed(p1, O):
	mark(p1, p2)

@script:python depends on context@
p1 << after.p1;
p2 << after.p2;
O << after.O;
@@
if handed(p1, O):
	mark(p1, p2)

@script:python depends on context@
p1 << freed.p1;
p2 << freed.p2;
O << freed.O;
@@
if handed(p1, O):
	mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
