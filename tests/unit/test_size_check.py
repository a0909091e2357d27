#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""tests/unit/size_check.py finds what it must: long files and functions in both styles, a goto
label inside a function, an allowed function that grew, an entry no longer needed."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import size_check as sc  # noqa: E402


def kernel_fn(name, body_lines, label=False):
    body = ["\tx++;"] * body_lines
    if label:
        body.insert(body_lines // 2, "out:")
    return "\n".join([f"static int {name}(int a,", "\t\tint b)", "{"] + body + ["}", ""])


def cxx_fn(name, body_lines):
    return "\n".join([f"int {name}(int a) {{"] + ["  a++;"] * body_lines + ["}", ""])


class SizeCheck(unittest.TestCase):
    def tree(self, files):
        root = tempfile.mkdtemp(prefix="sttcp-size-")
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        return root

    def test_function_lengths_in_both_styles(self):
        fns = sc.functions(kernel_fn("k", 10, label=True) + cxx_fn("c", 5))
        self.assertEqual([(n, l) for n, l, _ in fns], [("k", 15), ("c", 7)])

    def test_findings(self):
        root = self.tree({"kmod/a.c": kernel_fn("long_one", 90, label=True) + kernel_fn("ok", 10),
                          "kmod/big.h": "x\n" * 801,
                          "userspace/lib/b.cc": cxx_fn("grew", 85) + cxx_fn("allowed", 82)})
        allow = {("userspace/lib/b.cc", "grew"): 84, ("userspace/lib/b.cc", "allowed"): 84,
                 ("kmod/a.c", "ok"): 90}
        got = sc.check(root, allow)
        self.assertEqual(len(got), 4, got)
        self.assertIn("kmod/a.c:1: long_one() has 95 lines (at most 80)", got)
        self.assertIn("kmod/big.h: 801 lines (at most 800)", got)
        self.assertTrue(any("grew() grew to 87 lines (allowed 84" in g for g in got), got)
        self.assertTrue(any("kmod/a.c ok is within 80 lines now" in g for g in got), got)

    def test_the_tree_passes(self):
        self.assertEqual(sc.main([]), 0)


if __name__ == "__main__":
    unittest.main()
