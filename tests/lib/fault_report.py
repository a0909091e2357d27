#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fault matrix bookkeeping (tests/suites/faults).

  record RESULTS CELL TRIAL CLIENT_JSON RC SPLIT CONNS
      append one trial's record to RESULTS (JSON lines) and print a summary line; exit 1 if
      the trial failed, lost a connection, corrupted a byte or saw split brain
  merge FIRST SECOND
      add the second client report's connections and bytes to the first (a trial with two
      client runs)
  summary RESULTS REPORT_MD
      the per-cell table, printed as TAP comments and written to REPORT_MD; exit 1 if any
      trial was bad
"""
import json
import re
import sys

MISMATCH = re.compile(r"mismatch at offset (\d+)")


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def judge(client, conns):
    """(bytes verified, corrupted bytes, lost connections) from a sttcp-client report."""
    if client is None:
        return 0, 0, conns
    corrupt = 0
    lost = 0
    for c in client.get("connections", []):
        m = MISMATCH.search(c.get("error") or "")
        if m:
            # Everything from the first wrong byte on is suspect.
            corrupt += max(1, c.get("rx", 0) - int(m.group(1)))
        if not c.get("verified") or c.get("error"):
            lost += 1
    lost += max(0, conns - len(client.get("connections", [])))
    return client.get("bytes_verified", 0), corrupt, lost


def record(results, cell, trial, client_json, rc, split, conns):
    client = load(client_json)
    conns = int(conns)
    if client is not None:
        conns = max(conns, client.get("conns", 0))
    verified, corrupt, lost = judge(client, conns)
    rec = {"cell": cell, "trial": int(trial), "rc": int(rc), "conns": conns,
           "bytes_verified": verified, "corrupt_bytes": corrupt, "lost": lost,
           "split_brain": int(split)}
    rec["ok"] = rec["rc"] == 0 and corrupt == 0 and lost == 0 and rec["split_brain"] == 0
    with open(results, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"{verified / 2**20:.1f} MiB verified in {conns} connections, corrupt {corrupt} B, "
          f"lost {lost}, split-brain {rec['split_brain']}")
    return 0 if rec["ok"] else 1


def merge(first, second):
    a, b = load(first), load(second)
    if a is None or b is None:
        return 1
    a["connections"] = a.get("connections", []) + b.get("connections", [])
    for k in ("conns", "ok", "failed", "bytes_verified"):
        a[k] = a.get(k, 0) + b.get(k, 0)
    with open(first, "w") as f:
        json.dump(a, f)
    return 0


def summary(results, report_md):
    cells = {}
    try:
        with open(results) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    cells.setdefault(r["cell"], []).append(r)
    except OSError:
        pass
    rows = ["| cell | trials | clean | MiB verified | corrupted bytes | lost connections | split-brain |",
            "|---|---|---|---|---|---|---|"]
    bad = 0
    for cell, rs in cells.items():
        clean = sum(r["ok"] for r in rs)
        bad += len(rs) - clean
        rows.append(f"| {cell} | {len(rs)} | {clean} | "
                    f"{sum(r['bytes_verified'] for r in rs) / 2**20:.1f} | "
                    f"{sum(r['corrupt_bytes'] for r in rs)} | {sum(r['lost'] for r in rs)} | "
                    f"{sum(r['split_brain'] for r in rs)} |")
    with open(report_md, "w") as f:
        f.write("# Fault matrix\n\n" + "\n".join(rows) + "\n")
    for row in rows:
        print("# " + row)
    print(f"# fault matrix: {report_md}")
    return 1 if bad or not cells else 0


def main(argv):
    cmds = {"record": (record, 7), "merge": (merge, 2), "summary": (summary, 2)}
    if len(argv) < 2 or argv[1] not in cmds or len(argv) - 2 != cmds[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    fn, _ = cmds[argv[1]]
    return fn(*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
