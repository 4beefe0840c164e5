#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check-spdx.sh: this tree passes; a tree with an unlabelled file fails and
# names it, while exempt expected-output files are not asked for one.
# Usage: spdx.sh SRC_DIR WORK_DIR
set -uo pipefail
src=$1 work=$2
. "$src/tests/lib/expect.sh"
check="$src/scripts/check-spdx.sh"

expect 0 'every file carries an SPDX line' bash "$check" "$src"

rm -rf "$work" && mkdir -p "$work"
git -C "$work" init -q
printf '// SPDX-License-Identifier: MIT\nint a;\n' >"$work/good.c"
printf 'expected output\n' >"$work/case.err"
git -C "$work" add good.c case.err
expect 0 'every file carries an SPDX line' bash "$check" "$work"
printf 'int b;\n' >"$work/bad.c"
git -C "$work" add bad.c
expect 1 'no SPDX-License-Identifier line: bad.c' bash "$check" "$work"
exit $fail
