// SPDX-License-Identifier: MIT
/// Find uses of a GPU object after it was freed: a field access through the
/// handle, a call that takes the handle (its CPU or GPU address, its name, a
/// second free), or a use of a CPU pointer or GPU address taken from the
/// object before the free. The object is quarantined by the free and any later
/// access is a dangling access.
//# The search along a path stops when the handle (or the derived address) is
//# assigned again. Uses reached only through a goto after the free are
//# reported too: Coccinelle follows every path, as the kernel's kfree rule.
//# Driver free functions: -D free_fns=drv_obj_free,drv_bo_free:2 (":N"
//# names the argument holding the object, 1 or 2; default 1).
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: GPUOWN_ROLE_free $free_fns

virtual context
virtual org
virtual report
// Each option below is read only when given: a script rule that always
// runs would cost spatch its token prefilter (gpuown-check adds
// -D gpuown_opt_NAME for every -D NAME=VALUE it passes).
virtual gpuown_opt_free_fns

@initialize:python@
@@
def expr(e):
	"""Coccinelle prints 'h -> obj'; messages use the source spelling."""
	return str(e).replace(" -> ", "->").replace(" . ", ".")

def forward(O, p1, p2):
	"""False for a use reached only around a loop through a compound handle.

	objs[i] or h->obj name another object once the loop advanced i or h, and
	Coccinelle does not see that; a plain variable stays the same object
	unless assigned, which the rules already look for.
	"""
	if (int(p2[0].line), int(p2[0].column)) > (int(p1[0].line), int(p1[0].column)):
		return True
	return str(O).replace("_", "a").isalnum()

def fn_options(spec, what):
	"""'a,b:2' -> {1: {'a'}, 2: {'b'}}: names and the object's argument."""
	out = {1: set(), 2: set()}
	for item in spec.split(","):
		item = item.strip()
		if not item:
			continue
		name, _, pos = item.partition(":")
		if not name.isidentifier() or pos not in ("", "1", "2"):
			raise ValueError("bad %s entry '%s': expected NAME or NAME:1 or NAME:2"
					 % (what, item))
		out[int(pos or 1)].add(name)
	return out

# The free functions of the profile: the object in argument 1 or 2.
FREE = fn_options(",".join(["GPUOWN_ROLE_free_1"] +
			   [n + ":2" for n in "GPUOWN_ROLE_free_2".split(",") if n]),
		  "free_fns")
CTX = set()  # positions to mark in context mode

def mark(*positions):
	for p in positions:
		CTX.add((p[0].file, p[0].line, p[0].column))

@script:python depends on gpuown_opt_free_fns@
names << virtual.free_fns;
@@
FREE.clear()
FREE.update(fn_options(names, "free_fns"))

// A free through a pointer to the handle (f(&bo)) clears the handle: a second
// call is harmless, and a copy used after it is handle_free's.
@free@
// Unless free_fns: identifier f1 = {GPUOWN_ROLE_free_1};
identifier f1 : script:python () { f1 in FREE[1] };
// Unless free_fns: identifier f2 = {GPUOWN_ROLE_free_2};
identifier f2 : script:python () { f2 in FREE[2] };
expression O : script:python () { not str(O).lstrip().startswith("&") };
expression D;
position p1;
@@
(
 f1@p1(O, ...)
|
 f2@p1(D, O, ...)
)

// A second free of the same handle.
@dbl exists@
identifier fr;
// Unless free_fns: identifier f1 = {GPUOWN_ROLE_free_1};
identifier f1 : script:python () { f1 in FREE[1] };
// Unless free_fns: identifier f2 = {GPUOWN_ROLE_free_2};
identifier f2 : script:python () { f2 in FREE[2] };
expression free.O, E, D;
position free.p1, p2;
@@
fr@p1(...)
... when != O = E
    when != &O
(
 f1@p2(O, ...)
|
 f2@p2(D, O, ...)
)

// Dereference of the handle, or a call that takes it.
@use exists@
identifier fr, fld;
// Unless free_fns: identifier f != {GPUOWN_ROLE_free_1, GPUOWN_ROLE_free_2};
identifier f : script:python () { f not in FREE[1] and f not in FREE[2] };
expression free.O, E;
position free.p1, p2;
@@
fr@p1(...)
... when != O = E
    when != &O
(
 O@p2->fld
|
 f@p2(..., O, ...)
)

// CPU pointers and GPU addresses taken from the object before the free.
@derived@
expression O;
expression x;
identifier af = {GPUOWN_ROLE_cpu_addr, GPUOWN_ROLE_gpu_addr_fn, GPUOWN_ROLE_fw_addr_fn};
@@
x = af(O)

@use_derived exists@
identifier fr, f, fld;
expression free.O, E;
expression derived.x;
identifier derived.af;
position free.p1, p2;
@@
x = af(O);
... when != x = E
fr@p1(...)
... when != x = E
(
 x@p2->fld
|
 *x@p2
|
 x@p2[...]
|
 f(..., x@p2, ...)
|
 E = x@p2
)

// The same, when the address initialises a declaration.
@derived_decl@
expression O;
identifier x;
type T;
identifier af = {GPUOWN_ROLE_cpu_addr, GPUOWN_ROLE_gpu_addr_fn, GPUOWN_ROLE_fw_addr_fn};
@@
T x = af(O);

@use_derived_decl exists@
identifier fr, f, fld;
expression free.O, E;
identifier derived_decl.x;
identifier derived_decl.af;
type derived_decl.T;
position free.p1, p2;
@@
T x = af(O);
... when != x = E
fr@p1(...)
... when != x = E
(
 x@p2->fld
|
 *x@p2
|
 x@p2[...]
|
 f(..., x@p2, ...)
|
 E = x@p2
)

@script:python depends on report@
p1 << free.p1;
p2 << dbl.p2;
O << free.O;
@@
if forward(O, p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: double free of GPU object '%s'"
		% (expr(O)))

@script:python depends on org@
p1 << free.p1;
p2 << dbl.p2;
O << free.O;
@@
if forward(O, p1, p2):
	cocci.print_main("double free of '%s'" % expr(O), p2)
	cocci.print_secs("freed", p1)

@script:python depends on report@
p1 << free.p1;
p2 << use.p2;
O << free.O;
@@
if forward(O, p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: use of GPU object '%s' after free"
		% (expr(O)))

@script:python depends on org@
p1 << free.p1;
p2 << use.p2;
O << free.O;
@@
if forward(O, p1, p2):
	cocci.print_main("use of '%s' after free" % expr(O), p2)
	cocci.print_secs("freed", p1)

@script:python depends on report@
p1 << free.p1;
p2 << use_derived.p2;
O << free.O;
x << derived.x;
af << derived.af;
@@
if forward(O, p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: use of '%s' (%s() of '%s') after free"
		% (expr(x), af, expr(O)))

@script:python depends on org@
p1 << free.p1;
p2 << use_derived.p2;
O << free.O;
x << derived.x;
@@
if forward(O, p1, p2):
	cocci.print_main("use of '%s' after free" % expr(x), p2)
	cocci.print_secs("freed", p1)

@script:python depends on context@
p1 << free.p1;
p2 << dbl.p2;
O << free.O;
@@
if forward(O, p1, p2):
	mark(p1, p2)

@script:python depends on context@
p1 << free.p1;
p2 << use.p2;
O << free.O;
@@
if forward(O, p1, p2):
	mark(p1, p2)

@script:python depends on context@
p1 << free.p1;
p2 << use_derived.p2;
O << free.O;
@@
if forward(O, p1, p2):
	mark(p1, p2)

@script:python depends on report@
p1 << free.p1;
p2 << use_derived_decl.p2;
O << free.O;
x << derived_decl.x;
af << derived_decl.af;
@@
if forward(O, p1, p2):
	coccilib.report.print_report(p2[0],
		"ERROR: use of '%s' (%s() of '%s') after free"
		% (x, af, expr(O)))

@script:python depends on org@
p1 << free.p1;
p2 << use_derived_decl.p2;
O << free.O;
x << derived_decl.x;
@@
if forward(O, p1, p2):
	cocci.print_main("use of '%s' after free" % x, p2)
	cocci.print_secs("freed", p1)

@script:python depends on context@
p1 << free.p1;
p2 << use_derived_decl.p2;
O << free.O;
@@
if forward(O, p1, p2):
	mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
