#!/usr/bin/env python3
"""Differential test of `protoforge format` against `buf format` on mutated files.

Takes .proto files (a corpus directory), rewrites the whitespace between their tokens and adds
comments at random token boundaries (the file still parses: only gaps between tokens change),
then formats every mutant with both tools and reports the files where the outputs differ.

    build-support/format/mutate.py CORPUS --count 500 --seed 1 [--buf PATH] [--protoforge PATH]

Exit 0 when every output agrees, 1 otherwise; the differing mutants and both outputs are kept
under --out (default /tmp/protoforge-format-mutants) for reading.
"""

import argparse
import filecmp
import os
import random
import re
import shutil
import subprocess
import sys

TOKEN = re.compile(
    r"""
    (?P<line>//[^\n]*)
  | (?P<block>/\*.*?\*/)
  | (?P<str>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<num>(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\w*)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<ws>\s+)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# Gaps inside a statement; blank lines only between statements, where people leave them (buf
# carries a blank line inside a nested message value out to the enclosing one; not copied).
INNER_GAPS = [" ", "\n", "  \t", "\n    "]
BOUNDARY_GAPS = INNER_GAPS + ["\n\n", "\n\n\n", " \n  \n "]


def tokens(text):
    return [(m.lastgroup, m.group()) for m in TOKEN.finditer(text)]


def mutate(text, rng, rate, comments):
    """The text with some gaps between tokens changed and some comments added: `comments` is
    "none", "statements" (after `;`, `{` and `}`, where people write them) or "anywhere"."""
    toks = tokens(text)
    out = []
    n = 0
    previous = None  # the last significant token
    for i, (kind, value) in enumerate(toks):
        at_boundary = previous in (";", "{", "}")
        if kind == "ws":
            if rng.random() < rate:
                gap = rng.choice(BOUNDARY_GAPS if at_boundary else INNER_GAPS)
                # A gap after a line comment must keep a newline.
                if out and out[-1].startswith("//") and "\n" not in gap:
                    gap = "\n"
                out.append(gap)
            else:
                out.append(value)
            continue
        allowed = comments == "anywhere" or (comments == "statements" and at_boundary)
        if out and allowed and rng.random() < rate / 3 and not out[-1].startswith("//"):
            n += 1
            choice = rng.randrange(4)
            if choice == 0:
                out.append(f" // c{n}\n")
            elif choice == 1:
                out.append(f"/* c{n} */")
            elif choice == 2:
                out.append(f" /* c{n} */ ")
            else:
                out.append(f"\n/*\n * c{n}\n   more\n */\n")
        out.append(value)
        if kind == "line":
            # The newline after a line comment is its own whitespace token; keep one.
            if i + 1 >= len(toks) or toks[i + 1][0] != "ws":
                out.append("\n")
        elif kind != "block":
            previous = value
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--comments", choices=["none", "statements", "anywhere"], default="statements")
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--buf", default=os.path.join(root, "build-support/bench/.buf/node_modules/.bin/buf"))
    ap.add_argument("--protoforge", default=os.path.join(root, "target/release/protoforge"))
    ap.add_argument("--out", default="/tmp/protoforge-format-mutants")
    args = ap.parse_args()

    files = []
    for d, _, names in os.walk(args.corpus):
        files += [os.path.join(d, n) for n in names if n.endswith(".proto")]
    files.sort()
    rng = random.Random(args.seed)
    # Each file once while there are enough; beyond that, files again (each mutant differs).
    chosen = rng.sample(files, min(args.count, len(files)))
    chosen += [rng.choice(files) for _ in range(args.count - len(chosen))]

    shutil.rmtree(args.out, ignore_errors=True)
    src = os.path.join(args.out, "src")
    for i, f in enumerate(chosen):
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        path = os.path.join(src, f"m{i:05}", os.path.relpath(f, args.corpus))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(mutate(text, rng, args.rate, args.comments))
    by_buf = os.path.join(args.out, "buf")
    by_pf = os.path.join(args.out, "protoforge")
    shutil.copytree(src, by_buf)
    shutil.copytree(src, by_pf)
    for case in sorted(os.listdir(src)):
        subprocess.run([args.buf, "format", "-w", os.path.join(by_buf, case)], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([args.protoforge, "format", "-w", "-q", by_pf], check=False)

    # Files protoforge refuses (a syntax error the mutation did not make: the corpus has some on
    # purpose) are left out; buf writes those back as they are.
    refused = set()
    for d, _, names in os.walk(src):
        for n in names:
            path = os.path.join(d, n)
            if subprocess.run([args.protoforge, "format", "--check", "-q", path],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).stderr.find(b"COMPILE") >= 0:
                refused.add(os.path.relpath(path, src))
    differ = []
    for d, _, names in os.walk(by_buf):
        for n in names:
            a = os.path.join(d, n)
            b = os.path.join(by_pf, os.path.relpath(a, by_buf))
            rel = os.path.relpath(a, by_buf)
            if rel not in refused and not filecmp.cmp(a, b, shallow=False):
                differ.append(rel)
    differ.sort()
    total = len(chosen) - len(refused)
    print(f"{total - len(differ)}/{total} mutants formatted identically"
          f" ({len(refused)} with syntax errors left out)")
    for d in differ[:20]:
        print(f"  differs: {d}", flush=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
