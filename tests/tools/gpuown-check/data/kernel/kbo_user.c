// SPDX-License-Identifier: MIT
#include "kbo.h"

u32 kbo_user(void);

u32 kbo_user(void)
{
	struct kbo *bo = kbo_new(4096);

	if (!bo)
		return 0;
	kbo_put(bo);
	return bo->handle;
}
