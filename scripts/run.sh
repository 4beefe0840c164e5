#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: set up (installs missing Debian packages), build the release
# preset, run the reference driver's workload on every firmware variant (plain,
# then under gpusan), then every static layer over the driver in one
# gpuown-check run with a merged SARIF log. Non-zero exit on any failure or
# finding.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

build=build/release
echo "== workload: every variant"
"$build/driver/gpuown-workload" --variant all --churn 500
echo "== workload: every variant under gpusan"
"$build/driver/gpuown-workload" --variant all --jobs 1000 --gpusan

echo "== static layers over driver/ (analyzer plugin, sparse, Coccinelle)"
"$build/tools/gpuown-check/gpuown-check" -p "$build" \
	--profile driver/drv_priv.h \
	--sarif "$build/gpuown.sarif" driver/
echo "SARIF: $build/gpuown.sarif"
