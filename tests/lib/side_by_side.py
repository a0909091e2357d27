#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the primary's and the backup's flow tables side by side (sttcpctl -j flows output).

usage: side_by_side.py PRIMARY.json BACKUP.json
Sequence numbers are in the primary's space on both sides (the backup translates its own socket
state), so equal columns mean the backup could take over this connection byte-exactly.
"""
import json
import sys

pr = {(f["client"], f["client_port"]): f for f in json.load(open(sys.argv[1]))}
bk = {(f["client"], f["client_port"]): f for f in json.load(open(sys.argv[2]))}
cols = ("snd_una", "snd_nxt", "rcv_nxt")
print(f"{'client':21} | {'primary snd_nxt':>15} {'rcv_nxt':>10} | {'backup snd_nxt':>15} "
      f"{'rcv_nxt':>10} {'seq_delta':>10} {'ws p/b':>6} | in step")
same = 0
for key in sorted(pr):
    p, b = pr[key], bk.get(key, {})
    ok = all(c in p and p.get(c) == b.get(c) for c in cols)
    same += ok
    print(f"{key[0] + ':' + str(key[1]):21} | {p.get('snd_nxt', '-'):>15} {p.get('rcv_nxt', '-'):>10} | "
          f"{b.get('snd_nxt', '-'):>15} {b.get('rcv_nxt', '-'):>10} {b.get('seq_delta', '-'):>10} "
          f"{str(b.get('wscale_primary', '-')) + '/' + str(b.get('wscale_backup', '-')):>6} | "
          f"{'yes' if ok else 'NO'}")
print(f"{same} of {len(pr)} connections in step")
sys.exit(0 if pr and same == len(pr) else 1)
