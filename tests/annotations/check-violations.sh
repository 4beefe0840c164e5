#!/bin/bash
# SPDX-License-Identifier: MIT
#
# gpuown's one table of checks and violations
# (annotations/gpuown/violations.def) names everything the layers report:
#   - every row is unique, its level a SARIF level, its anchor a section of
#     docs/rules.md;
#   - every SARIF ruleId gpuown-check can emit has a row: each Coccinelle
#     rule in cocci/, each sparse class layer_sparse.c returns, each analyzer
#     checker the plugin registers (from clang's own checker list);
#   - no report or plugin source spells a violation name the table lacks: the
#     runtime's and the kernel host's name tables and the plugin's bug types
#     are expanded from the table, not written out.
#
# usage: check-violations.sh SRC_DIR GPUOWN_CHECK [PLUGIN CLANG]
set -u
src=$1 check=$2 plugin=${3:-} clang=${4:-}
fail=0
err() {
	echo "check-violations: $*" >&2
	fail=1
}

list=$("$check" --list-rules) || {
	echo "check-violations: $check --list-rules failed" >&2
	exit 1
}
[ -n "$list" ] || err "--list-rules printed nothing"
known() { printf '%s\n' "$list" | cut -f2 | grep -qxF -- "$1"; }

# Rows: unique, a SARIF level, an anchor that exists.
dups=$(printf '%s\n' "$list" | cut -f2 | sort | uniq -d)
[ -z "$dups" ] || err "names listed twice: $dups"
anchors=$(grep '^## ' "$src/docs/rules.md" | sed 's/^## //' |
	tr 'A-Z' 'a-z' | sed 's/[^a-z0-9 -]//g; s/ /-/g')
while IFS=$'\t' read -r kind name level anchor; do
	case $level in
	error | warning | note) ;;
	*) err "$name: level '$level' is not a SARIF level" ;;
	esac
	if [ -n "$anchor" ] && ! printf '%s\n' "$anchors" | grep -qxF "$anchor"; then
		err "$name: anchor '#$anchor' is no section of docs/rules.md"
	fi
done <<<"$list"

# SARIF ruleIds: Coccinelle rules, sparse classes, analyzer checkers.
for f in "$src"/cocci/*.cocci; do
	r=cocci.$(basename "$f" .cocci)
	known "$r" || err "$r (cocci/$(basename "$f")) has no row"
done
for r in $(grep -o '"sparse\.[a-z-]*"' "$src/tools/gpuown-check/layer_sparse.c" |
	tr -d '"' | sort -u); do
	known "$r" || err "$r (layer_sparse.c) has no row"
done
if [ -n "$plugin" ]; then
	checkers=$("$clang" -cc1 -load "$plugin" -analyzer-checker-help 2>&1 |
		grep -o '^ *gpuown\.[A-Za-z]*' | tr -d ' ' | sort -u)
	[ -n "$checkers" ] || err "the plugin lists no gpuown checker"
	for r in $checkers; do
		known "$r" || err "$r (analyzer plugin) has no row"
	done
fi

# Reports and the plugin take names from the table, never spell them: no
# quoted violation name may stand in their sources.
names=$(printf '%s\n' "$list" | awk -F'\t' '$1 == "violation" { print $2 }')
for f in "$src"/runtime/model/src/*.c "$src"/runtime/gpusan/src/*.c \
	"$src"/kernel/*.c "$src"/checker/*.cpp; do
	[ -f "$f" ] || continue
	case $f in
	*_test.c) continue ;; # tests spell what they expect
	esac
	for n in $names; do
		if grep -n "\"$n\"" "$f" >/dev/null; then
			err "$f spells \"$n\": take it from violations.def"
		fi
	done
done
# A class name a report table writes out by hand (a "[GPUSAN_X] = " line)
# is one the table does not feed.
if grep -n '^\s*\[GPUSAN_[A-Z_]*\] = "' "$src"/runtime/model/src/*.c \
	"$src"/kernel/*.c | grep -v 'GPUSAN_NONE'; then
	err "a gpusan class name is written out by hand (above)"
fi

n=$(printf '%s\n' "$list" | wc -l)
if [ $fail -ne 0 ]; then
	echo "check-violations: FAILED" >&2
	exit 1
fi
echo "check-violations: $n rows, every name in the table"
