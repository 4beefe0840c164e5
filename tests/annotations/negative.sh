#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The smoke checks fail when what they look for is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
clang=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/../lib/expect.sh"

# An annotation clang did not keep, and one on the wrong declaration.
sed 's/expect: bo_create gpuown_alloc$/expect: bo_create gpuown_frees/' \
	"$here/ast_sample.c" >"$tmp/ast_sample.c"
expect 1 "no annotation \"gpuown_frees\" on 'bo_create'" \
	"$here/check-ast" "$clang" "$tmp/ast_sample.c" "$@"
expect 1 "unexpected annotation \"gpuown_alloc\" on 'bo_create'" \
	"$here/check-ast" "$clang" "$tmp/ast_sample.c" "$@"
# A file spatch cannot parse.
printf 'int f(void)\n{\n\treturn (1 +;\n}\n' >"$tmp/broken.c"
expect 1 "FAIL: .*broken.c: cannot parse" "$here/check-parse" "$tmp/broken.c"
expect 2 "no such file or directory" "$here/check-parse" /nonexistent
exit $fail
