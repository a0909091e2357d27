#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""Every refusal message of the module's netlink API is provoked by a test.

The messages are taken from the kernel sources (reject(), NL_SET_ERR_MSG*(), extack->_msg); each
must appear in tests/lib/genl_probe.py (which the controller suite runs against the real module)
or in a VM suite, or be listed below with the reason no test can provoke it.
"""
import glob
import os
import re
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# Failures of the kernel itself: no request can cause them.
UNPROVOKABLE = {
    "key: hmac(sha256) is not available in this kernel": "crypto API without hmac(sha256)",
    "key: cannot set the HMAC key": "crypto_shash_setkey failing for a 32-byte key",
    "cannot register netfilter hooks": "nf_register_net_hooks out of memory",
    "update: cannot check the key": "crypto allocation failure while deriving the key id",
}

def read(path):
    with open(path) as f:
        return f.read()


CALL = re.compile(r"(?:\breject\(|NL_SET_ERR_MSG\w*\(|_msg\s*=)")
LITERALS = re.compile(r'"((?:[^"\\]|\\.)*)"((?:\s*"(?:[^"\\]|\\.)*")*)')


def kernel_messages():
    msgs = set()
    for path in glob.glob(os.path.join(ROOT, "kmod", "*.c")):
        src = read(path)
        for m in CALL.finditer(src):
            stmt = src[m.end():src.index(";", m.end())]
            for lit in LITERALS.finditer(stmt):
                # Adjacent literals are one string in C.
                msgs.add(lit.group(1) + "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lit.group(2))))
    return msgs


def tests_text():
    paths = [os.path.join(ROOT, "tests", "lib", "genl_probe.py")]
    paths += glob.glob(os.path.join(ROOT, "tests", "suites", "*"))
    # Python's implicit concatenation splits long messages over lines, as C does.
    text = ""
    for p in paths:
        if os.path.isfile(p):
            src = read(p)
            text += re.sub(r'"\s*\n\s*"', "", src)
    return text


class KernelMessages(unittest.TestCase):
    def test_found_the_messages(self):
        msgs = kernel_messages()
        self.assertGreater(len(msgs), 30)
        self.assertIn("ports: duplicate port", msgs)

    def test_every_message_is_provoked_or_explained(self):
        text = tests_text()
        missing = sorted(m for m in kernel_messages() if m not in UNPROVOKABLE and m not in text)
        self.assertEqual(missing, [], "netlink refusals no test provokes")

    def test_the_exceptions_still_exist(self):
        self.assertEqual(sorted(set(UNPROVOKABLE) - kernel_messages()), [])


if __name__ == "__main__":
    unittest.main()
