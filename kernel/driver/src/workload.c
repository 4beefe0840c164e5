// SPDX-License-Identifier: MIT
/*
 * The seeded workload, driver/workload/workload.c, compiled here by path:
 * the KUnit suite and the benchmark run it; nothing is copied.
 */
#include "../../../driver/workload/workload.c"
