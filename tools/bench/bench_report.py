#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""scripts/bench's report: reads RAW/results.jsonl (one JSON object per measurement, written by
the guest) and writes OUT/report.json, OUT/report.md and PNG plots.

usage: bench_report.py RAW_DIR OUT_DIR [--quick 0|1] [--no-plots]

Statistics: nearest-rank percentiles (as sttcp-client's), ratios protected / plain of the
medians of the interleaved runs (throughput, connection rate) or of the pooled latency
samples (request/response). Each key of the JSON is a number (null when its phase failed).
"""
import argparse
import json
import math
import os
import subprocess
import sys

PTR_BYTES = 8           # one rhashtable bucket
RHT_MIN_SIZE = 4        # HASH_MIN_SIZE


def percentile(values, p):
    """Nearest-rank percentile of values (0 <= p <= 1); None for no values."""
    s = sorted(values)
    if not s:
        return None
    return s[min(len(s) - 1, int(p * len(s)))]


def median(values):
    return percentile(values, 0.5)


def ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def rht_buckets(nelems):
    """Bucket count of an rhashtable with nelems entries once it has grown: it doubles when
    nelems > 3/4 of its size (rht_grow_above_75)."""
    size = RHT_MIN_SIZE
    while nelems > size // 4 * 3:
        size *= 2
    return size


def flows_memory(rec):
    """(flows_max, bytes_per_flow) from a "flows" record: the sttcp_flow cache's pages over the
    objects in it (both nodes' flows share the cache in one kernel), plus each node's hash
    buckets over its flows."""
    fa, fb = rec.get("flows_A", 0), rec.get("flows_B", 0)
    objects = rec.get("objects_after", 0)
    if not objects or fa <= 0:
        return (max(0, min(fa, fb)) if fa else 0), None
    slab_bytes = rec["page_size"] << rec["slab_order"]
    cache = rec["slabs_after"] * slab_bytes
    buckets = (rht_buckets(fa) + rht_buckets(fb)) * PTR_BYTES
    return min(fa, fb), (cache + buckets) / objects


def load(raw_dir):
    recs = []
    with open(os.path.join(raw_dir, "results.jsonl")) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                recs.append(json.loads(line))
            except ValueError:
                recs.append({"kind": "error", "what": f"results.jsonl line {n} is not JSON"})
    return recs


def read_latencies(raw_dir, name):
    with open(os.path.join(raw_dir, name)) as f:
        return [float(x) / 1000 for x in f if x.strip()]  # us -> ms


XFER = {"up": "iperf_up", "down": "http_down"}  # record kinds: iperf3 upload, curl download


def cpu_and_digest(rep, by):
    """Guest CPU seconds per GiB moved, protected and plain, their ratio, and the throughput ratio
    a purely CPU-bound transfer would reach (plain CPU / protected CPU); the share of the
    protected download's CPU that digesting both nodes' output took."""
    for d, name in (("up", "upload"), ("down", "download")):
        per_gib = {}
        for m in ("protected", "plain"):
            runs = [r for r in by(XFER[d]) if r["mode"] == m and r.get("bytes")]
            moved = sum(r["bytes"] for r in runs) / 2**30
            per_gib[m] = sum(r["cpu_ms"] for r in runs) / 1000 / moved if moved else None
            rep[f"{name}_{m}_cpu_s_per_gib"] = per_gib[m]
        rep[f"{name}_cpu_ratio"] = ratio(per_gib["protected"], per_gib["plain"])
        rep[f"{name}_cpu_fair_bound"] = ratio(per_gib["plain"], per_gib["protected"])
    # A diverged flow goes on unprotected: its throughput is not protected throughput. (The upload's
    # iperf3 control connection may diverge at its closing exchange, after the data: not counted.)
    rep["download_flows_diverged"] = sum(
        r.get("diverged", 0) for r in by(XFER["down"]) if r["mode"] == "protected")
    runs = [r for r in by(XFER["down"]) if r["mode"] == "protected" and r.get("digest_bytes")]
    ns, digested = sum(r["digest_ns"] for r in runs), sum(r["digest_bytes"] for r in runs)
    cpu_ns = sum(r["cpu_ms"] for r in runs) * 1e6
    rep["digest_ms_per_gib"] = ns / 1e6 / (digested / 2**30) if digested else None
    rep["download_digest_cpu_share"] = ns / cpu_ns if cpu_ns else None


def summarize(recs, raw_dir, quick=False):
    """The report dictionary (numbers) and the sample sets the plots need."""
    by = lambda kind: [r for r in recs if r.get("kind") == kind]
    env = (by("env") or [{}])[0]
    rep = {"quick": bool(quick), "hb_ms": env.get("hb_ms"), "dead_count": env.get("dead_count"),
           "sync_rtt_ms": env.get("sync_rtt_ms"), "rtt_ms": env.get("rtt_ms")}
    samples = {}

    tp = {}
    for d in ("up", "down"):
        for m in ("protected", "plain"):
            tp[d, m] = [r["bps"] for r in by(XFER[d]) if r["mode"] == m]
            rep[f"{'upload' if d == 'up' else 'download'}_{m}_mbps"] = (
                None if not tp[d, m] else median(tp[d, m]) / 1e6)
    rep["upload_ratio"] = ratio(median(tp["up", "protected"]), median(tp["up", "plain"]))
    rep["download_ratio"] = ratio(median(tp["down", "protected"]), median(tp["down", "plain"]))
    samples["throughput"] = tp
    cpu_and_digest(rep, by)

    for g in ("hold", "none"):
        lat = {}
        for m in ("protected", "plain"):
            lat[m] = []
            for r in by("rr"):
                if r["gating"] == g and r["mode"] == m:
                    lat[m] += read_latencies(raw_dir, r["file"])
            for q in (50, 99):
                rep[f"rr_{g}_{m}_p{q}_ms"] = percentile(lat[m], q / 100)
        for q in (50, 99):
            rep[f"rr_{g}_p{q}_ratio"] = ratio(rep[f"rr_{g}_protected_p{q}_ms"], rep[f"rr_{g}_plain_p{q}_ms"])
        p, b = rep[f"rr_{g}_protected_p50_ms"], rep[f"rr_{g}_plain_p50_ms"]
        rep[f"rr_{g}_p50_delta_ms"] = None if p is None or b is None else p - b
        samples["rr_" + g] = lat
    rep["rr_p50_ratio"] = rep["rr_hold_p50_ratio"]
    rep["rr_p99_ratio"] = rep["rr_hold_p99_ratio"]

    cr = {m: [r["summary"]["rate"] for r in by("connrate") if r["mode"] == m] for m in ("protected", "plain")}
    rep["conn_rate_protected"] = median(cr["protected"])
    rep["conn_rate_plain"] = median(cr["plain"])
    rep["conn_rate_ratio"] = ratio(rep["conn_rate_protected"], rep["conn_rate_plain"])

    trials = by("stall")
    stalls = [s for r in trials for s in r["stalls_ms"]]
    rep["stall_trials"] = len(trials)
    rep["stall_trials_failed"] = sum(1 for r in trials if r["client_rc"] or r["failed"])
    rep["stall_ms_p50"] = percentile(stalls, 0.5)
    rep["stall_ms_p99"] = percentile(stalls, 0.99)
    rep["stall_ms_max"] = max(stalls) if stalls else None
    act = [r["active_after_ms"] for r in trials if r.get("active_after_ms") is not None]
    rep["takeover_active_ms_p50"] = percentile(act, 0.5)
    rep["takeover_active_ms_p99"] = percentile(act, 0.99)
    samples["stall"] = stalls
    samples["stall_trials"] = trials

    sw = by("switchover")
    sws = [s for r in sw for s in r["stalls_ms"]]
    rep["switchover_trials"] = len(sw)
    rep["switchover_trials_failed"] = sum(1 for r in sw if r["client_rc"] or r["failed"] or r["switchover_rc"])
    rep["switchover_stall_ms_p50"] = percentile(sws, 0.5)
    rep["switchover_stall_ms_p99"] = percentile(sws, 0.99)
    samples["switchover"] = sws

    hb10 = (by("hb10") or [None])[0]
    rep["hb10_takeovers"] = None if hb10 is None else hb10["takeovers"]
    rep["hb10_hb_gap_max_ms"] = None if hb10 is None else hb10["hb_gap_max_ms"]
    rep["hb10_dead_count"] = None if hb10 is None else hb10["dead_count"]

    fl = (by("flows") or [None])[0]
    if fl:
        rep["flows_target"] = fl["target"]
        rep["flows_max"], rep["bytes_per_flow"] = flows_memory(fl)
        rep["flow_object_size"] = fl.get("object_size")
    else:
        rep["flows_target"] = rep["flows_max"] = rep["bytes_per_flow"] = None
    rep["errors"] = [r.get("what") for r in by("error")]
    return rep, samples


def targets(rep):
    """[(name, target text, value text, met: bool|None)] for the report's table."""
    def fmt(v, unit=""):
        return "n/a" if v is None else (f"{v:.3f}{unit}" if isinstance(v, float) else f"{v}{unit}")
    t = []
    def add(name, text, value, ok):
        t.append((name, text, value, None if ok is None else bool(ok)))
    u, d = rep["upload_ratio"], rep["download_ratio"]
    add("upload_ratio", ">= 0.95", fmt(u), None if u is None else u >= 0.95)
    add("download_ratio", ">= 0.97", fmt(d), None if d is None else d >= 0.97)
    dh, sr = rep["rr_hold_p50_delta_ms"], rep["sync_rtt_ms"]
    add("rr p50, gating hold", "protected - plain <= 1 sync RTT",
        f"{fmt(dh, ' ms')} (sync RTT {fmt(sr, ' ms')})", None if dh is None or sr is None else dh <= sr)
    rn = rep["rr_none_p50_ratio"]
    add("rr p50, gating none", "ratio <= 1.05", fmt(rn), None if rn is None else rn <= 1.05)
    hb, dc, rtt, s99 = rep["hb_ms"], rep["dead_count"], rep["rtt_ms"], rep["stall_ms_p99"]
    lim = None if hb is None or rtt is None else 3 * hb + 2 * rtt
    add("stall_ms_p99", "<= 3 x hb + 2 x RTT", f"{fmt(s99, ' ms')} (limit {fmt(lim, ' ms')})",
        None if lim is None or s99 is None else s99 <= lim)
    tk = rep["hb10_takeovers"]
    add("heartbeat 10 ms under load", "takeovers == 0", fmt(tk), None if tk is None else tk == 0)
    sw = rep["switchover_stall_ms_p99"]
    swl = None if rtt is None else 2 * rtt + 10
    add("switchover_stall_ms_p99", "<= 2 x RTT + 10 ms scheduling noise", f"{fmt(sw, ' ms')} (limit {fmt(swl, ' ms')})",
        None if sw is None or swl is None else sw <= swl)
    c = rep["conn_rate_ratio"]
    add("conn_rate_ratio", ">= 0.8", fmt(c), None if c is None else c >= 0.8)
    fm, bp = rep["flows_max"], rep["bytes_per_flow"]
    add("flows_max", ">= 100000", fmt(fm), None if fm is None else fm >= 100000)
    add("bytes_per_flow", "<= 256", fmt(bp), None if bp is None else bp <= 256)
    return t


def where_time_goes(rep, name):
    """Why a missed target is missed, with this run's own figures (docs/benchmarks.md has more)."""
    def g(k):
        v = rep.get(k)
        return "n/a" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))
    hb, dc = rep.get("hb_ms"), rep.get("dead_count")
    detect = None if hb is None or dc is None else hb * dc
    why = {
        "upload_ratio": f"every client segment is mirrored to the backup, injected into its stack and held by "
                        f"the primary until the backup's report: the client's ACK clock includes the backup's "
                        f"whole receive path, on the same 2 emulated CPUs ({g('upload_protected_mbps')} vs "
                        f"{g('upload_plain_mbps')} Mbit/s).",
        "download_ratio": f"the primary's window follows the backup's right edge and the backup's application "
                          f"must keep up ({g('download_protected_mbps')} vs {g('download_plain_mbps')} Mbit/s; "
                          f"CPU per GiB {g('download_cpu_ratio')} x plain, of which digesting output "
                          f"{g('download_digest_cpu_share')}).",
        "rr p50, gating hold": f"each request waits for the backup's report: one sync round trip "
                               f"({g('sync_rtt_ms')} ms) plus the backup's injection and ACK.",
        "rr p50, gating none": "nothing waits for the backup; the difference is the mirror copy and the "
                               "backup's share of the CPUs.",
        "stall_ms_p99": f"detection alone is hb x dead_count = {detect} ms; then takeover, VIP move and "
                        f"gratuitous ARP, then the client's backed-off RTO (p50 {g('stall_ms_p50')} ms, "
                        f"max {g('stall_ms_max')} ms).",
        "heartbeat 10 ms under load": f"heartbeat gaps reached {g('hb10_hb_gap_max_ms')} ms under load: the "
                                      f"guest's vCPUs are not scheduled for that long.",
        "switchover_stall_ms_p99": f"the handover is one heartbeat; the rest is the new primary's takeover job "
                                   f"(every flow prodded under its socket lock) and the client's segments going "
                                   f"to the old primary's MAC until the gratuitous ARP (p50 "
                                   f"{g('switchover_stall_ms_p50')} ms).",
        "conn_rate_ratio": f"per connection the SYN is copied to the backup, the backup answers its own "
                           f"suppressed SYN-ACK and reports, and the flow is created and freed on both nodes "
                           f"({g('conn_rate_protected')} vs {g('conn_rate_plain')} per s).",
        "flows_max": "the client could not hold more connections open (see the flows record).",
        "bytes_per_flow": f"flow object {g('flow_object_size')} B plus hash buckets.",
    }
    return why.get(name, "")


def write_md(rep, path, plots):
    tg = targets(rep)
    mark = {True: "met", False: "**missed**", None: "not measured"}
    lines = ["# sttcp benchmark report", ""]
    if rep["quick"]:
        lines += [f"Quick run (`scripts/bench --quick`): fewer rounds and {rep['stall_trials']} crash trials "
                  "(the full run has 20); percentiles over few samples are rough.", ""]
    lines += [f"Heartbeat {rep['hb_ms']} ms x {rep['dead_count']}, sync RTT {rep['sync_rtt_ms']} ms, "
              f"client RTT {rep['rtt_ms']} ms.", "", "| target | goal | measured | |", "|---|---|---|---|"]
    lines += [f"| {n} | {g} | {v} | {mark[m]} |" for n, g, v, m in tg]
    if rep.get("download_flows_diverged"):
        lines += ["", f"**Warning:** {rep['download_flows_diverged']} protected download flows "
                  "diverged: they went on unprotected, and their throughput is not protected throughput."]
    missed = [n for n, _, _, m in tg if m is False]
    if missed:
        lines += ["", "## Where the time goes (missed targets)", ""]
        lines += [f"- **{n}**: {where_time_goes(rep, n)}" for n in missed]
        lines += ["", "docs/benchmarks.md discusses each with the measurements behind it."]
    lines += ["", "## All figures", "", "| key | value |", "|---|---|"]
    for k, v in rep.items():
        if k != "errors":
            lines.append(f"| {k} | {'n/a' if v is None else (f'{v:.4g}' if isinstance(v, float) else v)} |")
    if rep["errors"]:
        lines += ["", "## Failed measurements", ""] + [f"- `{e}`" for e in rep["errors"]]
    lines += ["", "## Plots", ""] + [f"![{p}]({p})" for p in plots]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def plots(rep, samples, raw_dir, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    made = []

    tp = samples["throughput"]
    fig, ax = plt.subplots(figsize=(6, 4))
    for i, d in enumerate(("up", "down")):
        for j, m in enumerate(("protected", "plain")):
            v = [x / 1e6 for x in tp[d, m]]
            if v:
                ax.bar(i * 3 + j, median(v), yerr=[[median(v) - min(v)], [max(v) - median(v)]],
                       color="tab:blue" if m == "protected" else "tab:gray", capsize=4,
                       label=m if i == 0 else None)
    ax.set_xticks([0.5, 3.5], ["upload", "download"])
    ax.set_ylabel("Mbit/s, upload iperf3, download curl (median, min-max)")
    ax.set_title(f"throughput: up {rep['upload_ratio'] or 0:.3f}, down {rep['download_ratio'] or 0:.3f} of plain")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "throughput.png"), dpi=100)
    plt.close(fig)
    made.append("throughput.png")

    def cdf(ax, values, label, **kw):
        s = sorted(values)
        if s:
            ax.plot(s, [(i + 1) / len(s) for i in range(len(s))], label=label, **kw)

    fig, ax = plt.subplots(figsize=(6, 4))
    for g, style in (("hold", "-"), ("none", "--")):
        for m, col in (("protected", "tab:blue"), ("plain", "tab:gray")):
            cdf(ax, samples["rr_" + g][m], f"{m}, gating {g}", color=col, linestyle=style)
    ax.set_xscale("log")
    ax.set_xlabel("request/response latency, 64 bytes (ms)")
    ax.set_ylabel("fraction")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "latency_cdf.png"), dpi=100)
    plt.close(fig)
    made.append("latency_cdf.png")

    fig, ax = plt.subplots(figsize=(6, 4))
    cdf(ax, samples["stall"], f"primary crash ({rep['stall_trials']} trials)", color="tab:red")
    cdf(ax, samples["switchover"], f"switchover ({rep['switchover_trials']} trials)", color="tab:green")
    if rep["hb_ms"] and rep["dead_count"]:
        ax.axvline(rep["hb_ms"] * rep["dead_count"], color="k", linestyle=":", label="detection time")
    ax.set_xlabel("longest client-observed stall per connection (ms)")
    ax.set_ylabel("fraction of connections")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "stall_cdf.png"), dpi=100)
    plt.close(fig)
    made.append("stall_cdf.png")

    # One failover: the trial whose worst stall is the median among the trials.
    trials = [t for t in samples["stall_trials"] if t["stalls_ms"] and not t["failed"]]
    if trials:
        t = sorted(trials, key=lambda t: max(t["stalls_ms"]))[len(trials) // 2]
        args = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plot_timeline.py"),
                os.path.join(raw_dir, t["timeline"]), "--out", os.path.join(out_dir, "failover_timeline.png"),
                "--title", f"primary crash, trial {t['trial']}", "--event", f"{t['kill_ms']:.0f}:primary killed"]
        if t.get("active_after_ms") is not None:
            args += ["--event", f"{t['kill_ms'] + t['active_after_ms']:.0f}:backup active"]
        if subprocess.run(args, stdout=subprocess.DEVNULL).returncode == 0:
            made.append("failover_timeline.png")
    return made


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("raw")
    ap.add_argument("out")
    ap.add_argument("--quick", type=int, default=0)
    ap.add_argument("--no-plots", action="store_true")
    a = ap.parse_args(argv)
    rep, samples = summarize(load(a.raw), a.raw, a.quick)
    os.makedirs(a.out, exist_ok=True)
    made = [] if a.no_plots else plots(rep, samples, a.raw, a.out)
    with open(os.path.join(a.out, "report.json"), "w") as f:
        json.dump(rep, f, indent=1)
        f.write("\n")
    write_md(rep, os.path.join(a.out, "report.md"), made)
    for n, g, v, m in targets(rep):
        print(f"{n}: {v} (goal {g}) {'met' if m else 'MISSED' if m is False else 'not measured'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
