#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The sttcp developers.
"""The man pages, the bash completion and --help name exactly the commands and options of the code.

The names come from the tables in the sources (the binaries cannot print their tables, and
adding a hidden option for this check is not worth it), read with the scanner of
test_user_messages_seen.py (comments removed, adjacent literals joined):

  sttcpctl (userspace/cli/cli_args.cc)
    commands   the names of kSubcommands; each entry's synopsis is what --help prints.
    keywords   per command, the literals its parser (the entry's third field: a function of the
               file or a lambda) accepts: those of a brace list of literals
               (`kKeywords = {"role", ...}`, `optionalKeywords(..., {"timeout"})`) and those
               compared with `==` (`args.front() == "reset"`). A COMMAND placeholder in the
               synopsis (help [COMMAND]) makes the command names its arguments.
    options    the literals parseArgs() compares its arguments with (`arg == "-j"`,
               `arg.starts_with("--netns=")`): before the kSubcommands loop the global
               options, inside it those every command takes (-h, --help).
  sttcpd (userspace/daemon/daemon_options.cc)
    options    the flags of kOptions and the literals parseDaemonArgs() compares with
               (--config, --config-test, -h, --help, the alias -n of --netns).
    file keys  kSections and the (section, key) of each kOptions entry, with its flag.

The docs are read in their structured parts only (prose may mention anything):

  docs/man/sttcpctl.8   OPTIONS: the options of the .TP tags; COMMANDS: one .TP per command, its
                        tag the command's synopsis; SYNOPSIS: only options of the code.
  docs/man/sttcpd.8     OPTIONS: the options of the .TP tags; SYNOPSIS as above.
  docs/man/sttcp.conf.5 the [section] subsections, one .TP per key (the tag's first word), whose
                        text names the key's flag (and no other flag but its alias).
  packaging/completion/sttcpctl
                        _sttcpctl: the words offered for the first word (case $cmd arm "")
                        are the global options and the commands; after COMMAND (its arm, else
                        the arm *) its keywords (command names for help) and -h, --help; every
                        name in a case pattern is a name of the code. _sttcpd: the words of
                        the compgen -W outside the case blocks are sttcpd's options; case
                        patterns name only options of the code.
  --help                sttcpctl --help: the options of the Options block and the commands
                        of the Commands block; sttcpctl COMMAND --help: the command and its
                        keywords in the usage line; sttcpd --help: the options of the option
                        lines ("  --opt ..."). Usage lines name only options of the code.

A synopsis (code table, man page tag, usage line) is read by one rule: brackets, braces,
commas, colons and "..." separate words; a word of lower-case letters, digits and '-' is a
literal (the command, then its keywords); capitals are placeholders and `a|b` are values.

Each name the code has and a doc lacks, and each name a doc has and the code lacks, is one line
"DOC (PART): lacks KIND 'NAME'" or "DOC (PART): has KIND 'NAME', which the code lacks"; the exit
status is then 1 (2 if a table of the code is not found: the check needs updating). Without
binaries (--build DIR, or --sttcpctl and --sttcpd) --help is not checked. --self-test runs
the negative controls: copies of the docs and of the sources with a name removed or added must
fail the check.

  python3 tests/unit/test_docs_match_code.py --build build/cmake        # the lint stage
  python3 tests/unit/test_docs_match_code.py --self-test [--build build/cmake]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from test_user_messages_seen import block, definitions, fragments, scan  # noqa: E402

DEFAULT_SRC = os.path.join(ROOT, "userspace")
# The files with the tables, relative to the sources.
CTL_TABLES = os.path.join("cli", "cli_args.cc")
D_TABLES = os.path.join("daemon", "daemon_options.cc")
DEFAULT_MAN = os.path.join(ROOT, "docs", "man")
DEFAULT_COMPLETION = os.path.join(ROOT, "packaging", "completion", "sttcpctl")

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")
NAME = re.compile(r"^-{0,2}[A-Za-z][A-Za-z0-9-]*$")
LITERAL_WORD = re.compile(r"^[a-z][a-z0-9-]*$")
PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*$")


class SourceError(Exception):
    """A table the check reads is not where or what it expects: the check needs updating."""


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def shown(path):
    """A path as reports name it: relative to the project when inside it."""
    path = os.path.abspath(path)
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path


def options_in(text):
    return OPTION.findall(text)


def synopsis(text):
    """(literal words, options, placeholders) of a synopsis, by the rule of the docstring."""
    words, options, placeholders = [], [], []
    for token in re.split(r"[\s\[\]{}(),:]+|\.\.\.", text):
        if OPTION.fullmatch(token):
            options.append(token)
        elif LITERAL_WORD.match(token):
            words.append(token)
        elif PLACEHOLDER.match(token):
            placeholders.append(token)
    return words, options, placeholders


# ---- the code's tables --------------------------------------------------------------------------

class CxxFile:
    def __init__(self, path):
        self.path = path
        self.code, self.literals = scan(read(path))

    def fail(self, what):
        raise SourceError("%s: %s (update tests/unit/test_docs_match_code.py)" %
                          (shown(self.path), what))

    def body(self, name):
        """[start, end) of the body of the one definition of `name` (function or array)."""
        found = list(definitions(self.code, name))
        if len(found) != 1:
            self.fail("expected one definition of %s, found %d" % (name, len(found)))
        return block(self.code, found[0])

    def lits(self, start, end):
        return [(s, e, c) for s, e, c in self.literals if start <= s and e <= end]

    def entries(self, array):
        """The top-level {...} entries of an array's initializer, as [start, end) inside them."""
        start, end = self.body(array)
        out, depth, open_at = [], 0, None
        for i in range(start, end):
            if self.code[i] == "{":
                depth += 1
                if depth == 1:
                    open_at = i + 1
            elif self.code[i] == "}":
                depth -= 1
                if depth == 0:
                    out.append((open_at, i))
        if not out:
            self.fail("no entries in %s" % array)
        return out

    def fields(self, start, end):
        """An entry's fields, cut at its top-level commas."""
        out, depth, last = [], 0, start
        for i in range(start, end):
            c = self.code[i]
            if c in "({[":
                depth += 1
            elif c in ")}]":
                depth -= 1
            elif c == "," and depth == 0:
                out.append((last, i))
                last = i + 1
        if self.code[last:end].strip():
            out.append((last, end))
        return out

    def string(self, field, what):
        """The one string (adjacent literals joined) a field holds."""
        frags = fragments(self.code, self.literals, *field)
        if len(frags) != 1:
            self.fail("%s is not one string literal: %r" % (what, self.code[slice(*field)]))
        return frags[0]

    def compared(self, start, end):
        """Literals compared with == in [start, end)."""
        return {c for s, e, c in self.lits(start, end)
                if re.search(r"==\s*$", self.code[max(start, s - 8):s])}

    def prefixes(self, start, end):
        """Literals passed to starts_with() in [start, end), without a trailing '='."""
        return {c.rstrip("=") for s, e, c in self.lits(start, end)
                if re.search(r"\bstarts_with\(\s*$", self.code[max(start, s - 16):s])}

    def brace_lists(self, start, end):
        """Literals of brace lists of literals only ({"a", "b"}) in [start, end)."""
        out = set()
        for m in re.finditer(r'\{\s*"_*"(?:\s*,\s*"_*")*\s*,?\s*\}', self.code[start:end]):
            out |= {c for s, e, c in self.lits(start + m.start(), start + m.end())}
        return out


class Code:
    """The names the code defines; see the docstring for where each comes from."""

    def __init__(self, src_dir):
        self.ctl_commands = {}   # name -> {"synopsis", "keywords", "takes_commands"}
        self.ctl_options = set()
        self.ctl_command_options = set()
        self.d_options = set()
        self.d_alias = {}        # short -> long
        self.d_sections = []
        self.d_keys = {}         # (section, key) -> flag
        self._sttcpctl(CxxFile(os.path.join(src_dir, CTL_TABLES)))
        self._sttcpd(CxxFile(os.path.join(src_dir, D_TABLES)))

    def _sttcpctl(self, f):
        for entry in f.entries("kSubcommands"):
            fields = f.fields(*entry)
            if len(fields) < 3:
                f.fail("a kSubcommands entry without name, synopsis and parser")
            name = f.string(fields[0], "a command name")
            syn = f.string(fields[1], "the synopsis of " + name)
            parser = f.code[slice(*fields[2])].strip()
            where = f.body(parser) if re.fullmatch(r"\w+", parser) else fields[2]
            keywords = f.brace_lists(*where) | f.compared(*where)
            if name in self.ctl_commands:
                f.fail("command %s defined twice" % name)
            self.ctl_commands[name] = {
                "synopsis": syn.replace("\\n", "\n"),
                "keywords": keywords,
                "takes_commands": "COMMAND" in synopsis(syn)[2],
            }
        start, end = f.body("parseArgs")
        split = f.code.find("kSubcommands", start, end)
        if split < 0:
            f.fail("parseArgs() no longer looks commands up in kSubcommands")
        for names, s, e in ((self.ctl_options, start, split),
                            (self.ctl_command_options, split, end)):
            names |= {n for n in f.compared(s, e) | f.prefixes(s, e) if OPTION.fullmatch(n)}
        if not self.ctl_options or not self.ctl_command_options:
            f.fail("no options compared in parseArgs()")

    def _sttcpd(self, f):
        start, end = f.body("kSections")
        self.d_sections = [c for s, e, c in f.lits(start, end)]
        for entry in f.entries("kOptions"):
            fields = f.fields(*entry)
            if len(fields) < 4:
                f.fail("a kOptions entry without flag, section and key")
            flag = f.string(fields[0], "a flag")
            section = f.string(fields[1], "the section of " + flag)
            key = f.string(fields[2], "the key of " + flag)
            self.d_options.add(flag)
            if section:
                self.d_keys[(section, key)] = flag
        start, end = f.body("parseDaemonArgs")
        self.d_options |= {n for n in f.compared(start, end) if OPTION.fullmatch(n)}
        src = f.code[start:end]
        for m in re.finditer(r'\bname == "_+"\)\s*\{\s*name = "_+";', src):
            short, long_ = [c for s, e, c in f.lits(start + m.start(), start + m.end())]
            self.d_alias[short] = long_
        if not self.d_alias:
            f.fail("parseDaemonArgs() maps no short option to its long one")

    def ctl_keywords(self):
        return {k for c in self.ctl_commands.values() for k in c["keywords"]}

    def arguments(self, command):
        """What may follow COMMAND: its keywords (the commands for help) and -h, --help."""
        c = self.ctl_commands[command]
        words = set(self.ctl_commands) if c["takes_commands"] else set(c["keywords"])
        return words | self.ctl_command_options


# ---- roff ---------------------------------------------------------------------------------------

FONT_MACROS = {"B": " ", "I": " ", "SM": " ", "SB": " ",
               "BR": "", "RB": "", "BI": "", "IB": "", "IR": "", "RI": ""}
SPECIAL = {"em": "-", "en": "-", "hy": "-", "mi": "-", "aq": "'", "dq": '"', "lq": '"',
           "rq": '"', "bu": "*"}


def unescape(s):
    s = re.sub(r"\\f(?:\[[^\]]*\]|\(..|.)", "", s)
    s = re.sub(r"\\\((..)", lambda m: SPECIAL.get(m.group(1), ""), s)
    s = re.sub(r"\\[%&|^]", "", s)
    return s.replace("\\-", "-").replace("\\ ", " ").replace("\\e", "\\")


def plain(line):
    """The text of one roff line: font macros joined as groff does, other requests dropped."""
    if line.startswith((".", "'")):
        m = re.match(r"[.']\s*(\S+)\s*(.*)", line)
        if not m or m.group(1) not in FONT_MACROS:
            return ""
        args = [a.group(1).replace('""', '"') if a.group(1) is not None else a.group(2)
                for a in re.finditer(r'"((?:[^"]|"")*)"|(\S+)', m.group(2))]
        line = FONT_MACROS[m.group(1)].join(args)
    return unescape(line)


class ManPage:
    """SH sections, their SS subsections and .TP entries (tag, body) of a man page."""

    def __init__(self, path):
        self.path = path
        self.sections = {}       # SH name -> [(SS name or None, tag, body)]
        self.lines = {}          # SH name -> [text lines]
        sh, ss, entry = None, None, None
        pending_tag = False
        for line in read(path).splitlines():
            if line.startswith(('.\\"', "'\\\"")):
                continue
            m = re.match(r"[.']\s*(\w+)\s*(.*)", line)
            request = m.group(1) if m else None
            if request in ("SH", "SS"):
                name = " ".join(a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', m.group(2)))
                if request == "SH":
                    sh, ss = name, None
                    self.sections.setdefault(sh, [])
                    self.lines.setdefault(sh, [])
                else:
                    ss = name
                entry, pending_tag = None, False
                continue
            if request == "TP":
                entry, pending_tag = None, True
                continue
            if request in ("PP", "P", "LP"):
                entry, pending_tag = None, False
                continue
            if sh is None:
                continue
            text = plain(line)
            self.lines[sh].append(text)
            if pending_tag:
                entry = [ss, text, ""]
                self.sections[sh].append(entry)
                pending_tag = False
            elif entry is not None:
                entry[2] += text + "\n"

    def entries(self, sh):
        return [tuple(e) for e in self.sections.get(sh, [])]


# ---- bash ---------------------------------------------------------------------------------------

def bash_functions(text):
    return {m.group(1): m.group(2)
            for m in re.finditer(r"^(\w+)\(\)\s*\{\n(.*?)^\}", text, re.M | re.S)}


def case_blocks(body):
    """[(subject, [(patterns, arm body)])] of the case statements, and the body without them."""
    blocks = []
    for m in re.finditer(r"\bcase\s+(\S+)\s+in\n(.*?)^\s*esac\b", body, re.M | re.S):
        arms = [(p.split("|"), b) for p, b in
                re.findall(r"^\s*([^\s()]+)\)\s*(.*?)\s*;;\s*$", m.group(2), re.M)]
        blocks.append((m.group(1), arms))
    rest = re.sub(r"\bcase\s+\S+\s+in\n.*?^\s*esac\b", "", body, flags=re.M | re.S)
    return blocks, rest


def compgen_words(text):
    """The static words of the compgen -W lists in text (dynamic ones, $(...), skipped)."""
    lists = []
    for words in re.findall(r'compgen\s+-W\s+"([^"]*)"', text):
        if "$" not in words:
            lists.append(words.split())
    return lists


# ---- the check ----------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.lines = []

    def add(self, line):
        if line not in self.lines:
            self.lines.append(line)

    def compare(self, doc, kind, expected, found):
        """Names of `expected` missing from `found` and the other way; options are named so."""
        def what(name):
            return "option" if name.startswith("-") else kind
        for name in sorted(set(expected) - set(found)):
            self.add("%s: lacks %s '%s'" % (doc, what(name), name))
        self.extra(doc, kind, set(found) - set(expected))

    def extra(self, doc, kind, names):
        for name in sorted(names):
            self.add("%s: has %s '%s', which the code lacks" %
                     (doc, "option" if name.startswith("-") else kind, name))


def check_sttcpctl_man(r, code, path):
    doc = shown(path)
    page = ManPage(path)
    options = code.ctl_options | code.ctl_command_options
    for sh in ("SYNOPSIS", "OPTIONS", "COMMANDS"):
        if sh not in page.sections:
            r.add("%s: lacks section %s" % (doc, sh))
    r.extra(doc + " (SYNOPSIS)", "option",
            set(options_in(" ".join(page.lines.get("SYNOPSIS", [])))) - options)
    r.compare(doc + " (OPTIONS)", "option", options,
              {o for _, tag, _ in page.entries("OPTIONS") for o in options_in(tag)})
    documented = {}
    for _, tag, _ in page.entries("COMMANDS"):
        words, opts, _ = synopsis(tag)
        if not words:
            r.add("%s (COMMANDS): has an entry without a command: %r" % (doc, tag))
            continue
        if words[0] in documented:
            r.add("%s (COMMANDS): has command '%s' twice" % (doc, words[0]))
        documented[words[0]] = set(words[1:]) | set(opts)
    r.compare(doc + " (COMMANDS)", "command", code.ctl_commands, documented)
    for name in sorted(set(code.ctl_commands) & set(documented)):
        r.compare("%s (COMMANDS, %s)" % (doc, name), "keyword",
                  code.ctl_commands[name]["keywords"], documented[name])


def check_sttcpd_man(r, code, path):
    doc = shown(path)
    page = ManPage(path)
    for sh in ("SYNOPSIS", "OPTIONS"):
        if sh not in page.sections:
            r.add("%s: lacks section %s" % (doc, sh))
    r.extra(doc + " (SYNOPSIS)", "option",
            set(options_in(" ".join(page.lines.get("SYNOPSIS", [])))) - code.d_options)
    r.compare(doc + " (OPTIONS)", "option", code.d_options,
              {o for _, tag, _ in page.entries("OPTIONS") for o in options_in(tag)})


def check_conf_man(r, code, path):
    doc = shown(path)
    page = ManPage(path)
    entries = [e for sh in page.sections for e in page.entries(sh)
               if e[0] and re.fullmatch(r"\[[\w-]+\]", e[0])]
    subsections = {ss[1:-1] for sh in page.sections for ss, _, _ in page.sections[sh]
                   if ss and re.fullmatch(r"\[[\w-]+\]", ss)}
    r.compare(doc, "section", ["[%s]" % s for s in code.d_sections],
              ["[%s]" % s for s in subsections])
    documented = {}
    for ss, tag, body in entries:
        words = tag.split()
        if not words:
            continue
        documented[(ss[1:-1], words[0])] = set(options_in(tag + "\n" + body))
    for section in sorted(set(code.d_sections) | subsections):
        r.compare("%s ([%s])" % (doc, section), "key",
                  {k for s, k in code.d_keys if s == section},
                  {k for s, k in documented if s == section})
    for (section, key), flag in sorted(code.d_keys.items()):
        if (section, key) not in documented:
            continue
        named = documented[(section, key)]
        allowed = {flag} | {s for s, l in code.d_alias.items() if l == flag}
        where = "%s ([%s] %s)" % (doc, section, key)
        if flag not in named:
            r.add("%s: lacks option '%s' (the key's flag)" % (where, flag))
        for other in sorted(named - allowed):
            r.add("%s: has option '%s', which is not the key's flag %s in the code" %
                  (where, other, flag))


def check_completion(r, code, path):
    doc = shown(path)
    funcs = bash_functions(read(path))
    for name in ("_sttcpctl", "_sttcpd"):
        if name not in funcs:
            r.add("%s: lacks function %s" % (doc, name))
    ctl_names = (code.ctl_options | code.ctl_command_options | set(code.ctl_commands) |
                 code.ctl_keywords())
    if "_sttcpctl" in funcs:
        here = doc + " (_sttcpctl"
        blocks, _ = case_blocks(funcs["_sttcpctl"])
        arms = None
        for subject, block_arms in blocks:
            if subject == "$cmd":
                arms = {p: b for ps, b in block_arms for p in ps}
            else:
                r.extra("%s, case %s)" % (here, subject), "name",
                        {p for ps, _ in block_arms for p in ps if NAME.match(p)} - ctl_names)
        if arms is None:
            r.add("%s): lacks its case $cmd (the words after the options)" % here)
        else:
            def words(arm):
                lists = compgen_words(arms.get(arm, ""))
                return set(lists[0]) if lists else set()
            r.compare(here + ", first word)", "command",
                      code.ctl_options | set(code.ctl_commands), words('""'))
            r.extra(here + ", case $cmd)", "command",
                    {p for p in arms if p not in ('""', "*")} - set(code.ctl_commands))
            for name in sorted(code.ctl_commands):
                if name not in arms and "*" not in arms:
                    r.add("%s, after %s): lacks its case (and there is no *)" % (here, name))
                    continue
                r.compare("%s, after %s)" % (here, name),
                          "command" if code.ctl_commands[name]["takes_commands"] else "keyword",
                          code.arguments(name), words(name if name in arms else "*"))
    if "_sttcpd" in funcs:
        here = doc + " (_sttcpd"
        blocks, rest = case_blocks(funcs["_sttcpd"])
        for subject, block_arms in blocks:
            r.extra("%s, case %s)" % (here, subject), "name",
                    {p for ps, _ in block_arms for p in ps if NAME.match(p)} - code.d_options)
        lists = compgen_words(rest)
        if len(lists) != 1:
            r.add("%s): has %d option lists (compgen -W outside case), expected 1" %
                  (here, len(lists)))
        else:
            r.compare(here + ")", "option", code.d_options, lists[0])


def run(binary, *args):
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=20, env=env)
    return p.returncode, p.stdout


def paragraphs(text):
    return [p.splitlines() for p in re.split(r"\n\s*\n", text) if p.strip()]


def block_after(lines, title):
    """The lines after a line `title` up to the next blank line."""
    out, inside = [], False
    for line in lines:
        if inside:
            if not line.strip():
                break
            out.append(line)
        elif line.strip() == title:
            inside = True
    return out


def option_column(lines):
    """The options of option lines ("  -x, --long VALUE   text"): before the description."""
    return {o for line in lines if re.match(r"^  -", line)
            for o in options_in(re.split(r"\s{2,}", line.strip())[0])}


def usage(text):
    """The usage paragraph without "Usage:" and the program name."""
    paras = paragraphs(text)
    if not paras or not paras[0][0].startswith("Usage:"):
        return None
    return " ".join(paras[0])[len("Usage:"):].split(None, 1)[-1]


def check_sttcpctl_help(r, code, binary):
    doc = "sttcpctl --help"
    rc, out = run(binary, "--help")
    if rc != 0:
        r.add("%s: exits %d" % (doc, rc))
    lines = out.splitlines()
    options = code.ctl_options | code.ctl_command_options
    r.extra(doc + " (Usage)", "option", set(options_in(usage(out) or "")) - options)
    r.compare(doc + " (Options)", "option", options, option_column(block_after(lines, "Options:")))
    r.compare(doc + " (Commands)", "command", code.ctl_commands,
              {line.split()[0] for line in block_after(lines, "Commands:")
               if re.match(r"^  \S", line)})
    for name in sorted(code.ctl_commands):
        doc = "sttcpctl %s --help" % name
        rc, out = run(binary, name, "--help")
        if rc != 0:
            r.add("%s: exits %d" % (doc, rc))
        words, opts, _ = synopsis(usage(out) or "")
        r.extra(doc, "option", set(opts) - code.ctl_options)
        if not words or words[0] != name:
            r.add("%s: lacks command '%s' in its usage line" % (doc, name))
            continue
        r.compare(doc, "keyword", code.ctl_commands[name]["keywords"], words[1:])


def check_sttcpd_help(r, code, binary):
    doc = "sttcpd --help"
    rc, out = run(binary, "--help")
    if rc != 0:
        r.add("%s: exits %d" % (doc, rc))
    r.extra(doc + " (Usage)", "option", set(options_in(usage(out) or "")) - code.d_options)
    r.compare(doc, "option", code.d_options, option_column(out.splitlines()))


def check(args):
    """(mismatch lines, summary) of the docs named by args against the code."""
    code = Code(args.src)
    r = Report()
    check_sttcpctl_man(r, code, os.path.join(args.man_dir, "sttcpctl.8"))
    check_sttcpd_man(r, code, os.path.join(args.man_dir, "sttcpd.8"))
    check_conf_man(r, code, os.path.join(args.man_dir, "sttcp.conf.5"))
    check_completion(r, code, args.completion)
    if args.sttcpctl and args.sttcpd:
        check_sttcpctl_help(r, code, args.sttcpctl)
        check_sttcpd_help(r, code, args.sttcpd)
        helped = "--help of sttcpctl (and of each command) and sttcpd"
    else:
        helped = "--help not checked (no binaries: give --build DIR)"
    summary = ("docs match code: sttcpctl %d commands, %d keywords, %d options; sttcpd %d "
               "options, %d sections, %d file keys; checked sttcpctl.8, sttcpd.8, "
               "sttcp.conf.5, the bash completion; %s" %
               (len(code.ctl_commands), sum(len(c["keywords"]) for c in
                                            code.ctl_commands.values()),
                len(code.ctl_options | code.ctl_command_options), len(code.d_options),
                len(code.d_sections), len(code.d_keys), helped))
    return r.lines, summary


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", metavar="DIR",
                   help="CMake build directory: compare DIR/userspace/{sttcpctl,sttcpd} --help")
    p.add_argument("--sttcpctl", metavar="BIN", help="the sttcpctl binary (overrides --build)")
    p.add_argument("--sttcpd", metavar="BIN", help="the sttcpd binary (overrides --build)")
    p.add_argument("--src", metavar="DIR", default=DEFAULT_SRC,
                   help="the userspace sources (default: userspace/)")
    p.add_argument("--man-dir", metavar="DIR", default=DEFAULT_MAN,
                   help="the man pages (default: docs/man/)")
    p.add_argument("--completion", metavar="FILE", default=DEFAULT_COMPLETION,
                   help="the bash completion (default: packaging/completion/sttcpctl)")
    p.add_argument("--self-test", action="store_true",
                   help="run the negative controls (and the parser tests) instead")
    args = p.parse_args(argv)
    for name in ("sttcpctl", "sttcpd"):
        if getattr(args, name) is None and args.build:
            setattr(args, name, os.path.join(args.build, "userspace", name))
        path = getattr(args, name)
        if path is not None:
            if not os.access(path, os.X_OK):
                p.error("%s is not an executable (build it first: scripts/build user)" % path)
            setattr(args, name, os.path.abspath(path))
    if bool(args.sttcpctl) != bool(args.sttcpd):
        p.error("give both --sttcpctl and --sttcpd, or --build DIR")
    return args


# ---- self-test: the parsers, and negative controls ----------------------------------------------

BINARIES = {"sttcpctl": None, "sttcpd": None}


class Parsers(unittest.TestCase):
    def test_synopsis_rule(self):
        self.assertEqual(synopsis("set role primary|backup vip ADDR ports PORT[,PORT...] "
                                  "[gating hold|none] [hb-dead-count N]"),
                         (["set", "role", "vip", "ports", "gating", "hb-dead-count"], [],
                          ["ADDR", "PORT", "PORT", "N"]))
        self.assertEqual(synopsis("[-j] [-n NETNS] help [COMMAND]"),
                         (["help"], ["-j", "-n"], ["NETNS", "COMMAND"]))

    def test_roff_text(self):
        self.assertEqual(plain(r'.BR \-j ", " \-\-json'), "-j, --json")
        self.assertEqual(plain(r'.BR stats " [" reset ]'), "stats [reset]")
        self.assertEqual(plain(r"\fBmonitor\fR [\fBcount\fR \fIN\fR]"), "monitor [count N]")
        self.assertEqual(plain(r"[\fB\%hb\-interval\fR \fIMS\fR]"), "[hb-interval MS]")
        self.assertEqual(plain(r'.BI key-file " FILE"'), "key-file FILE")
        self.assertEqual(plain(".TP"), "")

    def test_option_tokens_ignore_hyphenated_words(self):
        self.assertEqual(options_in("service-network address, --vip A, -n X, a->b"),
                         ["--vip", "-n"])

    def test_bash_cases(self):
        blocks, rest = case_blocks('case $cmd in\n"") COMPREPLY=($(compgen -W "a -b" -- x)) ;;\n'
                                   'x|y) ;;\nesac\nCOMPREPLY=($(compgen -W "--z" -- x))\n')
        self.assertEqual(blocks[0][0], "$cmd")
        self.assertEqual([p for p, _ in blocks[0][1]], [['""'], ["x", "y"]])
        self.assertEqual(compgen_words(blocks[0][1][0][1]), [["a", "-b"]])
        self.assertEqual(compgen_words(rest), [["--z"]])
        self.assertEqual(compgen_words('compgen -W "$(ip netns list)" --'), [])


class SourceTables(unittest.TestCase):
    """The tables are found whole: an empty table would let empty docs pass."""

    def test_sttcpctl(self):
        code = Code(DEFAULT_SRC)
        self.assertGreaterEqual(set(code.ctl_commands),
                                {"set", "del", "show", "stats", "monitor", "genkey", "help"})
        self.assertEqual(code.ctl_commands["set"]["keywords"] & {"role", "hb-dead-count"},
                         {"role", "hb-dead-count"})
        self.assertEqual(code.ctl_commands["stats"]["keywords"], {"reset"})
        self.assertEqual(code.ctl_commands["switchover"]["keywords"], {"timeout"})
        self.assertEqual(code.ctl_commands["genkey"]["keywords"], set())
        self.assertTrue(code.ctl_commands["help"]["takes_commands"])
        self.assertGreaterEqual(code.ctl_options, {"-j", "--json", "-n", "--netns", "--help"})
        self.assertEqual(code.ctl_command_options, {"-h", "--help"})
        for name, c in code.ctl_commands.items():
            # The synopsis --help prints names the keywords the parser accepts.
            words = synopsis(c["synopsis"])[0]
            self.assertEqual((words[0], set(words[1:])), (name, c["keywords"]))

    def test_sttcpd(self):
        code = Code(DEFAULT_SRC)
        self.assertGreaterEqual(code.d_options, {"--config", "--config-test", "-h", "--help",
                                                 "-n", "--netns", "--role", "--key-file",
                                                 "--handover-on-exit", "--notify"})
        self.assertEqual(code.d_alias, {"-n": "--netns"})
        self.assertIn("daemon", code.d_sections)
        self.assertEqual(code.d_keys[("service", "interface")], "--dev")
        self.assertGreaterEqual(len(code.d_keys), 20)


class NegativeControls(unittest.TestCase):
    """Copies of the docs and sources, each edited to lose or gain one name, fail the check."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="docs-match-code-")
        self.man = os.path.join(self.tmp, "man")
        self.src = os.path.join(self.tmp, "src")
        self.completion = os.path.join(self.tmp, "sttcpctl.bash")
        shutil.copytree(DEFAULT_MAN, self.man)
        for name in (CTL_TABLES, D_TABLES):
            os.makedirs(os.path.dirname(os.path.join(self.src, name)), exist_ok=True)
            shutil.copy(os.path.join(DEFAULT_SRC, name), os.path.join(self.src, name))
        shutil.copy(DEFAULT_COMPLETION, self.completion)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, path, old, new, count=1):
        text = read(path)
        self.assertEqual(text.count(old), count, "fixture %r in %s" % (old, path))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))

    def check(self, *extra):
        """(exit status, stdout lines) of the check on the copies."""
        cmd = [sys.executable, os.path.abspath(__file__), "--src", self.src,
               "--man-dir", self.man, "--completion", self.completion, *extra]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout.splitlines()

    def assertFails(self, *expected, extra=()):
        rc, lines = self.check(*extra)
        self.assertEqual(rc, 1, "the check passed: %r" % lines)
        for line in expected:
            self.assertIn(line, [shown_tail(x) for x in lines])
        return lines

    def test_untouched_copies_pass(self):
        rc, lines = self.check()
        self.assertEqual(rc, 0, lines)
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith("docs match code: "), lines)

    def test_command_removed_from_sttcpctl_8(self):
        self.edit(os.path.join(self.man, "sttcpctl.8"), ".TP\n.B genkey\n", ".PP\n")
        lines = self.assertFails("sttcpctl.8 (COMMANDS): lacks command 'genkey'")
        self.assertEqual(len(lines), 1, lines)

    def test_command_added_to_sttcpctl_8(self):
        self.edit(os.path.join(self.man, "sttcpctl.8"), ".TP\n.B takeover\n",
                  ".TP\n.B frobnicate\nnothing.\n.TP\n.B takeover\n")
        self.assertFails("sttcpctl.8 (COMMANDS): has command 'frobnicate', which the code lacks")

    def test_keyword_and_option_of_sttcpctl_8(self):
        path = os.path.join(self.man, "sttcpctl.8")
        self.edit(path, r"[\fBepoch\fR \fIN\fR]", "")
        self.edit(path, r'.BR \-j ", " \-\-json', r'.BR \-j ", " \-\-jason')
        self.assertFails("sttcpctl.8 (COMMANDS, set): lacks keyword 'epoch'",
                         "sttcpctl.8 (OPTIONS): lacks option '--json'",
                         "sttcpctl.8 (OPTIONS): has option '--jason', which the code lacks")

    def test_option_removed_from_sttcpd_8(self):
        self.edit(os.path.join(self.man, "sttcpd.8"), "\\fB\\-\\-log\\fR \\fIFILE\\fR\n",
                  "\\fB\\-\\-logfile\\fR \\fIFILE\\fR\n")
        self.assertFails("sttcpd.8 (OPTIONS): lacks option '--log'",
                         "sttcpd.8 (OPTIONS): has option '--logfile', which the code lacks")

    def test_key_and_flag_of_sttcp_conf_5(self):
        path = os.path.join(self.man, "sttcp.conf.5")
        self.edit(path, ".BI epoch \" N\"", ".BI epoc \" N\"")
        self.edit(path, r"\fB\-\-garp\-count\fR", r"\fB\-\-garp\-counts\fR")
        self.assertFails("sttcp.conf.5 ([node]): lacks key 'epoch'",
                         "sttcp.conf.5 ([node]): has key 'epoc', which the code lacks",
                         "sttcp.conf.5 ([timers] garp-count): lacks option '--garp-count' "
                         "(the key's flag)")

    def test_completion(self):
        self.edit(self.completion, " monitor genkey help\" -- ", " monitor help\" -- ")
        self.edit(self.completion, "--pidfile --log -V --version -h --help", "--pidfile --log -V --version -h --help --logs")
        self.assertFails("sttcpctl.bash (_sttcpctl, first word): lacks command 'genkey'",
                         "sttcpctl.bash (_sttcpd): has option '--logs', which the code lacks")

    def test_new_command_and_flag_in_the_code(self):
        self.edit(os.path.join(self.src, CTL_TABLES), '    {"help", "help [COMMAND]",',
                  '    {"rekey", "rekey [now]", [](Args a) -> Command {\n'
                  '       return a[0] == "now" ? GenkeyCmd{} : GenkeyCmd{}; },\n     "help"},\n'
                  '    {"help", "help [COMMAND]",')
        self.edit(os.path.join(self.src, D_TABLES), '    {"--log", "daemon", "log",',
                  '    {"--syslog", "daemon", "syslog", Kind::kBool, nullptr},\n'
                  '    {"--log", "daemon", "log",')
        self.assertFails("sttcpctl.8 (COMMANDS): lacks command 'rekey'",
                         "sttcpctl.bash (_sttcpctl, first word): lacks command 'rekey'",
                         "sttcpctl.bash (_sttcpctl, after rekey): lacks keyword 'now'",
                         "sttcpctl.bash (_sttcpctl, after help): lacks command 'rekey'",
                         "sttcpd.8 (OPTIONS): lacks option '--syslog'",
                         "sttcp.conf.5 ([daemon]): lacks key 'syslog'",
                         "sttcpctl.bash (_sttcpd): lacks option '--syslog'")

    def wrapper(self, name, drop):
        """A stand-in for a binary whose --help lacks the lines matching `drop`."""
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n'%s' \"$@\" | grep -v -e '%s'\n" % (BINARIES[name], drop))
        os.chmod(path, 0o755)
        return path

    def test_help(self):
        if not BINARIES["sttcpctl"]:
            self.skipTest("no binaries (give --build DIR)")
        real = ("--sttcpctl", BINARIES["sttcpctl"], "--sttcpd", BINARIES["sttcpd"])
        rc, lines = self.check(*real)
        self.assertEqual(rc, 0, lines)
        ctl = self.wrapper("sttcpctl", "^  genkey")
        daemon = self.wrapper("sttcpd", "^  --log FILE")
        self.assertFails("sttcpctl --help (Commands): lacks command 'genkey'",
                         "sttcpd --help: lacks option '--log'",
                         extra=("--sttcpctl", ctl, "--sttcpd", daemon))


def shown_tail(line):
    """A report line with the temporary directory of the copies cut off."""
    return re.sub(r"^\S*/(?=[^/\s]+ \()", "", line)


def main(argv):
    args = parse_args(argv)
    if args.self_test:
        BINARIES.update(sttcpctl=args.sttcpctl, sttcpd=args.sttcpd)
        return 0 if unittest.main(argv=[sys.argv[0]], exit=False).result.wasSuccessful() else 1
    try:
        lines, summary = check(args)
    except (SourceError, OSError) as e:
        print("test_docs_match_code: %s" % e, file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    if lines:
        print("test_docs_match_code: %d mismatch(es) between the docs and the code" % len(lines),
              file=sys.stderr)
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
