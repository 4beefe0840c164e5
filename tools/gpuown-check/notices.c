// SPDX-License-Identifier: MIT
#include "notices.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int notices_add(struct notices *n, const char *layer, const char *id,
		const char *file, const char *message)
{
	struct notice *v = realloc(n->v, (n->nr + 1) * sizeof(*v));
	struct notice *x;

	if (!v)
		return -ENOMEM;
	n->v = v;
	x = &v[n->nr];
	x->layer = layer;
	x->id = strdup(id);
	x->file = file ? strdup(file) : NULL;
	x->message = strdup(message);
	if (!x->id || !x->message || (file && !x->file)) {
		free(x->id);
		free(x->file);
		free(x->message);
		return -ENOMEM;
	}
	n->nr++;
	return 0;
}

void notices_free(struct notices *n)
{
	size_t i;

	for (i = 0; i < n->nr; i++) {
		free(n->v[i].id);
		free(n->v[i].file);
		free(n->v[i].message);
	}
	free(n->v);
	n->v = NULL;
	n->nr = 0;
}
