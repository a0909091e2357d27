#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""The systemd units can do what they ask of their commands: a command that loads modules under a
CapabilityBoundingSet without CAP_SYS_MODULE runs with full privileges ("+"), or a fresh boot's
`systemctl start sttcpd` fails at modprobe. (A real systemd run is issue 19's systemd suite.)"""
import glob
import os
import unittest

UNITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packaging", "systemd")


def findings(text, name):
    """Lines of a unit that would run modprobe without the capability it needs."""
    lines = [line.strip() for line in text.splitlines()]
    bound = [line.split("=", 1)[1].split() for line in lines if line.startswith("CapabilityBoundingSet=")]
    if not bound or "CAP_SYS_MODULE" in bound[-1]:
        return []
    out = []
    for line in lines:
        if not line.startswith("Exec") or "=" not in line:
            continue
        command = line.split("=", 1)[1]
        if "modprobe" in command.split()[0] and not command.startswith(("+", "-+", "+-")):
            out.append(f"{name}: {line}: modprobe without CAP_SYS_MODULE (prefix it with '+')")
    return out


class Units(unittest.TestCase):
    def test_modprobe_may_load_modules(self):
        units = sorted(glob.glob(os.path.join(UNITS, "*.service")))
        self.assertTrue(units)
        for path in units:
            self.assertEqual(findings(open(path).read(), os.path.basename(path)), [])

    def test_finds_a_bounded_modprobe(self):
        unit = ("[Service]\nExecStartPre=/sbin/modprobe -a sttcp dummy\n"
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW\n")
        self.assertEqual(len(findings(unit, "x.service")), 1)
        self.assertEqual(findings(unit.replace("=/sbin", "=+/sbin"), "x.service"), [])
        self.assertEqual(findings(unit + "CapabilityBoundingSet=CAP_SYS_MODULE\n", "x.service"), [])


if __name__ == "__main__":
    unittest.main()
