#include <gpuown/annotations.h>

gpu_addr_t to_gpu(unsigned long long x);
gpu_addr_t to_gpu(unsigned long long x) { return x; }
// SPDX-License-Identifier: MIT
