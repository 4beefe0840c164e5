#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check-kunit-coverage.sh: this tree passes (every runtime violation class has
# a positive KUnit case); a tree whose KUnit sources lose a class's case fails
# and names it; a static-layer rule (GPUOWN_CHECK) needs no case.
# Usage: kunit_coverage.sh SRC_DIR WORK_DIR
set -uo pipefail
src=$1 work=$2
. "$src/tests/lib/expect.sh"
check="$src/scripts/check-kunit-coverage.sh"

expect 0 'all [0-9]+ runtime violation classes have a positive KUnit case' \
	bash "$check" "$src"

rm -rf "$work" && mkdir -p "$work/annotations/gpuown" "$work/kernel"
cat >"$work/annotations/gpuown/violations.def" <<'DEF'
GPUOWN_VIOLATION(DOUBLE_FREE, "double-free", EINVAL, "a", "b", "lifetime", error)
GPUSAN_VIOLATION(BEYOND_FOOTPRINT, "beyond-footprint", EACCES, "a", "b",
		 "firmware-layouts", error)
GPUOWN_CHECK("cocci.use_after_free", NULL, NULL, "lifetime", error)
DEF
printf 'gt_expect(test, n, "double-free", NULL);\ngt_expect(test, n, "beyond-footprint", NULL);\n' \
	>"$work/kernel/a_test.c"
expect 0 'all 2 runtime violation classes' bash "$check" "$work"
# A class named only inside a longer string has no case.
printf 'gt_expect(test, n, "double-free", NULL);\nGT_NEEDLES("beyond-footprint 64");\n' \
	>"$work/kernel/a_test.c"
expect 1 '1 of 2 runtime violation classes have no positive KUnit case' \
	bash "$check" "$work"
expect 1 '^  beyond-footprint$' bash "$check" "$work"
rm "$work/kernel/a_test.c"
expect 1 'no KUnit sources' bash "$check" "$work"
exit $fail
