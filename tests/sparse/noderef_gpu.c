// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>

struct fw_cmd {
	unsigned op;
};

/* The CPU never dereferences a GPU or firmware mapping. */
static unsigned read_op(struct fw_cmd __gpu *cmd)
{
	return cmd->op;
}

static void write_word(unsigned __fw *w)
{
	*w = 1;
}

static unsigned index_word(unsigned __gpu *w)
{
	return w[2];
}

/*
 * check-name: dereference of a GPU or firmware pointer
 * check-command: run-sparse $file
 *
 * check-error-start
noderef_gpu.c:11:16: warning: dereference of noderef expression
noderef_gpu.c:16:10: warning: dereference of noderef expression
noderef_gpu.c:21:17: warning: dereference of noderef expression
 * check-error-end
 */
