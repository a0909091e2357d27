#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Attacks on the sttcp sync channel, for tests/suites/auth. Runs inside an attacker namespace on
the sync link and sends with a spoofed source address (raw socket, IP_HDRINCL), which only the
tag can unmask. Plain Python on purpose: importing scapy takes minutes in a TCG guest.

  forge  --src A --dst B --type heartbeat|mirror|report [--no-tag] [--count N]
         well-formed messages (version 2 envelope, fresh ids and counter) whose tag is random
         (or, with --no-tag, without the AUTH flag and tag); a heartbeat claims ACTIVE, a huge
         epoch and HANDOVER: accepted, it would make a backup take over at once.
  replay --pcap FILE --src A --dst B [--type T] [--mutate none|truncate|extend]
         [--count N] [--seconds S]
         the captured UDP payloads from A to B (of type T), sent again verbatim, shortened by 5
         bytes, or with 64 bytes appended; --seconds repeats them for S seconds.
Prints the number of datagrams sent.
"""
import argparse
import errno
import os
import socket
import struct
import sys
import time

PORT = 7400
TYPES = {"mirror": 1, "syn": 2, "report": 3, "heartbeat": 4}
HDR_LEN, TAG_LEN, F_AUTH = 32, 16, 0x01


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def udp(src, dst, payload):
    hdr = struct.pack("!HHHH", PORT, PORT, 8 + len(payload), 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, len(hdr + payload))
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return ipv4(src, dst, 17, hdr[:6] + struct.pack("!H", c) + payload)


def envelope(mtype, body, tag=True):
    flags = F_AUTH if tag else 0
    length = HDR_LEN + len(body) + (TAG_LEN if tag else 0)
    sender = struct.unpack("!Q", os.urandom(8))[0] | 1
    hdr = struct.pack("!BBHB3xQQQ", 2, mtype, length, flags, sender, 0, 1)
    return hdr + body + (os.urandom(TAG_LEN) if tag else b"")


def body_for(kind):
    if kind == "heartbeat":
        # epoch 1000000, state ACTIVE (2), flags HANDOVER
        return struct.pack("!IBBHIII", 1000000, 2, 0x01, 0, 1, 0, 0)
    client, vip = socket.inet_aton("10.0.0.10"), socket.inet_aton("10.0.0.100")
    if kind == "report":
        # one entry for a made-up flow, rcv_nxt and window far ahead
        return struct.pack("!B3x", 1) + client + vip + struct.pack("!HHIIB3x", 40000, 5000,
                                                                   0x7FFFFFFF, 0x7FFFFFFF, 0)
    # mirror: a client ACK segment to the VIP
    tcp = struct.pack("!HHIIBBHHH", 40001, 5000, 1, 1, 5 << 4, 0x10, 65535, 0, 0)
    return ipv4("10.0.0.10", "10.0.0.100", 6, tcp)


def pcap_udp_payloads(path):
    """(src, dst, UDP payload) of every IPv4/UDP packet to PORT in an Ethernet pcap."""
    data = open(path, "rb").read()
    magic = data[:4]
    end = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(frame) < 14 + 28 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17 or struct.unpack("!H", ip[ihl + 2:ihl + 4])[0] != PORT:
            continue
        ulen = struct.unpack("!H", ip[ihl + 4:ihl + 6])[0]
        yield socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]), ip[ihl + 8:ihl + ulen]


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("forge")
    f.add_argument("--type", choices=["heartbeat", "mirror", "report"], required=True)
    f.add_argument("--no-tag", action="store_true")
    f.add_argument("--count", type=int, default=5)
    r = sub.add_parser("replay")
    r.add_argument("--pcap", required=True)
    r.add_argument("--type", choices=list(TYPES))
    r.add_argument("--mutate", choices=["none", "truncate", "extend"], default="none")
    r.add_argument("--count", type=int, default=0, help="at most N messages (0: all)")
    r.add_argument("--seconds", type=float, default=0)
    for p in (f, r):
        p.add_argument("--src", required=True)
        p.add_argument("--dst", required=True)
    a = ap.parse_args()

    if a.cmd == "forge":
        data = [envelope(TYPES[a.type], body_for(a.type), not a.no_tag) for _ in range(a.count)]
    else:
        want = TYPES.get(a.type) if a.type else None
        data = [p for s, d, p in pcap_udp_payloads(a.pcap)
                if s == a.src and d == a.dst and len(p) >= HDR_LEN and want in (None, p[1])]
        if a.count:
            data = data[:a.count]
        if a.mutate == "truncate":
            data = [d[:-5] for d in data]
        elif a.mutate == "extend":
            data = [d + bytes(64) for d in data]
    if not data:
        sys.exit("nothing to send (no matching message captured)")

    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    pkts = [udp(a.src, a.dst, d) for d in data]
    sent, end = 0, time.monotonic() + getattr(a, "seconds", 0)
    while True:
        for p in pkts:
            while True:
                try:
                    sock.sendto(p, (a.dst, 0))
                    break
                except OSError as e:  # a burst may fill the device queue: wait a little
                    if e.errno != errno.ENOBUFS:
                        raise
                    time.sleep(0.005)
            sent += 1
        if time.monotonic() >= end:
            break
        time.sleep(0.02)
    print(sent)


if __name__ == "__main__":
    main()
