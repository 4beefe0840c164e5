// SPDX-License-Identifier: MIT
// ANALYZE: -analyzer-checker=gpuown.Lifetime,gpuown.FirmwareStruct,gpuown.Ownership -analyzer-config gpuown.Lifetime:TreatUnknownCallsAsEscape=false -analyzer-config gpuown.FirmwareStruct:AddressNameHeuristics=true -analyzer-config gpuown.Ownership:CheckReads=false
/*
 * Checker options, each switched away from its default.
 */
#include <gpuown/object.h>

#include "foreign.h"

/* TreatUnknownCallsAsEscape=false: an unknown call keeps the object ours. */
void leak_after_unknown_call(struct gpuown_mm *mm, const struct gpuown_alloc_args *a)
{
	struct gpuown_obj *o;
	if (gpuown_obj_alloc(mm, a, &o))
		return;
	opaque_keep(o);
} // expected-warning{{GPU object allocated by 'gpuown_obj_alloc' is leaked: not freed on this path}}

/* Stores into memory the function does not own still escape. */
void stored(struct gpuown_mm *mm, const struct gpuown_alloc_args *a,
	    struct gpuown_obj **slot)
{
	struct gpuown_obj *o;
	if (gpuown_obj_alloc(mm, a, &o))
		return;
	*slot = o;
} // no-warning

/* AddressNameHeuristics=true: integer fields named like addresses. */
struct __gpuown_fw_struct("fw_named", "G10_V1_0", 0x18) __gpuown_fw_owned(read)
fw_named__G10_V1_0 {
	uint64_t in_va_0; // expected-warning{{field 'in_va_0' of firmware struct 'fw_named' (G10_V1_0) holds an address but is not typed as one}}
	uint64_t fault_addr_8; // expected-warning{{field 'fault_addr_8' of firmware struct 'fw_named' (G10_V1_0) holds an address but is not typed as one}}
	uint64_t size_10; // no-warning
};

struct __gpuown_fw_struct("fw_typed", "G10_V1_0", 0x10) __gpuown_fw_owned(read)
fw_typed__G10_V1_0 {
	gpu_addr_t in_va_0; // no-warning
	uint64_t out_va_8 __gpuown_gpu_addr(fw_typed); // no-warning
};

/* CheckReads=false: reads of firmware-written data are not reported. */
struct result {
	uint32_t value;
} __gpuown_fw_owned(rw);

uint32_t read_while_owned(struct gpuown_obj *o)
{
	struct result *r = gpuown_obj_cpu(o);
	gpuown_obj_publish(o, NULL);
	return r->value; // no-warning
}
