#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gpusan's cost inside the UML kernel (a benchmark, not a test): boots the
# kernel scripts/kunit.sh built (KASAN on) with gpusan_bench.run=1 and no
# KUnit suite, and prints the benchmark's lines: the buffer-object cycle with
# and without the gpusan calls, and shadow bytes per mapped GPU byte; once
# with gpusan's stack capture and once without (gpusan.stack_depth=0).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/linux-tree.sh
source "$repo/scripts/lib/linux-tree.sh"
build="$GPUOWN_CACHE/linux-6.1-kunit/.kunit-gpusan"
[ -x "$build/linux" ] || {
	echo "kunit-bench: no UML kernel at $build/linux: run scripts/kunit.sh first" >&2
	exit 1
}
grep -q '^CONFIG_GPUSAN_BENCH=y' "$build/.config" || {
	echo "kunit-bench: the kernel at $build lacks CONFIG_GPUSAN_BENCH: run scripts/kunit.sh" >&2
	exit 1
}
# Twice: with gpusan's default stacks, and with gpusan.stack_depth=0 (no
# stack capture), which shows what the stacks cost of the gpusan share.
for args in "gpusan.stack_depth=16" "gpusan.stack_depth=0"; do
	echo "kunit-bench: $args"
	out=$(timeout 900 "$build/linux" mem=512M console=tty kunit_shutdown=halt \
		kunit.filter_glob=none gpusan_bench.run=1 "gpusan_bench.iters=${ITERS:-2000}" \
		"$args" </dev/null 2>&1 || true)
	grep 'gpusan_bench:' <<<"$out" || {
		tail -n 30 <<<"$out"
		echo "kunit-bench: the benchmark printed nothing" >&2
		exit 1
	}
done
