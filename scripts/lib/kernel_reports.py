#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one guest's kernel log and kmemleak result into TAP lines (scripts/test --debug-kernel).

usage: kernel_reports.py --name NAME --log DMESG_OR_CONSOLE [--kmemleak FILE | --no-kmemleak REASON]
                         [--out DIR] [--ko STTCP_KO --kdir KDIR]

Prints "ok - NAME: ..." / "not ok - NAME: ..." lines (no numbers), one per distinct report, with the
report's first lines as "# " comments; writes each full report to DIR/NAME-N.txt. With --ko/--kdir,
sttcp's frames are resolved to file:line by the kernel tree's scripts/faddr2line.
"""
import argparse
import os
import re
import subprocess
import sys

STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# (category, title pattern). First match wins; lockdep's titles before the generic WARNING/BUG.
KINDS = [
    ("KASAN", re.compile(r"BUG: KASAN: .*")),
    ("UBSAN", re.compile(r"UBSAN: .*")),
    ("lockdep", re.compile(
        r"WARNING: (possible .*|inconsistent lock state|suspicious RCU usage|bad unlock balance.*"
        r"|held lock freed.*|lock held .*|Nested lock was not taken|.*lock.*detected.*)")),
    ("lockdep", re.compile(r"BUG: (sleeping function called from invalid context.*|scheduling while atomic.*"
                           r"|workqueue leaked lock.*|spinlock .*|rwlock .*|MAX_LOCK.*|key .* not .*registered.*"
                           r"|using smp_processor_id\(\) in preemptible.*|using __this_cpu_.*)")),
    ("debugobjects", re.compile(r"ODEBUG: .*")),
    ("slab", re.compile(r"BUG [\w.-]+ \(.*\): .*")),
    ("refcount", re.compile(r"(refcount_t: .*|ref_tracker: .*|unregister_netdevice: waiting for .*)")),
    ("oops", re.compile(r"(BUG: .*|kernel BUG at .*|general protection fault.*|Oops: .*)")),
    ("warning", re.compile(r"WARNING: CPU: \d+ PID: \d+ at .*")),
]
END = re.compile(r"^(={20,}|---\[ end trace [0-9a-f]+ \]---)")
MAX_LINES = 120
SHOWN = 25


def strip(line):
    return STAMP.sub("", line.rstrip("\n"))


def normalise(title):
    """Same report at another address or in another task counts once."""
    title = re.sub(r"0x[0-9a-f]+", "X", title)
    title = re.sub(r"\b(pid|PID:?|CPU:?) ?\d+", r"\1 N", title)
    return re.sub(r"\[\s*\d+\]", "", title)


def find_reports(lines):
    reports, seen, i = [], set(), 0
    while i < len(lines):
        line = lines[i]
        for kind, pat in KINDS:
            m = pat.search(line)
            if m:
                break
        else:
            i += 1
            continue
        title = m.group(0).strip()
        j = i + 1
        while j < len(lines) and j - i < MAX_LINES and not END.match(lines[j]):
            # A new report right after this one (no delimiter in between) starts its own block.
            if any(p.search(lines[j]) for _, p in KINDS[:4]):
                break
            j += 1
        key = (kind, normalise(title))
        if key not in seen:
            seen.add(key)
            reports.append((kind, title, lines[i:j]))
        i = j
    return reports


FRAME = re.compile(r"\b([A-Za-z0-9_.]+\+0x[0-9a-f]+/0x[0-9a-f]+) \[sttcp\]")


def resolve(block, ko, kdir):
    """Appends file:line to sttcp's frames."""
    tool = os.path.join(kdir, "scripts", "faddr2line")
    out = []
    for line in block:
        m = FRAME.search(line)
        if m and os.access(tool, os.X_OK):
            try:
                res = subprocess.run([tool, ko, m.group(1)], capture_output=True, text=True, timeout=60)
                where = [ln.split(" at ", 1)[1] for ln in res.stdout.splitlines() if " at " in ln]
                if where:
                    line += "   <%s>" % where[-1]
            except (OSError, subprocess.SubprocessError):
                pass
        out.append(line)
    return out


def kmemleak_entries(text):
    return [e for e in re.split(r"(?m)^(?=unreferenced object )", text) if e.startswith("unreferenced object")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--kmemleak")
    ap.add_argument("--no-kmemleak")
    ap.add_argument("--out")
    ap.add_argument("--ko")
    ap.add_argument("--kdir")
    a = ap.parse_args()
    name = a.name
    if a.out:
        os.makedirs(a.out, exist_ok=True)

    def save(n, text_lines):
        if not a.out:
            return ""
        path = os.path.join(a.out, "%s-%d.txt" % (name, n))
        with open(path, "w") as f:
            f.write("\n".join(text_lines) + "\n")
        return path

    failed = 0
    try:
        with open(a.log, errors="replace") as f:
            lines = [strip(ln) for ln in f]
    except OSError as e:
        print("not ok - %s: no kernel log (%s)" % (name, e))
        return 1
    reports = find_reports(lines)
    for n, (kind, title, block) in enumerate(reports, 1):
        if a.ko and a.kdir:
            block = resolve(block, a.ko, a.kdir)
        path = save(n, block)
        print("not ok - %s: %s" % (name, title if kind in title else kind + ": " + title))
        for ln in block[:SHOWN]:
            print("#   " + ln)
        if len(block) > SHOWN or path:
            print("#   ... full report: %s" % (path or a.log))
        failed += 1
    if not reports:
        print("ok - %s: no KASAN, lockdep, UBSAN or other kernel report in %s"
              % (name, os.path.basename(a.log)))

    if a.no_kmemleak:
        print("ok - %s: kmemleak # SKIP %s" % (name, a.no_kmemleak))
    elif a.kmemleak:
        try:
            with open(a.kmemleak, errors="replace") as f:
                text = f.read()
        except OSError as e:
            text = None
            print("not ok - %s: no kmemleak result (%s)" % (name, e))
            failed += 1
        if text is not None:
            leaks = kmemleak_entries(text)
            if leaks:
                body = [ln for e in leaks for ln in e.rstrip("\n").split("\n")]
                path = save(len(reports) + 1, body)
                print("not ok - %s: kmemleak: %d unreferenced object(s) after the command" % (name, len(leaks)))
                for ln in leaks[0].rstrip("\n").split("\n")[:SHOWN]:
                    print("#   " + ln)
                print("#   ... all of them: %s" % (path or a.kmemleak))
                failed += 1
            elif text.strip():
                print("not ok - %s: kmemleak: %s" % (name, text.strip().splitlines()[0]))
                failed += 1
            else:
                print("ok - %s: kmemleak found no leak" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
