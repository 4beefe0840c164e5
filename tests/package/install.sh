#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs this build into a staging prefix, then builds an out-of-tree
# project against it with find_package(gpuown) (runtime, gpusan, a generated
# firmware set and its fwlayout, a gpuown_check() target) and with
# pkg-config. The installed tools must find their companions inside the
# prefix, not in the build tree.
# Usage: install.sh BUILD_DIR SRC_DIR WORK_DIR VERSION CC
set -uo pipefail
build=$1 src=$2 work=$3 version=$4 cc=$5
. "$src/tests/lib/expect.sh"
stage=$work/stage
rm -rf "$work" && mkdir -p "$work"

expect 0 'Installing: .*/bin/gpuown-check' cmake --install "$build" --prefix "$stage"
# Every tool: the project version, and a man page.
for t in gpuown-check fwgen run-cocci run-sparse; do
	expect 0 "^$t \(gpuown\) $version\$" "$stage/bin/$t" --version
	expect 0 "$t.1" ls "$stage/share/man/man1/$t.1"
done
expect 0 "plugin: $stage/bin/\.\./lib[^ ]*/gpuown/GpuownAnalyzer\.so" \
	"$stage/bin/gpuown-check" --print-paths
expect 0 "cocci-dir: $stage/bin/\.\./share/gpuown/cocci" \
	"$stage/bin/gpuown-check" --print-paths
expect 0 "sparse-flags: $stage/bin/\.\./share/gpuown/sparse/flags" \
	"$stage/bin/gpuown-check" --print-paths
expect 0 "annotations: $stage/bin/\.\./include/gpuown/annotations\.h" \
	"$stage/bin/gpuown-check" --print-paths

# CMake: configure, build, run, the generated set's layout tool, the check.
cm=$work/cmake
expect 0 'Build files have been written' cmake -S "$src/tests/package/consumer" \
	-B "$cm" -G Ninja -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$stage"
expect 0 'Linking C executable consumer' cmake --build "$cm"
expect 0 "consumer: gpuown $version, 0 gpusan reports" "$cm/consumer"
expect 0 'consumer_msg' "$cm/consumer-fwlayout" list
expect 0 'gpuown-check over' cmake --build "$cm" --target consumer-check
expect 0 '"name": ?"coccinelle"' cat "$cm/consumer-check.sarif"

# pkg-config, from the staged prefix's own .pc files.
pc=$(find "$stage" -name gpuown-gpusan.pc -printf '%h')
export PKG_CONFIG_PATH=$pc
expect 0 "^$version\$" pkg-config --modversion gpuown-gpusan
flags=$(pkg-config --cflags --libs gpuown-gpusan) || fail=1
expect 0 '' "$cc" -o "$work/pkgconfig-consumer" \
	"$src/tests/package/consumer/pkgconfig.c" $flags
expect 0 "pkgconfig-consumer: gpuown $version" "$work/pkgconfig-consumer"
exit $fail
