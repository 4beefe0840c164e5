#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compile the portable core (runtime/model/src, list in model.mk) as kbuild
# objects against a prepared Linux build directory, warnings on (W=1): the
# proof that the core needs nothing a kernel does not have.
#   scripts/check-core-kbuild.sh <kernel build dir> [make args, e.g. LLVM=-14]
# A prepared x86_64 tree: make -C <linux-6.1 source> O=<dir> LLVM=-14 \
#   defconfig modules_prepare (see scripts/lib/linux-tree.sh for the source).
set -euo pipefail
kdir=${1:?usage: $0 <kernel build dir> [make args]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$kdir/Makefile" ] || { echo "check-core-kbuild: $kdir is not a kernel build dir" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gpuown-core-kbuild.XXXXXX")
trap 'rm -rf "$work"' EXIT
srcs=$(sed -n 's/^\t\([a-z_]*\.c\).*/\1/p' "$root/runtime/model/model.mk")
for f in $srcs; do ln -s "$root/runtime/model/src/$f" "$work/$f"; done
cat > "$work/Kbuild" <<KB
ccflags-y += -I$root/runtime/model/include -I$root/runtime/model/src \
	-I$root/runtime/include \
	-I$root/runtime/gpusan/include -I$root/annotations -Werror
obj-m := gpuown_core_check.o
gpuown_core_check-y := $(echo $srcs | sed 's/\.c/.o/g')
KB
make -s -C "$kdir" M="$work" W=1 "$@" $(echo $srcs | sed 's/\.c/.o/g')
echo "check-core-kbuild: $(echo $srcs | wc -w) core files compile in $kdir"
