#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared by every script that needs real Linux 6.1 code (the kernel lane, the
# evaluation, the KUnit suite). Source it, then call:
#
#   linux_tree_prepare DEST    # an extracted, pristine linux-source-6.1 at DEST
#
# Trees live in a cache outside the repository, so a second run is fast:
#   GPUOWN_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/gpuown)
# Each consumer extracts its own copy (DEST), because configured trees and the
# files a script adds (KUnit hosting) must not collide between consumers.

GPUOWN_CACHE=${GPUOWN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gpuown}
export GPUOWN_CACHE

# Packages a kernel build with Debian's LLVM needs, besides the source itself.
LINUX_TREE_PACKAGES=(
	linux-source-6.1 xz-utils flex bison bc libelf-dev libssl-dev
	clang lld llvm python3 make rsync kmod cpio
)

linux_tree_die() {
	echo "linux-tree: $*" >&2
	exit 1
}

linux_tree_install() {
	local missing=() p sudo=
	for p in "${LINUX_TREE_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "linux-tree: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq ||
		linux_tree_die "apt-get update failed: cannot install ${missing[*]}"
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
		linux_tree_die "apt-get install failed for ${missing[*]}"
}

# The tarball Debian's linux-source-6.1 ships (one version at a time).
linux_tree_tarball() {
	local t
	t=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | head -n 1)
	[ -n "$t" ] || linux_tree_die "no /usr/src/linux-source-6.1*.tar.xz after installing linux-source-6.1"
	echo "$t"
}

# Extract once per tarball version; the stamp names the tarball so an upgraded
# package re-extracts. flock keeps two concurrent callers from racing.
linux_tree_prepare() {
	local dest=$1 tarball stamp
	[ -n "$dest" ] || linux_tree_die "linux_tree_prepare needs a destination"
	linux_tree_install
	tarball=$(linux_tree_tarball)
	stamp="$dest/.gpuown-extracted"
	mkdir -p "$(dirname "$dest")"
	(
		flock 9
		if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(basename "$tarball")" ]; then
			exit 0
		fi
		echo "linux-tree: extracting $(basename "$tarball") into $dest"
		rm -rf "$dest.tmp" "$dest"
		mkdir -p "$dest.tmp"
		tar -xf "$tarball" -C "$dest.tmp" --strip-components=1 ||
			linux_tree_die "extracting $tarball failed"
		mv "$dest.tmp" "$dest"
		basename "$tarball" >"$stamp"
	) 9>"$dest.lock"
}
