// SPDX-License-Identifier: MIT
/// Find lookups that hand out an object without taking a reference, and
/// callers that keep using a looked-up object after dropping the reference.
/// A lookup finds a driver object (a context, a job) that owns GPU objects;
/// without a reference the object can be destroyed, and its GPU objects
/// freed, by the next retirement while the caller still uses it.
/// 1. In a lookup function returning a pointer, `return x;` reachable without
///    a reference taken on x: get_fn(x), x->refs++, kref_get(&x->...), ...
/// 2. At a call site, x = lookup(...), then put(x), then a use of x.
/// 3. At a call site, a return, after the lookup succeeded, that neither puts
///    the reference nor hands it on (returns or stores x): a leak, and the
///    object and its GPU objects are never freed.
//# Names, for drivers with their own conventions (comma lists; the defaults
//# are name patterns):
//#   -D lookup_fns=simgpu_ctx_lookup,...  default: *_lookup, *_find
//#   -D get_fns=drv_ctx_get,...           default: *_get, *_ref, *_grab
//#   -D put_fns=simgpu_ctx_put,...        default: *_put, *_unref
//#   -D ref_fields=refs,...               default: refs, refcount, refcnt,
//#                                        ref, kref, usage
//# Counter increments (x->refs++, ++x->refs, x->refs += n) and kref_get(),
//# refcount_inc(), atomic_inc() on such a field count as taking a reference.
///
// Confidence: Moderate
// Options: --no-includes --include-headers
// Tokens: *_lookup *_find GPUOWN_ROLE_lookup_get $lookup_fns

virtual context
virtual org
virtual report
// Each option below is read only when given: a script rule that always
// runs would cost spatch its token prefilter (gpuown-check adds
// -D gpuown_opt_NAME for every -D NAME=VALUE it passes).
virtual gpuown_opt_lookup_fns
virtual gpuown_opt_get_fns
virtual gpuown_opt_put_fns
virtual gpuown_opt_ref_fields

@initialize:python@
@@
import re

class Names:
	"""A comma list given with -D, or a default name pattern."""
	def __init__(self, pattern):
		self.pattern = re.compile(pattern)
		self.names = None
		self.extend = False

	def set(self, spec, what, extend=False):
		names = set(n.strip() for n in spec.split(",") if n.strip())
		for n in names:
			if not n.isidentifier():
				raise ValueError("bad %s entry '%s': expected a name" % (what, n))
		self.names = names
		self.extend = extend

	def __contains__(self, name):
		if self.names is not None and name in self.names:
			return True
		if self.names is not None and not self.extend:
			return False
		return self.pattern.search(name) is not None


def expr(e):
	return str(e).replace(" -> ", "->").replace(" . ", ".")

LOOKUP = Names(r"(_lookup|_find)$")
GET = Names(r"(_get|_ref|_grab)$")
PUT = Names(r"(_put|_unref)$")
REF = Names(r"^(refs|refcount|refcnt|ref|kref|usage)$")

# The profile's lookups replace the name pattern: a borrowed *_find must not
# be taken for a referenced lookup. Its gets and puts extend the patterns: a
# profile that names the runtime's or a few of the driver's puts leaves the
# driver's other *_put helpers what they are, reference drops.
for _names, _spec, _extend in ((LOOKUP, "GPUOWN_ROLE_lookup_get", False),
			       (GET, "GPUOWN_ROLE_get", True),
			       (PUT, "GPUOWN_ROLE_put", True)):
	if _spec and not _spec.startswith("GPUOWN_ROLE"):
		_names.set(_spec, "profile", _extend)

@script:python depends on gpuown_opt_lookup_fns@
spec << virtual.lookup_fns;
@@
LOOKUP.set(spec, "lookup_fns")

@script:python depends on gpuown_opt_get_fns@
spec << virtual.get_fns;
@@
GET.set(spec, "get_fns")

@script:python depends on gpuown_opt_put_fns@
spec << virtual.put_fns;
@@
PUT.set(spec, "put_fns")

@script:python depends on gpuown_opt_ref_fields@
spec << virtual.ref_fields;
@@
REF.set(spec, "ref_fields")

// 1. The lookup itself returns an unreferenced object.
@noref exists@
identifier lf : script:python () { lf in LOOKUP };
identifier gf : script:python () { gf in GET };
identifier rf : script:python () { rf in REF };
identifier x != {NULL};
identifier kf = {kref_get, refcount_inc, atomic_inc, atomic_long_inc};
expression E;
position p;
type T;
@@
T *lf(...)
{
... when != gf(..., x, ...)
    when != x->rf++
    when != ++x->rf
    when != x->rf += E
    when != kf(&x->rf)
return x@p;
... when any
}

@script:python depends on report@
p << noref.p;
x << noref.x;
@@
coccilib.report.print_report(p[0],
	"ERROR: lookup %s() returns '%s' without taking a reference"
	% (p[0].current_element, x))

@script:python depends on org@
p << noref.p;
x << noref.x;
@@
cocci.print_main("lookup returns '%s' without a reference" % x, p)

// 2. The caller drops the reference, then keeps using the object.
@after_put exists@
identifier lf : script:python () { lf in LOOKUP };
identifier pf : script:python () { pf in PUT };
identifier f, fld;
expression x, E;
position p1, p2;
@@
x = lf(...);
...
pf@p1(x);
... when != x = E
(
 x@p2->fld
|
 f(..., x@p2, ...)
)

@script:python depends on report@
p1 << after_put.p1;
p2 << after_put.p2;
x << after_put.x;
@@
coccilib.report.print_report(p2[0],
	"ERROR: '%s' used after its lookup reference was dropped"
	% (expr(x)))

@script:python depends on org@
p1 << after_put.p1;
p2 << after_put.p2;
x << after_put.x;
@@
cocci.print_main("'%s' used after its lookup reference was dropped" % expr(x), p2)
cocci.print_secs("put", p1)

// 3. The reference is neither dropped nor handed on before a return.
@leak exists@
identifier lf : script:python () { lf in LOOKUP };
identifier pf : script:python () { pf in PUT };
expression x, E, E2;
statement S;
position p1, p2;
@@
x = lf@p1(...);
if (\(!x\|x == NULL\|IS_ERR(x)\|IS_ERR_OR_NULL(x)\)) S
... when != pf(x)
    when != if (x) pf(x);
    when != E = x
    when != x = E
    when != return x;
(
 return x;
|
 return@p2;
|
 return@p2 E2;
)

@script:python depends on report@
p1 << leak.p1;
p2 << leak.p2;
x << leak.x;
@@
coccilib.report.print_report(p2[0],
	"ERROR: reference to '%s' from its lookup is neither put nor handed on"
	% (expr(x)))

@script:python depends on org@
p1 << leak.p1;
p2 << leak.p2;
x << leak.x;
@@
cocci.print_main("lookup reference to '%s' leaked" % expr(x), p2)
cocci.print_secs("lookup", p1)

@ctx depends on context exists@
identifier lf : script:python () { lf in LOOKUP };
identifier gf : script:python () { gf in GET };
identifier rf : script:python () { rf in REF };
identifier x != {NULL};
expression E;
type T;
@@
T *lf(...)
{
... when != gf(..., x, ...)
    when != x->rf++
    when != ++x->rf
    when != x->rf += E
* return x;
... when any
}
