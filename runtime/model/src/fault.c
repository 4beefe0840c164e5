// SPDX-License-Identifier: MIT
/*
 * Fault injection (<gpuown/fault.h>). One process-wide (or kernel-wide)
 * table: failures are decided per operation, in call order, so a run whose
 * calls of an operation happen in the same order replays the same failures.
 */
#include <gpuown/fault.h>

struct fault_state {
	bool armed;
	struct gpuown_fault_attr attr;
	char site[64];
	uint64_t calls;
	uint64_t injected;
	uint64_t rng;
};

static struct fault_state fault_ops[GPUOWN_FAULT_NR_OPS];
/* Any op armed: the fast path's only load. */
static unsigned int fault_armed_mask;

static bool (*fault_site_match)(const char *site, void *arg);
static void *fault_site_arg;
static void (*fault_notify)(enum gpuown_fault_op op, uint64_t call,
			    const void *caller, void *arg);
static void *fault_notify_arg;

static const char *const fault_names[GPUOWN_FAULT_NR_OPS] = {
	[GPUOWN_FAULT_ALLOC] = "alloc",
	[GPUOWN_FAULT_MAP] = "map",
	[GPUOWN_FAULT_FENCE_WAIT] = "fence_wait",
	[GPUOWN_FAULT_FW_MSG] = "fw_msg",
	[GPUOWN_FAULT_FW_JOB] = "fw_job",
	[GPUOWN_FAULT_INVALIDATE] = "invalidate",
};

const char *gpuown_fault_op_name(enum gpuown_fault_op op)
{
	if ((unsigned int)op >= GPUOWN_FAULT_NR_OPS)
		return "unknown";
	return fault_names[op];
}

int gpuown_fault_op_from_name(const char *name)
{
	for (int i = 0; i < GPUOWN_FAULT_NR_OPS; i++)
		if (name && !strcmp(name, fault_names[i]))
			return i;
	return -EINVAL;
}

void gpuown_fault_set_site_matcher(bool (*match)(const char *site, void *arg),
				   void *arg)
{
	fault_site_arg = arg;
	fault_site_match = match;
}

void gpuown_fault_set_notify(void (*notify)(enum gpuown_fault_op op,
					    uint64_t call, const void *caller,
					    void *arg),
			     void *arg)
{
	fault_notify_arg = arg;
	fault_notify = notify;
}

int gpuown_fault_set(enum gpuown_fault_op op,
		     const struct gpuown_fault_attr *attr)
{
	struct fault_state *s;

	if ((unsigned int)op >= GPUOWN_FAULT_NR_OPS || !attr ||
	    (!attr->nth && !attr->one_in))
		return -EINVAL;
	if (attr->site && (!fault_site_match || !attr->site[0] ||
			   strlen(attr->site) >= sizeof(s->site)))
		return -EINVAL;
	s = &fault_ops[op];
	GPUOWN_STORE(&fault_armed_mask,
		     GPUOWN_LOAD(&fault_armed_mask) & ~(1u << op));
	memset(s, 0, sizeof(*s));
	s->attr = *attr;
	if (attr->site) {
		memcpy(s->site, attr->site, strlen(attr->site) + 1);
		s->attr.site = s->site;
	}
	if (!s->attr.times && attr->nth)
		s->attr.times = 1;
	/* xorshift64* must not start at 0. */
	s->rng = attr->seed ? attr->seed : 0x9e3779b97f4a7c15ull;
	s->armed = true;
	GPUOWN_STORE(&fault_armed_mask,
		     GPUOWN_LOAD(&fault_armed_mask) | (1u << op));
	return 0;
}

void gpuown_fault_clear(void)
{
	GPUOWN_STORE(&fault_armed_mask, 0u);
	memset(fault_ops, 0, sizeof(fault_ops));
}

static uint64_t fault_next_random(struct fault_state *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

static bool fault_decide(struct fault_state *s, uint64_t call)
{
	if (s->attr.times && s->injected >= s->attr.times)
		return false;
	if (s->attr.nth)
		return call >= s->attr.nth;
	return fault_next_random(s) % s->attr.one_in == 0;
}

bool gpuown_fault_should_fail(enum gpuown_fault_op op, const void *caller)
{
	struct fault_state *s;
	uint64_t call;
	bool fail;

	if ((unsigned int)op >= GPUOWN_FAULT_NR_OPS)
		return false;
	if (!(GPUOWN_LOAD(&fault_armed_mask) & (1u << op)))
		return false;
	s = &fault_ops[op];
	if (s->attr.site && !fault_site_match(s->attr.site, fault_site_arg))
		return false;
	/*
	 * Counting and drawing are serialised by the caller's order; the
	 * atomics only keep concurrent callers from tearing the counters.
	 */
	call = GPUOWN_FETCH_ADD(&s->calls, 1) + 1;
	fail = fault_decide(s, call);
	if (!fail)
		return false;
	GPUOWN_FETCH_ADD(&s->injected, 1);
	if (fault_notify)
		fault_notify(op, call, caller, fault_notify_arg);
	return true;
}

uint64_t gpuown_fault_calls(enum gpuown_fault_op op)
{
	if ((unsigned int)op >= GPUOWN_FAULT_NR_OPS)
		return 0;
	return GPUOWN_LOAD(&fault_ops[op].calls);
}

uint64_t gpuown_fault_injected(enum gpuown_fault_op op)
{
	if ((unsigned int)op >= GPUOWN_FAULT_NR_OPS)
		return 0;
	return GPUOWN_LOAD(&fault_ops[op].injected);
}
