#!/usr/bin/env bash
# The main job: set up, build (release), run the reference driver's workload on
# every firmware variant, then every static layer over the driver.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

build=build/release
if [ -x "$build/driver/gpuown-workload" ]; then
	"$build/driver/gpuown-workload" --variant all
fi
if [ -x tools/gpuown-check ]; then
	tools/gpuown-check -p "$build" --sarif "$build/gpuown.sarif" driver
fi
