#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One table over the drivers kernel_eval.py and kernel_seed.py measured.

Usage: kernel_eval_summary.py [--markdown] OUT_DIR DRIVER...

--markdown prints the two tables of docs/evaluation.md (figures, recall per
class) instead of the console report.
"""

import json
import os
import sys


NAMES = {"msm-a6xx": "msm a6xx GMU/HFI (arm64)", "panfrost": "panfrost (arm64)",
	 "i915-guc": "i915 GuC `gt/uc` (x86_64)", "amdgpu": "amdgpu (x86_64)"}


def load(out, d):
	r = json.load(open(os.path.join(out, d + ".json")))
	try:
		s = json.load(open(os.path.join(out, d + "-seeds.json")))
	except OSError:
		s = []
	return r, s


def markdown(out, drivers):
	print("| driver | units | kLOC | stock CPU s | plugin CPU s | sparse | Coccinelle "
	      "| plugin / stock | all layers / stock | gpuown findings | seeds found |")
	print("|---|---|---|---|---|---|---|---|---|---|---|")
	for d in drivers:
		r, s = load(out, d)
		c = r["cpu"]
		g = sum(1 for f in r["findings"] if not f["rule"].startswith("sparse."))
		print("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | **%.2fx** | **%.2fx** | %d | %d/%d |" % (
			NAMES.get(d, d), r["units"], r["kloc"], c["stock"], c["analyzer"],
			c["sparse"], c["coccinelle"], r["ratio_plugin"], r["ratio_all"], g,
			sum(x["found"] for x in s), len(s)))
	print()
	classes = []
	for d in drivers:
		for x in load(out, d)[1]:
			if x["class"] not in classes:
				classes.append(x["class"])
	print("| class | " + " | ".join(NAMES.get(d, d) for d in drivers) + " |")
	print("|---|" + "---|" * len(drivers))
	for c in classes:
		cells = []
		for d in drivers:
			xs = [x for x in load(out, d)[1] if x["class"] == c]
			cells.append("%d/%d" % (sum(x["found"] for x in xs), len(xs)) if xs else "-")
		print("| %s | %s |" % (c, " | ".join(cells)))
	tot = []
	for d in drivers:
		s = load(out, d)[1]
		tot.append("**%d/%d**" % (sum(x["found"] for x in s), len(s)))
	print("| **recall** | %s |" % " | ".join(tot))


def main():
	if sys.argv[1:2] == ["--markdown"]:
		markdown(sys.argv[2], sys.argv[3:])
		return 0
	out, drivers = sys.argv[1], sys.argv[2:]
	rows, tot = [], {"units": 0, "kloc": 0.0, "stock": 0.0, "analyzer": 0.0,
			  "all": 0.0, "gpuown": 0, "seeds": 0, "found": 0}
	print("\n== kernel-eval summary (CPU seconds; ratios against stock clang --analyze)")
	print("%-10s %5s %6s %8s %8s %7s %7s %7s %6s %6s %7s" % (
		"driver", "units", "kLOC", "stock", "plugin", "sparse", "cocci",
		"plugin", "all", "gpuown", "seeds"))
	for d in drivers:
		r = json.load(open(os.path.join(out, d + ".json")))
		try:
			s = json.load(open(os.path.join(out, d + "-seeds.json")))
		except OSError:
			s = []
		c = r["cpu"]
		g = sum(1 for f in r["findings"] if not f["rule"].startswith("sparse."))
		found = sum(x["found"] for x in s)
		print("%-10s %5d %6.1f %8.1f %8.1f %7.1f %7.1f %6.2fx %5.2fx %6d %3d/%-3d" % (
			d, r["units"], r["kloc"], c["stock"], c["analyzer"], c["sparse"],
			c["coccinelle"], r["ratio_plugin"], r["ratio_all"], g, found, len(s)))
		tot["units"] += r["units"]
		tot["kloc"] += r["kloc"]
		tot["stock"] += c["stock"]
		tot["analyzer"] += c["analyzer"]
		tot["all"] += c["analyzer"] + c["sparse"] + c["coccinelle"]
		tot["gpuown"] += g
		tot["seeds"] += len(s)
		tot["found"] += found
	b = tot["stock"] or 1e-9
	print("%-10s %5d %6.1f %8.1f %8.1f %7s %7s %6.2fx %5.2fx %6d %3d/%-3d" % (
		"total", tot["units"], tot["kloc"], tot["stock"], tot["analyzer"], "", "",
		tot["analyzer"] / b, tot["all"] / b, tot["gpuown"], tot["found"], tot["seeds"]))
	print("gpuown = findings of gpuown's analyzer and Coccinelle rules (triaged in "
	      "docs/evaluation.md); seeds = planted bugs found")
	recall(out, drivers)
	return 0


def recall(out, drivers):
	"""Recall per vocabulary class and driver: found/planted, '-' if none."""
	table, classes = {}, []
	for d in drivers:
		try:
			seeds = json.load(open(os.path.join(out, d + "-seeds.json")))
		except OSError:
			seeds = []
		for x in seeds:
			if x["class"] not in classes:
				classes.append(x["class"])
			n, f = table.get((x["class"], d), (0, 0))
			table[(x["class"], d)] = (n + 1, f + x["found"])
	print("\n== seeded bugs: recall per class (found/planted)")
	print("%-30s" % "class" + "".join(" %10s" % d[:10] for d in drivers))
	for c in classes:
		cells = []
		for d in drivers:
			n, f = table.get((c, d), (0, 0))
			cells.append(" %10s" % ("%d/%d" % (f, n) if n else "-"))
		print("%-30s" % c + "".join(cells))


if __name__ == "__main__":
	sys.exit(main())
