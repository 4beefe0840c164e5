#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gpusan's cost inside the UML kernel (a benchmark, not a test): boots the
# kernel scripts/kunit.sh built (KASAN on) with gpusan_bench.run=1,
# simgpu.bench=1 and no KUnit suite, and prints the benchmarks' lines: the
# reference driver's workload (driver/, kernel/driver) with gpusan's
# tracking on and off, in alternating rounds of one boot, and its ratio; the
# buffer-object cycle with and without the gpusan calls; shadow bytes per
# mapped GPU byte. Once with gpusan's stack capture and once without
# (gpusan.stack_depth=0).
#
#   JOBS=1000 ITERS=2000 bash scripts/kunit-bench.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/linux-tree.sh
source "$repo/scripts/lib/linux-tree.sh"
build="$GPUOWN_CACHE/linux-6.1-kunit/.kunit-gpusan"
[ -x "$build/linux" ] || {
	echo "kunit-bench: no UML kernel at $build/linux: run scripts/kunit.sh first" >&2
	exit 1
}
for sym in GPUSAN_BENCH GPUSAN_SIMGPU; do
	grep -q "^CONFIG_$sym=y" "$build/.config" || {
		echo "kunit-bench: the kernel at $build lacks CONFIG_$sym: run scripts/kunit.sh" >&2
		exit 1
	}
done
# Twice: with gpusan's default stacks, and with gpusan.stack_depth=0 (no
# stack capture), which shows what the stacks cost of the gpusan share.
for args in "gpusan.stack_depth=16" "gpusan.stack_depth=0"; do
	echo "kunit-bench: $args"
	out=$(timeout 900 "$build/linux" mem=512M console=tty kunit_shutdown=halt \
		kunit.filter_glob=none gpusan_bench.run=1 "gpusan_bench.iters=${ITERS:-2000}" \
		simgpu.bench=1 "simgpu.bench_jobs=${JOBS:-1000}" \
		"$args" </dev/null 2>&1 || true)
	grep -E '(gpusan|simgpu)_bench:' <<<"$out" || {
		tail -n 30 <<<"$out"
		echo "kunit-bench: the benchmark printed nothing" >&2
		exit 1
	}
	grep -q 'simgpu_bench: workload' <<<"$out" || {
		grep -E 'simgpu|BUG' <<<"$out" | tail -n 20
		echo "kunit-bench: the reference driver's workload did not complete" >&2
		exit 1
	}
done
