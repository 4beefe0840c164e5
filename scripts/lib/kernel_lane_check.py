#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The kernel lane's verdict on gpuown-check's SARIF log of msm a6xx GMU/HFI.

Usage: kernel_lane_check.py LANE.sarif PATH/TO/a6xx_gmu.c

Passes "double-put" when the analyzer reports a double free/put inside
a6xx_gmu_memory_free() (the second put of an object a6xx_gmu_memory_alloc()
already put), and "no-other" when gpuown's rules report nothing else: every
other analyzer (gpuown.*) and Coccinelle result, and every sparse result about
gpuown's own types, is a failure. The kernel's own sparse warnings are listed
but are not gpuown's rules.
"""

import json
import re
import sys

GPUOWN_SPARSE = re.compile(r"gpu_addr_t|fw_addr_t|fw_shared_u|__gpu\b|__fw\b|gpuown")


def function_lines(path, name):
	"""First and last line of the C function @name (brace matching)."""
	lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
	for i, line in enumerate(lines):
		if re.match(r"^\w.*\b%s\(" % re.escape(name), line):
			depth, seen = 0, False
			for j in range(i, len(lines)):
				depth += lines[j].count("{") - lines[j].count("}")
				seen = seen or "{" in lines[j]
				if seen and depth == 0:
					return i + 1, j + 1
	sys.exit("kernel-lane: %s() not found in %s" % (name, path))


def results(sarif):
	for run in sarif.get("runs", []):
		for r in run.get("results", []):
			loc = r["locations"][0]["physicalLocation"]
			yield (r.get("ruleId", "?"), loc["artifactLocation"]["uri"],
			       loc.get("region", {}).get("startLine", 0),
			       r["message"]["text"])


def main():
	sarif = json.load(open(sys.argv[1]))
	first, last = function_lines(sys.argv[2], "a6xx_gmu_memory_free")
	double, other, kernel_sparse = [], [], []
	for rule, uri, line, msg in results(sarif):
		where = "%s:%d: %s [%s]" % (uri, line, msg, rule)
		if rule.startswith("sparse.") and not GPUOWN_SPARSE.search(msg):
			kernel_sparse.append(where)
		elif (rule.startswith("gpuown.") and re.search(r"[Dd]ouble|twice", msg) and
		      uri.endswith("adreno/a6xx_gmu.c") and first <= line <= last):
			double.append(where)
		else:
			other.append(where)
	passed = failed = 0
	if double:
		print("PASS double-put: " + "; ".join(double))
		passed += 1
	else:
		print("FAIL double-put: no double put reported in a6xx_gmu_memory_free() "
		      "(lines %d-%d of a6xx_gmu.c)" % (first, last))
		failed += 1
	if other:
		print("FAIL no-other: gpuown's rules report %d more finding(s):" % len(other))
		for w in other:
			print("  " + w)
		failed += 1
	else:
		print("PASS no-other: gpuown's rules report nothing else")
		passed += 1
	for w in kernel_sparse:
		print("  (kernel's own sparse warning, not a gpuown rule) " + w)
	print("kernel-lane: %d passed, %d failed" % (passed, failed))
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
