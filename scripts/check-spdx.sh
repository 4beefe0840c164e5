#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lists every tracked file without an SPDX-License-Identifier line and fails
# when there is one. Exempt, because they cannot carry a comment or are
# compared byte for byte with a tool's output: expected outputs (.err, .out,
# .report, .txt), JSON, and LICENSE itself. Fixtures whose expected outputs
# name line numbers carry the line at their end instead of their top; the
# SPDX specification allows it anywhere in the file.
# Usage: check-spdx.sh [TREE] (default: this checkout)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "check-spdx: not a git checkout: the file list comes from git ls-files" >&2
	exit 2
fi
missing=0
while IFS= read -r -d '' f; do
	case "$f" in
	LICENSE | *.err | *.out | *.report | *.txt | *.json) continue ;;
	esac
	[ -f "$f" ] || continue
	if ! grep -q 'SPDX-License-Identifier: ' "$f"; then
		echo "check-spdx: no SPDX-License-Identifier line: $f"
		missing=$((missing + 1))
	fi
done < <(git ls-files -z)
if [ "$missing" -ne 0 ]; then
	echo "check-spdx: $missing file(s) without an SPDX line" >&2
	exit 1
fi
echo "check-spdx: every file carries an SPDX line"
