#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile TCP segments for tests/suites/hostile, built byte by byte and sent through a raw
IP_HDRINCL socket (run inside the sending namespace; needs CAP_NET_RAW).

usage: hostile.py bad-doff SRC DST PORT [COUNT]
           SYNs whose data offset is 0-4 (below the fixed header), and 6-15 with fewer bytes
           present than it claims; COUNT of each kind (default 4), from distinct source ports
       hostile.py bad-opts SRC DST PORT
           SYNs and ACKs with a valid data offset but malformed options: a zero length, a
           length past the header, a kind with no length byte, a SACK of 3 bytes, timestamps
           of 9 bytes, and a TFO cookie option with data in the SYN
       hostile.py raw-from SRC SPORT DST DPORT
           segments from SRC:SPORT (the VIP:port, sent by a raw socket on a node, not by TCP)
           to DST:DPORT: ACK, FIN|ACK, RST, a data segment, and one with data offset 2
       hostile.py flood SRC SPORT DST DPORT COUNT
           COUNT ACK segments with 1000 bytes each at random sequence numbers on one
           connection's 4-tuple: nearly all of them outside the receiver's window
       hostile.py stray IFACE MAC SRC DST DPORT COUNT
           COUNT data segments of unknown connections to DST:DPORT in Ethernet frames sent
           to MAC through IFACE (AF_PACKET): what any host on the service LAN can send to a
           backup that holds the VIP on a dummy device
       hostile.py echo-client DST PORT CONNS BYTES
           ordinary traffic beside the attack: CONNS python socket connections, each sending
           BYTES random bytes and checking the echo; prints "verified N", exits 1 otherwise
       hostile.py reuse DST PORT SPORT
           two connections from the same source port, one after the other: the first echoes
           64 KiB and ends with a RST (SO_LINGER 0: no TIME_WAIT), the second reuses the 4-tuple
           at once and echoes 64 KiB; prints the second's time, exits 1 unless both verified
       hostile.py tfo DST PORT CONNS
           CONNS connections that send their first 1000 bytes in the SYN (TCP Fast Open,
           MSG_FASTOPEN) and check the echo of 64 KiB; exits 1 unless all verified
       hostile.py idle DST PORT FILE
           one connection that sends nothing; writes its local port to FILE, then sleeps
       hostile.py syn-flood DST PORT COUNT
           COUNT SYNs with a client's usual options (MSS, SACK, timestamps, window scale)
           from spoofed sources 10.0.0.128-250 and random ports: no handshake ever completes
       hostile.py open-echo DST PORT CONNS FILE
           CONNS connections that each echo 64 KiB, checked, then stay open: writes their
           local ports to FILE (one line, space-separated), then sleeps; exits 1 if one fails
Senders print "sent N".
"""
import random
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def segment(src, dst, sport, dport, flags, seq=0, ack=0, doff=None, opts=b"", payload=b"", win=65535):
    """IP + TCP; doff is the data offset field as sent, whatever the bytes that follow."""
    hdr_opts = opts + b"\0" * (-len(opts) % 4)
    if doff is None:
        doff = (20 + len(hdr_opts)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0)
    tcp += hdr_opts + payload
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    tcp = tcp[:16] + struct.pack("!H", csum(s + d + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), random.getrandbits(16), 0, 64, 6, 0, s, d)
    # Raw IP sockets fill it in themselves; frames sent through AF_PACKET need it.
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08


def send(pkts, dst):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for p in pkts:
        s.sendto(p, (dst, 0))
    print("sent", len(pkts))


def bad_doff(src, dst, port, count=4):
    pkts = []
    mss = bytes([2, 4, 0x05, 0xB4])
    for _ in range(count):
        for doff in range(5):
            # Options after the fixed header: what an overflowing copy would have written over.
            pkts.append(segment(src, dst, random.randint(20000, 60000), port, SYN,
                                seq=random.getrandbits(32), doff=doff, opts=mss * 2))
        for doff in (6, 10, 15):
            pkts.append(segment(src, dst, random.randint(20000, 60000), port, SYN,
                                seq=random.getrandbits(32), doff=doff))
    send(pkts, dst)


def bad_opts(src, dst, port):
    cases = [
        bytes([8, 0]),                       # timestamps, length 0
        bytes([2, 40, 5, 0xB4]),             # MSS claiming 40 bytes
        bytes([1, 1, 1, 3]),                 # window scale with no length byte (last byte)
        bytes([5, 3, 0]),                    # SACK of 3 bytes
        bytes([8, 9]) + b"\0" * 7,           # timestamps of 9 bytes
        bytes([3, 3, 200]),                  # window scale 200
        bytes([34, 10]) + b"\x11" * 8,       # TFO cookie
        bytes([254, 1]),                     # experimental option, length 1
        bytes([4, 2]) * 20,                  # 40 bytes of SACK-permitted (a full option space)
    ]
    pkts = []
    for opts in cases:
        sport = random.randint(20000, 60000)
        data = b"GET / HTTP/1.0\r\n\r\n" if opts[0] == 34 else b""
        pkts.append(segment(src, dst, sport, port, SYN, seq=random.getrandbits(32), opts=opts, payload=data))
        pkts.append(segment(src, dst, sport, port, ACK, seq=random.getrandbits(32), ack=random.getrandbits(32),
                            opts=opts))
    send(pkts, dst)


def raw_from(src, sport, dst, dport):
    seq, ack = random.getrandbits(32), random.getrandbits(32)
    pkts = [
        segment(src, dst, sport, dport, ACK, seq, ack),
        segment(src, dst, sport, dport, ACK | PSH, seq, ack, payload=b"x" * 100),
        segment(src, dst, sport, dport, ACK, seq, ack, doff=2),
        segment(src, dst, sport, dport, FIN | ACK, seq, ack),
        segment(src, dst, sport, dport, RST | ACK, seq, ack),
    ]
    send(pkts, dst)


def recv_upto(c, n):
    """Bytes from socket c until n arrived or the peer closed."""
    got = bytearray()
    while len(got) < n:
        b = c.recv(65536)
        if not b:
            break
        got.extend(b)
    return bytes(got)


def echo_client(dst, port, conns, nbytes):
    import threading

    ok = []

    def one(i):
        data = random.randbytes(nbytes)
        with socket.create_connection((dst, port), timeout=120) as c:
            got = bytearray()

            def reader():
                while len(got) < nbytes:
                    b = c.recv(65536)
                    if not b:
                        break
                    got.extend(b)

            t = threading.Thread(target=reader)
            t.start()
            c.sendall(data)
            t.join(120)
        ok.append(bytes(got) == data)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("verified", sum(ok), "of", conns)
    sys.exit(0 if sum(ok) == conns else 1)


def reuse(dst, port, sport):
    import time

    def one(abort):
        data = random.randbytes(65536)
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind(("0.0.0.0", sport))
        c.settimeout(30)
        c.connect((dst, port))
        c.sendall(data)
        got = recv_upto(c, len(data))
        if abort:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
        return bytes(got) == data

    first = one(True)
    t0 = time.monotonic()
    second = one(False)
    print("first %s, second %s in %.0f ms" % (first, second, (time.monotonic() - t0) * 1000))
    sys.exit(0 if first and second else 1)


def tfo(dst, port, conns):
    import time

    t0 = time.monotonic()
    ok = 0
    for _ in range(conns):
        data = random.randbytes(65536)
        c = socket.socket()
        c.settimeout(30)
        c.sendto(data[:1000], socket.MSG_FASTOPEN, (dst, port))
        c.sendall(data[1000:])
        got = recv_upto(c, len(data))
        c.close()
        ok += bytes(got) == data
    print("verified %d of %d in %.0f ms" % (ok, conns, (time.monotonic() - t0) * 1000))
    sys.exit(0 if ok == conns else 1)


def idle(dst, port, path):
    import os
    import time

    c = socket.create_connection((dst, port), timeout=30)
    with open(path + ".tmp", "w") as f:
        f.write(str(c.getsockname()[1]))
    os.rename(path + ".tmp", path)
    time.sleep(3600)


def flood(src, sport, dst, dport, count):
    data = b"z" * 1000
    send([segment(src, dst, sport, dport, ACK | PSH, random.getrandbits(32), random.getrandbits(32),
                  payload=data) for _ in range(count)], dst)


def syn_flood(dst, dport, count):
    import time

    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    start = time.monotonic()
    for _ in range(count):
        opts = (bytes([2, 4, 0x05, 0xB4, 4, 2, 8, 10]) + struct.pack("!II", random.getrandbits(32), 0)
                + bytes([1, 3, 3, 7]))
        src = "10.0.0.%d" % random.randint(128, 250)
        s.sendto(segment(src, dst, random.randint(1024, 65535), dport, SYN, random.getrandbits(32),
                         opts=opts, win=64240), (dst, 0))
    print("sent", count, "in %.1f s" % (time.monotonic() - start))


def open_echo(dst, port, conns, path):
    import os
    import time

    socks, ok = [], 0
    for _ in range(conns):
        c = socket.create_connection((dst, port), timeout=60)
        data = random.randbytes(65536)
        c.sendall(data)
        ok += recv_upto(c, len(data)) == data
        socks.append(c)
    with open(path + ".tmp", "w") as f:
        f.write(" ".join(str(c.getsockname()[1]) for c in socks))
    os.rename(path + ".tmp", path)
    print("verified", ok, "of", conns, flush=True)
    if ok != conns:
        sys.exit(1)
    time.sleep(3600)


def stray(iface, mac, src, dst, dport, count):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    eth = bytes.fromhex(mac.replace(":", "")) + s.getsockname()[4][:6] + b"\x08\x00"
    for _ in range(count):
        s.send(eth + segment(src, dst, random.randint(20000, 60000), dport, ACK | PSH,
                             random.getrandbits(32), random.getrandbits(32), payload=b"s" * 500))
    print("sent", count)


def main():
    a = sys.argv[1:]
    if len(a) >= 4 and a[0] == "bad-doff":
        bad_doff(a[1], a[2], int(a[3]), int(a[4]) if len(a) > 4 else 4)
    elif len(a) == 4 and a[0] == "bad-opts":
        bad_opts(a[1], a[2], int(a[3]))
    elif len(a) == 5 and a[0] == "raw-from":
        raw_from(a[1], int(a[2]), a[3], int(a[4]))
    elif len(a) == 6 and a[0] == "flood":
        flood(a[1], int(a[2]), a[3], int(a[4]), int(a[5]))
    elif len(a) == 7 and a[0] == "stray":
        stray(a[1], a[2], a[3], a[4], int(a[5]), int(a[6]))
    elif len(a) == 5 and a[0] == "echo-client":
        echo_client(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif len(a) == 4 and a[0] == "reuse":
        reuse(a[1], int(a[2]), int(a[3]))
    elif len(a) == 4 and a[0] == "tfo":
        tfo(a[1], int(a[2]), int(a[3]))
    elif len(a) == 4 and a[0] == "idle":
        idle(a[1], int(a[2]), a[3])
    elif len(a) == 4 and a[0] == "syn-flood":
        syn_flood(a[1], int(a[2]), int(a[3]))
    elif len(a) == 5 and a[0] == "open-echo":
        open_echo(a[1], int(a[2]), int(a[3]), a[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
