#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gpuown-check's SARIF against the official SARIF 2.1.0 JSON schema, with ajv
# from npm and the schema file shipped in @microsoft/jest-sarif, installed
# into the cache on first use. Three logs: the reference driver's, one with
# spaces and non-ASCII characters in its paths, one with the analyzer's path
# notes (codeFlows).
# Usage: sarif-schema.sh GPUOWN_CHECK BUILD_DIR SOURCE_DIR PLUGIN
set -uo pipefail
check=$1 build=$2 src=$3 plugin=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$src/tests/lib/expect.sh"

npm_dir=${GPUOWN_CACHE:-$HOME/.cache/gpuown}/npm-sarif-schema
schema=$npm_dir/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json
if [ ! -f "$schema" ] || [ ! -d "$npm_dir/node_modules/ajv-draft-04" ]; then
	command -v npm >/dev/null || { echo "sarif-schema: npm is not installed (scripts/setup.sh)"; exit 1; }
	mkdir -p "$npm_dir"
	npm install --prefix "$npm_dir" --no-audit --no-fund --ignore-scripts \
		ajv@8 ajv-draft-04@1 ajv-formats@2 @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null ||
		{ echo "sarif-schema: npm install failed"; exit 1; }
fi
validate() { NODE_PATH=$npm_dir/node_modules node "$here/validate-sarif.js" "$schema" "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gpuown-sarif-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. The reference driver, every layer, as the main CI job runs it.
expect 0 "units" "$check" -p "$build" -q \
	--profile "$src/driver/drv_priv.h" \
	--root "$src" -o "$work/driver.sarif" "$src/driver"
expect 0 "^valid: " validate "$work/driver.sarif"

# 2. Spaces and non-ASCII characters in paths, under the root and outside it.
odd="$work/dir with space/café"
mkdir -p "$odd" "$work/other root"
cp "$src/tests/tools/gpuown-check/data/address_mix.c" "$odd/ünï côde.c"
cat >"$work/odd.json" <<JSON
[{"directory":"$odd","file":"ünï côde.c",
  "arguments":["cc","-I$src/annotations","-I$src/runtime/include","-c","ünï côde.c"]}]
JSON
expect 1 "1 findings" "$check" -p "$work/odd.json" -l sparse --root "$work" \
	-o "$work/odd.sarif"
expect 0 '"uri": *"dir%20with%20space/caf%C3%A9/%C3%BCn%C3%AF%20c%C3%B4de.c"' \
	cat "$work/odd.sarif"
expect 0 "^valid: " validate "$work/odd.sarif"
expect 1 "1 findings" "$check" -p "$work/odd.json" -l sparse \
	--root "$work/other root" -o "$work/odd-abs.sarif"
expect 0 '"uri": *"file:///.*dir%20with%20space/caf%C3%A9/' cat "$work/odd-abs.sarif"
expect 0 "^valid: " validate "$work/odd-abs.sarif"

# 3. The analyzer's path notes, merged from a unit into the run's artifacts.
if [ -n "$plugin" ] && [ -f "$plugin" ]; then
	data=$src/tests/tools/gpuown-check/data
	cat >"$work/uaf.json" <<JSON
[{"directory":"$data","file":"use_after_free.c",
  "arguments":["cc","-I$src/annotations","-I$src/runtime/include","-c","use_after_free.c"]}]
JSON
	expect 1 "gpuown.Lifetime" "$check" -p "$work/uaf.json" -l analyzer \
		--plugin "$plugin" --root "$data" -o "$work/flows.sarif"
	expect 0 '"codeFlows"' cat "$work/flows.sarif"
	expect 0 "^valid: " validate "$work/flows.sarif"
else
	echo "FAIL: the analyzer plugin is not built: no codeFlows log to validate"
	fail=1
fi
exit $fail
