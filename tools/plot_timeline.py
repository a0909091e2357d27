#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""Plot an sttcp-client --timeline CSV and report the stalls around events.

  plot_timeline.py TIMELINE.csv --out FILE.png [--title TEXT]
                   [--event T_MS:LABEL]... [--window MS] [--bytes B]

The PNG has two panels over time since client start: the bytes received by
all connections together (top) and by each connection (bottom, thin lines),
with a dashed vertical line and a label at every --event.

stdout gets one line per connection and a summary line. A connection's stall
is the longest gap between successive samples at which its rx_bytes grew
(its first sample, the connect, counts as one); an incomplete connection, one
that ended with fewer than B bytes received (--bytes, default: the most any
connection received), also stalls from its last progress to its last sample. With events, only gaps overlapping
[first event - MS, last event + MS] count (MS from --window, default 5000);
without, the whole run does. p50/p99 are nearest-rank over connections, as in
the client's report:

  conn 3: samples=812 rx_bytes=1048576 max_stall_ms=1532.104 from_ms=5101.250 to_ms=6633.354
  stall_ms conns=50 p50=1498.870 p99=1540.002 max=1540.002 window_ms=100.000..10123.000

Exit 0 on success, 1 on a missing, malformed or empty CSV or without
matplotlib (with a message on stderr), 2 on bad arguments.

Needs python3-matplotlib (Debian's, for /usr/bin/python3: hence the #! line;
another python3 on PATH may lack it).
"""
import argparse
import math
import os
import sys

HEADER = "conn,t_ms,rx_bytes,tx_bytes"


class CsvError(Exception):
    pass


def parse_event(text):
    t, sep, label = text.partition(":")
    try:
        t_ms = float(t)
    except ValueError:
        t_ms = float("nan")
    if not sep or not math.isfinite(t_ms):
        raise argparse.ArgumentTypeError(f"bad --event '{text}' (want T_MS:LABEL)")
    return t_ms, label


def read_timeline(path):
    """{conn: ([t_ms...], [rx_bytes...])}, each sorted by time."""
    try:
        f = open(path, encoding="ascii", errors="strict")
    except OSError as e:
        raise CsvError(f"cannot open {path}: {e.strerror}")
    conns = {}
    with f:
        try:
            first = f.readline()
            if not first:
                raise CsvError(f"{path}: empty file (want the header '{HEADER}')")
            if first.strip() != HEADER:
                raise CsvError(f"{path}:1: header is '{first.strip()}', want '{HEADER}'")
            for lineno, line in enumerate(f, start=2):
                line = line.strip()
                if not line:
                    continue
                fields = line.split(",")
                if len(fields) != 4:
                    raise CsvError(f"{path}:{lineno}: {len(fields)} fields, want 4: '{line}'")
                try:
                    conn, t_ms, rx = int(fields[0]), float(fields[1]), int(fields[2])
                    tx = int(fields[3])
                except ValueError:
                    raise CsvError(f"{path}:{lineno}: not numbers: '{line}'")
                if conn < 0 or rx < 0 or tx < 0 or not math.isfinite(t_ms):
                    raise CsvError(f"{path}:{lineno}: out of range: '{line}'")
                ts, rxs = conns.setdefault(conn, ([], []))
                ts.append(t_ms)
                rxs.append(rx)
        except UnicodeDecodeError:
            raise CsvError(f"{path}: not a text CSV")
    if not conns:
        raise CsvError(f"{path}: no samples after the header")
    for conn, (ts, rxs) in conns.items():
        if any(b < a for a, b in zip(ts, ts[1:])):  # rare: keep rx with its time
            pairs = sorted(zip(ts, rxs), key=lambda p: p[0])
            conns[conn] = ([p[0] for p in pairs], [p[1] for p in pairs])
    return conns


def max_stall(ts, rxs, complete, lo, hi):
    """(gap_ms, from_ms, to_ms) of the longest no-progress gap overlapping [lo, hi]."""
    best = (0.0, ts[0], ts[0])
    last_t, last_rx = ts[0], rxs[0]
    for t, rx in zip(ts, rxs):
        if rx > last_rx:
            if t - last_t > best[0] and t >= lo and last_t <= hi:
                best = (t - last_t, last_t, t)
            last_t, last_rx = t, rx
    end = ts[-1]
    if not complete and end - last_t > best[0] and end >= lo and last_t <= hi:
        best = (end - last_t, last_t, end)
    return best


def percentile(values, p):
    """Nearest rank, like the client's report; 0 when empty."""
    if not values:
        return 0.0
    values = sorted(values)
    rank = math.ceil(p / 100.0 * len(values))
    return values[min(max(rank, 1), len(values)) - 1]


def total_over_time(conns):
    """(times, total rx) as a step function over all connections."""
    deltas = []
    for ts, rxs in conns.values():
        prev = 0
        for t, rx in zip(ts, rxs):
            if rx != prev:
                deltas.append((t, rx - prev))
                prev = rx
    deltas.sort(key=lambda d: d[0])
    times, totals, total = [0.0], [0], 0
    for t, d in deltas:
        total += d
        times.append(t)
        totals.append(total)
    end = max(ts[-1] for ts, _ in conns.values())
    if end > times[-1]:  # flat to the last sample, like the per-connection lines
        times.append(end)
        totals.append(total)
    return times, totals


def import_pyplot():
    import matplotlib

    matplotlib.use("Agg")  # no display
    import matplotlib.pyplot as plt

    return plt


def plot(plt, conns, events, title, out):
    mib = 1024.0 * 1024.0
    fig, (ax_total, ax_conn) = plt.subplots(
        2, 1, sharex=True, figsize=(11, 7), gridspec_kw={"height_ratios": [1, 1]}
    )
    times, totals = total_over_time(conns)
    ax_total.plot([t / 1000.0 for t in times], [v / mib for v in totals],
                  drawstyle="steps-post", color="tab:blue", linewidth=1.5)
    ax_total.set_ylabel("received, all (MiB)")
    ax_total.set_title(title)
    for ts, rxs in conns.values():
        ax_conn.plot([t / 1000.0 for t in ts], [v / mib for v in rxs],
                     drawstyle="steps-post", linewidth=0.6, alpha=0.7)
    ax_conn.set_ylabel(f"received, per connection (MiB)\n{len(conns)} connections")
    ax_conn.set_xlabel("time since client start (s)")
    for ax in (ax_total, ax_conn):
        ax.grid(True, linewidth=0.3, alpha=0.5)
        for t_ms, _ in events:
            ax.axvline(t_ms / 1000.0, color="tab:red", linestyle="--", linewidth=1.0)
    for i, (t_ms, label) in enumerate(events):
        if label:  # staggered, so that close events keep readable labels
            y = 1.0 - 0.5 * (i % 2)
            ax_total.annotate(label, xy=(t_ms / 1000.0, y), xycoords=("data", "axes fraction"),
                              xytext=(3, -3), textcoords="offset points", va="top",
                              color="tab:red", fontsize=9, rotation=90)
    fig.tight_layout()
    fig.savefig(out, dpi=100, format="png")
    plt.close(fig)


def main(argv):
    ap = argparse.ArgumentParser(
        description="Plot an sttcp-client --timeline CSV (bytes received over time) "
        "and print the per-connection stalls around the events.")
    ap.add_argument("csv", help="the client's --timeline file (conn,t_ms,rx_bytes,tx_bytes)")
    ap.add_argument("--out", required=True, help="PNG file to write")
    ap.add_argument("--title", default=None, help="plot title (default: the CSV's name)")
    ap.add_argument("--event", action="append", default=[], type=parse_event,
                    metavar="T_MS:LABEL", help="vertical line at T_MS with LABEL (repeatable)")
    ap.add_argument("--window", type=float, default=5000.0, metavar="MS",
                    help="stalls count when they overlap [first event - MS, last event + MS] "
                    "(default 5000; without --event the whole run counts)")
    ap.add_argument("--bytes", type=int, default=None, metavar="B",
                    help="bytes each connection should receive; fewer is 'incomplete' "
                    "(default: the most any connection received)")
    args = ap.parse_args(argv)
    if not math.isfinite(args.window) or args.window < 0:
        ap.error("--window must be a non-negative number")

    try:
        conns = read_timeline(args.csv)
    except CsvError as e:
        print(f"plot_timeline: {e}", file=sys.stderr)
        return 1
    try:
        plt = import_pyplot()
    except ImportError as e:
        print(f"plot_timeline: {sys.executable} cannot import matplotlib ({e}); "
              "install python3-matplotlib and run with /usr/bin/python3", file=sys.stderr)
        return 1

    events = sorted(args.event)
    if events:
        lo, hi = events[0][0] - args.window, events[-1][0] + args.window
    else:
        lo, hi = -math.inf, math.inf
    most = args.bytes if args.bytes is not None else max(rxs[-1] for _, rxs in conns.values())
    stalls = []
    lines = []
    for conn in sorted(conns):
        ts, rxs = conns[conn]
        gap, start, end = max_stall(ts, rxs, rxs[-1] >= most, lo, hi)
        stalls.append(gap)
        note = "" if rxs[-1] >= most else " incomplete"
        lines.append(f"conn {conn}: samples={len(ts)} rx_bytes={rxs[-1]} max_stall_ms={gap:.3f} "
                     f"from_ms={start:.3f} to_ms={end:.3f}{note}")
    window = f"{lo:.3f}..{hi:.3f}" if events else "all"
    lines.append(f"stall_ms conns={len(conns)} p50={percentile(stalls, 50):.3f} "
                 f"p99={percentile(stalls, 99):.3f} max={max(stalls):.3f} window_ms={window}")
    print("\n".join(lines))
    sys.stdout.flush()

    title = args.title if args.title is not None else os.path.basename(args.csv)
    try:
        plot(plt, conns, events, title, args.out)
    except OSError as e:
        print(f"plot_timeline: cannot write {args.out}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
