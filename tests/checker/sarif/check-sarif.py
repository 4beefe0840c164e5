#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Validate a SARIF log from the analyzer: exactly the expected results.

usage: check-sarif.py LOG.sarif RULE FILE-SUFFIX LINE [COUNT]
"""
import json
import sys


def fail(msg):
    print("check-sarif: " + msg, file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) not in (5, 6):
        fail("usage: check-sarif.py LOG RULE FILE-SUFFIX LINE [COUNT]")
    path, rule, suffix, line = argv[1], argv[2], argv[3], int(argv[4])
    count = int(argv[5]) if len(argv) == 6 else 1
    try:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        fail("cannot read %s: %s" % (path, e))
    if log.get("version") != "2.1.0":
        fail("unexpected SARIF version %r" % log.get("version"))
    results = [r for run in log.get("runs", []) for r in run.get("results", [])]
    if len(results) != count:
        fail("expected %d result(s), found %d" % (count, len(results)))
    for r in results:
        if r.get("ruleId") != rule:
            continue
        for loc in r.get("locations", []):
            phys = loc.get("physicalLocation", {})
            uri = phys.get("artifactLocation", {}).get("uri", "")
            start = phys.get("region", {}).get("startLine")
            if uri.endswith(suffix) and start == line:
                print("check-sarif: %s at %s:%d" % (rule, uri, line))
                return 0
    fail("no %s result at %s:%d in %s" % (rule, suffix, line, path))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
