#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every tool answers --version with "NAME (gpuown) VERSION", the project's
# version, and --help with a usage (what help2man turns into its man page).
# Usage: versions.sh VERSION NAME=PATH...
set -uo pipefail
version=$1
shift
fail=0
for t in "$@"; do
	name=${t%%=*} path=${t#*=}
	out=$(ASAN_OPTIONS=detect_leaks=0 "$path" --version 2>&1)
	if [ "$out" != "$name (gpuown) $version" ]; then
		echo "FAIL: $path --version printed '$out', want '$name (gpuown) $version'"
		fail=1
	else
		echo "ok: $name --version"
	fi
	if ! ASAN_OPTIONS=detect_leaks=0 "$path" --help 2>&1 | grep -qi 'usage'; then
		echo "FAIL: $path --help prints no usage"
		fail=1
	fi
done
exit $fail
