/*
 * Seeded bug: a context destroy is requested again on an error path, from
 * destroy_requested. gpuown.Ownership: illegal lifecycle transition.
 */
#include "drv_priv.h"

int gallery_ctx_destroy(struct simgpu_ctx *ctx, bool retry)
{
	int ret = drv_ctx_request_destroy(ctx);

	if (ret)
		return ret;
	if (retry)
		ret = drv_ctx_request_destroy(ctx); // expected-warning{{Illegal transition of lifecycle 'context': 'drv_ctx_request_destroy' moves it from 'live', but it is in state 'destroy_requested'}}
	return ret;
}
// SPDX-License-Identifier: MIT
