// SPDX-License-Identifier: MIT
/// Find versioned firmware-struct fields accessed, in code compiled once per
/// firmware variant, outside the preprocessor guard that limits the access to
/// the variants having the field. Such code is only right for some variants;
/// every other variant either fails to build or, with a same-named field of
/// another meaning, silently writes the wrong bytes.
/// Versioned fields are those the generator marks with
/// __gpuown_versioned("<predicate>"); a guard is an #if / #elif (or its #else)
/// testing GPUOWN_V / GPUOWN_G, and it must test every axis the predicate
/// names. The patch wraps the statement in `#if <predicate>` ... `#endif`.
//# Where the fields come from: the annotated headers (gpuown-check's
//# --profile and what it includes: __gpuown_versioned on a field, or a
//# GPUOWN_FIELD_FACT() naming one), -D fw_headers=a.h:b.h (generated headers,
//# as run-cocci passes them with --fw-header or -p), and/or
//# -D versioned_fields="unk_18_0=V >= V2_0;pad_30=G >= G12".
//# A name that is also an unversioned field of some struct is skipped: the
//# access may be to that struct.
//# Versioned code is a file using FW_T()/FW_FN()/GPUOWN_V (the file the
//# instantiation header includes once per variant).
//# The patch only rewrites an access in an expression statement that starts
//# on the access's line; other accesses are reported only.
///
// Confidence: High
// Options: --no-includes --include-headers
// Tokens: FW_T FW_FN GPUOWN_V GPUOWN_G

virtual patch
virtual context
virtual org
virtual report
// Each option below is read only when given: a script rule that always
// runs would cost spatch its token prefilter (gpuown-check adds
// -D gpuown_opt_NAME for every -D NAME=VALUE it passes).
virtual gpuown_opt_fw_headers
virtual gpuown_opt_versioned_fields

@initialize:python@
@@
import difflib
import os
import re

VERSIONED = {}  # field -> predicate (fwdef syntax)
PLAIN = set()  # field names that are unversioned somewhere
FILES = {}  # file -> lines
FIXES = {}  # file -> {first line: last line} statements to wrap
READ = []  # fw_headers already read
PRED_RE = re.compile(r"\b([GV])\s*(==|!=|<=|>=|<|>)\s*(\w+)")
ATTR_RE = re.compile(r'__gpuown_versioned\("([^"]*)"\)')
FIELD_RE = re.compile(r"(\w+)\s*(\[[^\]]*\])?\s*(__\w+(\([^)]*\))?\s*)*;\s*$")
# C's line comment, not written out: spatch can take a double slash in
# script code for a comment of its own (after another rule's SmPL code, when
# gpuown-check merges the rule set into one semantic patch).
LINE_COMMENT = "/" * 2
DIRECTIVE_RE = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")

def read_header(path):
	depth = 0
	try:
		lines = open(path, encoding="utf-8").read().splitlines()
	except OSError as e:
		raise ValueError("cannot read fw_headers entry '%s': %s" % (path, e.strerror))
	for line in lines:
		code = line.split(LINE_COMMENT)[0]
		if depth > 0 and code.rstrip().endswith(";"):
			attr = ATTR_RE.search(code)
			m = FIELD_RE.search(ATTR_RE.sub("", code))
			if m:
				if attr:
					VERSIONED.setdefault(m.group(1), attr.group(1))
				else:
					PLAIN.add(m.group(1))
		depth += code.count("{") - code.count("}")

def read_list(spec):
	for item in spec.split(";"):
		if not item.strip():
			continue
		name, eq, pred = item.partition("=")
		if not eq or not name.strip().isidentifier() or not pred.strip():
			raise ValueError("bad versioned_fields entry '%s': expected FIELD=PREDICATE" % item)
		VERSIONED[name.strip()] = pred.strip()

def c_guard(pred):
	"""'V >= V2_0 && G < G12' -> 'GPUOWN_V >= FW_V_V2_0 && GPUOWN_G < FW_G_G12'."""
	return PRED_RE.sub(lambda m: "GPUOWN_%s %s FW_%s_%s" % (m.group(1), m.group(2),
								 m.group(1), m.group(3)), pred)

def axes(text):
	return set(a for a in ("G", "V") if re.search(r"\bGPUOWN_%s\b" % a, text))

def lines_of(path):
	if path not in FILES:
		FILES[path] = open(path, encoding="utf-8").read().splitlines(True)
	return FILES[path]

def guards(path, line):
	"""Conditions of the #if blocks enclosing @line (1-based)."""
	stack = []
	for text in lines_of(path)[:line - 1]:
		m = DIRECTIVE_RE.match(text)
		if not m:
			continue
		kind, rest = m.group(1), m.group(2)
		if kind in ("if", "ifdef", "ifndef"):
			stack.append(rest)
		elif kind in ("elif", "else") and stack:
			stack[-1] = stack[-1] + " " + rest
		elif kind == "endif" and stack:
			stack.pop()
	return stack

def versioned_source(path):
	text = "".join(lines_of(path))
	return re.search(r"\b(FW_T|FW_FN|GPUOWN_V|GPUOWN_G)\b", text) is not None

def problem(path, line, fld):
	"""None when the access is fine, else the predicate it needs."""
	if fld not in VERSIONED or fld in PLAIN or not versioned_source(path):
		return None
	need = set(a for a, _, _ in PRED_RE.findall(VERSIONED[fld]))
	have = set()
	for g in guards(path, line):
		have |= axes(g)
	if need <= have:
		return None
	return VERSIONED[fld]

def statement_end(path, line):
	"""Last line of the statement starting on @line, or None if unclear."""
	lines = lines_of(path)
	depth = 0
	for n in range(line - 1, min(len(lines), line + 20)):
		code = re.sub(r"/\*.*?\*/", "", lines[n]).split(LINE_COMMENT)[0]
		depth += code.count("(") - code.count(")") + code.count("{") - code.count("}")
		if depth == 0 and code.rstrip().endswith(";"):
			return n + 1
		if depth < 0:
			return None
	return None

# The versioned fields of the annotated headers: a generated header the
# profile includes, or the profile's GPUOWN_FIELD_FACT(rec, field,
# __gpuown_versioned("...")) on a driver's own struct. gpuown-check writes
# them in as "field=predicate;..." (fields also plain in the same header left
# out); the placeholder itself, in a rule run by hand, means none.
_profile = "GPUOWN_FIELDS_versioned"
if _profile and not _profile.startswith("GPUOWN_FIELDS"):
	read_list(_profile)

@script:python depends on gpuown_opt_fw_headers@
spec << virtual.fw_headers;
@@
# Script rules run once per file; the headers are read once per spatch.
if not READ:
	for h in spec.split(":"):
		if h.strip():
			read_header(h.strip())
	READ.append(spec)

@script:python depends on gpuown_opt_versioned_fields@
spec << virtual.versioned_fields;
@@
read_list(spec)

@acc@
expression E;
identifier fld;
position p;
@@
(
 E@p->fld
|
 E@p.fld
)

@script:python depends on report@
p << acc.p;
fld << acc.fld;
@@
pred = problem(p[0].file, int(p[0].line), fld)
if pred is not None:
	coccilib.report.print_report(p[0],
		"ERROR: versioned field '%s' (only where %s) accessed without the variant check #if %s"
		% (fld, pred, c_guard(pred)))

@script:python depends on org@
p << acc.p;
fld << acc.fld;
@@
pred = problem(p[0].file, int(p[0].line), fld)
if pred is not None:
	cocci.print_main("versioned field '%s' without #if %s" % (fld, c_guard(pred)), p)

// Context mode: the accesses to look at, one per line.
@script:python depends on context@
p << acc.p;
fld << acc.fld;
@@
pred = problem(p[0].file, int(p[0].line), fld)
if pred is not None:
	print("%s:%s: versioned field '%s' needs #if %s"
	      % (p[0].file, p[0].line, fld, c_guard(pred)))

// The statement holding the access, when it starts on the access's line.
@script:python depends on patch@
p << acc.p;
fld << acc.fld;
@@
path, line = p[0].file, int(p[0].line)
pred = problem(path, line, fld)
text = lines_of(path)[line - 1] if pred is not None else ""
# Only an access that begins its statement: `x->fld = v;`, `x->fld++;`.
if pred is not None and text[:int(p[0].column)].strip() == "":
	end = statement_end(path, line)
	if end is not None:
		FIXES.setdefault(path, {})[line] = (end, c_guard(pred))

@finalize:python depends on patch@
@@
for path in sorted(FIXES):
	old = lines_of(path)
	new = []
	ends = {}
	for n, text in enumerate(old, 1):
		if n in FIXES[path]:
			end, guard = FIXES[path][n]
			new.append("#if %s\n" % guard)
			ends[end] = True
		new.append(text)
		if n in ends:
			new.append("#endif\n")
	rel = os.path.relpath(path)
	print("diff -u -p a/%s b/%s" % (rel, rel))
	for d in difflib.unified_diff(old, new, "a/" + rel, "b/" + rel, n=3):
		print(d, end="")
