#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Assertions of the lockstep suite over the artifacts of one run.

  hashes CLIENT.json PR.log BK.log   every client connection: primary and backup
                                     applications received and sent identical streams
  seqstate PR.json BK.json N         every flow: backup socket state (translated) equals
                                     the primary's; at least N flows with socket state
Exit 0 when the property holds, 1 with one line per violation otherwise.
"""
import json
import sys


def load_lines(path):
    out = {}
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if "peer" in rec:
                out[rec["peer"]] = rec
    return out


def hashes(client_path, pr_path, bk_path):
    client = json.load(open(client_path))
    pr, bk = load_lines(pr_path), load_lines(bk_path)
    bad = []
    for c in client["connections"]:
        peer = c["local"]
        p, b = pr.get(peer), bk.get(peer)
        if p is None or b is None:
            bad.append(f"{peer}: missing in {'primary' if p is None else 'backup'} log")
            continue
        if p["rx_hash"] != c["tx_hash"] or p["rx_bytes"] != c["tx"]:
            bad.append(f"{peer}: primary received {p['rx_bytes']} bytes, client sent {c['tx']}")
        for k in ("rx_bytes", "rx_hash", "tx_bytes", "tx_hash", "end"):
            if p[k] != b[k]:
                bad.append(f"{peer}: {k} primary={p[k]} backup={b[k]}")
    print(f"# {len(client['connections'])} connections compared, {len(bad)} differences")
    return bad


def seqstate(pr_path, bk_path, want):
    key = lambda f: (f["client"], f["client_port"])
    pr = {key(f): f for f in json.load(open(pr_path)) if "snd_nxt" in f}
    bk = {key(f): f for f in json.load(open(bk_path)) if "snd_nxt" in f}
    bad = []
    if len(pr) < want:
        bad.append(f"primary has socket state for {len(pr)} flows, expected {want}")
    for k, p in pr.items():
        b = bk.get(k)
        if b is None:
            bad.append(f"{k}: no backup socket")
            continue
        for field in ("snd_una", "snd_nxt", "rcv_nxt"):
            if p[field] != b[field]:
                bad.append(f"{k}: {field} primary={p[field]} backup(translated)={b[field]}")
    print(f"# {len(pr)} flows compared, {len(bad)} differences")
    return bad


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    problems = hashes(*args) if cmd == "hashes" else seqstate(args[0], args[1], int(args[2]))
    for p in problems[:20]:
        print("#", p)
    sys.exit(1 if problems else 0)
