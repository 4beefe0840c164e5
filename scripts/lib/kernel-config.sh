#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configured Linux 6.1 trees for the evaluation and the kernel lane. Source it
# after scripts/lib/linux-tree.sh, then:
#
#   kernel_tree_configure DEST ARCH OPTION...
#
# extracts a pristine copy at DEST (linux_tree_prepare), configures ARCH
# (x86_64 or arm64) from its defconfig with LLVM=1 (Debian's clang, lld and
# llvm only: no cross gcc), sets each OPTION with scripts/config (NAME=y or
# NAME=m) and runs `make prepare`. A stamp records the options, so a second call
# with the same ones returns at once and a different set reconfigures.

kernel_tree_die() {
	echo "kernel-tree: $*" >&2
	exit 1
}

# make in a configured tree: LLVM=1, the tree's ARCH, quiet, nice'd because the
# machine is usually shared.
kernel_make() {
	local dest=$1 arch=$2
	shift 2
	nice -n 10 make -s -C "$dest" LLVM=1 ARCH="$arch" -j"${GPUOWN_KERNEL_JOBS:-2}" "$@"
}

kernel_tree_configure() {
	local dest=$1 arch=$2 opts=() o want stamp
	shift 2
	case "$arch" in
	x86_64 | arm64) ;;
	*) kernel_tree_die "unsupported ARCH '$arch' (x86_64 or arm64)" ;;
	esac
	linux_tree_prepare "$dest"
	want="$arch $*"
	stamp="$dest/.gpuown-configured"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	echo "kernel-tree: configuring $dest for $arch ($*)"
	rm -f "$stamp"
	kernel_make "$dest" "$arch" defconfig ||
		kernel_tree_die "make defconfig failed in $dest"
	for o in "$@"; do
		case "$o" in
		*=y) opts+=(--enable "${o%=y}") ;;
		*=m) opts+=(--module "${o%=m}") ;;
		*) kernel_tree_die "option '$o' is not NAME=y or NAME=m" ;;
		esac
	done
	"$dest/scripts/config" --file "$dest/.config" "${opts[@]}" ||
		kernel_tree_die "scripts/config failed in $dest"
	kernel_make "$dest" "$arch" olddefconfig ||
		kernel_tree_die "make olddefconfig failed in $dest"
	for o in "$@"; do
		grep -qx "CONFIG_$o" "$dest/.config" ||
			kernel_tree_die "CONFIG_$o did not stick in $dest/.config (a dependency is missing)"
	done
	kernel_make "$dest" "$arch" prepare ||
		kernel_tree_die "make LLVM=1 ARCH=$arch prepare failed in $dest"
	echo "$want" >"$stamp"
}
