#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kernel lane: gpusan's KUnit suites in user-mode Linux 6.1 under generic
# KASAN, and kernel/ built as an out-of-tree module.
#
#   bash scripts/kunit.sh            # build (cached) and run; prints
#                                    #   kunit: N passed, M failed
#
# The kernel tree is a private extract in $GPUOWN_CACHE/linux-6.1-kunit
# (scripts/lib/linux-tree.sh); gpusan is hosted in it the way out-of-tree
# KUnit suites are: drivers/gpu/gpusan is a symlink to kernel/, plus one
# Kconfig line and one Makefile line, added once. The build directory stays
# in the cache, so a second run rebuilds only gpuown's files. The first run
# builds a UML kernel with KASAN: about 10 minutes of CPU on 2 cores.
#
# Exits non-zero, saying why, when the suites fail or cannot run, or when a
# runtime violation class has no positive KUnit case
# (scripts/check-kunit-coverage.sh, run first).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/linux-tree.sh
source "$repo/scripts/lib/linux-tree.sh"

die() {
	echo "kunit: $*" >&2
	echo "kunit: 0 passed, 0 failed (did not run)" >&2
	exit 1
}

tree="$GPUOWN_CACHE/linux-6.1-kunit"
build="$tree/.kunit-gpusan"
oot="$tree/.oot-gpusan"
jobs=${GPUOWN_JOBS:-2}

# Every runtime violation class (violations.def) has a positive KUnit case:
# checked first, it needs no kernel build.
bash "$repo/scripts/check-kunit-coverage.sh" ||
	die "a violation class has no positive KUnit case (listed above)"

# Every portable-core source (runtime/model/model.mk) needs its one-line
# wrapper in kernel/core/ (kbuild builds objects under kernel/ only).
for src in $(sed -n '/^GPUOWN_MODEL_SRCS/,/^$/p' "$repo/runtime/model/model.mk" |
	grep -oE '[a-z_]+\.c'); do
	[ -f "$repo/kernel/core/$src" ] ||
		die "kernel/core/$src is missing: add the one-line wrapper that includes runtime/model/src/$src"
done

linux_tree_prepare "$tree" || die "cannot prepare the Linux 6.1 tree at $tree"

# The reference driver's firmware structs (driver/fw/*.fwdef): fwgen, built
# from tools/fwgen with the host compiler, generates them into
# kernel/driver/gen (ignored by git). Files are replaced only when their
# text changes, so a warm run recompiles nothing.
gen_fw_structs() {
	local dir="$GPUOWN_CACHE/fwgen-kunit" ver cc=${CC:-cc} f
	ver=$(sed -nE 's/^project\(gpuown VERSION ([0-9.]+).*/\1/p' "$repo/CMakeLists.txt")
	[ -n "$ver" ] || return 1
	mkdir -p "$dir/gpuown" "$dir/out"
	sed -e "s/@PROJECT_VERSION@/$ver/" \
		-e "s/@PROJECT_VERSION_MAJOR@/${ver%%.*}/" \
		-e "s/@PROJECT_VERSION_MINOR@/$(cut -d. -f2 <<<"$ver")/" \
		-e "s/@PROJECT_VERSION_PATCH@/$(cut -d. -f3 <<<"$ver")/" \
		"$repo/cmake/version.h.in" >"$dir/gpuown/version.h"
	if [ ! -x "$dir/fwgen" ] || [ -n "$(find "$repo/tools/fwgen" -newer "$dir/fwgen" -name '*.[ch]')" ]; then
		"$cc" -std=gnu11 -O1 -D_GNU_SOURCE -I"$dir" -I"$repo/tools/fwgen" \
			"$repo"/tools/fwgen/{util,lex,parse,sema,emit,main}.c -o "$dir/fwgen" || return 1
	fi
	rm -rf "$dir/out" && mkdir -p "$dir/out"
	"$dir/fwgen" --set simgpu --out "$dir/out" "$repo"/driver/fw/{simgpu,init,rings,context,job}.fwdef || return 1
	mkdir -p "$repo/kernel/driver/gen/simgpu/gpuown_fw"
	for f in gpuown_fw/simgpu.h gpuown_fw/simgpu_instantiate.h simgpu_desc.c; do
		cmp -s "$dir/out/$f" "$repo/kernel/driver/gen/simgpu/$f" ||
			cp "$dir/out/$f" "$repo/kernel/driver/gen/simgpu/$f"
	done
}
gen_fw_structs || die "fwgen could not generate the reference driver's firmware structs (driver/fw)"
command -v python3 >/dev/null || die "python3 is needed by kunit.py"

# Host kernel/ in the tree: a symlink and two lines, each added only once.
host_gpusan() {
	local kconfig_line='source "drivers/gpu/gpusan/Kconfig"'
	local make_line='obj-$(CONFIG_GPUSAN) += gpusan/'

	ln -sfn "$repo/kernel" "$tree/drivers/gpu/gpusan"
	grep -qxF "$kconfig_line" "$tree/drivers/Kconfig" ||
		printf '\n%s\n' "$kconfig_line" >>"$tree/drivers/Kconfig"
	grep -qxF "$make_line" "$tree/drivers/gpu/Makefile" ||
		printf '%s\n' "$make_line" >>"$tree/drivers/gpu/Makefile"
}
host_gpusan

log="$build.log"
mkdir -p "$build"
cd "$tree"
start=$(date +%s)
set +e
# kasan_multi_shot: KASAN reports every trap (the suite makes several);
# gpusan.multi_shot likewise for gpusan's own reports.
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$repo/kernel/.kunitconfig" \
	--build_dir="$build" --arch=um --jobs="$jobs" \
	--kernel_args=kasan_multi_shot --kernel_args=gpusan.multi_shot=1 \
	--timeout=600 'gpusan*' >"$log" 2>&1
rc=$?
set -e
end=$(date +%s)

# The parsed results (kunit.py's own summary) and every failure's log lines.
grep -E '^\[[0-9:]+\] (\[(PASSED|FAILED|CRASHED|SKIPPED)\]|Testing complete|=+ )' "$log" | tail -n 80 || true
if grep -q 'ERROR' "$log" && ! grep -q 'Testing complete' "$log"; then
	tail -n 60 "$log"
	die "kunit.py could not build or boot the UML kernel (rc $rc; log $log)"
fi
summary=$(grep -E 'Testing complete\.' "$log" | tail -n 1 || true)
[ -n "$summary" ] || {
	tail -n 60 "$log"
	die "no test results in $log (rc $rc)"
}
# kunit.py 6.1: "Testing complete. Ran 54 tests: passed: 54" (then
# ", failed: N", ", crashed: N", ... when non-zero).
count() { sed -nE "s/.*[ ]$1: ([0-9]+).*/\1/p" <<<"$summary"; }
passed=$(count passed)
failed=$(count failed)
crashed=$(count crashed)
errors=$(count errors)
failed=$((${failed:-0} + ${crashed:-0} + ${errors:-0}))
passed=${passed:-0}
if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then
	grep -nE 'not ok|FAILED|Expected|BUG: GPUSAN|stray' "$log" | head -n 60 || true
fi
echo "kunit: UML build and run took $((end - start)) s"

# kernel/ as an out-of-tree module, against a tree without gpusan built in
# (the same config with CONFIG_GPUSAN off, modules_prepare only). -Werror
# comes from kernel/Kbuild: a warning fails this step.
oot_rc=0
if [ ! -f "$oot/.gpuown-prepared" ] || [ "$build/.config" -nt "$oot/.gpuown-prepared" ]; then
	mkdir -p "$oot"
	cp "$build/.config" "$oot/.config"
	scripts/config --file "$oot/.config" -d GPUSAN -d GPUSAN_KUNIT_TEST
	if make ARCH=um O="$oot" olddefconfig >/dev/null 2>&1 &&
		make ARCH=um O="$oot" -j"$jobs" modules_prepare >"$oot.log" 2>&1; then
		touch "$oot/.gpuown-prepared"
	else
		tail -n 20 "$oot.log" || true
		echo "kunit: modules_prepare failed for the out-of-tree check (log $oot.log)" >&2
		oot_rc=1
	fi
fi
# modpost needs the tree's exported symbols. The tree is never linked (a
# second vmlinux would double the first run); its config differs from the
# KUnit build's only by CONFIG_GPUSAN*, so that build's Module.symvers less
# gpusan's own exports is the tree's.
if [ "$oot_rc" -eq 0 ]; then
	awk -F'\t' '$2 !~ /^(gpusan_|gpusan__|gpuown_|gs_)/' "$build/Module.symvers" >"$oot/Module.symvers"
fi
if [ "$oot_rc" -eq 0 ]; then
	if make ARCH=um -C "$oot" M="$repo/kernel" -j"$jobs" modules >"$oot.module.log" 2>&1 &&
		! grep -iE '(warning|error)' "$oot.module.log"; then
		echo "kunit: out-of-tree module build: ok ($(cd "$repo/kernel" && ls ./*.ko ./driver/*.ko | tr '\n' ' '))"
	else
		tail -n 30 "$oot.module.log"
		echo "kunit: out-of-tree module build failed (log $oot.module.log)" >&2
		oot_rc=1
	fi
fi

echo "kunit: $passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then
	echo "kunit: KUnit suites failed (kunit.py rc $rc; log $log)" >&2
	exit 1
fi
if [ "$oot_rc" -ne 0 ]; then
	echo "kunit: the out-of-tree module build failed" >&2
	exit 1
fi
exit 0
