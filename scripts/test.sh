#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Set up (installs missing Debian packages), build and run every test:
# a TSan build of the threaded parts, then everything under ASan+UBSan.
# The output ends with ctest's own summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc)

cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan -j "$jobs"

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
bash scripts/kernel-lane.sh build/asan
bash scripts/kunit.sh # the kernel lane: gpusan KUnit suites in UML under KASAN
ctest --preset asan -j "$jobs"
