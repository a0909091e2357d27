#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""The module's layers: a file of kmod/ calls only functions of its own layer and those below.

tests/unit/layers.txt puts every kmod/*.c file in one layer (lowest first, as in the diagram of
docs/design.md); a file missing there is a finding, so a new file must choose its place. A call
is a use of a name defined in another file (a kernel-style definition: the name at column 0 or
after the return type, its "{" on a line of its own); static inlines of headers belong to no
file. Upward calls that were there when the check came are listed in layer-allow.txt
(FILE FUNCTION): they must go, and an entry no longer needed is a finding too.

usage: layer_check.py [--root DIR]   (exit 1 with one line per finding)
"""
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFINITION = re.compile(r"^[A-Za-z_][\w \*]*?\b(sttcp_\w+)\([^;{]*?\)\s*\n\{", re.M | re.S)
USE = re.compile(r"\b(sttcp_\w+)\b")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def load_layers(path):
    """{file: layer} from lines "N name name ..."."""
    layers = {}
    for line in open(path):
        words = line.split("#")[0].split()
        if words:
            for name in words[1:]:
                layers[name] = int(words[0])
    return layers


def load_allow(path):
    allow = set()
    if os.path.exists(path):
        for line in open(path):
            words = line.split("#")[0].split()
            if len(words) == 2:
                allow.add((words[0], words[1]))
    return allow


def calls(root):
    """{file: {(callee file, function)}} across kmod/*.c."""
    sources, owner = {}, {}
    for path in sorted(glob.glob(os.path.join(root, "kmod", "*.c"))):
        name = os.path.basename(path)[:-2]
        sources[name] = COMMENT.sub("", open(path).read())
        for m in DEFINITION.finditer(sources[name]):
            owner[m.group(1)] = name
    found = {}
    for name, text in sources.items():
        found[name] = {(owner[f], f) for f in USE.findall(text) if owner.get(f, name) != name}
    return found


def check(root, layers, allow):
    findings, used = [], set()
    for name, callees in sorted(calls(root).items()):
        if name not in layers:
            findings.append(f"kmod/{name}.c has no layer: add it to tests/unit/layers.txt")
            continue
        for callee, fn in sorted(callees):
            if layers.get(callee, -1) <= layers[name]:
                continue
            if (name, fn) in allow:
                used.add((name, fn))
                continue
            findings.append(f"kmod/{name}.c (layer {layers[name]}) calls {fn}() of {callee}.c"
                            f" (layer {layers[callee]}): a lower layer calls an upper one")
    for name, fn in sorted(allow - used):
        findings.append(f"tests/unit/layer-allow.txt: {name} {fn} is gone: remove its entry")
    return findings


def main(argv):
    root = os.path.join(HERE, "..", "..")
    if len(argv) == 2 and argv[0] == "--root":
        root = argv[1]
    elif argv:
        sys.exit(__doc__)
    findings = check(root, load_layers(os.path.join(HERE, "layers.txt")),
                     load_allow(os.path.join(HERE, "layer-allow.txt")))
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
