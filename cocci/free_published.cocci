// SPDX-License-Identifier: MIT
/// Find frees of a GPU object that was published to the firmware and not
/// reclaimed on the way: the firmware still owns it (it may be reading it
/// right now), so the free leaves the firmware with a dangling pointer.
/// Reclaim it once its fence is reached, then free it.
//# The failure branch right after a checked publish is not reported (the
//# object stayed CPU-owned); neither is a path that asks the object's state
//# (a __gpuown_state_query function), which is how unwinding code decides to
//# reclaim. Driver free functions: -D free_fns=drv_obj_free,drv_bo_free:2 (":N"
//# names the argument holding the object, 1 or 2; default 1).
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: GPUOWN_ROLE_publish

virtual context
virtual org
virtual report
// Each option below is read only when given: a script rule that always
// runs would cost spatch its token prefilter (gpuown-check adds
// -D gpuown_opt_NAME for every -D NAME=VALUE it passes).
virtual gpuown_opt_free_fns

@initialize:python@
@@
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

def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

# The free functions of the profile: the object in argument 1 or 2.
FREE = fn_options(",".join(["GPUOWN_ROLE_free_1"] +
			   [n + ":2" for n in "GPUOWN_ROLE_free_2".split(",") if n]),
		  "free_fns")
CTX = set()  # positions to mark in context mode

def mark(*positions):
	for p in positions:
		CTX.add((p[0].file, p[0].line, p[0].column))

@script:python depends on gpuown_opt_free_fns@
spec << virtual.free_fns;
@@
FREE.clear()
FREE.update(fn_options(spec, "free_fns"))

// A publish whose failure is tested right away: the failure branch is skipped.
@checked_pub@
expression O, F, ret;
position p1;
statement S;
@@
(
 ret = GPUOWN_ROLE_publish_1@p1(O, F);
 if (\(ret\|ret < 0\|ret != 0\)) S
|
 ret = ret ?: GPUOWN_ROLE_publish_1@p1(O, F);
 if (\(ret\|ret < 0\|ret != 0\)) S
|
 if (\(GPUOWN_ROLE_publish_1@p1(O, F)\|GPUOWN_ROLE_publish_1@p1(O, F) < 0\|GPUOWN_ROLE_publish_1@p1(O, F) != 0\)) S
)

@checked exists@
expression checked_pub.O, checked_pub.F, checked_pub.ret, E;
position checked_pub.p1, p2;
statement S;
// Unless free_fns: identifier f1 = {GPUOWN_ROLE_free_1};
identifier f1 : script:python () { f1 in FREE[1] };
// Unless free_fns: identifier f2 = {GPUOWN_ROLE_free_2};
identifier f2 : script:python () { f2 in FREE[2] };
expression D;
@@
(
 ret = GPUOWN_ROLE_publish_1@p1(O, F);
 if (\(ret\|ret < 0\|ret != 0\)) S
|
 ret = ret ?: GPUOWN_ROLE_publish_1@p1(O, F);
 if (\(ret\|ret < 0\|ret != 0\)) S
|
 if (\(GPUOWN_ROLE_publish_1@p1(O, F)\|GPUOWN_ROLE_publish_1@p1(O, F) < 0\|GPUOWN_ROLE_publish_1@p1(O, F) != 0\)) S
)
... when != GPUOWN_ROLE_reclaim_1(O, ...)
    when != GPUOWN_ROLE_state_query(O)
    when != O = E
    when != &O
(
 f1@p2(O, ...)
|
 f2@p2(D, O, ...)
)

// Any other publish: every path after it counts.
@plain exists@
expression O, F, E;
position p1 != checked_pub.p1, p2;
// Unless free_fns: identifier f1 = {GPUOWN_ROLE_free_1};
identifier f1 : script:python () { f1 in FREE[1] };
// Unless free_fns: identifier f2 = {GPUOWN_ROLE_free_2};
identifier f2 : script:python () { f2 in FREE[2] };
expression D;
@@
GPUOWN_ROLE_publish_1@p1(O, F)
... when != GPUOWN_ROLE_reclaim_1(O, ...)
    when != GPUOWN_ROLE_state_query(O)
    when != O = E
    when != &O
(
 f1@p2(O, ...)
|
 f2@p2(D, O, ...)
)

@script:python depends on report@
p1 << checked_pub.p1;
p2 << checked.p2;
O << checked_pub.O;
@@
coccilib.report.print_report(p2[0],
	"ERROR: '%s' freed while published to the firmware and not reclaimed"
	% (expr(O)))

@script:python depends on report@
p1 << plain.p1;
p2 << plain.p2;
O << plain.O;
@@
coccilib.report.print_report(p2[0],
	"ERROR: '%s' freed while published to the firmware and not reclaimed"
	% (expr(O)))

@script:python depends on org@
p1 << checked_pub.p1;
p2 << checked.p2;
O << checked_pub.O;
@@
cocci.print_main("free of published '%s'" % expr(O), p2)
cocci.print_secs("published", p1)

@script:python depends on org@
p1 << plain.p1;
p2 << plain.p2;
O << plain.O;
@@
cocci.print_main("free of published '%s'" % expr(O), p2)
cocci.print_secs("published", p1)

@script:python depends on context@
p1 << checked_pub.p1;
p2 << checked.p2;
@@
mark(p1, p2)

@script:python depends on context@
p1 << plain.p1;
p2 << plain.p2;
@@
mark(p1, p2)

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
