#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages gpuown needs, only when missing. Safe to re-run.
set -euo pipefail

PACKAGES=(
	build-essential cmake ninja-build pkg-config
	clang-14 libclang-14-dev llvm-14-dev clang-tools-14 libclang-rt-14-dev
	libcriterion-dev
	coccinelle sparse
	libdw-dev libjson-c-dev libssl-dev
	python3 patch git
	help2man libfuzzer-14-dev linux-source-6.1 perl strace
	graphviz
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# npm (the SARIF schema test's ajv): any npm will do, Debian's or a nodejs
# that bundles it.
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
echo "gpuown setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
