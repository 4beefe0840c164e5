#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The evaluation on real drivers, one command (docs/evaluation.md):
#
#   scripts/kernel-eval.sh [DRIVER...]     (default: i915-guc msm-a6xx amdgpu panfrost)
#
# Installs linux-source-6.1 and the build dependencies (Debian packages only:
# clang, lld, llvm; no cross gcc), configures one tree per architecture in
# $GPUOWN_CACHE (x86_64 for i915 and amdgpu, arm64 for msm and panfrost, both
# LLVM=1, each driver enabled with scripts/config, then make prepare), builds
# only the driver's objects by name, writes the compile database with the
# kernel's scripts/clang-tools/gen_compile_commands.py, then runs stock
# clang --analyze and each gpuown-check layer with the driver's profile side by
# side and prints per driver: units, kLOC, CPU time of each layer, the ratios
# against stock clang --analyze, findings by rule and skipped units with the
# reason. Then the seeded bugs (scripts/lib/kernel_seed.py): one planted bug per
# vocabulary class in a real function of each driver, recall per class.
#
# Environment: GPUOWN_BUILD (default build/release, built if missing),
# GPUOWN_CACHE, GPUOWN_KERNEL_JOBS (make -j, default 2), GPUOWN_EVAL_ROUNDS
# (default 1: stock and the layers measured in turn that many times, summed),
# GPUOWN_EVAL_OUT
# (default $GPUOWN_CACHE/eval: one JSON file per driver and its seeds, and the
# printed report as kernel-eval.log). A second run reuses the configured trees.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GPUOWN_BUILD:-build/release}

# shellcheck source=lib/linux-tree.sh
source scripts/lib/linux-tree.sh
# shellcheck source=lib/kernel-config.sh
source scripts/lib/kernel-config.sh
# shellcheck source=lib/kernel-drivers.sh
source scripts/lib/kernel-drivers.sh

out=${GPUOWN_EVAL_OUT:-$GPUOWN_CACHE/eval}
drivers=("$@")
[ ${#drivers[@]} -gt 0 ] || drivers=("${KERNEL_DRIVERS[@]}")

linux_tree_install
for t in spatch sparse clang-14; do
	command -v "$t" >/dev/null ||
		{ echo "kernel-eval: $t is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
done
check=$build/tools/gpuown-check/gpuown-check
plugin=$build/checker/GpuownAnalyzer.so
if [ ! -x "$check" ] || [ ! -f "$plugin" ]; then
	[ -f "$build/CMakeCache.txt" ] || cmake --preset release >/dev/null
	cmake --build "$build" -j "$(nproc)" --target gpuown-check GpuownAnalyzer
fi

mkdir -p "$out"
# The whole report stays beside the JSON files (docs/evaluation.md quotes it):
# kernel-eval.log for all drivers, kernel-eval-A-B.log for a selection, so
# runs on the two trees can go side by side.
log=kernel-eval.log
[ $# -eq 0 ] || log=kernel-eval-$(IFS=-; echo "${drivers[*]}").log
exec > >(tee "$out/$log") 2>&1
echo "kernel-eval: $(date -u '+%F %T') UTC, ${drivers[*]}, gpuown $(git describe --always --dirty 2>/dev/null)"
for d in "${drivers[@]}"; do
	kernel_driver "$d"
	echo "kernel-eval: $d: tree $KD_TREE ($KD_ARCH, LLVM=1), ${#KD_UNITS[@]} units"
	t0=$SECONDS
	(kernel_driver_compdb "$d" "$out/$d")
	echo "kernel-eval: $d: compile database in $((SECONDS - t0)) s"
	python3 scripts/lib/kernel_eval.py --name "$d" \
		--compdb "$out/$d/compile_commands.json" --tree "$KD_TREE" \
		--profile "$KD_PROFILE" --cocci "$KD_COCCI" --check "$check" \
		--plugin "$plugin" --annotations annotations --out "$out"
	python3 scripts/lib/kernel_seed.py --name "$d" \
		--compdb "$out/$d/compile_commands.json" --tree "$KD_TREE" \
		--profile "$KD_PROFILE" --cocci "$KD_COCCI" --check "$check" \
		--plugin "$plugin" --annotations annotations --out "$out"
done
python3 scripts/lib/kernel_eval_summary.py "$out" "${drivers[@]}"
