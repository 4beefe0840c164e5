#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cost of the gpuown checkers over a stock `clang --analyze` run.

    bench-analyzer.py --compdb build/x/compile_commands.json \\
        --plugin build/x/checker/GpuownAnalyzer.so [--under driver] [--rounds 3]

Analyzes the selected translation units (default: driver/) alternately with
stock `clang --analyze` (the default checkers) and with the same run plus the
gpuown checkers, `--rounds` times each, and prints the CPU time (user+sys of
the clang processes, robust against other load on the machine) and wall time
of both, and their ratio. The target is a ratio of at most 1.25.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tests", "checker", "analyze-compdb.py")


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(args):
    cpu0, wall0 = children_cpu(), time.monotonic()
    p = subprocess.run([sys.executable, RUNNER] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    wall = time.monotonic() - wall0
    cpu = children_cpu() - cpu0
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        raise SystemExit("bench-analyzer: analysis failed (exit %d)"
                         % p.returncode)
    return cpu, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compdb", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--under", action="append")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--clang", default="clang-14")
    opts = ap.parse_args()
    for path, what in ((opts.compdb, "compile database"),
                       (opts.plugin, "plugin")):
        if not os.path.exists(path):
            raise SystemExit("bench-analyzer: no such %s: %s" % (what, path))
    if opts.rounds < 1:
        raise SystemExit("bench-analyzer: --rounds must be at least 1")
    under = opts.under or [os.path.join(HERE, "..", "..", "driver")]
    common = ["--compdb", opts.compdb, "--clang", opts.clang,
              "--jobs", str(opts.jobs)]
    for u in under:
        common += ["--under", os.path.abspath(u)]
    stock_args = common + ["--stock"]
    gpuown_args = common + ["--plugin", opts.plugin, "--with-defaults"]
    stock, gpuown = [], []
    run(stock_args)  # warm the page cache for both
    for _ in range(opts.rounds):
        stock.append(run(stock_args))
        gpuown.append(run(gpuown_args))
    s_cpu = statistics.median(c for c, _ in stock)
    g_cpu = statistics.median(c for c, _ in gpuown)
    s_wall = statistics.median(w for _, w in stock)
    g_wall = statistics.median(w for _, w in gpuown)
    print("analyzer benchmark: %s, median of %d rounds"
          % (", ".join(os.path.relpath(u) for u in under), opts.rounds))
    print("  stock clang --analyze      cpu %7.2f s   wall %7.2f s"
          % (s_cpu, s_wall))
    print("  + gpuown checkers          cpu %7.2f s   wall %7.2f s"
          % (g_cpu, g_wall))
    print("  ratio (gpuown / stock)     cpu %7.3fx   wall %7.3fx   "
          "(target <= 1.25x)" % (g_cpu / s_cpu, g_wall / s_wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
