#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# format.sh: the project's sources are clang-format clean, and a file that is
# not is named with the command that fixes it.
# Usage: format.sh SRC_DIR WORK_DIR
set -uo pipefail
src=$1 work=$2
. "$src/tests/lib/expect.sh"

expect 0 'check-format: [0-9]+ files, 0 not formatted' bash "$src/scripts/check-format.sh"

rm -rf "$work" && mkdir -p "$work"
printf '// SPDX-License-Identifier: MIT\nint f(int x){return x;}\n' >"$work/bad.c"
cp "$src/.clang-format" "$work/"
expect 1 'bad.c is not clang-format clean' bash "$src/scripts/check-format.sh" "$work/bad.c"
exit $fail
