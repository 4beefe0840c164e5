// SPDX-License-Identifier: MIT
#include <gpuown/annotations.h>
gpu_addr_t a(unsigned long long x) { return x; }
gpu_addr_t b(unsigned long long x) { return x; }
gpu_addr_t c(unsigned long long x) { return x; }
