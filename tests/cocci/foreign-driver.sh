#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A profile header alone brings a driver written with no gpuown in it under
# every static layer. foreign/my_drv.c has its own names for allocation,
# free, hand-over to the firmware, reclaim, CPU and GPU addresses, pointer
# stores, the ring's write-pointer publication and a referenced lookup, and
# one bug per function; foreign/my_fw.c builds per-variant code
# (my_fw_boot.h) writing a field that profile.h alone says is versioned;
# gpuown-check with --profile foreign/profile.h (nothing else) must find
# exactly foreign/my_drv.report: the Coccinelle rules and the analyzer
# fire as they do on the reference driver, and every rule that has a bug
# class in the driver fires (the rules listed in RULES below). my_drv_ok.c
# and my_fw_ok.c, the same code without the bugs, stay silent in every layer, sparse included (sparse's
# checks are about the driver's own types, which a profile cannot change).
# Usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR
set -u
check=${1:?usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR}
plugin=${2:?usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR}
src=${3:?usage: foreign-driver.sh GPUOWN_CHECK PLUGIN SOURCE_DIR}
here=$src/tests/cocci/foreign
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

units=(my_drv.c my_drv_ok.c my_fw.c my_fw_ok.c)
{
	sep='['
	for u in "${units[@]}"; do
		printf '%s{"directory": "%s", "file": "%s/%s",\n' "$sep" "$here" "$here" "$u"
		printf '  "arguments": ["cc", "-std=gnu11", "-Wall", "-c", "%s"]}\n' "$u"
		sep=','
	done
	echo ']'
} >"$tmp/compile_commands.json"
rc=0
"$check" -p "$tmp" --no-cache -j 2 --plugin "$plugin" \
	--profile "$here/profile.h" -I "$src/annotations" -o "$tmp/out.sarif" \
	"$here" >"$tmp/out" 2>"$tmp/err" || rc=$?
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
# Every rule of the reference driver's bug classes fires on the foreign
# driver (the kernel-idiom rules have kernel-shaped tests of their own, with
# kprofile.h's names).
for r in alloc_unchecked use_after_free write_after_publish free_published \
	gpu_ptr_raw_store cpu_ptr_in_gpu_field ring_wptr_barrier lookup_no_ref \
	versioned_field use_after_put; do
	if ! grep -q "\[cocci\.$r\]" "$tmp/got"; then
		echo "FAIL: rule $r does not fire on the foreign driver"
		fail=1
	fi
done
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
