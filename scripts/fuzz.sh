#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The fuzzing lane: builds the libFuzzer targets (fuzz/) with coverage and
# ASan+UBSan in build/fuzz, then fuzzes each for a bounded time, starting
# from its committed seed corpus (fuzz/corpus/<target>) and regression inputs
# (fuzz/regressions/<target>). New inputs go to a scratch corpus, never into
# the repository. A crash leaves its input in build/fuzz/crashes/<target>/:
# fix it and commit the input under fuzz/regressions/<target>/, which the
# fuzz_<target>_replay tests replay in every build.
#   FUZZ_SECONDS  time per target (default 36: five targets, three minutes)
# Prints `fuzz: N passed, N failed` and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-36}
build=build/fuzz
targets=(compdb baseline fwdef gpusan_options runtime)

die() {
	echo "fuzz: $*" >&2
	echo "fuzz: 0 passed, ${#targets[@]} failed"
	exit 1
}

[ -f /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ] ||
	ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
	die "libFuzzer not found: install Debian's libfuzzer-14-dev (scripts/setup.sh does)"
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang-14 \
	-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
	-DGPUOWN_ASAN=ON -DGPUOWN_FUZZ=ON -DGPUOWN_MANPAGES=OFF \
	-DGPUOWN_COMPONENTS="annotations;runtime;tools;runtime/gpusan;fuzz" \
	>/dev/null || die "configuring $build failed"
cmake --build "$build" -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") \
	>"$build/build.log" 2>&1 || { tail -20 "$build/build.log"; die "building the targets failed"; }

passed=0 failed=0
for t in "${targets[@]}"; do
	work="$build/work/$t" crashes="$build/crashes/$t"
	rm -rf "$work" && mkdir -p "$work" "$crashes"
	seeds=(fuzz/corpus/"$t")
	[ -d fuzz/regressions/"$t" ] && seeds+=(fuzz/regressions/"$t")
	log="$build/$t.log"
	if ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$t" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$work" "${seeds[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz: $t passed (${runs:-?} runs in ${seconds} s)"
		passed=$((passed + 1))
	else
		echo "fuzz: $t FAILED: input kept in $crashes/, log $log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY)' "$log" | head -3 || true
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
