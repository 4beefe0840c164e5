#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a .fwdef of N structs, each holding the next by value: a nesting
chain as deep as the set is long. The outermost struct comes first, so the
checker meets the whole chain from its first struct (the worst case for a
recursive layout). Used by the large-set tests and bench-fwgen."""
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-chain.py N OUT.fwdef")
    n = int(sys.argv[1])
    with open(sys.argv[2], "w") as f:
        f.write("axis G: G10 G11\naxis V: V1_0\n")
        f.write("variant G10 V1_0\nvariant G11 V1_0\n")
        for i in range(n - 1, 0, -1):
            f.write(f"struct s{i} fw(read) {{\n\tstruct s{i - 1} a_0\n}}\n")
        f.write("struct s0 fw(read) {\n\tu32 x_0\n\tu32 y_4\n}\n")


if __name__ == "__main__":
    main()
