// SPDX-License-Identifier: MIT
/// Find CPU writes through a non-coherent mapping that reach the device
/// without a sync for the device. A cached mapping the device does not snoop
/// (a function marked __gpuown_mapping(noncoherent)) keeps the CPU's writes
/// in its caches; the device reads stale memory unless a sync
/// (dma_sync_*_for_device(), the driver's clflush: a parameter marked
/// __gpuown_syncs_for_device) runs between the last write and the hand-over
/// (__gpuown_publishes, or the object's address given to a
/// __gpuown_publishes_addr sink).
/// Patch mode inserts the sync, called with the object, before the
/// hand-over, when a sync function takes the object as its first parameter.
//# Writes: stores through the pointer the mapping returned, memcpy(),
//# memset(). Write-combined and uncached mappings need no sync and are not
//# looked at. The patch calls the first sync function of the profile (by
//# name) whose first parameter is the object.
///
// Confidence: High
// Options: --no-includes --include-headers

virtual context
virtual org
virtual patch
virtual report

@initialize:python@
@@
def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

SYNC1 = sorted(n for n in "GPUOWN_ROLE_sync_for_device_1".split(",") if n)

@nc exists@
identifier mf = {GPUOWN_ROLE_mapping__noncoherent};
identifier sink = {GPUOWN_ROLE_publish_addr};
identifier af = {GPUOWN_ROLE_gpu_addr_fn, GPUOWN_ROLE_fw_addr_fn};
expression O, E, V, D, D2;
identifier x, fld;
position pw, ph;
type T;
assignment operator aop;
@@
(
 x = mf(..., O, ...);
|
 T x = mf(..., O, ...);
)
... when != x = E
    when != O = E
    when any
(
 x@pw->fld aop V
|
 x@pw->fld[...] aop V
|
 x@pw[...] aop V
|
 *x@pw aop V
|
 memcpy(x@pw, ...)
|
 memset(x@pw, ...)
)
... when != GPUOWN_ROLE_sync_for_device_1(O, ...)
    when != GPUOWN_ROLE_sync_for_device_2(D, O, ...)
    when != O = E
    when any
(
 GPUOWN_ROLE_publish_1@ph(O, ...)
|
 GPUOWN_ROLE_publish_2@ph(D, O, ...)
|
 GPUOWN_ROLE_publish_3@ph(D, D2, O, ...)
|
 sink@ph(..., <+... af(..., O, ...) ...+>, ...)
)

@script:python depends on report@
O << nc.O;
x << nc.x;
ph << nc.ph;
@@
coccilib.report.print_report(ph[0],
	"ERROR: '%s' written through its non-coherent mapping '%s' is handed to the device without a sync for the device"
	% (expr(O), x))

@script:python depends on org@
O << nc.O;
pw << nc.pw;
ph << nc.ph;
@@
cocci.print_main("'%s' handed over without a sync for the device" % expr(O), ph)
cocci.print_secs("CPU write", pw)

@ctx depends on context@
identifier f;
position nc.ph;
@@
* f@ph(...)

@script:python syncname depends on patch@
s;
@@
if SYNC1:
	coccinelle.s = cocci.make_ident(SYNC1[0])
else:
	cocci.include_match(False)

@fix depends on patch@
identifier syncname.s;
expression nc.O, R;
position nc.ph;
identifier f;
statement S;
@@
(
+ s(O);
  f@ph(...);
|
+ s(O);
  R = f@ph(...);
|
+ s(O);
  return f@ph(...);
|
+ s(O);
  if (<+... f@ph(...) ...+>) S
)
