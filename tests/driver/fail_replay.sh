#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the workload twice with the same seeded fault injection: the injected
# failures and everything printed after them must be identical (return
# addresses aside, which move with address-space layout randomisation).
set -u
workload=$1
opts="fail_op=alloc:fail_one_in=25:fail_seed=7:fail_times=3:stack_depth=4"
run() {
	GPUSAN_OPTIONS=$opts ASAN_OPTIONS=detect_leaks=1 "$workload" \
		--variant G10_V1_0 --jobs 30 --contexts 2 --gpusan 2>&1 |
		sed -e 's/0x[0-9a-f]*//g' -e 's/ *[0-9]* jobs\/s.*//' \
			-e 's/^\(G10_V1_0 .*\) [0-9][0-9]*  *[0-9][0-9]* *$/\1/'
}
first=$(run)
second=$(run)
case "$first" in
*"gpusan: injected failure: alloc, call"*) ;;
*)
	echo "FAIL: no injected failure in the first run:"
	echo "$first"
	exit 1
	;;
esac
if [ "$first" != "$second" ]; then
	echo "FAIL: the replay differs"
	echo "--- first"; echo "$first"
	echo "--- second"; echo "$second"
	exit 1
fi
echo "$first" | grep "injected failure"
echo "replay identical"
