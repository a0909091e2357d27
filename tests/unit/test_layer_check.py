#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""tests/unit/layer_check.py finds what it must: a call from a lower layer into an upper one, a
file without a layer, an allowed call, an allow entry no longer needed; and the real tree passes."""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layer_check as lc  # noqa: E402


def kfile(defines, calls=()):
    body = "".join(f"\t{c}(x);\n" for c in calls)
    return "".join(f"int {d}(int x)\n{{\n{body}\treturn 0;\n}}\n\n" for d in defines)


class LayerCheck(unittest.TestCase):
    def tree(self, files):
        root = tempfile.mkdtemp(prefix="sttcp-layers-")
        self.addCleanup(shutil.rmtree, root)
        os.makedirs(os.path.join(root, "kmod"))
        for name, text in files.items():
            with open(os.path.join(root, "kmod", name + ".c"), "w") as f:
                f.write(text)
        return root

    def test_findings(self):
        root = self.tree({
            "low": kfile(["sttcp_low"], ["sttcp_high", "sttcp_mid"]),
            "mid": kfile(["sttcp_mid"], ["sttcp_low"]),
            "high": kfile(["sttcp_high"], ["sttcp_low", "sttcp_mid"]),
            "stray": kfile(["sttcp_stray"]),
            # A name in a comment is no call.
            "quiet": "/* sttcp_high() */\n" + kfile(["sttcp_quiet"]),
        })
        layers = {"low": 0, "mid": 1, "high": 2, "quiet": 0}
        got = lc.check(root, layers, {("low", "sttcp_mid"), ("mid", "sttcp_gone")})
        self.assertEqual(len(got), 3, got)
        self.assertIn("kmod/low.c (layer 0) calls sttcp_high() of high.c (layer 2): a lower layer"
                      " calls an upper one", got)
        self.assertIn("kmod/stray.c has no layer: add it to tests/unit/layers.txt", got)
        self.assertIn("tests/unit/layer-allow.txt: mid sttcp_gone is gone: remove its entry", got)

    def test_the_module_keeps_its_layers(self):
        self.assertEqual(lc.main([]), 0)


if __name__ == "__main__":
    unittest.main()
