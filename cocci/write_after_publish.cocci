// SPDX-License-Identifier: MIT
/// Find CPU writes to a GPU object after it was published to the firmware and
/// before it was reclaimed: the firmware owns the object and may be reading
/// it, so it sees a half-written struct. Writes are stores through a CPU
/// pointer taken with a __gpuown_cpu_addr or __gpuown_cpu_begin function, a
/// write window (__gpuown_cpu_begin for writing), a __gpuown_cpu_writes call
/// and the pointer stores with the object as container.
//# Stop conditions along a path: a __gpuown_reclaims call on the object, a new
//# value for the handle or the CPU pointer.
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: GPUOWN_ROLE_publish

virtual context
virtual org
virtual report

@initialize:python@
@@
def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

// Calls that write through the object model.
@call exists@
expression O, F, E;
position p1, p2;
identifier wr = {GPUOWN_ROLE_cpu_write_1, GPUOWN_ROLE_store_container_1,
		 GPUOWN_ROLE_store_clear_1, GPUOWN_STORE_PTR, GPUOWN_STORE_FW_PTR,
		 GPUOWN_CLEAR_PTR, GPUOWN_ROLE_shared_store_1};
expression D != {GPUOWN_DIR_READ, 1};
@@
GPUOWN_ROLE_publish_1@p1(O, F)
... when != GPUOWN_ROLE_reclaim_1(O, ...)
    when != O = E
    when != &O
(
 wr@p2(O, ...)
|
 GPUOWN_ROLE_cpu_begin_1@p2(O, D, ...)
)

// Stores through a CPU pointer taken before the publish.
@ptr exists@
expression O, F, E, D, V;
identifier x, fld, fld2;
position p1, p2;
type T;
assignment operator aop;
@@
(
 x = GPUOWN_ROLE_cpu_addr(O);
|
 T x = GPUOWN_ROLE_cpu_addr(O);
|
 GPUOWN_ROLE_cpu_begin_1(O, D, (void **)&x)
|
 GPUOWN_ROLE_cpu_begin_1(O, D, &x)
)
... when != x = E
GPUOWN_ROLE_publish_1@p1(O, F)
... when != GPUOWN_ROLE_reclaim_1(O, ...)
    when != x = E
    when != O = E
(
 x@p2->fld aop V
|
 x@p2->fld[...] aop V
|
 x@p2->fld.fld2 aop V
|
 x@p2->fld[...].fld2 aop V
|
 x@p2[...] aop V
|
 *x@p2 aop V
|
 x@p2->fld++
|
 x@p2->fld--
|
 memcpy(x@p2, ...)
|
 memset(x@p2, ...)
)

@script:python depends on report@
p1 << call.p1;
p2 << call.p2;
O << call.O;
@@
coccilib.report.print_report(p2[0],
	"ERROR: CPU write to '%s' while the firmware owns it (published, not reclaimed)"
	% (expr(O)))

@script:python depends on report@
p1 << ptr.p1;
p2 << ptr.p2;
O << ptr.O;
x << ptr.x;
@@
coccilib.report.print_report(p2[0],
	"ERROR: CPU write through '%s' to '%s' while the firmware owns it (published, not reclaimed)"
	% (x, expr(O)))

@script:python depends on org@
p1 << call.p1;
p2 << call.p2;
O << call.O;
@@
cocci.print_main("CPU write to published '%s'" % expr(O), p2)
cocci.print_secs("published", p1)

@script:python depends on org@
p1 << ptr.p1;
p2 << ptr.p2;
O << ptr.O;
@@
cocci.print_main("CPU write to published '%s'" % expr(O), p2)
cocci.print_secs("published", p1)

@ctx depends on context exists@
expression O, F, E;
identifier wr = {GPUOWN_ROLE_cpu_write_1, GPUOWN_ROLE_store_container_1,
		 GPUOWN_ROLE_store_clear_1, GPUOWN_STORE_PTR, GPUOWN_STORE_FW_PTR,
		 GPUOWN_CLEAR_PTR, GPUOWN_ROLE_shared_store_1};
@@
* GPUOWN_ROLE_publish_1(O, F)
... when != GPUOWN_ROLE_reclaim_1(O, ...)
    when != O = E
* wr(O, ...)
