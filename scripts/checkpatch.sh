#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kernel's checkpatch.pl (Linux 6.1, from Debian's linux-source-6.1) over
# the kernel-shaped C: driver/ and kernel/ when it exists, or the files and
# folders given. Types listed in scripts/checkpatch-ignore (each with its
# reason) are ignored; anything else fails.
#
# checkpatch.pl and its data files (spelling.txt, const_structs.checkpatch)
# come from the pristine extract $GPUOWN_CACHE/linux-6.1-src when present,
# else only those three files are extracted from the tarball into
# $GPUOWN_CACHE/checkpatch-6.1.
# Usage: checkpatch.sh [PATH...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib/linux-tree.sh"

die() {
	echo "checkpatch: $*" >&2
	exit 2
}

checkpatch_find() {
	local src="$GPUOWN_CACHE/linux-6.1-src" dest="$GPUOWN_CACHE/checkpatch-6.1"
	local tarball top
	if [ -f "$src/.gpuown-extracted" ] && [ -f "$src/scripts/checkpatch.pl" ]; then
		echo "$src/scripts/checkpatch.pl"
		return
	fi
	if [ -f "$dest/scripts/checkpatch.pl" ]; then
		echo "$dest/scripts/checkpatch.pl"
		return
	fi
	tarball=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | head -n 1)
	[ -n "$tarball" ] ||
		die "no /usr/src/linux-source-6.1*.tar.xz: install Debian's linux-source-6.1 (scripts/setup.sh does)"
	top=$(tar -tJf "$tarball" | head -n 1 | cut -d/ -f1)
	mkdir -p "$dest.tmp"
	tar -xJf "$tarball" -C "$dest.tmp" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" ||
		die "extracting checkpatch.pl from $tarball failed"
	rm -rf "$dest" && mv "$dest.tmp" "$dest"
	echo "$dest/scripts/checkpatch.pl"
}

command -v perl >/dev/null || die "perl is needed to run checkpatch.pl"
checkpatch=$(checkpatch_find)
ignore=$(grep -v '^#' "$root/scripts/checkpatch-ignore" | awk 'NF { print $1 }' | paste -sd, -)

paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
	paths=("$root/driver")
	[ -d "$root/kernel" ] && paths+=("$root/kernel")
fi
# *.mod.c is what an out-of-tree module build (scripts/kunit.sh) generates,
# kernel/driver/gen fwgen's output the kernel lane generates.
mapfile -t files < <(find "${paths[@]}" -type f \( -name '*.c' -o -name '*.h' \) \
	! -name '*.mod.c' ! -path '*/kernel/driver/gen/*' | sort)
[ ${#files[@]} -gt 0 ] || die "no C files under ${paths[*]}"

rc=0
out=$(cd "$root" && perl "$checkpatch" --no-tree --terse --show-types \
	--no-summary --ignore "$ignore" -f "${files[@]}" 2>&1) || rc=$?
problems=$(grep -cE ': (ERROR|WARNING|CHECK):' <<<"$out" || true)
[ -n "$out" ] && echo "$out"
echo "checkpatch: ${#files[@]} files, $problems problems (ignored types: scripts/checkpatch-ignore)"
if [ "$problems" -eq 0 ] && [ "$rc" -ne 0 ]; then
	die "checkpatch.pl exited $rc without reporting a problem"
fi
[ "$problems" -eq 0 ]
