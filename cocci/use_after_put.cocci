// SPDX-License-Identifier: MIT
/// Find uses of an object after a put that may have dropped its last
/// reference: a field access, a call that takes the object, or a second put.
/// A put (kref_put(), drm_gem_object_put(), dma_fence_put(), a driver's own
/// wrapper: a parameter marked __gpuown_put) frees the object when the count
/// reaches zero, so after it the object may be gone. The put of an embedded
/// object (drm_gem_object_put(&bo->base)) makes the container (bo) gone too.
//# A put that follows a get of the same object on the path drops this code's
//# own extra reference and is not reported (the caller's reference may keep
//# the object alive; the analyzer counts references, this rule does not).
//# The search along a path stops when the handle is assigned again. A put
//# through a pointer to the handle (kamd_bo_unref(&bo)) is handle_free's.
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

def forward(p1, p2):
	"""A use reached only around a loop may be another object."""
	return (int(p2[0].line), int(p2[0].column)) > \
		(int(p1[0].line), int(p1[0].column))

PUT = set(n for n in "GPUOWN_ROLE_put".split(",") if n)
HELD = set()  # puts that drop a reference this function took itself
CTX = set()

def key(p):
	return (p[0].file, p[0].line, p[0].column)

def mark(*positions):
	for p in positions:
		CTX.add(key(p))

// put(O), O not an address: O itself may be gone.
@put@
expression O : script:python () { not str(O).lstrip().startswith("&") };
expression D;
position p1;
@@
(
 GPUOWN_ROLE_put_1@p1(O, ...)
|
 GPUOWN_ROLE_put_2@p1(D, O, ...)
)

// put(&X->fld): X embeds the object and goes with it.
@put_embedded@
expression X, D;
identifier fld;
position p1;
@@
(
 GPUOWN_ROLE_put_1@p1(&X->fld, ...)
|
 GPUOWN_ROLE_put_2@p1(D, &X->fld, ...)
)

// A get of the same object earlier on the path: the put is balanced.
@held exists@
expression put.O, E;
position put.p1, ph;
@@
(
 GPUOWN_ROLE_get_1(O)
|
 O = GPUOWN_ROLE_get_1(...)
)
... when != O = E
GPUOWN_ROLE_put_1@p1@ph(...)

@script:python@
p1 << held.ph;
@@
HELD.add(key(p1))

@use exists@
identifier fr, fld, f;
expression put.O, E;
position put.p1, p2;
@@
fr@p1(...)
... when != O = E
    when != &O
(
 O@p2->fld
|
 f@p2(..., O, ...)
)

@use_embedded exists@
identifier fr, fld, f;
expression put_embedded.X, E;
position put_embedded.p1, p2;
@@
fr@p1(...)
... when != X = E
    when != &X
(
 X@p2->fld
|
 f@p2(..., X, ...)
)

@script:python depends on report@
p1 << put.p1;
p2 << use.p2;
O << put.O;
f << use.f = "";
@@
if forward(p1, p2) and key(p1) not in HELD:
	what = "put" if f in PUT else "use"
	coccilib.report.print_report(p2[0],
		"ERROR: %s of '%s' after a put that may have dropped the last reference"
		% (what, expr(O)))

@script:python depends on report@
p1 << put_embedded.p1;
p2 << use_embedded.p2;
X << put_embedded.X;
fld << put_embedded.fld;
@@
if forward(p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: use of '%s' after the put of '&%s->%s' may have dropped the last reference"
		% (expr(X), expr(X), fld))

@script:python depends on org@
p1 << put.p1;
p2 << use.p2;
O << put.O;
@@
if forward(p1, p2) and key(p1) not in HELD:
	cocci.print_main("use of '%s' after a put" % expr(O), p2)
	cocci.print_secs("put", p1)

@script:python depends on org@
p1 << put_embedded.p1;
p2 << use_embedded.p2;
X << put_embedded.X;
@@
if forward(p1, p2):
	cocci.print_main("use of '%s' after a put" % expr(X), p2)
	cocci.print_secs("put", p1)

@script:python depends on context@
p1 << put.p1;
p2 << use.p2;
@@
if forward(p1, p2) and key(p1) not in HELD:
	mark(p1, p2)

@script:python depends on context@
p1 << put_embedded.p1;
p2 << use_embedded.p2;
@@
if forward(p1, p2):
	mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
