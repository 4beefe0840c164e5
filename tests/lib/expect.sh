# SPDX-License-Identifier: MIT
# Shared by the shell-driven tests: source it, call expect for each case, then
# `exit $fail`.
fail=0

expect() { # expect STATUS REGEX CMD...: CMD exits STATUS and prints REGEX
	local want=$1 re=$2
	shift 2
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ] || ! grep -Eq -- "$re" <<<"$out"; then
		echo "FAIL: $*: exit $rc (want $want), output:"
		echo "$out"
		fail=1
	else
		echo "ok: $*"
	fi
}
