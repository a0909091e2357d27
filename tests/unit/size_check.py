#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""Sizes of the module's and userspace's code: no file over 800 lines, no function over 80.

A function is what ends with "}" alone at column 0, from the nearest line above that starts at
column 0 with a name and is not a goto label (its signature: kernel style, the "{" on a line of
its own; C++ style, at the end of the signature). Functions already longer when the limit came are listed in
size-allow.txt (FILE FUNCTION LINES) and may not grow; an entry that is no longer needed must go.

usage: size_check.py [--root DIR]   (exit 1 with one line per finding)
"""
import glob
import os
import re
import sys

MAX_FILE, MAX_FUNC = 800, 80
PATTERNS = ("kmod/*.c", "kmod/*.h", "userspace/*/*.cc", "userspace/*/*.h")
ALLOW = os.path.join(os.path.dirname(os.path.abspath(__file__)), "size-allow.txt")
NAME = re.compile(r"([A-Za-z_][\w:~]*)\s*\(")


def functions(text):
    """[(name, lines, first line)] of the top-level functions of a C or C++ source."""
    lines = text.split("\n")
    found = []
    for end, line in enumerate(lines):
        if line != "}":
            continue
        start = end - 1
        # A goto label also starts at column 0: not a signature.
        while start >= 0 and (not re.match(r"[A-Za-z_]", lines[start][:1]) or
                              re.match(r"[A-Za-z_]\w*:\s*$", lines[start])):
            start -= 1
        if start < 0:
            continue
        m = NAME.search(lines[start])
        found.append((m.group(1) if m else "?", end - start + 1, start + 1))
    return found


def load_allow(path):
    allow = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.split("#")[0].split()
            if len(line) == 3:
                allow[(line[0], line[1])] = int(line[2])
    return allow


def check(root, allow):
    findings, used = [], set()
    for pattern in PATTERNS:
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            rel = os.path.relpath(path, root)
            text = open(path).read()
            n = text.count("\n")
            if n > MAX_FILE:
                findings.append(f"{rel}: {n} lines (at most {MAX_FILE})")
            for name, length, at in functions(text):
                if length <= MAX_FUNC:
                    continue
                limit = allow.get((rel, name))
                if limit is None:
                    findings.append(f"{rel}:{at}: {name}() has {length} lines (at most {MAX_FUNC})")
                elif length > limit:
                    findings.append(f"{rel}:{at}: {name}() grew to {length} lines (allowed {limit}"
                                    f" until it is cut, tests/unit/size-allow.txt)")
                used.add((rel, name))
    for key in sorted(set(allow) - used):
        findings.append(f"tests/unit/size-allow.txt: {key[0]} {key[1]} is within {MAX_FUNC} lines now:"
                        " remove its entry")
    return findings


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    if len(argv) == 2 and argv[0] == "--root":
        root = argv[1]
    elif argv:
        sys.exit(__doc__)
    findings = check(root, load_allow(ALLOW))
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
