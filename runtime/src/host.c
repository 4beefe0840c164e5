// SPDX-License-Identifier: MIT
/*
 * The simulator's side of <gpuown/host.h>: pthread locks, calloc'd metadata,
 * the handle arena (slots.c), placement in simulated GPU memory (vm.c), the
 * physical view (phys.c), ASan poisoning of CPU views, and report text into a
 * stdio stream. Stacks and symbols come from whoever registers them
 * (gpusan's libdw symboliser); without one, stacks are empty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gpuown/simhost.h>

#include "internal.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HOST_HAVE_ASAN 1
#endif
#ifdef HOST_HAVE_ASAN
#include <sanitizer/asan_interface.h>
#endif

static void *host_zalloc(size_t size)
{
	return calloc(1, size);
}

static void host_free(void *p)
{
	free(p);
}

struct gpuown_host_lock {
	pthread_mutex_t m;
};

static struct gpuown_host_lock *host_lock_create(void)
{
	struct gpuown_host_lock *l = malloc(sizeof(*l));

	if (l)
		pthread_mutex_init(&l->m, NULL);
	return l;
}

static void host_lock_destroy(struct gpuown_host_lock *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->m);
	free(l);
}

static void host_lock(struct gpuown_host_lock *l)
{
	pthread_mutex_lock(&l->m);
}

static void host_unlock(struct gpuown_host_lock *l)
{
	pthread_mutex_unlock(&l->m);
}

static struct gpuown_model *host_mm_model(struct gpuown_mm *mm)
{
	return mm_known(mm) ? &mm->model : NULL;
}

int host_reserve(struct gpuown_model *model, struct gpuown_obj *o,
		 const struct gpuown_alloc_args *a, uint64_t align,
		 const void *place)
{
	struct gpuown_mm *mm = model_mm(model);
	struct gpuown_vm *vm;
	struct window *w;
	int err;

	(void)place; /* the simulator always picks the VA itself */
	if (align > WIN_SIZE / 4 || o->size > WIN_SIZE / 4)
		return -EINVAL;
	if (a->vm && !vm_known(a->vm))
		return -EINVAL;
	vm = a->vm ? a->vm : mm->fw_vm;
	if (vm->mm != mm)
		return -EINVAL;
	w = vm->is_fw ? &vm->wins[a->mode] : &vm->wins[0];
	o->vm = vm;
	o->user_vm = !vm->is_fw;
	o->host_priv = w;
	err = win_alloc_obj(w, o, align);
	if (err)
		return err;
	/* Uncached firmware windows need no flush; user VMs an invalidate. */
	if (!vm->is_fw)
		o->q_wait = &vm->q_wait;
	else if (w->cached)
		o->q_wait = &model->q_fw_wait;
	return 0;
}

static void host_release(struct gpuown_model *model, struct gpuown_obj *o)
{
	(void)model;
	win_release_obj(o->host_priv, o);
}

static void *host_translate(struct gpuown_model *model, struct gpuown_vm *vm,
			    uint64_t va)
{
	(void)model;
	return vm_phys_ptr(vm, va);
}

static void host_fill(struct gpuown_model *model, struct gpuown_vm *vm,
		      uint64_t va, uint64_t len, int c)
{
	(void)model;
	vm_phys_fill(vm, va, len, c);
}

static void host_cpu_poison(void *cpu, size_t len, bool poison)
{
#ifdef HOST_HAVE_ASAN
	if (poison)
		ASAN_POISON_MEMORY_REGION(cpu, len);
	else
		ASAN_UNPOISON_MEMORY_REGION(cpu, len);
#else
	(void)cpu;
	(void)len;
	(void)poison;
#endif
}

static const struct gpuown_sim_stacks *host_stacks;

void gpuown_sim_set_stacks(const struct gpuown_sim_stacks *stacks)
{
	__atomic_store_n(&host_stacks, stacks, __ATOMIC_RELEASE);
}

static gpuown_stack_t host_stack_save(void *caller, unsigned depth)
{
	const struct gpuown_sim_stacks *s =
		__atomic_load_n(&host_stacks, __ATOMIC_ACQUIRE);

	return s ? s->save(caller, depth) : 0;
}

static void host_stack_print(struct gpuown_report_sink *sink, gpuown_stack_t st)
{
	const struct gpuown_sim_stacks *s =
		__atomic_load_n(&host_stacks, __ATOMIC_ACQUIRE);

	if (s)
		s->print(sink, st);
}

static const char *host_symbolize(void *pc, char *loc, size_t len)
{
	const struct gpuown_sim_stacks *s =
		__atomic_load_n(&host_stacks, __ATOMIC_ACQUIRE);

	if (s)
		return s->symbolize(pc, loc, len);
	if (len)
		snprintf(loc, len, "(%p)", pc);
	return "??";
}

static unsigned host_stack_frames(gpuown_stack_t st, void **pcs, unsigned max)
{
	const struct gpuown_sim_stacks *s =
		__atomic_load_n(&host_stacks, __ATOMIC_ACQUIRE);

	return s && s->frames ? s->frames(st, pcs, max) : 0;
}

static int host_thread_id(void)
{
	static __thread int tid;

	if (!tid)
		tid = (int)syscall(SYS_gettid);
	return tid;
}

static void host_thread_name(char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	pthread_getname_np(pthread_self(), buf, len);
}

/* A sink is the stdio stream the report is being composed in. */
static void host_report_vprintf(struct gpuown_report_sink *sink,
				const char *fmt, va_list ap)
{
	vfprintf((FILE *)sink, fmt, ap);
}

const struct gpuown_host_ops gpuown_host = {
	.zalloc = host_zalloc,
	.free = host_free,
	.lock_create = host_lock_create,
	.lock_destroy = host_lock_destroy,
	.lock = host_lock,
	.unlock = host_unlock,
	.obj_alloc = slot_alloc,
	.obj_retire = slot_release,
	.handle_check = handle_check,
	.broadcast_event = broadcast_event,
	.mm_model = host_mm_model,
	.reserve = host_reserve,
	.release = host_release,
	.translate = host_translate,
	.fill = host_fill,
	.cpu_poison = host_cpu_poison,
	.stack_save = host_stack_save,
	.stack_print = host_stack_print,
	.symbolize = host_symbolize,
	.thread_id = host_thread_id,
	.thread_name = host_thread_name,
	.report_vprintf = host_report_vprintf,
	.stack_frames = host_stack_frames,
};
