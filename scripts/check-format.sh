#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# clang-format-14 --dry-run -Werror over the tracked C and C++ sources: the
# project's .clang-format (kernel style; checker/.clang-format for the plugin)
# must leave every file unchanged. Test fixtures whose expected outputs name
# line numbers are formatted like any other file.
# Usage: check-format.sh [FILE...] (default: every tracked *.c, *.h, *.cpp)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format-14 >/dev/null ||
	{ echo "check-format: clang-format-14 not found (Debian's clang-format-14, pulled in by clang-14)" >&2; exit 2; }
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(git ls-files '*.c' '*.h' '*.cpp')
fi
bad=0
for f in "${files[@]}"; do
	if ! clang-format-14 --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "check-format: $f is not clang-format clean (clang-format-14 -i $f)"
		bad=$((bad + 1))
	fi
done
echo "check-format: ${#files[@]} files, $bad not formatted"
[ "$bad" -eq 0 ]
