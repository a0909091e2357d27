#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""tests/lib/fault_report.py: what the fault matrix counts as corrupted, lost and split brain, and
that a bad trial fails its cell."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fault_report as fr  # noqa: E402


def conn(i, verified=True, error="", rx=100):
    return {"i": i, "rx": rx, "verified": verified, "error": error}


class Judge(unittest.TestCase):
    def test_clean(self):
        c = {"conns": 2, "bytes_verified": 200, "connections": [conn(0), conn(1)]}
        self.assertEqual(fr.judge(c, 2), (200, 0, 0))

    def test_mismatch_counts_bytes_from_the_first_wrong_one(self):
        c = {"bytes_verified": 140, "connections": [
            conn(0), conn(1, False, "mismatch at offset 40: got 0x01, expected 0x02")]}
        self.assertEqual(fr.judge(c, 2), (140, 60, 1))

    def test_reset_and_missing_connections_are_lost(self):
        c = {"bytes_verified": 100, "connections": [conn(0, False, "recv: Connection reset by peer")]}
        self.assertEqual(fr.judge(c, 3), (100, 0, 3))

    def test_no_report_loses_everything(self):
        self.assertEqual(fr.judge(None, 10), (0, 0, 10))


class Record(unittest.TestCase):
    def run_record(self, client, rc=0, split=0, conns=2):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "client.json")
            with open(path, "w") as f:
                json.dump(client, f)
            results = os.path.join(d, "results.jsonl")
            with contextlib.redirect_stdout(io.StringIO()):
                status = fr.record(results, "cell", 1, path, rc, split, conns)
                summary = fr.summary(results, os.path.join(d, "report.md"))
            with open(results) as f:
                rec = json.loads(f.readline())
            return status, summary, rec

    def test_clean_trial_passes(self):
        status, summary, rec = self.run_record({"conns": 2, "bytes_verified": 200,
                                                "connections": [conn(0), conn(1)]})
        self.assertEqual((status, summary, rec["ok"]), (0, 0, True))

    def test_split_brain_fails(self):
        status, summary, rec = self.run_record({"conns": 2, "bytes_verified": 200,
                                                "connections": [conn(0), conn(1)]}, split=1)
        self.assertEqual((status, summary, rec["split_brain"]), (1, 1, 1))

    def test_failed_checks_fail_even_with_every_byte(self):
        status, summary, _ = self.run_record({"conns": 2, "bytes_verified": 200,
                                              "connections": [conn(0), conn(1)]}, rc=1)
        self.assertEqual((status, summary), (1, 1))

    def test_empty_matrix_fails(self):
        with tempfile.TemporaryDirectory() as d, contextlib.redirect_stdout(io.StringIO()):
            self.assertEqual(fr.summary(os.path.join(d, "none"), os.path.join(d, "r.md")), 1)


if __name__ == "__main__":
    unittest.main()
