// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.Annotations
/*
 * gpuown.Annotations: a malformed annotation is an error naming the
 * declaration. Each positive case (pNN) has a well-formed twin (nNN) that
 * stays silent.
 */
#include <gpuown/annotations.h>
#include <stdint.h>

struct bo;
struct fence;
struct gpuown_lifecycle {
	const char *name, *spec;
};

/* ---- 1. a parameter annotation on a parameter of the wrong type */
void p1(int n __gpuown_frees); // expected-error{{'__gpuown_frees' on 'n' of 'p1' needs a pointer, but it has type 'int'}}
void n1(struct bo *bo __gpuown_frees);

/* ---- 2. an allocation that returns an int */
int p2(struct bo **out) __gpuown_alloc; // expected-error{{'__gpuown_alloc' on 'p2' needs a pointer, but it returns 'int' (a function that fills an out parameter and returns 0 takes __gpuown_alloc_out on it)}}
int n2(struct bo **out __gpuown_alloc_out);

/* ---- 3. an out parameter that is not a pointer to a handle */
int p3(struct bo *out __gpuown_alloc_out); // expected-error{{'__gpuown_alloc_out' on 'out' of 'p3' needs a pointer to a handle, but it has type 'struct bo *'}}

/* ---- 4. an address function that returns a pointer */
void *p4(struct bo *bo __gpuown_addr_of) __gpuown_gpu_addr_fn; // expected-error{{'__gpuown_gpu_addr_fn' on 'p4' needs an integer, but it returns 'void *'}}
uint64_t n4(struct bo *bo __gpuown_addr_of) __gpuown_gpu_addr_fn;

/* ---- 5. an annotation string the vocabulary does not define */
void p5(struct bo *bo __attribute__((annotate("gpuown_fres")))); // expected-error{{unknown gpuown annotation 'gpuown_fres' on parameter 'bo' of 'p5'}}
void n5(struct bo *bo __attribute__((annotate("other_tool_free"))));

/* ---- 6. a function annotation on a parameter */
void p6(struct bo *bo __gpuown_alloc); // expected-error{{'__gpuown_alloc' does not apply to a parameter (on 'bo' of 'p6')}}

/* ---- 7. a lifecycle spec that does not parse */
GPUOWN_LIFECYCLE(p7, "idle -> , busy -> idle"); // expected-error{{'GPUOWN_LIFECYCLE' on 'gpuown_lifecycle_p7' does not parse: malformed transition 'idle ->'}}
GPUOWN_LIFECYCLE(n7, "idle -> busy, busy -> idle");

/* ---- 8. a transition without a target, a state list with junk */
void p8(struct bo *b __attribute__((annotate("gpuown_transition:n7:idle")))); // expected-error{{'__gpuown_transition' on 'b' of 'p8' expects (lifecycle, from, to), got 'n7:idle'}}
void p8b(struct bo *b __gpuown_in_state(n7, idle + busy)); // expected-error{{'__gpuown_in_state' on 'b' of 'p8b' expects (lifecycle, state), got 'n7:idle + busy'}}
void n8(struct bo *b __gpuown_transition(n7, idle|busy, idle));

/* ---- 9. a state, kind, unit or mapping the vocabulary does not know */
void p9(struct bo *b __gpuown_requires(owned)); // expected-error{{'__gpuown_requires' on 'b' of 'p9' names state 'owned' (expected cpu, fw, shared, gpu_only or live)}}
void p9b(uint64_t a __gpuown_addr_kind(iova)); // expected-error{{'__gpuown_addr_kind' on 'a' of 'p9b' names kind 'iova' (expected gpu, fw or phys)}}
void p9c(uint64_t n __gpuown_units(pages)); // expected-error{{'__gpuown_units' on 'n' of 'p9c' names unit 'pages' (expected gpu_pages, cpu_pages or bytes)}}
void *p9d(struct bo *bo) __gpuown_cpu_addr __gpuown_mapping(cached); // expected-error{{'__gpuown_mapping' on 'p9d' names mapping 'cached' (expected wb, wc, uncached or noncoherent)}}
void n9(struct bo *b __gpuown_requires(fw), uint64_t a __gpuown_addr_kind(phys),
	uint64_t n __gpuown_units(cpu_pages));

/* ---- 10. field annotations: an address field that is a pointer */
struct p10 {
	void *ring __gpuown_gpu_addr(ring); // expected-error{{'__gpuown_gpu_addr' on 'ring' of 'p10' needs an integer, but it has type 'void *'}}
	uint64_t ok __gpuown_gpu_addr(ring);
};

/* ---- 11. a fact whose annotation does not apply to a field */
struct n11 {
	uint32_t offset;
	struct bo *bo;
};
GPUOWN_FIELD_FACT(n11, offset, __gpuown_alloc); // expected-error{{'__gpuown_alloc' does not apply to a field (on 'offset' of 'n11')}}
GPUOWN_FIELD_FACT(n11, bo, __gpuown_holds(n7, busy));
GPUOWN_FIELD_FACT(n11, offset, __gpuown_holds(n7, busy)); // expected-error{{'__gpuown_holds' on 'offset' of 'n11' needs a pointer, but it has type 'unsigned int'}}

/* ---- 12. a firmware struct without a numeric footprint */
struct p12 {
	uint32_t a;
} __attribute__((annotate("gpuown_fw_struct:p12:v1:big"))); // expected-error@-2{{'__gpuown_fw_struct' on struct 'p12' expects (name, variant, footprint in bytes), got 'p12:v1:big'}}
struct n12 {
	uint32_t a;
} __gpuown_fw_struct("n12", "v1", 64);

/* ---- 13. a lifecycle operation on a function without a pointer */
int p13(int id) __gpuown_transition(n7, idle, busy); // expected-error{{'__gpuown_transition' on 'p13' needs a pointer parameter to act on}}

/* ---- 14. an object reached through another: a pointer field takes
 * __gpuown_inner without an argument; a release parameter names a pointer
 * field of the struct it releases */
struct p14 {
	struct bo *bo;
	uint32_t n __gpuown_inner; // expected-error{{'__gpuown_inner' on 'n' of 'p14' needs a pointer, but it has type 'unsigned int'}}
	struct bo *held __gpuown_inner;
};
GPUOWN_FIELD_FACT(p14, bo, __gpuown_releases_inner(bo)); // expected-error{{'__gpuown_inner' on 'bo' of 'p14' takes no argument (a release parameter names the field with __gpuown_releases_inner(field))}}
GPUOWN_FIELD_FACT(p14, bo, __gpuown_inner);
void p14a(struct p14 *p __gpuown_frees __gpuown_releases_inner(nope)); // expected-error{{'__gpuown_releases_inner' on 'p' of 'p14a' names 'nope', which is not a field of 'struct p14'}}
void p14b(struct p14 *p __gpuown_frees __gpuown_releases_inner(n)); // expected-error{{'__gpuown_releases_inner' on 'p' of 'p14b' names 'n', which is not a pointer field}}
void p14c(int h __gpuown_releases_inner(bo)); // expected-error{{'__gpuown_releases_inner' on 'h' of 'p14c' needs a pointer to a struct (or to its handle), but it has type 'int'}}
void n14(struct p14 **p __gpuown_unref __gpuown_releases_inner(bo));
struct n14_later;
void n14b(struct n14_later *p __gpuown_frees __gpuown_releases_inner(obj));
