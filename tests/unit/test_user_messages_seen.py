#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""Every error and warning message of sttcpd and sttcpctl is seen by a test.

The userspace twin of test_messages_seen.py (the module's netlink refusals). The messages are
taken from userspace/*/*.cc and *.h, comments removed, by this rule:

A *message statement* is one of
  1. a `throw` statement (any exception type: std::runtime_error, std::system_error,
     UsageError, ConfigError, KeyFileError, NetlinkError, ..., also `throw fail(...)`);
  2. a call of a [[noreturn]] function of the same file (fail(), rtnlFail(),
     throwLibnlError(), ...), and every statement of such a function's body;
  3. every statement of the functions that compose diagnostics returned to their caller
     (MESSAGE_FUNCTIONS: config checks, the missing-module hint, the VIP set-up warnings, the
     switchover outcome, the peer settings verdict, how a notify program ended);
  4. a write to the error stream: `err << ...` and `write(STDERR_FILENO, ...)`;
  5. a log line (`.log(` / `->log(`) one of whose literals holds a word of LOG_WARNING_WORDS
     (the logger has no levels: these are the errors and warnings, most with their fix);
and every literal of the MESSAGE_TABLES (why a settings difference matters) is a message of
its own.

A statement's string literals, adjacent literals joined as C++ does, are its *fragments*
(a message built with `+` from literals and variables has several). A fragment is a *needle*
once stripped of surrounding blanks and \\n escapes if it is at least MIN_NEEDLE (10) characters
long and holds a space: shorter ones are formatting (", ", ": "), and literals without a
space are paths, keys or syscall names, not prose. A message is its needles, compared in
source form (escapes as written); statements without a needle are not messages.

A message is *seen* when each of its needles occurs in the test sources (tests/unit,
tests/unit/golden, tests/suites, tests/lib; string literals continued over lines joined, as
C++, Python and shell split them) or is a key of UNPROVOKABLE, with the reason no test can
provoke it. Alternatives (`a ? "x" : "y"`) are needles of one message: both must be seen.
Messages with the same needles are one.
"""
import glob
import os
import re
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")

MIN_NEEDLE = 10

# Rule 3: functions (by name, in any userspace file) that build diagnostics for their caller.
MESSAGE_FUNCTIONS = {
    "configError",            # model.cc: contradictory configuration (set, sttcpd)
    "moduleMissingMessage",   # module_check.cc: why the sttcp family is missing, what to do
    "checkVipSetup",          # settings.cc: the warnings of `sttcpctl show`
    "runSwitchover",          # switchover.cc: why a switchover did not complete
    "checkPeerSettings",      # controller.cc: sttcpd's verdict on the peer's settings
    "exitText",               # notify.cc: how a notify program failed
}
# Tables whose every literal is a message: settings.cc's differences between the nodes.
MESSAGE_TABLES = {"kRules"}
# Rule 5: a log line with one of these words reports an error or a warning.
LOG_WARNING_WORDS = ("cannot", "failed", "fatal", "refused", "malformed", "ignored", "no live")

# Needles of failures of the system itself, which no unit test (nor suite) can cause.
UNPROVOKABLE = {
    "in network namespace '": "an interface missing in a namespace: entering one needs "
                              "CAP_SYS_ADMIN, which the unit tests do not have",
    "cannot block signals": "pthread_sigmask() fails only for an invalid `how`",
    "cannot create a signalfd": "signalfd() out of memory or descriptors",
    "cannot read the signalfd": "read() of a ready signalfd does not fail",
    "cannot allocate a netlink socket": "nl_socket_alloc() out of memory",
    "cannot open a generic netlink socket": "socket(AF_NETLINK) fails only without netlink",
    "cannot resolve generic netlink family '": "nlctrl failing other than with ENOENT",
    "cannot resolve multicast group '": "nlctrl failing other than with ENOENT",
    "cannot join multicast group '": "NETLINK_ADD_MEMBERSHIP on a group nlctrl just resolved",
    "cannot make the event socket non-blocking": "fcntl(O_NONBLOCK) on a fresh socket",
    "events: out of memory": "nl_cb_alloc() out of memory",
    "events: poll failed:": "poll() of one valid descriptor",
    "events: receive failed": "recvmsg() failing other than with ENOBUFS/EAGAIN",
    ": cannot build request": "nlmsg_alloc() out of memory",
    ": send failed": "sendmsg() on a connected netlink socket",
    ": out of memory": "nl_cb_alloc() out of memory",
    ": receive failed": "recvmsg() failing on a connected netlink socket",
    "cannot build the address": "rtnl_addr_set_local() out of memory",
    "cannot open an rtnetlink socket": "socket(AF_NETLINK) fails only without netlink",
    "cannot create": "rtnl_link_set_type(\"dummy\") fails only out of memory",
    "cannot create dummy device": "a kernel without the dummy driver",
    "(is the dummy driver available?)": "a kernel without the dummy driver",
    "cannot read device": "RTM_GETLINK failing other than with ENODEV",
    "cannot bring": "RTM_SETLINK IFF_UP refused for a dummy device",
    "short write": "write() of 2 bytes to a sysctl, sendto() of one ARP frame",
    "cannot open a packet socket for gratuitous ARP:": "socket(AF_PACKET) failing but EPERM",
    "cannot read the MAC address of": "SIOCGIFHWADDR on an interface SIOCGIFINDEX found",
    "cannot write pid file": "written by runDaemon only after the real module took the config",
    "SIGHUP: reload failed:": "runDaemon's reloader runs only in a live sttcpd (module, root)",
}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---- C++ scanning -------------------------------------------------------------------------------

TOKEN = re.compile(
    r'//[^\n]*|/\*.*?\*/'            # comments
    r'|"(?:[^"\\\n]|\\.)*"'          # string literal
    r"|'(?:[^'\\\n]|\\.)*'",         # character literal
    re.S)


def scan(src):
    """Returns (code, literals): the source with comments blanked and literal contents masked
    (same length, so positions agree), and [(start, end, content)] of the string literals."""
    code = []
    literals = []
    last = 0
    for m in TOKEN.finditer(src):
        code.append(src[last:m.start()])
        tok = m.group(0)
        if tok.startswith("//") or tok.startswith("/*"):
            code.append(re.sub(r"[^\n]", " ", tok))
        elif tok.startswith('"'):
            literals.append((m.start(), m.end(), tok[1:-1]))
            code.append('"' + "_" * (len(tok) - 2) + '"')
        else:
            code.append("'" + "_" * (len(tok) - 2) + "'")
        last = m.end()
    code.append(src[last:])
    return "".join(code), literals


def fragments(code, literals, start, end):
    """The literals in code[start:end], adjacent ones joined."""
    out = []
    prev_end = None
    for lit_start, lit_end, content in literals:
        if lit_start < start or lit_end > end:
            continue
        if prev_end is not None and code[prev_end:lit_start].strip() == "":
            out[-1] += content
        else:
            out.append(content)
        prev_end = lit_end
    return out


def needle(fragment):
    text = re.sub(r"^(?:\s|\\n)+|(?:\s|\\n)+$", "", fragment)
    if len(text) >= MIN_NEEDLE and " " in text:
        return text
    return None


def statement_end(code, pos):
    end = code.find(";", pos)
    return len(code) if end < 0 else end


def block(code, pos):
    """[start, end) of the brace block that opens at the first '{' from pos."""
    start = code.index("{", pos)
    depth = 0
    for i in range(start, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return start + 1, i
    raise ValueError("unbalanced braces")


def definitions(code, name):
    """Positions just after `name` where it is defined (a function or an array)."""
    pattern = re.compile(r"^[ \t]*(?:[\w:<>*&,\[\]]+[ \t]+)+(?:\w+::)*" + re.escape(name) +
                         r"\s*[\(\[]", re.M)
    for m in pattern.finditer(code):
        # A definition opens its body before any ';' (a declaration does not).
        brace, semi = code.find("{", m.end()), code.find(";", m.end())
        if brace >= 0 and (semi < 0 or brace < semi):
            yield m.end()


def statements(code, start, end):
    """The statements of code[start:end], cut at each ';'."""
    pos = start
    while pos < end:
        stop = min(statement_end(code, pos), end)
        yield pos, stop
        pos = stop + 1


def source_messages(path):
    """{needles (tuple): 'file:line'} for one source file."""
    src = read(path)
    code, literals = scan(src)
    spans = []  # (start, end, one message per literal)

    for m in re.finditer(r"\bthrow\b", code):
        spans.append((m.start(), statement_end(code, m.end()), False))
    noreturn = re.findall(r"\[\[noreturn\]\]\s*(?:[\w:]+\s+)+(\w+)\s*\(", code)
    for name in noreturn:
        for m in re.finditer(r"(?<![\w:])" + name + r"\s*\(", code):
            spans.append((m.start(), statement_end(code, m.end()), False))
    for name in set(noreturn) | MESSAGE_FUNCTIONS:
        for pos in definitions(code, name):
            body_start, body_end = block(code, pos)
            spans += [(s, e, False) for s, e in statements(code, body_start, body_end)]
    for name in MESSAGE_TABLES:
        for pos in definitions(code, name):
            body_start, body_end = block(code, pos)
            spans.append((body_start, body_end, True))
    for m in re.finditer(r"\berr\s*<<|\bwrite\(\s*STDERR_FILENO\b", code):
        spans.append((m.start(), statement_end(code, m.end()), False))
    for m in re.finditer(r"(?:\.|->)log\(", code):
        end = statement_end(code, m.end())
        text = " ".join(fragments(code, literals, m.start(), end))
        if any(word in text for word in LOG_WARNING_WORDS):
            spans.append((m.start(), end, False))

    msgs = {}
    for start, end, each in spans:
        needles = [n for n in map(needle, fragments(code, literals, start, end)) if n]
        groups = [(n,) for n in needles] if each else [tuple(needles)] if needles else []
        where = "%s:%d" % (os.path.relpath(path, ROOT), src.count("\n", 0, start) + 1)
        for group in groups:
            msgs.setdefault(group, where)
    return msgs


def user_messages():
    """{needles (tuple): 'file:line'} for userspace/*/*.cc and *.h."""
    msgs = {}
    paths = sorted(glob.glob(os.path.join(ROOT, "userspace", "*", "*.cc")) +
                   glob.glob(os.path.join(ROOT, "userspace", "*", "*.h")))
    for path in paths:
        for needles, where in source_messages(path).items():
            msgs.setdefault(needles, where)
    return msgs


def key(needles):
    """The name of a message in reports: its longest needle."""
    return max(needles, key=len)


def tests_text():
    paths = glob.glob(os.path.join(ROOT, "tests", "unit", "*"))
    paths += glob.glob(os.path.join(ROOT, "tests", "unit", "golden", "*"))
    paths += glob.glob(os.path.join(ROOT, "tests", "suites", "*"))
    paths += glob.glob(os.path.join(ROOT, "tests", "lib", "*"))
    me = os.path.abspath(__file__)
    text = []
    for p in paths:
        if os.path.isfile(p) and os.path.abspath(p) != me:
            # C++, Python and shell split long literals over lines: "...a "\n   "b..." is one.
            text.append(re.sub(r'"\s*\n\s*"', "", read(p)))
    return "\n".join(text)


def unseen(msgs, text):
    """[(where, key, needles not seen)] of the messages no test shows."""
    out = []
    for needles, where in msgs.items():
        missing = [n for n in needles if n not in UNPROVOKABLE and n not in text]
        if missing:
            out.append((where, key(needles), missing))
    return sorted(out)


class ScannerTest(unittest.TestCase):
    def test_adjacent_literals_are_one_fragment_and_comments_are_ignored(self):
        src = ('// throw std::runtime_error("commented out message");\n'
               'throw E("a first half of the text "\n      "and its second half" + x + ": ");\n'
               "if (c == '\"') throw E(\"quote after a char literal\");\n")
        code, literals = scan(src)
        self.assertEqual(len(code), len(src))
        self.assertEqual(fragments(code, literals, 0, len(code)),
                         ["a first half of the text and its second half", ": ",
                          "quote after a char literal"])

    def test_needles_skip_formatting(self):
        self.assertIsNone(needle(": "))
        self.assertIsNone(needle("/proc/sys/net/ipv4/conf/"))
        self.assertEqual(needle("\\nTry 'sttcpd --help' for more.\\n"),
                         "Try 'sttcpd --help' for more.")

    def test_unseen_lists_each_missing_needle_with_its_place(self):
        msgs = {("seen in a test", "never in any test"): "userspace/x.cc:7",
                ("seen in a test",): "userspace/y.cc:9",
                ("cannot block signals",): "userspace/signals.cc:19"}  # UNPROVOKABLE
        self.assertEqual(unseen(msgs, 'EXPECT_EQ(f(), "seen in a test");'),
                         [("userspace/x.cc:7", "never in any test", ["never in any test"])])


class UserMessages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.msgs = user_messages()
        cls.text = tests_text()

    def test_found_the_messages(self):
        # Each rule finds its kind: an empty or tiny list would pass the audit vacuously.
        keys = {key(n) for n in self.msgs}
        self.assertGreater(len(self.msgs), 120)
        for expected in ("set: unknown keyword '",                       # throw UsageError
                         "control character in the line (not a text file?)",  # throw fail()
                         "cannot open a generic netlink socket",         # [[noreturn]] call
                         "local2 and peer2 must differ",                 # configError()
                         "Try 'sttcpctl --help' for more information.",  # err <<
                         "SIGHUP: ignored (no configuration file: start with --config FILE)",
                         "the nodes protect different service addresses",  # kRules
                         ):
            self.assertIn(expected, keys)
        # A renamed message function or table would silently drop its messages.
        paths = glob.glob(os.path.join(ROOT, "userspace", "*", "*.cc"))
        code = "".join(scan(read(p))[0] for p in paths)
        for name in sorted(MESSAGE_FUNCTIONS | MESSAGE_TABLES):
            self.assertTrue(any(definitions(code, name)), name)
        # Informational log lines and the help text are not messages.
        self.assertNotIn("subscribed to events", keys)
        self.assertFalse(any("print this help" in k for k in keys))

    def test_every_message_is_seen_or_explained(self):
        missing = unseen(self.msgs, self.text)
        report = "\n".join("%s: %r (not in the tests: %s)" % (where, k, ", ".join(map(repr, m)))
                           for where, k, m in missing)
        if missing:
            self.fail("%d user-visible messages no test shows (provoke each in a unit test, or "
                      "explain it in UNPROVOKABLE):\n%s" % (len(missing), report))

    def test_the_exceptions_still_exist_and_are_unseen(self):
        needles = {n for msg in self.msgs for n in msg}
        self.assertEqual(sorted(set(UNPROVOKABLE) - needles), [])
        # An exception a test shows after all is no exception.
        self.assertEqual(sorted(n for n in UNPROVOKABLE if n in self.text), [])


if __name__ == "__main__":
    unittest.main()
