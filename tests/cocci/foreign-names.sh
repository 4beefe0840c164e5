#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every Coccinelle rule fires on a driver that has its own names exactly as on
# code written against gpuown's runtime. Each test input R.c / R_ok.c is
# rewritten with a foreign driver's names (my_bo_destroy() for
# gpuown_obj_free(), my_ring_commit32() for gpuown_shared_store32(), ...);
# the driver's names reach the rules only from foreign/profile.h. The
# report of the rewritten R.c must be R.report rewritten the same way,
# R_ok.c must stay silent, and for a patch rule the rewritten R.c patched
# must be R.res rewritten (the fix calls the driver's own functions).
# Usage: foreign-names.sh RUN_COCCI
set -u
run_cocci=$(readlink -f "${1:?usage: foreign-names.sh RUN_COCCI}")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rename() {
	perl -pe '
		s/\bgpuown_obj_alloc\b/my_bo_create/g;
		s/\bgpuown_obj_free\b/my_bo_destroy/g;
		s/\bgpuown_obj_publish\b/my_bo_hand_to_fw/g;
		s/\bgpuown_obj_reclaim\b/my_bo_take_back/g;
		s/\bgpuown_obj_share\b/my_bo_share/g;
		s/\bgpuown_obj_state\b/my_bo_status/g;
		s/\bgpuown_obj_cpu\b/my_bo_vaddr/g;
		s/\bgpuown_obj_gpu_va\b/my_bo_gpu_addr/g;
		s/\bgpuown_obj_fw_addr\b/my_bo_fw_addr/g;
		s/\bgpuown_cpu_begin\b/my_bo_cpu_prep/g;
		s/\bgpuown_cpu_end\b/my_bo_cpu_fini/g;
		s/\bgpuown_cpu_write\b/my_bo_write/g;
		s/\bgpuown_shared_store32\b/my_ring_commit32/g;
		s/\bgpuown_store_gpu_ptr\b/my_desc_set_ptr/g;
		s/\bgpuown_store_fw_ptr\b/my_desc_set_fw_ptr/g;
		s/\bgpuown_gpu_addr_from_u64\b/my_gpu_addr/g;
		s/\bctx_lookup\b/my_ctx_fetch/g;
		s/\bctx_find\b/my_ctx_search/g;
		s/\bctx_get\b/my_ctx_hold/g;
		s/\bctx_put\b/my_ctx_drop/g;
		s/\bgpuown_obj\b/my_bo/g;
		s/\bgpuown_mm\b/my_vm/g;
		s/\bgpuown_alloc_args\b/my_bo_args/g;
		s/\bgpuown_fence\b/my_fence/g;
	'
}

nocol() {
	sed -E 's/^([^:]+:[0-9]+):[0-9]+:/\1:/'
}

fail=0
rules=0
patches=0
for report in "$here"/*.report; do
	rule=$(basename "$report" .report)
	[[ $rule == *.res ]] && continue
	# A rule tested on kernel-shaped code with its own profile (kprofile.h)
	# names nothing of gpuown's to rename: its own test covers it.
	grep -q 'kprofile\.h' "$here/$rule.opts" 2>/dev/null && continue
	rules=$((rules + 1))
	extra=()
	if [[ -f $here/$rule.opts ]]; then
		while IFS= read -r l; do
			[[ -z $l || $l == \#* ]] && continue
			extra+=("${l//\$HERE/$here}")
		done <"$here/$rule.opts"
	fi
	# The reference profile gives way to the foreign one.
	for i in "${!extra[@]}"; do
		[[ ${extra[$i]} == "$here/profile.h" ]] && extra[$i]=$here/foreign/profile.h
	done
	for f in "$rule.c" "$rule"_ok.c; do
		rename <"$here/$f" >"$tmp/$f"
	done
	for h in "$here"/*.h; do
		[[ $(basename "$h") == profile.h ]] || rename <"$h" >"$tmp/$(basename "$h")"
	done
	# Names of another length move columns, never lines.
	rename <"$report" | nocol >"$tmp/want"
	(cd "$tmp" && "$run_cocci" -j 1 -r "$rule" "${extra[@]}" "$rule.c") 2>"$tmp/err" |
		nocol >"$tmp/got"
	if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		echo "FAIL $rule: the foreign driver's report differs:"
		cat "$tmp/diff" "$tmp/err"
		fail=1
	fi
	(cd "$tmp" && "$run_cocci" -j 1 -r "$rule" "${extra[@]}" "$rule"_ok.c) >"$tmp/got" 2>"$tmp/err"
	if [[ -s $tmp/got ]]; then
		echo "FAIL $rule: ${rule}_ok.c with foreign names reports:"
		cat "$tmp/got" "$tmp/err"
		fail=1
	fi
	# A patch rule's fix, with the foreign names: R.c patched is R.res
	# rewritten the same way (the profile's own store function, ...).
	[[ -f $here/$rule.res ]] || continue
	patches=$((patches + 1))
	rm -rf "$tmp/p" && mkdir "$tmp/p" && cp "$tmp/$rule.c" "$tmp/p/"
	for h in "$tmp"/*.h; do
		[[ -e $h ]] && cp "$h" "$tmp/p/"
	done
	rename <"$here/$rule.res" >"$tmp/want.res"
	if ! (cd "$tmp/p" && "$run_cocci" -j 1 -m patch -r "$rule" "${extra[@]}" "$rule.c" \
		>"$tmp/fix.diff" 2>"$tmp/err" && patch -p1 --quiet <"$tmp/fix.diff"); then
		echo "FAIL $rule: patch mode with foreign names failed:"
		cat "$tmp/fix.diff" "$tmp/err"
		fail=1
	elif ! diff -u "$tmp/want.res" "$tmp/p/$rule.c"; then
		echo "FAIL $rule: the patched file with foreign names differs from $rule.res"
		fail=1
	fi
done
echo "foreign-names: $rules rules checked, $patches patches"
exit $fail
