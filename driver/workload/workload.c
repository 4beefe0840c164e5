// SPDX-License-Identifier: MIT
/*
 * The seeded workload. Each job fills its output, copies slices of its input
 * over it, maybe xors a range, and checksums the whole output; the CPU computes
 * the same in a model, and every job's status, checksum, command count,
 * dependency order and output bytes are compared once it completes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <simgpu/drv.h>
#include <simgpu/hw.h>
#ifdef SIMGPU_HAVE_GPUSAN
#include <gpuown/gpusan.h>
#endif

#include "workload.h"

struct wl_job {
	uint64_t handle;
	uint32_t ctx;
	bool may_cancel; /* its context was destroyed while it was queued */
	uint32_t nr_cmds;
	uint32_t checksum;
	bool has_dep;
	uint8_t *expect; /* expected output */
};

struct wl {
	const struct wl_opts *o;
	struct wl_result *r;
	struct simgpu_dev *dev;
	uint64_t rng;
	uint32_t *ctx;
	struct wl_job *win; /* ring of in-flight jobs */
	unsigned win_size, head, count;
	uint8_t *input;
};

void wl_opts_default(struct wl_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->contexts = 4;
	o->jobs = 2000;
	o->buffer_size = 4096;
	o->dep_permille = 200;
}

/* xorshift64*: fast, seedable, good enough for test data. */
static uint64_t wl_rand(struct wl *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dull;
}

static uint32_t wl_below(struct wl *w, uint32_t n)
{
	return n ? (uint32_t)(wl_rand(w) % n) : 0;
}

static uint64_t wl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void wl_fail(struct wl *w, int err, const char *what)
{
	if (w->r->error)
		return;
	w->r->error = err ? err : -EIO;
	snprintf(w->r->msg, sizeof(w->r->msg), "%s (%s)", what,
		 err ? strerror(-err) : "mismatch");
}

/* A random word-aligned range [off, off + len) inside @size bytes. */
static void wl_range(struct wl *w, uint32_t size, uint32_t *off, uint32_t *len)
{
	uint32_t words = size / 4;

	*off = wl_below(w, words) * 4;
	*len = (wl_below(w, words - *off / 4) + 1) * 4;
}

/* Apply @c to the CPU model of the output, as the command processor would. */
static void wl_model(struct wl_job *j, const uint8_t *in,
		     const struct simgpu_cmd *c, uint32_t size)
{
	uint32_t i, v;

	switch (c->op) {
	case SIMGPU_OP_FILL:
		for (i = 0; i < c->len; i += 4)
			memcpy(j->expect + c->dst_off + i, &c->value, 4);
		break;
	case SIMGPU_OP_COPY:
		memcpy(j->expect + c->dst_off, in + c->src_off, c->len);
		break;
	case SIMGPU_OP_XOR:
		for (i = 0; i < c->len; i += 4) {
			memcpy(&v, j->expect + c->dst_off + i, 4);
			v ^= c->value;
			memcpy(j->expect + c->dst_off + i, &v, 4);
		}
		break;
	case SIMGPU_OP_CHECKSUM:
		j->checksum = simgpu_hw_checksum(
			j->checksum, j->expect + c->src_off, c->len);
		break;
	}
}

/* Build a random command list and its expected results. */
static uint32_t wl_cmds(struct wl *w, struct wl_job *j, struct simgpu_cmd *cmds)
{
	uint32_t size = w->o->buffer_size, n = 0, copies, i, len;

	j->checksum = SIMGPU_CHECKSUM_INIT;
	cmds[n++] = (struct simgpu_cmd){.op = SIMGPU_OP_FILL,
					.value = (uint32_t)wl_rand(w),
					.len = size};
	copies = 1 + wl_below(w, 3);
	for (i = 0; i < copies; i++) {
		struct simgpu_cmd *c = &cmds[n++];

		c->op = SIMGPU_OP_COPY;
		wl_range(w, size, &c->src_off, &c->len);
		len = c->len;
		c->dst_off = wl_below(w, (size - len) / 4 + 1) * 4;
	}
	if (simgpu_supports_op(w->dev, SIMGPU_OP_XOR) && wl_below(w, 2)) {
		cmds[n] = (struct simgpu_cmd){.op = SIMGPU_OP_XOR,
					      .value = (uint32_t)wl_rand(w)};
		wl_range(w, size, &cmds[n].dst_off, &cmds[n].len);
		n++;
	}
	cmds[n++] = (struct simgpu_cmd){.op = SIMGPU_OP_CHECKSUM, .len = size};
	for (i = 0; i < n; i++)
		wl_model(j, w->input, &cmds[i], size);
	return n;
}

static void wl_verify(struct wl *w, struct wl_job *j)
{
	struct simgpu_job_info info;
	uint8_t *out = w->input; /* scratch: the next job refills it */
	int ret;

	ret = simgpu_job_wait(w->dev, j->handle, 30000);
	ret = ret ?: simgpu_job_info(w->dev, j->handle, &info);
	if (ret) {
		wl_fail(w, ret, "job wait");
		return;
	}
	if (info.status == -ECANCELED && j->may_cancel) {
		w->r->cancelled++;
		return;
	}
	if (info.status) {
		wl_fail(w, info.status, "job status");
		return;
	}
	ret = simgpu_job_read_output(w->dev, j->handle, 0, out,
				     w->o->buffer_size);
	if (ret) {
		wl_fail(w, ret, "output read");
		return;
	}
	if (info.checksum != j->checksum || info.cmds_run != j->nr_cmds ||
	    memcmp(out, j->expect, w->o->buffer_size) ||
	    (info.dep_value && (int32_t)(info.dep_seen - info.dep_value) < 0)) {
		w->r->mismatches++;
		wl_fail(w, 0, "job result differs from the CPU model");
		return;
	}
	w->r->verified++;
}

static void wl_retire_oldest(struct wl *w)
{
	struct wl_job *j = &w->win[w->head];

	wl_verify(w, j);
	simgpu_job_release(w->dev, j->handle);
	w->head = (w->head + 1) % w->win_size;
	w->count--;
}

static int wl_submit_one(struct wl *w)
{
	struct wl_job *j = &w->win[(w->head + w->count) % w->win_size];
	struct simgpu_cmd cmds[SIMGPU_MAX_CMDS];
	struct simgpu_submit s = {0};
	uint32_t i;
	int ret;

	for (i = 0; i < w->o->buffer_size; i += 4) {
		uint32_t v = (uint32_t)wl_rand(w);

		memcpy(w->input + i, &v, 4);
	}
	j->nr_cmds = wl_cmds(w, j, cmds);
	s.ctx = w->ctx[wl_below(w, w->o->contexts)];
	j->ctx = s.ctx;
	j->may_cancel = false;
	s.input = w->input;
	s.input_size = w->o->buffer_size;
	s.output_size = w->o->buffer_size;
	s.cmds = cmds;
	s.nr_cmds = j->nr_cmds;
	if (w->o->bug_job && w->r->jobs + 1 == w->o->bug_job)
		s.flags |= w->o->bug_flags;
	if (w->count && wl_rand(w) % 1000 < w->o->dep_permille) {
		s.dep = w->win[(w->head + wl_below(w, w->count)) % w->win_size]
				.handle;
		w->r->deps++;
	}
	ret = simgpu_submit(w->dev, &s, &j->handle);
	if (ret)
		return ret;
	w->count++;
	w->r->jobs++;
	return 0;
}

/* Destroy a random context with its jobs still queued, and replace it. */
static int wl_churn(struct wl *w)
{
	unsigned k = wl_below(w, w->o->contexts), i;
	uint32_t victim = w->ctx[k];
	int ret;

	for (i = 0; i < w->count; i++) {
		struct wl_job *j = &w->win[(w->head + i) % w->win_size];

		if (j->ctx == victim)
			j->may_cancel = true;
	}
	ret = simgpu_ctx_destroy(w->dev, victim);
	return ret ?: simgpu_ctx_create(w->dev, k % 4, &w->ctx[k]);
}

static int wl_setup(struct wl *w)
{
	unsigned i;
	int ret;

	w->win_size = w->o->window ? w->o->window : 16 * w->o->contexts;
	w->win = calloc(w->win_size, sizeof(*w->win));
	w->ctx = calloc(w->o->contexts, sizeof(*w->ctx));
	w->input = malloc(w->o->buffer_size);
	if (!w->win || !w->ctx || !w->input)
		return -ENOMEM;
	for (i = 0; i < w->win_size; i++) {
		w->win[i].expect = malloc(w->o->buffer_size);
		if (!w->win[i].expect)
			return -ENOMEM;
	}
	for (i = 0; i < w->o->contexts; i++) {
		ret = simgpu_ctx_create(w->dev, i % 4, &w->ctx[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static void wl_teardown(struct wl *w)
{
	unsigned i;

	if (w->win) {
		for (i = 0; i < w->win_size; i++)
			free(w->win[i].expect);
	}
	free(w->win);
	free(w->ctx);
	free(w->input);
}

static void wl_loop(struct wl *w)
{
	uint64_t start = wl_now_ns();
	int ret;

	while (w->r->jobs < w->o->jobs && !w->r->error) {
		if (w->o->duration_ms &&
		    wl_now_ns() - start >= w->o->duration_ms * 1000000ull)
			break;
		if (w->count == w->win_size)
			wl_retire_oldest(w);
		ret = wl_submit_one(w);
		if (ret)
			wl_fail(w, ret, "submit");
		else if (w->o->churn && w->r->jobs % w->o->churn == 0 &&
			 (ret = wl_churn(w)))
			wl_fail(w, ret, "context churn");
	}
	while (w->count)
		wl_retire_oldest(w);
	w->r->elapsed_ns = wl_now_ns() - start;
}

static bool wl_check_opts(const struct wl_opts *o, struct wl_result *r)
{
	if (o->contexts && o->buffer_size >= 16 && o->buffer_size % 4 == 0 &&
	    o->dep_permille <= 1000)
		return true;
	r->error = -EINVAL;
	snprintf(r->msg, sizeof(r->msg),
		 "invalid options: need contexts >= 1, buffer size >= 16 and a "
		 "multiple of 4, dependency density in [0, 1]");
	return false;
}

bool wl_run(const struct wl_opts *o, const char *gen, const char *fw,
	    struct wl_result *r)
{
	struct simgpu_probe_args pa = {.gen = gen,
				       .fw = fw,
				       .gpusan = o->gpusan,
				       .max_buffer_size = o->buffer_size};
	struct simgpu_stats st;
	struct wl w = {.o = o, .r = r, .rng = o->seed ?: 1};
	char err[200] = "";
	int ret;
#ifdef SIMGPU_HAVE_GPUSAN
	unsigned reports0 = gpusan_report_count();
#endif

	memset(r, 0, sizeof(*r));
	snprintf(r->variant, sizeof(r->variant), "%s_%s", gen, fw);
	if (!wl_check_opts(o, r))
		return false;
	pa.err = err;
	pa.err_len = sizeof(err);
	ret = simgpu_probe(&pa, &w.dev);
	if (ret) {
		r->error = ret;
		snprintf(r->msg, sizeof(r->msg), "probe refused: %s",
			 err[0] ? err : strerror(-ret));
		return false;
	}
	ret = wl_setup(&w);
	if (ret)
		wl_fail(&w, ret, "setup");
	else
		wl_loop(&w);
	r->objects_alive = simgpu_remove_stats(w.dev, &st);
	r->fault_events = st.fault_events;
	r->warnings = st.warnings;
	r->fw_accesses = st.fw_accesses;
	wl_teardown(&w);
#ifdef SIMGPU_HAVE_GPUSAN
	r->gpusan_reports = gpusan_report_count() - reports0;
#endif
	if (!r->error && (r->objects_alive || r->fault_events || r->warnings ||
			  r->gpusan_reports)) {
		r->error = -EIO;
		snprintf(r->msg, sizeof(r->msg),
			 "unclean run: %zu objects alive, %llu faults, %llu "
			 "warnings, %u gpusan reports",
			 r->objects_alive, (unsigned long long)r->fault_events,
			 (unsigned long long)r->warnings, r->gpusan_reports);
	}
	return r->error == 0;
}
