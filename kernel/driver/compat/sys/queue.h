/* SPDX-License-Identifier: MIT */
/*
 * <sys/queue.h> for the reference driver compiled in a kernel: the BSD list
 * and tail-queue macros it uses (LIST_*, TAILQ_*), written for gpuown. The
 * kernel's <linux/list.h> has a LIST_HEAD of its own (a variable
 * definition): it is included first, so its include guard keeps it out
 * later, and its LIST_HEAD is replaced by the BSD one in the driver's files.
 */
#ifndef SIMGPU_COMPAT_SYS_QUEUE_H
#define SIMGPU_COMPAT_SYS_QUEUE_H

#include <linux/list.h>
#include <linux/stddef.h>

#undef LIST_HEAD

/* A doubly linked list: a head with the first element; each element links
 * to the next and to the pointer that points at it. */
#define LIST_HEAD(name, type)                                                  \
	struct name {                                                          \
		struct type *lh_first;                                         \
	}

#define LIST_ENTRY(type)                                                       \
	struct {                                                               \
		struct type *le_next;                                          \
		struct type **le_prev;                                         \
	}

#define LIST_FIRST(head) ((head)->lh_first)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_INIT(head) ((head)->lh_first = NULL)

#define LIST_INSERT_HEAD(head, elm, field)                                     \
	do {                                                                   \
		(elm)->field.le_next = (head)->lh_first;                       \
		if ((elm)->field.le_next)                                      \
			(elm)->field.le_next->field.le_prev =                  \
				&(elm)->field.le_next;                         \
		(head)->lh_first = (elm);                                      \
		(elm)->field.le_prev = &(head)->lh_first;                      \
	} while (0)

#define LIST_REMOVE(elm, field)                                                \
	do {                                                                   \
		if ((elm)->field.le_next)                                      \
			(elm)->field.le_next->field.le_prev =                  \
				(elm)->field.le_prev;                          \
		*(elm)->field.le_prev = (elm)->field.le_next;                  \
	} while (0)

#define LIST_FOREACH(var, head, field)                                         \
	for ((var) = LIST_FIRST(head); (var); (var) = LIST_NEXT(var, field))

/* A tail queue: a head with the first element and the last element's next
 * pointer, so insertion at the tail is O(1). */
#define TAILQ_HEAD(name, type)                                                 \
	struct name {                                                          \
		struct type *tqh_first;                                        \
		struct type **tqh_last;                                        \
	}

#define TAILQ_ENTRY(type)                                                      \
	struct {                                                               \
		struct type *tqe_next;                                         \
		struct type **tqe_prev;                                        \
	}

#define TAILQ_FIRST(head) ((head)->tqh_first)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_EMPTY(head) ((head)->tqh_first == NULL)

#define TAILQ_INIT(head)                                                       \
	do {                                                                   \
		(head)->tqh_first = NULL;                                      \
		(head)->tqh_last = &(head)->tqh_first;                         \
	} while (0)

#define TAILQ_INSERT_TAIL(head, elm, field)                                    \
	do {                                                                   \
		(elm)->field.tqe_next = NULL;                                  \
		(elm)->field.tqe_prev = (head)->tqh_last;                      \
		*(head)->tqh_last = (elm);                                     \
		(head)->tqh_last = &(elm)->field.tqe_next;                     \
	} while (0)

#define TAILQ_REMOVE(head, elm, field)                                         \
	do {                                                                   \
		if ((elm)->field.tqe_next)                                     \
			(elm)->field.tqe_next->field.tqe_prev =                \
				(elm)->field.tqe_prev;                         \
		else                                                           \
			(head)->tqh_last = (elm)->field.tqe_prev;              \
		*(elm)->field.tqe_prev = (elm)->field.tqe_next;                \
	} while (0)

#define TAILQ_FOREACH(var, head, field)                                        \
	for ((var) = TAILQ_FIRST(head); (var); (var) = TAILQ_NEXT(var, field))

#endif /* SIMGPU_COMPAT_SYS_QUEUE_H */
