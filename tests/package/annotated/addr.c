// SPDX-License-Identifier: MIT
/* An integer returned as a GPU address: sparse reports line 6. */
#include <gpuown/annotations.h>

gpu_addr_t to_gpu(unsigned long long x);
gpu_addr_t to_gpu(unsigned long long x) { return x; }
