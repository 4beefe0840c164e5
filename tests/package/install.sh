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
for t in gpuown-check fwgen run-cocci run-sparse kernel-sparse; do
	expect 0 "^$t \(gpuown\) $version\$" "$stage/bin/$t" --version
	expect 0 "$t.1" ls "$stage/share/man/man1/$t.1"
done
expect 0 'fwlayout.1' ls "$stage/share/man/man1/fwlayout.1"
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
expect 0 "^consumer-fwlayout \(gpuown\) $version\$" "$cm/consumer-fwlayout" --version
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

# Relocatable: the staged prefix copied to another path, with no link back to
# the build or source tree, checks a small annotated project with every
# layer. Its --print-paths name only the copy, and (strace) no file
# under either tree is opened or run.
reloc=$(mktemp -d "${TMPDIR:-/tmp}/gpuown-reloc.XXXXXX")
trap 'rm -rf "$reloc"' EXIT
cp -a "$stage" "$reloc/prefix"
p=$reloc/prefix proj=$reloc/proj
mkdir -p "$proj"
cp "$src"/tests/package/annotated/*.c "$proj/"
{
	echo '['
	sep=
	for f in job.c addr.c clean.c; do
		printf '%s{"directory": "%s", "file": "%s", "arguments": ["cc", "-std=gnu11", "-I%s/include", "-c", "%s"]}\n' \
			"$sep" "$proj" "$f" "$p" "$f"
		sep=,
	done
	echo ']'
} >"$proj/compile_commands.json"
paths=$("$p/bin/gpuown-check" --print-paths)
for key in plugin cocci-dir sparse-flags annotations roles-header include-dirs; do
	expect 0 "^$key: $p/bin/\.\./" grep "^$key: " <<<"$paths"
done
expect 0 "^help-uri-base: file://$p/share/doc/gpuown/rules\.md" grep '^help-uri-base: ' <<<"$paths"
if grep -Fq -e "$src/" -e "$build/" <<<"$paths"; then
	echo "FAIL: the moved prefix names the source or build tree:"
	echo "$paths"
	fail=1
fi
command -v strace >/dev/null || {
	echo "FAIL: strace not found: install Debian's strace (scripts/setup.sh does)"
	exit 1
}
trace=(strace -f -qq -e trace=execve,openat,open,stat,newfstatat,access \
	-o "$reloc/trace")
expect 1 'job\.c:21:[0-9]+: warning: .*\[gpuown\.Lifetime\]' "${trace[@]}" \
	env -C "$proj" PWD="$proj" ASAN_OPTIONS=detect_leaks=0 "$p/bin/gpuown-check" -p . --no-cache -j 2 \
	--timeout 120 -o "$proj/check.sarif"
out=$(cd "$proj" && "$p/bin/gpuown-check" -p . --no-cache -j 2 --timeout 120 2>&1)
for want in 'job\.c:21:[0-9]+: warning: .*\[cocci\.use_after_free\]' \
	'addr\.c:6:[0-9]+: warning: .*\[sparse\.bitwise\]' \
	'3 units'; do
	expect 0 "$want" echo "$out"
done
if grep -q 'clean\.c' <<<"$out"; then
	echo "FAIL: clean.c has a finding:"
	echo "$out"
	fail=1
fi
# The moved run-cocci runs the moved gpuown-check.
expect 1 "job\\.c:21:[0-9]+: ERROR: use of 'job'" \
	env -C "$proj" PATH=/usr/bin:/bin "$p/bin/run-cocci" -p . job.c
expect 0 "\"helpUri\": ?\"file://$p/share/doc/gpuown/rules\.md" cat "$proj/check.sarif"
used=$(grep -F -e "\"$src/" -e "\"$build/" "$reloc/trace" | head -5)
if [ -n "$used" ]; then
	echo "FAIL: the moved prefix used the source or build tree:"
	echo "$used"
	fail=1
else
	echo "ok: no file of the source or build tree used (strace)"
fi
exit $fail
