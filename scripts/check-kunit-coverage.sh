#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every violation class the runtime can report has a positive KUnit case.
#
#   bash scripts/check-kunit-coverage.sh [REPO]  # scripts/kunit.sh runs it first
#
# The classes are the @name column of annotations/gpuown/violations.def's
# GPUOWN_VIOLATION rows (the object model's refusals) and GPUSAN_VIOLATION
# rows (gpusan's shadow and sanitizer checks): every runtime report is
# "BUG: GPUSAN: <name>" with one of them. GPUOWN_CHECK rows are not classes
# but the static layers' SARIF rule IDs (analyzer, sparse, Coccinelle); the
# runtime never reports them, so they are out by that rule, not by a list.
#
# A positive case names its class as a whole string literal, "<name>", the
# class argument of its report expectation (gt_expect() in the gpusan suites,
# the class compare of kernel/driver's suite), in a KUnit source: kernel/ or
# kernel/driver/ files ending in _test.c. Exits 1 listing each class with no
# such case. Needs no kernel build. REPO (default: this script's repository)
# is the tree to check (tests/hygiene/kunit_coverage.sh checks a bad one).
set -euo pipefail

repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
def="$repo/annotations/gpuown/violations.def"

[ -r "$def" ] || {
	echo "kunit-coverage: cannot read $def" >&2
	exit 1
}
shopt -s nullglob
tests=("$repo"/kernel/*_test.c "$repo"/kernel/driver/*_test.c)
[ ${#tests[@]} -gt 0 ] || {
	echo "kunit-coverage: no KUnit sources (kernel/*_test.c)" >&2
	exit 1
}

# The name is the row's second argument: GPUOWN_VIOLATION(ID, "name", ...).
mapfile -t classes < <(grep -hoE '^(GPUOWN|GPUSAN)_VIOLATION\([A-Z_0-9]+, *"[a-z-]+"' "$def" |
	sed -E 's/.*"([a-z-]+)"$/\1/')
[ ${#classes[@]} -gt 0 ] || {
	echo "kunit-coverage: no GPUOWN_VIOLATION/GPUSAN_VIOLATION rows in $def" >&2
	exit 1
}

missing=()
for c in "${classes[@]}"; do
	grep -qF "\"$c\"" "${tests[@]}" || missing+=("$c")
done

if [ ${#missing[@]} -ne 0 ]; then
	echo "kunit-coverage: ${#missing[@]} of ${#classes[@]} runtime violation classes have no positive KUnit case in kernel/*_test.c:" >&2
	printf '  %s\n' "${missing[@]}" >&2
	echo "kunit-coverage: add a case whose report expectation names the class (gt_expect(test, n, \"<class>\", ...)) and its clean twin" >&2
	exit 1
fi
echo "kunit-coverage: all ${#classes[@]} runtime violation classes have a positive KUnit case"
