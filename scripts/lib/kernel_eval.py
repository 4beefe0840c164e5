#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Measure gpuown-check on one driver's compile database (scripts/kernel-eval.sh).

Usage: kernel_eval.py --name N --compdb DB --tree T --profile H --cocci C
                      --check GPUOWN_CHECK --plugin SO --out DIR [--jobs N]
                      [--rounds N]

Runs, side by side in one process so the load is the same for each:
  stock     clang --analyze with the default checkers, over the same units and
            flags the analyzer layer uses (the baseline)
  analyzer  gpuown-check -l analyzer (the plugin with the profile)
  sparse    gpuown-check -l sparse
  cocci     gpuown-check -l coccinelle
and writes DIR/N.json: units, kLOC, CPU seconds of each, ratios, findings by
rule, skipped units with the reason. CPU time is the children's user+system
time (getrusage), so a busy machine changes wall time, not the ratio much.
gpuown-check runs with --no-cache: a cached unit would cost nothing.
--rounds N (or $GPUOWN_EVAL_ROUNDS) repeats stock and the layers in turn N
times and adds them up; findings come from the first round.
"""

import argparse
import concurrent.futures
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

LAYERS = ("analyzer", "sparse", "coccinelle")


def cpu():
	r = resource.getrusage(resource.RUSAGE_CHILDREN)
	return r.ru_utime + r.ru_stime


def stock_argv(entry, clang, out):
	"""The analyzer layer's command line without the plugin and profile."""
	args = entry.get("arguments") or __import__("shlex").split(entry["command"])
	d, f = entry["directory"], os.path.join(entry["directory"], entry["file"])
	argv = [clang, "--analyze", "--analyzer-output", "sarif", "-o", out,
		"-Qunused-arguments"]
	skip = False
	for a in args[1:]:
		if skip:
			skip = False
			continue
		if a in ("-o", "-MF", "-MT", "-MQ"):
			skip = True
			continue
		if (a == "-c" or a.startswith(("-M", "-fsanitize", "-fno-sanitize", "-W", "-o"))
		    or os.path.normpath(os.path.join(d, a)) == os.path.normpath(f)):
			continue
		argv.append(a)
	return argv + [f], d


def run_stock(db, clang, jobs, tmp):
	def one(i_e):
		i, e = i_e
		argv, d = stock_argv(e, clang, os.path.join(tmp, "stock-%d.sarif" % i))
		p = subprocess.run(argv, cwd=d, stdout=subprocess.PIPE,
				   stderr=subprocess.STDOUT, text=True)
		return e["file"], p.returncode, p.stdout[-2000:]

	c0, t0 = cpu(), time.time()
	with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
		res = list(ex.map(one, enumerate(db)))
	failed = {f: out for f, rc, out in res if rc != 0}
	return cpu() - c0, time.time() - t0, failed


def run_layer(a, layer, tmp, units=None):
	sarif = os.path.join(tmp, "%s.sarif" % layer)
	argv = [a.check, "-p", a.compdb, "-q", "-l", layer, "-j", str(a.jobs),
		"--plugin", a.plugin, "--profile", a.profile, "-I", a.annotations,
		"--cocci-profile", a.cocci, "--root", a.tree, "--sarif", sarif,
		"--timeout", str(a.timeout), "--no-cache"] + (units or [])
	c0, t0 = cpu(), time.time()
	p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
			   text=True)
	spent = cpu() - c0, time.time() - t0
	try:
		log = json.load(open(sarif))
	except (OSError, ValueError):
		log = {"runs": []}
	return spent, p.returncode, p.stderr, log


def results(log):
	for run in log.get("runs", []):
		for r in run.get("results", []):
			loc = r["locations"][0]["physicalLocation"]
			yield {"rule": r.get("ruleId", "?"),
			       "file": loc["artifactLocation"]["uri"],
			       "line": loc.get("region", {}).get("startLine", 0),
			       "message": r["message"]["text"]}


def notices(log):
	"""(unit, reason) for each toolExecutionNotification naming a unit."""
	for run in log.get("runs", []):
		for inv in run.get("invocations", []):
			for n in inv.get("toolExecutionNotifications", []):
				for loc in n.get("locations", []):
					yield (loc["physicalLocation"]["artifactLocation"]["uri"],
					       "%s: %s" % (n["descriptor"]["id"],
							   n["message"]["text"][:200]))


def reason(text):
	"""The first error line of a failed job's output."""
	for line in text.splitlines():
		if re.search(r"error|fatal|Error|timed out|failed", line):
			return line.strip()[:240]
	return (text.strip().splitlines() or ["(no output)"])[0][:240]


def add(rep, what, cpu_s, wall_s):
	rep["cpu"][what] = rep["cpu"].get(what, 0) + cpu_s
	rep["wall"][what] = rep["wall"].get(what, 0) + wall_s


def measure(a, db, units, tmp, rep, first):
	"""One round: stock, then each layer, their CPU and wall time added to
	@rep; findings and skipped units are taken from the @first round only."""
	cs, ws, failed = run_stock(db, a.clang, a.jobs, tmp)
	add(rep, "stock", cs, ws)
	for f, out in (failed.items() if first else ()):
		rep["skipped"].append({"layer": "stock clang --analyze",
				       "unit": os.path.relpath(f, a.tree),
				       "reason": reason(out)})
	for layer in LAYERS:
		(c, w), rc, err, log = run_layer(a, layer, tmp)
		add(rep, layer, c, w)
		if not first:
			continue
		rep["findings"] += [dict(r, layer=layer) for r in results(log)]
		# Units the layer did not analyse (timed out, unparsable).
		for uri, why in notices(log):
			rep["skipped"].append({"layer": layer, "unit": uri,
					       "reason": why})
		if rc > 1:
			# Name each unit the layer could not handle, and why.
			for u in units:
				_, urc, uerr, _ = run_layer(a, layer, tmp, [u])
				if urc > 1:
					rep["skipped"].append({
						"layer": layer,
						"unit": os.path.relpath(u, a.tree),
						"reason": reason(uerr)})


def main():
	ap = argparse.ArgumentParser()
	for k in ("name", "compdb", "tree", "profile", "cocci", "check", "plugin",
		  "out", "annotations"):
		ap.add_argument("--" + k, required=True)
	ap.add_argument("--clang", default="clang-14")
	ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
	# Wall seconds per unit and layer: generous, because a shared machine
	# stretches wall time many times over and a unit that times out is
	# missing from the figures (it is listed as skipped).
	ap.add_argument("--timeout", type=int, default=3600)
	# Rounds alternate stock and the layers, so a load that comes and goes
	# falls on both sides; the figures are the sums over the rounds.
	ap.add_argument("--rounds", type=int,
			default=int(os.environ.get("GPUOWN_EVAL_ROUNDS", "1")))
	a = ap.parse_args()
	db = json.load(open(a.compdb))
	units = [os.path.realpath(os.path.join(e["directory"], e["file"])) for e in db]
	loc = sum(sum(1 for _ in open(u, errors="replace")) for u in units)
	rep = {"driver": a.name, "units": len(units), "kloc": round(loc / 1000, 1),
	       "cpu": {}, "wall": {}, "skipped": [], "findings": []}
	with tempfile.TemporaryDirectory(prefix="gpuown-eval-") as tmp:
		for r in range(a.rounds):
			measure(a, db, units, tmp, rep, first=r == 0)
	for k in rep["cpu"]:
		rep["cpu"][k] = round(rep["cpu"][k], 1)
		rep["wall"][k] = round(rep["wall"][k], 1)
	rep["rounds"] = a.rounds
	allc = sum(rep["cpu"][l] for l in LAYERS)
	base = rep["cpu"]["stock"] or 1e-9
	rep["ratio_plugin"] = round(rep["cpu"]["analyzer"] / base, 2)
	rep["ratio_all"] = round(allc / base, 2)
	by_rule = {}
	for f in rep["findings"]:
		by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
	rep["by_rule"] = by_rule
	os.makedirs(a.out, exist_ok=True)
	json.dump(rep, open(os.path.join(a.out, a.name + ".json"), "w"), indent=1)
	print_report(rep)
	return 0


def print_report(rep):
	c = rep["cpu"]
	print("== %s: %d units, %.1f kLOC" % (rep["driver"], rep["units"], rep["kloc"]))
	if rep.get("rounds", 1) > 1:
		print("   %d rounds, stock and the layers in turn; CPU s summed"
		      % rep["rounds"])
	print("   CPU s: stock clang --analyze %.1f | analyzer+plugin %.1f | sparse %.1f"
	      " | coccinelle %.1f" % (c["stock"], c["analyzer"], c["sparse"],
				      c["coccinelle"]))
	print("   ratio vs stock: plugin alone %.2fx, all layers %.2fx"
	      % (rep["ratio_plugin"], rep["ratio_all"]))
	print("   findings by rule: " + (", ".join(
		"%s %d" % kv for kv in sorted(rep["by_rule"].items())) or "none"))
	# gpuown's rules in full; sparse's lines are mostly the kernel's own
	# warnings (what plain make C=2 prints), so only counted here.
	for f in rep["findings"]:
		if not f["rule"].startswith("sparse."):
			print("     %s:%d: %s [%s]" % (f["file"], f["line"], f["message"],
						   f["rule"]))
	for s in rep["skipped"]:
		print("   skipped: %s on %s: %s" % (s["layer"], s["unit"], s["reason"]))


if __name__ == "__main__":
	sys.exit(main())
