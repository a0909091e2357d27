#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every refusal of the sttcp netlink API, sent raw (sttcpctl never sends most of them).

Run as root in a fresh network namespace with the module loaded, 10.0.0.100/32 (the VIP) and
192.168.77.1/24 (the sync address) on local devices. Each request goes out with exactly the attributes of its case; the reply must be
the expected errno with the expected extack message, and each refusal by the module must add
exactly one to its nl_rejected counter (policy violations are refused by the generic netlink core
before the module sees the request: its own message, no counter). Prints one line per case:
"ok<TAB>description" or "not ok<TAB>description<TAB>what happened". Exit 0 if all passed.
"""
import errno
import os
import re
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_ACK_TLVS = 0x1, 0x4, 0x200
NLMSG_ERROR = 2
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1

UAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "uapi",
                    "linux", "sttcp.h")


def uapi_enum(prefix):
    """{NAME: value} of the enum whose members start with prefix (values implicit, from 0)."""
    text = open(UAPI).read()
    out, value = {}, None
    for name, explicit in re.findall(r"^\s*(" + prefix + r"\w+)\s*(?:=\s*(\d+))?\s*,", text, re.M):
        value = int(explicit) if explicit else (0 if value is None else value + 1)
        out[name] = value
    return out


A = uapi_enum("STTCP_A_")
CMD = uapi_enum("STTCP_CMD_")
STAT = uapi_enum("STTCP_STAT_")
ROLE = uapi_enum("STTCP_ROLE_")


def attr(kind, payload):
    raw = struct.pack("=HH", 4 + len(payload), kind) + payload
    return raw + b"\0" * (-len(raw) % 4)


def u8(kind, v):
    return attr(kind, struct.pack("=B", v))


def u16(kind, v):
    return attr(kind, struct.pack("=H", v))


def u32(kind, v):
    return attr(kind, struct.pack("=I", v))


def ip(kind, text):
    return attr(kind, socket.inet_aton(text))


def nest(kind, *children, extra=b""):
    return attr(kind | NLA_F_NESTED, b"".join(children) + extra)


def ports(*values):
    return nest(A["STTCP_A_PORTS"], *(u16(A["STTCP_A_PORT"], p) for p in values))


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("=HH", data)
        if length < 4:
            break
        out[kind & 0x3FFF] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        err, _, replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                                       attr(CTRL_ATTR_FAMILY_NAME, b"sttcp\0"))
        if err or not replies:
            sys.exit(f"family sttcp not found (errno {err}): module not loaded?")
        self.family = struct.unpack("=H", parse_attrs(replies[0])[CTRL_ATTR_FAMILY_ID][:2])[0]

    def request(self, family, cmd, version, payload):
        """(errno, extack message, [reply attribute bytes])"""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            data = self.sock.recv(65536)
            while len(data) >= 16:
                length, kind, flags, seq, _ = struct.unpack_from("=IHHII", data)
                msg, data = data[16:length], data[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                if kind != NLMSG_ERROR:
                    replies.append(msg[4:])
                    continue
                err = -struct.unpack_from("=i", msg)[0]
                text = ""
                if flags & NLM_F_ACK_TLVS:
                    tlvs = parse_attrs(msg[4 + 16:])  # CAP_ACK: only the request's header
                    text = tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                return err, text, replies

    def sttcp(self, cmd, *attrs):
        return self.request(self.family, CMD[cmd], 1, b"".join(attrs))

    def state(self):
        err, _, replies = self.sttcp("STTCP_CMD_GET_STATUS")
        if err or not replies:
            sys.exit(f"GET_STATUS failed: errno {err}")
        return parse_attrs(replies[0])[A["STTCP_A_STATE"]][0]

    def stat(self, name):
        err, _, replies = self.sttcp("STTCP_CMD_GET_STATS")
        if err or not replies:
            sys.exit(f"GET_STATS failed: errno {err}")
        stats = parse_attrs(parse_attrs(replies[0])[A["STTCP_A_STATS"]])
        return struct.unpack("=Q", stats[STAT[name]])[0]


VIP, LOCAL, PEER = "10.0.0.100", "192.168.77.1", "192.168.77.2"


def base(skip=(), **over):
    """A valid primary configuration's attributes, some left out or replaced."""
    parts = {
        "role": u8(A["STTCP_A_ROLE"], ROLE["STTCP_ROLE_PRIMARY"]),
        "vip": ip(A["STTCP_A_VIP"], VIP),
        "ports": ports(5000),
        "local": ip(A["STTCP_A_LOCAL_ADDR"], LOCAL),
        "peer": ip(A["STTCP_A_PEER_ADDR"], PEER),
    }
    parts.update(over)
    return [v for k, v in parts.items() if k not in skip]


def main():
    nl = Genl()
    results = []

    def case(desc, cmd, attrs, want_errno, want_msg, counted=True):
        before = nl.stat("STTCP_STAT_NL_REJECTED")
        err, text, _ = nl.sttcp(cmd, *attrs)
        delta = nl.stat("STTCP_STAT_NL_REJECTED") - before
        want_delta = 1 if counted and want_errno else 0
        problems = []
        if err != want_errno:
            problems.append(f"errno {errno.errorcode.get(err, err)}, want {errno.errorcode.get(want_errno, want_errno)}")
        if want_msg is not None and text != want_msg:
            problems.append(f"message {text!r}, want {want_msg!r}")
        if want_msg is None and want_errno and not text:
            problems.append("no extack message")
        if delta != want_delta:
            problems.append(f"nl_rejected +{delta}, want +{want_delta}")
        shown = text or "accepted"
        if problems:
            results.append(f"not ok\t{desc}\t{'; '.join(problems)}")
        else:
            results.append(f"ok\t{desc}: \"{shown}\"")

    set_cfg = "STTCP_CMD_SET_CONFIG"
    E = errno.EINVAL
    for key, msg in (("role", "missing role (STTCP_A_ROLE)"),
                     ("vip", "missing service address (STTCP_A_VIP)"),
                     ("ports", "missing service ports (STTCP_A_PORTS)"),
                     ("local", "missing sync local address (STTCP_A_LOCAL_ADDR)"),
                     ("peer", "missing sync peer address (STTCP_A_PEER_ADDR)")):
        case(f"SET_CONFIG without {key}", set_cfg, base(skip=(key,)), E, msg)
    case("multicast VIP", set_cfg, base(vip=ip(A["STTCP_A_VIP"], "224.0.0.1")), E,
         "service address must be a unicast address")
    case("sync local 0.0.0.0", set_cfg, base(local=ip(A["STTCP_A_LOCAL_ADDR"], "0.0.0.0")), E,
         "sync local address must be unicast")
    case("sync peer broadcast", set_cfg, base(peer=ip(A["STTCP_A_PEER_ADDR"], "255.255.255.255")), E,
         "sync peer address must be unicast")
    case("sync peer = local", set_cfg, base(peer=ip(A["STTCP_A_PEER_ADDR"], LOCAL)), E,
         "sync peer address equals the local one")
    case("VIP = sync local", set_cfg, base(vip=ip(A["STTCP_A_VIP"], LOCAL)), E,
         "the service address cannot also be a sync address")
    case("ports nest with another attribute", set_cfg,
         base(ports=nest(A["STTCP_A_PORTS"], u32(A["STTCP_A_EPOCH"], 1))), E,
         "ports: expected STTCP_A_PORT (u16) entries only")
    case("port 0", set_cfg, base(ports=ports(0)), E, "ports: port 0 is not a service port")
    case("17 ports", set_cfg, base(ports=ports(*range(5000, 5017))), E, "ports: too many (at most 16)")
    case("duplicate port", set_cfg, base(ports=ports(5000, 5000)), E, "ports: duplicate port")
    case("ports nest with trailing bytes", set_cfg,
         base(ports=nest(A["STTCP_A_PORTS"], u16(A["STTCP_A_PORT"], 5000), extra=b"\1\2")), E,
         "ports: trailing garbage in the nest")
    case("empty ports nest", set_cfg, base(ports=nest(A["STTCP_A_PORTS"])), E,
         "ports: at least one port is required")
    second = "second heartbeat path"
    case(f"{second}: local only", set_cfg, base() + [ip(A["STTCP_A_LOCAL_ADDR2"], "10.0.0.1")], E,
         "second heartbeat path: give both local and peer addresses, or neither")
    case(f"{second}: multicast", set_cfg,
         base() + [ip(A["STTCP_A_LOCAL_ADDR2"], "239.1.1.1"), ip(A["STTCP_A_PEER_ADDR2"], "10.0.0.2")], E,
         "second heartbeat path addresses must be unicast")
    case(f"{second}: the sync addresses", set_cfg,
         base() + [ip(A["STTCP_A_LOCAL_ADDR2"], LOCAL), ip(A["STTCP_A_PEER_ADDR2"], "10.0.0.2")], E,
         "second heartbeat path must use other addresses than the sync link")
    case(f"{second}: the VIP", set_cfg,
         base() + [ip(A["STTCP_A_LOCAL_ADDR2"], "10.0.0.1"), ip(A["STTCP_A_PEER_ADDR2"], VIP)], E,
         "second heartbeat path cannot use the service address (it moves)")
    update = attr(A["STTCP_A_UPDATE"], b"")
    case("update while not configured", set_cfg, base() + [update], E,
         "update: not configured (send SET_CONFIG without STTCP_A_UPDATE first)")
    other_vip = ip(A["STTCP_A_VIP"], "10.0.0.200")
    case("primary, VIP not local", set_cfg, base(vip=other_vip), E,
         "service address is not local: add it to an interface first")
    case("backup, VIP not local", set_cfg,
         base(vip=other_vip, role=u8(A["STTCP_A_ROLE"], ROLE["STTCP_ROLE_BACKUP"])), E,
         "service address is not local: a backup holds it on a non-ARP (dummy) device")
    case("sync local address not on this node", set_cfg,
         base(local=ip(A["STTCP_A_LOCAL_ADDR"], "192.168.77.9")), errno.EADDRNOTAVAIL,
         "sttcp: cannot bind the sync socket to the local address and port: address not local, or port in use")
    # Refused by the policy (generic netlink core): a message, no module counter.
    case("policy: role out of range", set_cfg, base(role=u8(A["STTCP_A_ROLE"], 7)), errno.ERANGE, None,
         counted=False)
    case("policy: key of the wrong length", set_cfg, base() + [attr(A["STTCP_A_KEY"], b"k" * 5)],
         errno.ERANGE, None, counted=False)
    case("policy: a reply-only attribute in a request", set_cfg, base() + [u8(A["STTCP_A_STATE"], 2)], E,
         None, counted=False)

    backup = base(role=u8(A["STTCP_A_ROLE"], ROLE["STTCP_ROLE_BACKUP"]))
    case("a valid backup configuration", set_cfg, backup, 0, "")
    case("VIP_ANNOUNCED on a backup", "STTCP_CMD_VIP_ANNOUNCED", [], E, "vip announced: this node is not active")
    case("SWITCHOVER on a backup", "STTCP_CMD_SWITCHOVER", [], E, "switchover: only an active primary can hand over")
    case("update with other ports", set_cfg, [p for p in backup if p != ports(5000)] + [ports(5001), update],
         errno.EBUSY,
         "update: only the heartbeat timers and the settings change in place; role, addresses, ports "
         "and gating need a new configuration, which releases the flows")
    key1, key2 = attr(A["STTCP_A_KEY"], b"\1" * 32), attr(A["STTCP_A_KEY"], b"\2" * 32)
    case("update adding a key", set_cfg, backup + [update, key1], errno.EBUSY,
         "update: adding or removing the sync key needs a new configuration on both nodes")
    case("a valid primary configuration with a key", set_cfg, base() + [key1], 0, "")
    case("TAKEOVER on a primary", "STTCP_CMD_TAKEOVER", [], E, "takeover: this node is not a backup")
    case("update with another key", set_cfg, base() + [update, key2], errno.EBUSY,
         "update: a new sync key needs a new configuration on both nodes")
    case("update with new timers", set_cfg, base() + [update, key1, u32(A["STTCP_A_HB_DEAD_COUNT"], 12)], 0, "")
    # A primary alone leaves STARTING after one detection time (12 x 50 ms now).
    for _ in range(100):
        if nl.state() == uapi_enum("STTCP_STATE_")["STTCP_STATE_ACTIVE"]:
            break
        time.sleep(0.05)
    case("SWITCHOVER without a backup", "STTCP_CMD_SWITCHOVER", [], errno.ENOTCONN,
         "switchover: no live backup on the sync link")
    nl.sttcp("STTCP_CMD_DEL_CONFIG")

    for line in results:
        print(line)
    return 0 if all(r.startswith("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
