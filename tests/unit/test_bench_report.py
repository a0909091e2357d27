#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""tools/bench/bench_report.py: statistics, flow memory, targets and the JSON report built from a
synthetic results.jsonl (numbers in, numbers out)."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "bench"))
import bench_report as br  # noqa: E402


def write_raw(d, recs, lat):
    with open(os.path.join(d, "results.jsonl"), "w") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")
        f.write("not json\n")
    for name, vals in lat.items():
        with open(os.path.join(d, name), "w") as f:
            f.write("".join(f"{v}\n" for v in vals))


class Stats(unittest.TestCase):
    def test_percentile_nearest_rank(self):
        v = list(range(1, 101))  # 1..100
        self.assertEqual(br.percentile(v, 0.5), 51)
        self.assertEqual(br.percentile(v, 0.99), 100)
        self.assertEqual(br.percentile([7], 0.99), 7)
        self.assertIsNone(br.percentile([], 0.5))
        self.assertEqual(br.percentile([3, 1, 2], 0.0), 1)

    def test_ratio(self):
        self.assertAlmostEqual(br.ratio(95, 100), 0.95)
        self.assertIsNone(br.ratio(1, 0))
        self.assertIsNone(br.ratio(None, 3))

    def test_rht_buckets_grow_above_75_percent(self):
        self.assertEqual(br.rht_buckets(0), 4)
        self.assertEqual(br.rht_buckets(3), 4)
        self.assertEqual(br.rht_buckets(4), 8)
        self.assertEqual(br.rht_buckets(98304), 131072)
        self.assertEqual(br.rht_buckets(98305), 262144)

    def test_flows_memory(self):
        rec = {"flows_A": 1000, "flows_B": 990, "objects_after": 1990, "slabs_after": 111,
               "page_size": 4096, "slab_order": 0}
        fm, bpf = br.flows_memory(rec)
        self.assertEqual(fm, 990)
        self.assertAlmostEqual(bpf, (111 * 4096 + (2048 + 2048) * 8) / 1990)
        self.assertEqual(br.flows_memory({"flows_A": 0, "flows_B": 0})[1], None)


class Report(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sttcp-bench-test-")
        recs = [{"kind": "env", "sync_rtt_ms": 0.5, "rtt_ms": 0.4, "hb_ms": 50, "dead_count": 10}]
        for bps_p, bps_q in ((90e6, 100e6), (96e6, 100e6), (93e6, 100e6)):
            gib = 2**30
            recs += [{"kind": "iperf_up", "mode": "protected", "bps": bps_p, "bytes": gib, "cpu_ms": 3000,
                      "digest_ns": 0, "digest_bytes": 0},
                     {"kind": "iperf_up", "mode": "plain", "bps": bps_q, "bytes": gib, "cpu_ms": 1000,
                      "digest_ns": 0, "digest_bytes": 0},
                     {"kind": "http_down", "mode": "protected", "bps": bps_q, "bytes": 2 * gib,
                      "cpu_ms": 4000, "digest_ns": 400_000_000, "digest_bytes": 4 * gib, "diverged": 1},
                     {"kind": "http_down", "mode": "plain", "bps": bps_q, "bytes": 2 * gib, "cpu_ms": 2000,
                      "digest_ns": 0, "digest_bytes": 0}]
        recs += [{"kind": "rr", "gating": g, "mode": m, "file": f"rr-{g}-{m}.txt", "summary": {}}
                 for g in ("hold", "none") for m in ("protected", "plain")]
        recs += [{"kind": "connrate", "mode": "protected", "summary": {"rate": 80.0}},
                 {"kind": "connrate", "mode": "plain", "summary": {"rate": 100.0}}]
        recs += [{"kind": "stall", "trial": i, "client_rc": 0, "ok": 2, "failed": 0, "kill_ms": 100.0,
                  "active_after_ms": 600.0, "stalls_ms": [800.0 + i, 900.0 + i], "timeline": "x.csv"}
                 for i in range(3)]
        recs += [{"kind": "switchover", "trial": 1, "client_rc": 0, "switchover_rc": 0, "ok": 2, "failed": 0,
                  "stalls_ms": [5.0, 7.0]}]
        recs += [{"kind": "hb10", "takeovers": 0, "hb_gap_max_ms": 30, "dead_count": 10},
                 {"kind": "flows", "target": 100, "flows_A": 100, "flows_B": 100, "objects_after": 200,
                  "slabs_after": 12, "page_size": 4096, "slab_order": 0, "object_size": 224}]
        lat = {"rr-hold-protected.txt": [1200, 1300, 1400], "rr-hold-plain.txt": [1000, 1000, 1100],
               "rr-none-protected.txt": [1000, 1020, 1050], "rr-none-plain.txt": [1000, 1000, 1000]}
        write_raw(self.dir, recs, lat)

    def test_summary_numbers(self):
        rep, _ = br.summarize(br.load(self.dir), self.dir)
        self.assertAlmostEqual(rep["upload_ratio"], 0.93)
        self.assertAlmostEqual(rep["download_ratio"], 1.0)
        self.assertAlmostEqual(rep["rr_p50_ratio"], 1.3 / 1.0)
        self.assertAlmostEqual(rep["rr_hold_p50_delta_ms"], 0.3)
        self.assertAlmostEqual(rep["rr_none_p50_ratio"], 1.02)
        self.assertAlmostEqual(rep["conn_rate_ratio"], 0.8)
        self.assertEqual(rep["stall_trials"], 3)
        self.assertEqual(rep["stall_ms_p99"], 902.0)
        self.assertEqual(rep["switchover_stall_ms_p99"], 7.0)
        self.assertEqual(rep["flows_max"], 100)
        self.assertAlmostEqual(rep["bytes_per_flow"], (12 * 4096 + 2 * 256 * 8) / 200)
        self.assertEqual(rep["errors"], ["results.jsonl line 26 is not JSON"])

    def test_cpu_and_digest(self):
        rep, _ = br.summarize(br.load(self.dir), self.dir)
        self.assertAlmostEqual(rep["upload_protected_cpu_s_per_gib"], 3.0)
        self.assertAlmostEqual(rep["upload_cpu_ratio"], 3.0)
        self.assertAlmostEqual(rep["upload_cpu_fair_bound"], 1 / 3)
        self.assertAlmostEqual(rep["download_cpu_ratio"], 2.0)
        self.assertAlmostEqual(rep["digest_ms_per_gib"], 100.0)       # 400 ms over 4 GiB
        self.assertAlmostEqual(rep["download_digest_cpu_share"], 0.1)  # 400 ms of 4 s
        self.assertEqual(rep["download_flows_diverged"], 3)

    def test_targets(self):
        rep, _ = br.summarize(br.load(self.dir), self.dir)
        t = {n: m for n, _, _, m in br.targets(rep)}
        self.assertFalse(t["upload_ratio"])
        self.assertTrue(t["download_ratio"])
        self.assertTrue(t["rr p50, gating hold"])       # 0.3 ms <= 0.5 ms sync RTT
        self.assertTrue(t["rr p50, gating none"])
        self.assertFalse(t["stall_ms_p99"])              # 902 > 3 x 50 + 2 x 0.4
        self.assertTrue(t["switchover_stall_ms_p99"])
        self.assertTrue(t["conn_rate_ratio"])
        self.assertFalse(t["flows_max"])
        self.assertTrue(t["heartbeat 10 ms under load"])

    def test_main_writes_numbers(self):
        out = os.path.join(self.dir, "out")
        self.assertEqual(br.main([self.dir, out, "--quick", "1", "--no-plots"]), 0)
        rep = json.load(open(os.path.join(out, "report.json")))
        for k in ("upload_ratio", "download_ratio", "rr_p50_ratio", "rr_p99_ratio", "conn_rate_ratio",
                  "stall_ms_p50", "stall_ms_p99", "switchover_stall_ms_p99", "hb_ms", "dead_count",
                  "sync_rtt_ms", "flows_max", "bytes_per_flow"):
            self.assertIsInstance(rep[k], (int, float), k)
        md = open(os.path.join(out, "report.md")).read()
        self.assertIn("Quick run", md)
        self.assertIn("**missed**", md)
        # Every missed target says where the time goes, with this run's figures; met ones do not.
        where = md.split("## Where the time goes (missed targets)")[1].split("## All figures")[0]
        self.assertIn("**upload_ratio**", where)
        self.assertIn("detection alone is hb x dead_count = 500 ms", where)
        self.assertIn("**flows_max**", where)
        self.assertNotIn("**download_ratio**", where)

    def test_missing_phases_are_null(self):
        d = tempfile.mkdtemp(prefix="sttcp-bench-test-")
        write_raw(d, [{"kind": "env", "hb_ms": 50, "dead_count": 10, "sync_rtt_ms": 1, "rtt_ms": 1}], {})
        rep, _ = br.summarize(br.load(d), d)
        self.assertIsNone(rep["upload_ratio"])
        self.assertIsNone(rep["flows_max"])
        self.assertTrue(all(m is None for n, _, _, m in br.targets(rep) if n != "heartbeat 10 ms under load"))


if __name__ == "__main__":
    unittest.main()
