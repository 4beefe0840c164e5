#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# checkpatch.sh: driver/ is clean apart from the documented exceptions; a
# kernel-style violation outside them fails, naming its type and line.
# Usage: checkpatch.sh SRC_DIR WORK_DIR
set -uo pipefail
src=$1 work=$2
. "$src/tests/lib/expect.sh"

expect 0 'checkpatch: [0-9]+ files, 0 problems' bash "$src/scripts/checkpatch.sh"

rm -rf "$work" && mkdir -p "$work"
cat >"$work/bad.c" <<'C'
// SPDX-License-Identifier: MIT
int f(int *p)
{
	if (*p == 1) return 2;
	return 0;
}
C
expect 1 'bad.c:4: ERROR:TRAILING_STATEMENTS' bash "$src/scripts/checkpatch.sh" "$work"
exit $fail
