#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the gpuown analyzer plugin over the entries of a compile database.

    analyze-compdb.py --compdb build/x/compile_commands.json --under driver \\
        --plugin GpuownAnalyzer.so [--expect-none]
    analyze-compdb.py ... --like driver/drv_job.c --verify gallery/bug.c

Each selected entry is re-run as `clang --analyze` with its own flags (the
compiler, -c, -o and dependency flags dropped), only the gpuown checkers
enabled. Findings are printed as "file:line: [checker] message".

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
import shlex
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
    if "arguments" in entry:
        return list(entry["arguments"])
    if "command" in entry:
        return shlex.split(entry["command"])
    die("compile database entry for %s has no command" % entry.get("file"))


def entry_file(entry):
    if not isinstance(entry, dict) or "file" not in entry:
        die("compile database entry without a \"file\": %r" % (entry,))
    f = entry["file"]
    if not os.path.isabs(f):
        f = os.path.join(entry.get("directory", "."), f)
    return os.path.normpath(f)


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
        if os.path.normpath(os.path.join(entry.get("directory", "."), a)) \
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


def select(db, under):
    under = [os.path.abspath(u) for u in under]
    chosen = [e for e in db
              if any(entry_file(e).startswith(u + os.sep) for u in under)]
    return sorted(chosen, key=entry_file)


def analyze(opts, db):
    entries = select(db, opts.under)
    if not entries:
        die("no compile database entry under %s" % ", ".join(opts.under))
    jobs = []
    for e in entries:
        cmd = analysis_args(e, opts.clang, entry_file(e))
        cmd[1:1] = checker_flags(opts)
        jobs.append((e, cmd))
    start = time.monotonic()
    findings, failed = [], False
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        futs = [(e, pool.submit(run_one, cmd, e.get("directory", ".")))
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


def verify(opts, db):
    like = [e for e in db
            if entry_file(e) == os.path.abspath(opts.like)]
    if not like:
        die("no compile database entry for %s" % opts.like)
    if not os.path.exists(opts.verify):
        die("no such file: %s" % opts.verify)
    cmd = analysis_args(like[0], opts.clang, os.path.abspath(opts.verify))
    cmd[1:1] = checker_flags(opts, notes=False) + ["-Xclang", "-verify"]
    rc, err = run_one(cmd, like[0].get("directory", "."))
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
    opts = ap.parse_args()
    if not opts.stock and not opts.plugin:
        die("--plugin is required (or --stock)")
    if opts.plugin and not os.path.exists(opts.plugin):
        die("no such plugin: %s" % opts.plugin)
    if opts.plugin:
        opts.plugin = os.path.abspath(opts.plugin)
    try:
        with open(opts.compdb, encoding="utf-8") as f:
            db = json.load(f)
    except (OSError, ValueError) as e:
        die("cannot read compile database %s: %s" % (opts.compdb, e))
    if not isinstance(db, list):
        die("%s is not a compile database (a JSON list)" % opts.compdb)
    if opts.verify:
        if not opts.like:
            die("--verify needs --like <source in the database>")
        return verify(opts, db)
    if not opts.under:
        die("--under <dir> is required")
    entries, findings, failed, elapsed = analyze(opts, db)
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
