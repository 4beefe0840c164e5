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
# With -p, run-sparse is a front end of gpuown-check, which reads the
# database, runs sparse and reports in its own format.
expect 2 "gpuown-check: /nonexistent: No such file or directory" \
	"$run_sparse" -p /nonexistent
root=$(cd "$here/../.." && pwd)
cat >"$tmp/compile_commands.json" <<EOF
[{"directory": "$tmp", "file": "$here/noderef_gpu.c",
  "arguments": ["cc", "-std=gnu11", "-I$root/annotations", "-I$root/runtime/include", "-c",
		"$here/noderef_gpu.c"]},
 {"directory": "$tmp", "file": "$here/clean_shared.c",
  "arguments": ["cc", "-std=gnu11", "-I$root/annotations", "-I$root/runtime/include", "-c",
		"$here/clean_shared.c"]}]
EOF
expect 1 "noderef_gpu.c:16:10: warning: dereference of noderef expression \[sparse.noderef\]" \
	"$run_sparse" -p "$tmp" "$here/noderef_gpu.c"
expect 0 "1 units, 0 findings" "$run_sparse" -p "$tmp" "$here/clean_shared.c"
expect 2 "no compile-database entry under the given paths" \
	"$run_sparse" -p "$tmp" "$here/clean_context.c"
expect 2 "-W applies to files checked without -p" \
	"$run_sparse" -p "$tmp" -W no-decl
expect 2 "cannot run /nonexistent/gpuown-check" \
	env GPUOWN_CHECK=/nonexistent/gpuown-check "$run_sparse" -p "$tmp"
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
