// SPDX-License-Identifier: MIT
/// Find GPU VM maps longer than the object they map, where both sizes are
/// constants: the object is allocated with a size (a parameter marked
/// __gpuown_alloc_size, the object returned through __gpuown_alloc_out or by
/// an __gpuown_alloc function) and later mapped (__gpuown_maps) with a length
/// (__gpuown_map_size) greater than that size. The pages past the object
/// belong to something else: the GPU reads or writes them through the map.
//# Sizes are integer constants and expressions of them: 8192, 0x2000,
//# 2 * 4096, 1 << 13, SZ_8K (the kernel's linux/sizes.h names). A size the
//# rule cannot evaluate (a variable, PAGE_SIZE) is not compared; the
//# analyzer compares every size it can compute on a path. The map must follow
//# the allocation in the same function; a handle assigned again in between
//# is not followed.
///
// Confidence: High
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
import re

def positions(*specs):
	"""Role instances for parameters 1..n -> {function: parameter}."""
	out = {}
	for i, spec in enumerate(specs, 1):
		for n in spec.split(","):
			if n:
				out.setdefault(n, set()).add(i)
	return out

ALLOC_SIZE = positions("GPUOWN_ROLE_alloc_size_1", "GPUOWN_ROLE_alloc_size_2",
		       "GPUOWN_ROLE_alloc_size_3", "GPUOWN_ROLE_alloc_size_4",
		       "GPUOWN_ROLE_alloc_size_5", "GPUOWN_ROLE_alloc_size_6")
ALLOC_OUT = positions("GPUOWN_ROLE_alloc_out_1", "GPUOWN_ROLE_alloc_out_2",
		      "GPUOWN_ROLE_alloc_out_3", "GPUOWN_ROLE_alloc_out_4",
		      "GPUOWN_ROLE_alloc_out_5", "GPUOWN_ROLE_alloc_out_6")
MAPS = positions("GPUOWN_ROLE_map_1", "GPUOWN_ROLE_map_2", "GPUOWN_ROLE_map_3",
		 "GPUOWN_ROLE_map_4", "GPUOWN_ROLE_map_5", "GPUOWN_ROLE_map_6")
MAP_SIZE = positions("GPUOWN_ROLE_map_size_1", "GPUOWN_ROLE_map_size_2",
		     "GPUOWN_ROLE_map_size_3", "GPUOWN_ROLE_map_size_4",
		     "GPUOWN_ROLE_map_size_5", "GPUOWN_ROLE_map_size_6")

SIZES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
ALLOCS = {}  # (file, function, object) -> [(line, column, size)]
CTX = set()
MODES = set()

def value(e):
	"""The value of a constant size expression, or None."""
	s = re.sub(r"\bSZ_(\d+)([KMG])\b",
		   lambda m: str(int(m.group(1)) * SIZES[m.group(2)]), str(e))
	s = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", s)
	s = re.sub(r"\(\s*(unsigned\s+)?(long\s+)*(int|long|u32|u64|size_t)\s*\)", "", s)
	if not re.fullmatch(r"[0-9a-fA-FxX\s()+*<>-]*", s) or not s.strip():
		return None
	try:
		v = eval(s, {"__builtins__": {}}, {})
	except Exception:
		return None
	return v if isinstance(v, int) else None

def args(*es):
	return [str(e) for e in es if str(e) != ""]

def obj(a):
	a = a.strip()
	return a[1:].strip() if a.startswith("&") else None

def key(p):
	return (p[0].file, p[0].line, p[0].column)

@script:python depends on report@
@@
MODES.add("report")

@script:python depends on org@
@@
MODES.add("org")

@alloc@
identifier f = {GPUOWN_ROLE_alloc_size};
expression E1, E2, E3, E4, E5, E6, R;
position p;
@@
(
 R = f@p(E1)
|
 R = f@p(E1, E2)
|
 R = f@p(E1, E2, E3)
|
 R = f@p(E1, E2, E3, E4)
|
 R = f@p(E1, E2, E3, E4, E5)
|
 R = f@p(E1, E2, E3, E4, E5, E6)
|
 f@p(E1)
|
 f@p(E1, E2)
|
 f@p(E1, E2, E3)
|
 f@p(E1, E2, E3, E4)
|
 f@p(E1, E2, E3, E4, E5)
|
 f@p(E1, E2, E3, E4, E5, E6)
)

@script:python@
f << alloc.f;
p << alloc.p;
e1 << alloc.E1 = "";
e2 << alloc.E2 = "";
e3 << alloc.E3 = "";
e4 << alloc.E4 = "";
e5 << alloc.E5 = "";
e6 << alloc.E6 = "";
r << alloc.R = "";
@@
a = args(e1, e2, e3, e4, e5, e6)
fn = (p[0].file, p[0].current_element)
here = (int(p[0].line), int(p[0].column))
f = str(f)
for si in ALLOC_SIZE.get(f, ()):
	size = value(a[si - 1]) if si <= len(a) else None
	if size is None:
		continue
	objs = [obj(a[oi - 1]) for oi in ALLOC_OUT.get(f, ()) if oi <= len(a)]
	if str(r):
		objs.append(str(r))
	for o in objs:
		if o:
			ALLOCS.setdefault(fn + (o,), []).append(here + (size,))

@map@
identifier f = {GPUOWN_ROLE_map};
expression E1, E2, E3, E4, E5, E6, R;
position p;
@@
(
 R = f@p(E1)
|
 R = f@p(E1, E2)
|
 R = f@p(E1, E2, E3)
|
 R = f@p(E1, E2, E3, E4)
|
 R = f@p(E1, E2, E3, E4, E5)
|
 R = f@p(E1, E2, E3, E4, E5, E6)
|
 f@p(E1)
|
 f@p(E1, E2)
|
 f@p(E1, E2, E3)
|
 f@p(E1, E2, E3, E4)
|
 f@p(E1, E2, E3, E4, E5)
|
 f@p(E1, E2, E3, E4, E5, E6)
)

@script:python@
f << map.f;
p << map.p;
e1 << map.E1 = "";
e2 << map.E2 = "";
e3 << map.E3 = "";
e4 << map.E4 = "";
e5 << map.E5 = "";
e6 << map.E6 = "";
r << map.R = "";
@@
a = args(e1, e2, e3, e4, e5, e6)
fn = (p[0].file, p[0].current_element)
here = (int(p[0].line), int(p[0].column))
f = str(f)
for mi in MAPS.get(f, ()):
	if mi > len(a):
		continue
	o = a[mi - 1]
	for li in MAP_SIZE.get(f, ()):
		length = value(a[li - 1]) if li <= len(a) else None
		if length is None:
			continue
		before = [x for x in ALLOCS.get(fn + (o,), []) if x[:2] < here]
		if not before:
			continue
		size = max(before)[2]
		if length <= size:
			continue
		if "report" in MODES:
			coccilib.report.print_report(p[0],
				"ERROR: map of %d bytes of '%s', an object of %d bytes"
				% (length, o, size))
		if "org" in MODES:
			cocci.print_main("map of %d bytes of a %d-byte '%s'"
					 % (length, size, o), p)
		CTX.add(key(p))

@ctx depends on context disable ptr_to_array@
expression E;
position p : script:python () { (p[0].file, p[0].line, p[0].column) in CTX };
@@
* E@p
