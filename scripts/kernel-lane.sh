#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CI kernel lane: one real driver end to end. Linux 6.1's msm a6xx GMU code
# (a6xx_gmu.c, a6xx_hfi.c; arm64, LLVM=1 with Debian's clang/lld/llvm) is
# configured and compiled into a compile database, then gpuown-check runs every
# layer over it with the shipped profile (profiles/msm-a6xx.h) and nothing else.
#
# Checks:
#   double-put  the real double put is found: a6xx_gmu_memory_alloc() puts
#               bo->obj when pinning fails and leaves it set, and the probe's
#               error path puts it again in a6xx_gmu_memory_free()
#   no-other    gpuown's rules report nothing else on the two units
#
# Usage: scripts/kernel-lane.sh [BUILD_DIR]   (default build/release; built if
# gpuown-check or the plugin is missing). The configured tree is cached in
# $GPUOWN_CACHE (default ~/.cache/gpuown), so a second run skips the
# configuration. It never skips: when it cannot run it fails with the reason.
# Last line: "kernel-lane: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build=${1:-build/release}

die() {
	echo "kernel-lane: cannot run: $*" >&2
	echo "kernel-lane: 0 passed, 1 failed"
	exit 1
}

# shellcheck source=lib/linux-tree.sh
source scripts/lib/linux-tree.sh
# shellcheck source=lib/kernel-config.sh
source scripts/lib/kernel-config.sh
# shellcheck source=lib/kernel-drivers.sh
source scripts/lib/kernel-drivers.sh

# The tools: gpuown-check and the analyzer plugin of BUILD_DIR.
check=$build/tools/gpuown-check/gpuown-check
plugin=$build/checker/GpuownAnalyzer.so
if [ ! -x "$check" ] || [ ! -f "$plugin" ]; then
	if [ ! -f "$build/CMakeCache.txt" ]; then
		cmake --preset release >/dev/null || die "cmake --preset release failed"
		build=build/release
		check=$build/tools/gpuown-check/gpuown-check
		plugin=$build/checker/GpuownAnalyzer.so
	fi
	cmake --build "$build" -j "$(nproc)" --target gpuown-check GpuownAnalyzer ||
		die "building gpuown-check and the analyzer plugin in $build failed"
fi

start=$SECONDS
work=$GPUOWN_CACHE/kernel-lane
rm -rf "$work"
mkdir -p "$work"
# A subshell: the tree helpers exit on failure with their own reason.
(kernel_driver_compdb msm-a6xx "$work") >"$work/tree.log" 2>&1 || {
	tail -n 30 "$work/tree.log" >&2
	die "preparing the arm64 tree and the compile database failed (log above, $work/tree.log)"
}
kernel_driver msm-a6xx
echo "kernel-lane: tree and compile database ready in $((SECONDS - start)) s ($KD_TREE)"

"$check" -p "$work/compile_commands.json" -q -j "$(nproc)" \
	--plugin "$plugin" --profile "$KD_PROFILE" -I annotations \
	--cocci-profile "$KD_COCCI" --root "$KD_TREE" \
	--sarif "$work/lane.sarif" >"$work/check.log" 2>&1
rc=$?
cat "$work/check.log"
[ $rc -le 1 ] || die "gpuown-check failed (exit $rc): a layer could not run on a unit (output above)"
# A unit a layer timed out on or could not parse is a notice, not an error.
grep -q ' 0 notices' "$work/check.log" ||
	die "gpuown-check could not analyse some units (notices above)"
[ -f "$work/lane.sarif" ] || die "gpuown-check wrote no SARIF log"

echo "kernel-lane: checked in $((SECONDS - start)) s; SARIF: $work/lane.sarif"
exec python3 scripts/lib/kernel_lane_check.py "$work/lane.sarif" \
	"$KD_TREE/drivers/gpu/drm/msm/adreno/a6xx_gmu.c"
