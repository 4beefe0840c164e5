#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-cocci refuses bad input with a message naming the problem and exit 2.
set -u
run_cocci=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "free_fns=drv_obj_free:2" >"$tmp/profile.conf"

expect 2 "/nonexistent/tree: No such file or directory" \
	"$run_cocci" /nonexistent/tree
expect 2 "unknown Coccinelle rule 'no_such_rule'" \
	"$run_cocci" -r no_such_rule "$here"
expect 2 "spatch not found" env SPATCH=/nonexistent/spatch "$run_cocci" "$here"
expect 2 "/nonexistent: No such file or directory" \
	"$run_cocci" -p /nonexistent "$here"
expect 2 "bad -D '1x': expected NAME or NAME=VALUE" \
	"$run_cocci" -D 1x "$here/use_after_free_ok.c"
# A profile is an annotated header; the old NAME=VALUE files are refused.
expect 2 "cannot list the roles of .*profile.conf" \
	"$run_cocci" --profile "$tmp/profile.conf" "$here/use_after_free_ok.c"
expect 2 "unknown mode 'fix'" "$run_cocci" -m fix "$here"
expect 2 "alloc_unchecked: bad alloc_fns entry 'bad-name': expected a function name" \
	"$run_cocci" -r alloc_unchecked -D alloc_fns=bad-name "$here/alloc_unchecked_ok.c"
expect 2 "free_published: bad free_fns entry 'f:3'" \
	"$run_cocci" -r free_published -D free_fns=f:3 "$here/free_published_ok.c"
# The files of a compile database, with paths as given.
printf '[{"directory": "%s", "file": "use_after_free.c", "command": "cc -c use_after_free.c"}]\n' \
	"$here" >"$tmp/compile_commands.json"
expect 1 "use_after_free.c:11:9: ERROR: use of GPU object 'obj'" \
	"$run_cocci" -r use_after_free -p "$tmp"
# The barrier the ring patch inserts can be the driver's own.
expect 0 "^\+	dma_wmb\(\);" \
	"$run_cocci" -m patch -r ring_wptr_barrier -D barrier_fn=dma_wmb "$here/ring_wptr_barrier.c"
expect 2 "bad barrier_fn 'a,b': expected one function name" \
	"$run_cocci" -m patch -r ring_wptr_barrier -D barrier_fn=a,b "$here/ring_wptr_barrier.c"
expect 2 "unknown option '--gitgrep'" "$run_cocci" --gitgrep "$here"
# Findings make report mode fail; a clean file passes.
expect 1 "use_after_free.c:11:9: ERROR: use of GPU object 'obj'" \
	"$run_cocci" -r use_after_free "$here/use_after_free.c"
expect 0 "^$" "$run_cocci" -r use_after_free "$here/use_after_free_ok.c"
exit $fail
