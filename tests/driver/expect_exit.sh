#!/bin/sh
# SPDX-License-Identifier: MIT
# expect_exit.sh CODE REGEX CMD [ARGS...]
# Passes when CMD exits with CODE (not a signal) and its output matches REGEX.
code=$1
regex=$2
shift 2
out=$("$@" 2>&1)
rc=$?
if [ "$rc" -ne "$code" ]; then
	printf 'exit status %s, expected %s; output:\n%s\n' "$rc" "$code" "$out"
	exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
	printf 'output does not match /%s/:\n%s\n' "$regex" "$out"
	exit 1
fi
exit 0
