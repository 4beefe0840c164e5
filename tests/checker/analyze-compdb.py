#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the gpuown analyzer plugin over the entries of a compile database.

    analyze-compdb.py --compdb build/x/compile_commands.json --under driver \\
        --plugin GpuownAnalyzer.so [--expect-none]
    analyze-compdb.py ... --like driver/drv_job.c --verify gallery/bug.c

Each selected entry is re-run as `clang --analyze` with its own flags (the
compiler, -c, -o and dependency flags dropped), only the gpuown checkers
enabled. Findings are printed as "file:line: [checker] message". The
database is read by gpuown-check (`--print-units`, --gpuown-check or
$GPUOWN_CHECK), the one reader of compile databases: its entries, filtered
and normalised as every layer gets them.

--expect-none  exit 1 when there is any finding (the clean-driver test).
--verify FILE  analyze FILE with the flags of the --like entry under clang's
               -verify: FILE's expected-warning comments must match exactly.
--stock        run the default analyzer checkers without the plugin (the
               benchmark's baseline); --with-defaults adds the gpuown
               checkers to them; --time prints the wall time.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

FINDING = re.compile(r"^(.*?):(\d+):\d+: warning: (.*) \[(gpuown\.\w+)\]$")
# Flags that make an output file or are irrelevant to analysis.
DROP_WITH_ARG = {"-o", "-MF", "-MT", "-MQ"}
DROP = {"-c", "-MD", "-MMD", "-MP"}


def die(msg, code=2):
    print("analyze-compdb: " + msg, file=sys.stderr)
    sys.exit(code)


def entry_args(entry):
    return list(entry["arguments"])


def entry_file(entry):
    return os.path.normpath(entry["file"])


def load_units(opts, paths):
    """The units under @paths, as gpuown-check reads the database."""
    cmd = [opts.gpuown_check, "-p", opts.compdb, "--print-units"] + paths
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
    except OSError as e:
        die("cannot run %s: %s" % (opts.gpuown_check, e.strerror))
    if p.returncode != 0:
        die(p.stderr.strip().replace("gpuown-check: ", "", 1))
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        die("unreadable output of %s --print-units: %s"
            % (opts.gpuown_check, e))


def analysis_args(entry, clang, source):
    """The entry's flags, minus compiler/output/source, for `source`."""
    args = entry_args(entry)[1:]
    own = entry_file(entry)
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in DROP_WITH_ARG:
            skip = True
            continue
        if a in DROP or a.startswith("-fsanitize") or \
                a.startswith("-Werror"):
            continue
        if os.path.normpath(os.path.join(entry["directory"], a)) \
                == own:
            continue
        out.append(a)
    # The entry's own directory, for sources that sit elsewhere (gallery).
    out += ["-I", os.path.dirname(own)]
    return [clang] + out + [source]


def checker_flags(opts, notes=True):
    if opts.stock:
        return ["--analyze", "-o", os.devnull]
    flags = ["--analyze"] + \
        ([] if opts.with_defaults else ["--analyzer-no-default-checks"]) + \
        ["-Xclang", "-load", "-Xclang", opts.plugin,
             "-Xclang", "-analyzer-checker=" + opts.checkers,
             "-o", os.devnull]
    if notes:
        flags[-2:-2] = ["-Xclang", "-analyzer-output=text"]
    for cfg in opts.config or []:
        flags += ["-Xclang", "-analyzer-config", "-Xclang", cfg]
    return flags


def run_one(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    return p.returncode, p.stderr


def analyze(opts):
    entries = sorted(load_units(opts, [os.path.abspath(u)
                                       for u in opts.under]),
                     key=entry_file)
    jobs = []
    for e in entries:
        cmd = analysis_args(e, opts.clang, entry_file(e))
        cmd[1:1] = checker_flags(opts)
        jobs.append((e, cmd))
    start = time.monotonic()
    findings, failed = [], False
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        futs = [(e, pool.submit(run_one, cmd, e["directory"]))
                for e, cmd in jobs]
        for e, fut in futs:
            rc, err = fut.result()
            if rc != 0:
                failed = True
                print("analyze-compdb: analysis of %s failed (exit %d):\n%s"
                      % (entry_file(e), rc, err), file=sys.stderr)
            for line in err.splitlines():
                m = FINDING.match(line)
                if m:
                    findings.append((os.path.relpath(m.group(1)),
                                     int(m.group(2)), m.group(4),
                                     m.group(3)))
    elapsed = time.monotonic() - start
    return entries, sorted(set(findings)), failed, elapsed


def verify(opts):
    like = [e for e in load_units(opts, [os.path.abspath(opts.like)])
            if entry_file(e) == os.path.abspath(opts.like)]
    if not like:
        die("no compile database entry for %s" % opts.like)
    if not os.path.exists(opts.verify):
        die("no such file: %s" % opts.verify)
    cmd = analysis_args(like[0], opts.clang, os.path.abspath(opts.verify))
    cmd[1:1] = checker_flags(opts, notes=False) + ["-Xclang", "-verify"]
    rc, err = run_one(cmd, like[0]["directory"])
    if rc != 0:
        print(err, file=sys.stderr)
        print("analyze-compdb: %s: findings differ from its expectations"
              % opts.verify, file=sys.stderr)
        return 1
    print("analyze-compdb: %s: exactly the expected findings" % opts.verify)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compdb", required=True)
    ap.add_argument("--under", action="append", default=[],
                    help="analyze entries whose file is under this dir")
    ap.add_argument("--plugin")
    ap.add_argument("--clang", default="clang-14")
    ap.add_argument("--checkers", default="gpuown")
    ap.add_argument("--config", action="append",
                    help="checker option, e.g. gpuown.Lifetime:ReportLeaks=false")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--expect-none", action="store_true")
    ap.add_argument("--like")
    ap.add_argument("--verify")
    ap.add_argument("--stock", action="store_true")
    ap.add_argument("--with-defaults", action="store_true",
                    help="keep clang's default checkers besides gpuown")
    ap.add_argument("--time", action="store_true")
    ap.add_argument("--gpuown-check",
                    default=os.environ.get("GPUOWN_CHECK", "gpuown-check"),
                    help="the gpuown-check that reads the database")
    opts = ap.parse_args()
    if not opts.stock and not opts.plugin:
        die("--plugin is required (or --stock)")
    if opts.plugin and not os.path.exists(opts.plugin):
        die("no such plugin: %s" % opts.plugin)
    if opts.plugin:
        opts.plugin = os.path.abspath(opts.plugin)
    if opts.verify:
        if not opts.like:
            die("--verify needs --like <source in the database>")
        return verify(opts)
    if not opts.under:
        die("--under <dir> is required")
    entries, findings, failed, elapsed = analyze(opts)
    for f, line, chk, msg in findings:
        print("%s:%d: [%s] %s" % (f, line, chk, msg))
    print("analyze-compdb: %d file(s), %d finding(s)%s"
          % (len(entries), len(findings),
             ", %.3f s" % elapsed if opts.time else ""))
    if failed:
        return 2
    if opts.expect_none and findings:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
