#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No Coccinelle rule names a function of gpuown's runtime API, not even in its
# comments: every name reaches the rules from an annotated header, and the
# rules' documentation speaks of roles.
# Usage: no-runtime-names.sh SOURCE_DIR
set -euo pipefail
src=${1:?usage: no-runtime-names.sh SOURCE_DIR}
cd "$src"
# Every function the runtime's public headers declare or define.
names=$(grep -ohE '\bgpuown_[a-z0-9_]+\(' runtime/include/gpuown/*.h |
	tr -d '(' | sort -u)
[[ -n $names ]] || { echo "no runtime function names found in runtime/include" >&2; exit 2; }
pattern=$(printf '%s\n' $names | paste -sd'|')
if hits=$(git grep -nwE "$pattern" -- 'cocci/*.cocci'); then
	echo "runtime function names inside cocci/*.cocci:" >&2
	echo "$hits" >&2
	exit 1
fi
echo "no-runtime-names: $(wc -w <<<"$names") runtime names, none in cocci/*.cocci"
