#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-sparse and the sample runner refuse bad input with a clear message.
set -u
run_sparse=$1
run_test=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/../lib/expect.sh"

expect 2 "no such file or directory: /nonexistent.c" "$run_sparse" /nonexistent.c
expect 2 "nothing to check" "$run_sparse"
expect 2 "sparse not found" env SPARSE=/nonexistent/sparse "$run_sparse" "$here/clean_shared.c"
expect 2 "no compile database: /nonexistent/compile_commands.json" \
	"$run_sparse" -p /nonexistent
printf '#include <no/such/header.h>\n' >"$tmp/broken.c"
expect 2 "sparse failed on .*broken.c" "$run_sparse" "$tmp/broken.c"
# Findings exit 1, clean code 0.
expect 1 "dereference of noderef expression" "$run_sparse" "$here/noderef_gpu.c"
expect 0 "^$" "$run_sparse" "$here/clean_shared.c"

# The sample runner: a missing expectation block fails the sample, as does a
# sample without its header.
sed '/check-error-start/,/check-error-end/d' "$here/noderef_gpu.c" >"$tmp/noderef_gpu.c"
expect 1 "output differs" "$run_test" "$run_sparse" "$tmp/noderef_gpu.c"
printf 'static int x;\n' >"$tmp/bare.c"
expect 1 "FAIL .*missing check-name" "$run_test" "$run_sparse" "$tmp/bare.c"
exit $fail
