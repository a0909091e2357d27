#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ordinary, non-deterministic servers and plain clients for the failover suite: traffic that
sttcp's own tools never produce, written the way applications are.

usage: odd_servers.py reorder-server ADDR PORT
           answers each line it reads with 1 KiB: the same 256 four-byte words every time, in
           the order a Python set of bytes iterates them, which depends on the process's hash
           seed (PYTHONHASHSEED): two processes answer in two orders
       odd_servers.py stream-server ADDR PORT
           speaks first and never stops: each connection gets chunks of 4 KiB that begin with
           the time in nanoseconds, the rest random bytes
       odd_servers.py upper-server ADDR PORT
           reads until the client half-closes, then answers with what it read in upper case and
           closes (deterministic)
       odd_servers.py banner-server ADDR PORT
           speaks first: a 1 MiB banner (bytes i % 251), then echoes (deterministic)
       odd_servers.py half-close-client ADDR PORT CONNS BYTES
           each connection sends BYTES random bytes, shuts down its sending side, reads until
           the server closes; the answer must be them in upper case
       odd_servers.py banner-client ADDR PORT CONNS BYTES
           each connection reads the banner, then sends BYTES random bytes and reads their echo
       odd_servers.py rr-client ADDR PORT CONNS SECONDS
           CONNS connections, each sending a line and reading the 1 KiB answer in a loop for
           SECONDS; every answer on a connection must equal its first (one server process
           answers in one order): "mixed" otherwise
       odd_servers.py read-client ADDR PORT CONNS SECONDS
           CONNS connections that only read, until an error or for SECONDS
       odd_servers.py http-client ADDR PORT PATH FILE WORKERS STOPFILE
           WORKERS loops of HTTP/1.0 GETs of PATH (a new connection each, 10 s timeout) until
           STOPFILE exists; each body must equal FILE. Prints the counts of outcomes ("ok",
           "reset", "refused", "timeout", "mismatch", ...) and the longest time to an answer
       odd_servers.py redis-client ADDR PORT WORKERS STOPFILE
           WORKERS loops of redis connections (until STOPFILE exists), each 50 pipelined rounds of
           INCR, SET, APPEND and GET on keys of its own; every reply must be the one a single
           server gives. Outcomes and longest answer as for http-client
       odd_servers.py echo-once ADDR PORT BYTES SECONDS
           one connection: sends BYTES random bytes, reads their echo; outcome "ok" (the same
           bytes), "mismatch", "reset", "timeout", ...
Clients print one JSON object (half-close and banner clients: per connection its outcome and
its longest wait between two reads, "stall_ms"): per connection its outcome ("reset", "eof", "timeout", "mixed",
"ok" for one that ran its time), the bytes it got, and the wall-clock time (time.time())
of its last byte and of its end.
"""
import json
import os
import random
import socket
import sys
import threading
import time

WORDS = [bytes([i, 255 - i, (i * 7) & 255, (i * 13) & 255]) for i in range(256)]


def serve(addr, port, handler):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    print(json.dumps({"listening": f"{addr}:{port}", "pid": os.getpid()}), flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()


def reorder_handler(c):
    reply = b"".join(set(WORDS))
    f = c.makefile("rb")
    try:
        while f.readline():
            c.sendall(reply)
    except OSError:
        pass
    c.close()


def stream_handler(c):
    try:
        while True:
            c.sendall(time.time_ns().to_bytes(8, "big") + random.randbytes(4088))
    except OSError:
        pass
    c.close()


BANNER = bytes(i % 251 for i in range(1 << 20))


def upper_handler(c):
    got = bytearray()
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            got += b
        c.sendall(bytes(got).upper())
    except OSError:
        pass
    c.close()


def banner_handler(c):
    try:
        c.sendall(BANNER)
        while True:
            b = c.recv(65536)
            if not b:
                break
            c.sendall(b)
    except OSError:
        pass
    c.close()


class Reader:
    """recv() with the longest wait between two reads."""

    def __init__(self, c):
        self.c, self.last, self.stall = c, time.time(), 0.0

    def read(self, n):
        got = bytearray()
        while len(got) < n:
            b = self.c.recv(min(65536, n - len(got)))
            now = time.time()
            self.stall, self.last = max(self.stall, now - self.last), now
            if not b:
                break
            got += b
        return bytes(got)


def half_close_one(addr, port, nbytes, r):
    data = random.randbytes(nbytes)
    c = socket.create_connection((addr, port), timeout=60)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    rd = Reader(c)
    got = rd.read(nbytes + 1)
    r["stall_ms"] = round(rd.stall * 1000)
    return "ok" if got == data.upper() else "mismatch"


def banner_one(addr, port, nbytes, r):
    data = random.randbytes(nbytes)
    c = socket.create_connection((addr, port), timeout=60)
    rd = Reader(c)
    if rd.read(len(BANNER)) != BANNER:
        return "mismatch"
    t = threading.Thread(target=c.sendall, args=(data,))
    t.start()
    got = rd.read(nbytes)
    t.join()
    r["stall_ms"] = round(rd.stall * 1000)
    return "ok" if got == data else "mismatch"


def stream_clients(fn, addr, port, conns, nbytes):
    res = [{"outcome": None, "stall_ms": None} for _ in range(conns)]

    def run(r):
        try:
            r["outcome"] = fn(addr, port, nbytes, r)
        except Exception as e:  # noqa: BLE001
            r["outcome"] = outcome(e)

    threads = [threading.Thread(target=run, args=(r,)) for r in res]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"connections": res}))


def outcome(e):
    if isinstance(e, ConnectionResetError):
        return "reset"
    if isinstance(e, socket.timeout):
        return "timeout"
    if isinstance(e, EOFError):
        return "eof"
    return "error " + type(e).__name__


def rr_one(addr, port, seconds, res):
    r = res
    try:
        c = socket.create_connection((addr, port), timeout=seconds)
        first = None
        end = time.time() + seconds
        while time.time() < end:
            c.settimeout(max(0.1, end - time.time()))
            c.sendall(b"get\n")
            got = b""
            while len(got) < 1024:
                b = c.recv(1024 - len(got))
                if not b:
                    r["outcome"] = "eof"
                    return
                got += b
                r["bytes"] += len(b)
                r["last"] = time.time()
            if first is None:
                first = got
            elif got != first:
                r["outcome"] = "mixed"
                return
        r["outcome"] = "ok"
    except Exception as e:  # noqa: BLE001 - the outcome is what is measured
        r["outcome"] = outcome(e)
    finally:
        r["end"] = time.time()


def read_one(addr, port, seconds, res):
    r = res
    try:
        c = socket.create_connection((addr, port), timeout=seconds)
        end = time.time() + seconds
        while True:
            if time.time() >= end:
                r["outcome"] = "ok"
                return
            c.settimeout(max(0.1, end - time.time()))
            b = c.recv(65536)
            if not b:
                r["outcome"] = "eof"
                return
            r["bytes"] += len(b)
            r["last"] = time.time()
    except Exception as e:  # noqa: BLE001
        r["outcome"] = outcome(e)
    finally:
        r["end"] = time.time()


def http_request(addr, port, path, want, longest):
    """One GET on a new connection; its time to the answer counts for longest."""
    import http.client

    t = time.time()
    try:
        c = http.client.HTTPConnection(addr, port, timeout=10)
        c.request("GET", path)
        body = c.getresponse().read()
        c.close()
        return "ok" if body == want else "mismatch"
    finally:
        longest[0] = max(longest[0], time.time() - t)


def resp_reply(f):
    """One reply of the redis protocol (RESP2) from the file f: int, str or bytes."""
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise EOFError
    kind, rest = line[:1], line[1:-2]
    if kind == b":":
        return int(rest)
    if kind in (b"+", b"-"):
        return (kind + rest).decode()
    if kind == b"$":
        body = f.read(int(rest) + 2)
        if len(body) != int(rest) + 2:
            raise EOFError
        return body[:-2]
    raise ValueError(f"unexpected reply {line!r}")


def resp_command(*words):
    out = [b"*%d\r\n" % len(words)]
    for w in words:
        w = w if isinstance(w, bytes) else str(w).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(w), w))
    return b"".join(out)


def redis_session(addr, port, longest):
    """One connection: 50 rounds on keys of its own; each reply is known in advance. The time
    of each round to its last reply counts for longest."""
    key = os.urandom(8).hex()
    t = time.time()
    c = socket.create_connection((addr, port), timeout=10)
    f = c.makefile("rb")
    for n in range(1, 51):
        value = b"v%d-" % n + random.randbytes(64).hex().encode()
        c.sendall(resp_command("INCR", f"c:{key}") + resp_command("SET", f"k:{key}", value) +
                  resp_command("APPEND", f"l:{key}", "xy") + resp_command("GET", f"k:{key}"))
        try:
            for want in (n, "+OK", 2 * n, value):
                if resp_reply(f) != want:
                    return "mismatch"
        finally:
            longest[0] = max(longest[0], time.time() - t)
        t = time.time()
    c.sendall(resp_command("QUIT"))
    resp_reply(f)
    c.close()
    return "ok"


def loop_worker(request, stop, counts, longest):
    while not os.path.exists(stop):
        try:
            o = request(longest)
        except ConnectionRefusedError:
            o = "refused"
        except Exception as e:  # noqa: BLE001
            o = outcome(e)
        counts[o] = counts.get(o, 0) + 1


def loop_clients(request, workers, stop):
    """WORKERS threads repeating request until STOPFILE exists; prints outcome counts."""
    counts, longest = {}, [0.0]
    threads = [threading.Thread(target=loop_worker, args=(request, stop, counts, longest))
               for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"outcomes": counts, "longest_s": round(longest[0], 3)}))


def echo_once(addr, port, nbytes, seconds):
    data, t = random.randbytes(nbytes), time.time()
    r = {"outcome": None}
    try:
        c = socket.create_connection((addr, port), timeout=seconds)
        c.sendall(data)
        got = b""
        while len(got) < nbytes:
            b = c.recv(nbytes - len(got))
            if not b:
                break
            got += b
        r["outcome"] = "ok" if got == data else "mismatch" if got else "eof"
    except Exception as e:  # noqa: BLE001
        r["outcome"] = outcome(e)
    r["seconds"] = round(time.time() - t, 3)
    print(json.dumps(r))


def clients(fn, addr, port, conns, seconds):
    res = [{"outcome": None, "bytes": 0, "last": None, "end": None} for _ in range(conns)]
    threads = [threading.Thread(target=fn, args=(addr, port, seconds, r)) for r in res]
    for t in threads:
        t.start()
        time.sleep(0.02)
    for t in threads:
        t.join()
    print(json.dumps({"connections": res}))


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "reorder-server":
        serve(a[1], int(a[2]), reorder_handler)
    elif len(a) == 3 and a[0] == "stream-server":
        serve(a[1], int(a[2]), stream_handler)
    elif len(a) == 3 and a[0] == "upper-server":
        serve(a[1], int(a[2]), upper_handler)
    elif len(a) == 3 and a[0] == "banner-server":
        serve(a[1], int(a[2]), banner_handler)
    elif len(a) == 5 and a[0] == "half-close-client":
        stream_clients(half_close_one, a[1], int(a[2]), int(a[3]), int(a[4]))
    elif len(a) == 5 and a[0] == "banner-client":
        stream_clients(banner_one, a[1], int(a[2]), int(a[3]), int(a[4]))
    elif len(a) == 5 and a[0] == "rr-client":
        clients(rr_one, a[1], int(a[2]), int(a[3]), float(a[4]))
    elif len(a) == 5 and a[0] == "echo-once":
        echo_once(a[1], int(a[2]), int(a[3]), float(a[4]))
    elif len(a) == 7 and a[0] == "http-client":
        want = open(a[4], "rb").read()
        loop_clients(lambda longest: http_request(a[1], int(a[2]), a[3], want, longest), int(a[5]), a[6])
    elif len(a) == 5 and a[0] == "redis-client":
        loop_clients(lambda longest: redis_session(a[1], int(a[2]), longest), int(a[3]), a[4])
    elif len(a) == 5 and a[0] == "read-client":
        clients(read_one, a[1], int(a[2]), int(a[3]), float(a[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
