#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A profile header alone brings a driver written with no gpuown in it under
# every static layer. foreign/my_drv.c has its own names for allocation,
# free, hand-over to the firmware, reclaim, CPU and GPU addresses, pointer
# stores and the ring's write-pointer publication, and one bug per function;
# gpuown-check with --profile foreign/profile.h (nothing else) must find
# exactly foreign/my_drv.report: the Coccinelle rules and the analyzer
# fire as they do on the reference driver. foreign/my_drv_ok.c, the same code
# without the bugs, stays silent in every layer, sparse included (sparse's
# checks are about the driver's own types, which a profile cannot change).
# Usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR
set -u
check=${1:?usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR}
plugin=${2:?usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR}
src=${3:?usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR}
here=$src/tests/cocci/foreign
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/compile_commands.json" <<JSON
[{"directory": "$here", "file": "$here/my_drv.c",
  "arguments": ["cc", "-std=gnu11", "-Wall", "-c", "my_drv.c"]},
 {"directory": "$here", "file": "$here/my_drv_ok.c",
  "arguments": ["cc", "-std=gnu11", "-Wall", "-c", "my_drv_ok.c"]}]
JSON
rc=0
"$check" -p "$tmp" --no-cache -j 2 --plugin "$plugin" \
	--profile "$here/profile.h" -I "$src/annotations" -o "$tmp/out.sarif" \
	>"$tmp/out" 2>"$tmp/err" || rc=$?
sed "s|^$here/||" "$tmp/out" | sort >"$tmp/got"
fail=0
if [[ $rc -ne 1 ]]; then
	echo "FAIL: gpuown-check exited $rc, expected 1 (findings):"
	cat "$tmp/err"
	fail=1
fi
if ! diff -u "$here/my_drv.report" "$tmp/got"; then
	echo "FAIL: the foreign driver's findings differ from my_drv.report"
	cat "$tmp/err"
	fail=1
fi
# One SARIF run per layer, all three of them run over the driver.
if ! python3 - "$tmp/out.sarif" <<'PY'; then
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
names = sorted(r["tool"]["driver"]["name"] for r in runs)
if len(names) != 3:
    sys.exit("SARIF runs: %s" % names)
PY
	echo "FAIL: the SARIF log does not hold one run per layer"
	fail=1
fi
[[ $fail -eq 0 ]] && echo "foreign-driver: $(wc -l <"$tmp/got") findings, as expected; my_drv_ok.c silent in every layer"
exit $fail
