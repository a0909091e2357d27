// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "daemon_options.h"

#include <linux/sttcp.h>
#include <net/if.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "cli_args.h"

namespace sttcp {
namespace {

constexpr std::string_view kNoContext = "";

using Setter = std::function<void(DaemonOptions&, const std::string& value)>;

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> kSetters = {
      {"--role",
       [](DaemonOptions& o, const std::string& v) {
         auto role = parseRole(v);
         if (!role) throw UsageError("invalid --role '" + v + "' (expected primary or backup)");
         o.service.role = *role;
       }},
      {"--vip", [](DaemonOptions& o,
                   const std::string& v) { o.service.vip = parseAddress(kNoContext, "--vip", v); }},
      {"--port", [](DaemonOptions& o,
                    const std::string& v) { o.service.ports = parsePortList("--port: ", v); }},
      {"--dev", [](DaemonOptions& o, const std::string& v) { o.dev = v; }},
      {"--local",
       [](DaemonOptions& o, const std::string& v) {
         o.service.local = parseSyncEndpoint(kNoContext, "--local", v);
       }},
      {"--peer",
       [](DaemonOptions& o, const std::string& v) {
         o.service.peer = parseSyncEndpoint(kNoContext, "--peer", v);
       }},
      {"--local2",
       [](DaemonOptions& o, const std::string& v) {
         o.service.local2 = parseAddress(kNoContext, "--local2", v);
       }},
      {"--peer2",
       [](DaemonOptions& o, const std::string& v) {
         o.service.peer2 = parseAddress(kNoContext, "--peer2", v);
       }},
      {"--hb-interval-ms",
       [](DaemonOptions& o, const std::string& v) {
         o.service.hb_interval_ms = parseU32(kNoContext, "--hb-interval-ms", v, 1);
       }},
      {"--hb-dead-count",
       [](DaemonOptions& o, const std::string& v) {
         o.service.hb_dead_count = parseU32(kNoContext, "--hb-dead-count", v, 1);
       }},
      {"--gating",
       [](DaemonOptions& o, const std::string& v) {
         auto gating = parseGating(v);
         if (!gating) throw UsageError("invalid --gating '" + v + "' (expected hold or none)");
         o.service.gating = *gating;
       }},
      {"--epoch",
       [](DaemonOptions& o, const std::string& v) {
         o.service.epoch = parseU32(kNoContext, "--epoch", v, 0);
       }},
      {"--garp-count",
       [](DaemonOptions& o, const std::string& v) {
         o.garp_count = parseU32(kNoContext, "--garp-count", v, 0);
       }},
      {"--garp-interval-ms",
       [](DaemonOptions& o, const std::string& v) {
         o.garp_interval_ms = parseU32(kNoContext, "--garp-interval-ms", v, 1);
       }},
      {"--notify", [](DaemonOptions& o, const std::string& v) { o.notify = v; }},
      {"--pidfile", [](DaemonOptions& o, const std::string& v) { o.pidfile = v; }},
      {"--log", [](DaemonOptions& o, const std::string& v) { o.log = v; }},
      {"--key-file",
       [](DaemonOptions& o, const std::string& v) {
         if (v.empty()) throw UsageError("empty --key-file name");
         o.keyFile = v;
       }},
      {"--netns", [](DaemonOptions& o, const std::string& v) { o.netns = v; }},
  };
  return kSetters;
}

}  // namespace

DaemonInvocation parseDaemonArgs(const std::vector<std::string>& args) {
  DaemonInvocation inv;
  std::set<std::string> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "-h" || name == "--help") {
      inv.help = true;
      return inv;
    }
    std::optional<std::string> value;
    if (name == "-n") {
      name = "--netns";
    } else if (auto eq = name.find('='); name.starts_with("--") && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = setters().find(name);
    if (it == setters().end()) {
      throw UsageError(name.starts_with("-") ? "unknown option '" + name + "'"
                                             : "unexpected argument '" + name + "'");
    }
    if (!value) {
      if (i + 1 >= args.size()) throw UsageError("option '" + args[i] + "' needs a value");
      value = args[++i];
    }
    if (!given.insert(name).second) throw UsageError("option '" + name + "' given twice");
    it->second(inv.options, *value);
  }
  validateDaemonOptions(inv.options);
  return inv;
}

void validateDaemonOptions(const DaemonOptions& o) {
  if (o.service.role == Role::kNone) throw UsageError("missing --role");
  if (o.service.vip.value == 0) throw UsageError("missing --vip");
  if (o.service.ports.empty()) throw UsageError("missing --port");
  if (o.service.local.addr.value == 0) throw UsageError("missing --local");
  if (o.service.peer.addr.value == 0) throw UsageError("missing --peer");
  if (o.dev.empty()) throw UsageError("missing --dev");
  if (o.dev.size() >= IFNAMSIZ || o.dev == "." || o.dev == ".." ||
      o.dev.find_first_of("/: \t\n") != std::string::npos) {
    throw UsageError("invalid --dev '" + o.dev + "' (not an interface name)");
  }
  if (o.dev == kVipDevice) {
    throw UsageError(std::string("--dev cannot be ") + kVipDevice +
                     " (sttcpd's own dummy device holding the VIP)");
  }
  if (o.service.local == o.service.peer) {
    throw UsageError("--local and --peer must differ");
  }
  if (auto error = configError(o.service)) {
    // Say it with the option names.
    std::string text = *error;
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"local2", "--local2"}, {"peer2", "--peer2"}}) {
      if (auto pos = text.find(from); pos != std::string::npos) text.replace(pos, from.size(), to);
    }
    throw UsageError(text);
  }
  if (o.garp_interval_ms == 0) throw UsageError("--garp-interval-ms must be at least 1");
  for (const auto* path : {&o.notify, &o.pidfile, &o.log}) {
    if (*path && (*path)->empty()) throw UsageError("empty file name");
  }
}

std::string daemonSynopsis() {
  return "Usage: sttcpd [-n NETNS] --role primary|backup --vip ADDR --port P[,P...] --dev IFACE\n"
         "              --local ADDR[:PORT] --peer ADDR[:PORT] [--local2 ADDR --peer2 ADDR]\n"
         "              [--hb-interval-ms N] [--hb-dead-count N] [--gating hold|none]\n"
         "              [--epoch N] [--garp-count N] [--garp-interval-ms N]\n"
         "              [--notify PROGRAM] [--pidfile FILE] [--log FILE]\n"
         "              [--key-file FILE]\n";
}

std::string daemonUsageText() {
  return daemonSynopsis() +
         "\n"
         "Runs one node of an sttcp pair: configures the kernel module and moves the\n"
         "service address (VIP) with the node's state. Stays in the foreground.\n"
         "\n"
         "  -n, --netns NETNS       act in network namespace NETNS (/run/netns/NETNS)\n"
         "  --role primary|backup   the role the node starts in\n"
         "  --vip ADDR              the service address\n"
         "  --port P[,P...]         the service TCP ports (at most " +
         std::to_string(STTCP_MAX_PORTS) +
         ")\n"
         "  --dev IFACE             the interface that owns the VIP while active\n"
         "  --local, --peer ADDR[:PORT]\n"
         "                          sync channel endpoints (PORT default " +
         std::to_string(STTCP_DEFAULT_SYNC_PORT) +
         ")\n"
         "  --local2, --peer2 ADDR  second heartbeat path (both or neither)\n"
         "  --hb-interval-ms N, --hb-dead-count N\n"
         "                          heartbeat timing (default: net.sttcp sysctls)\n"
         "  --gating hold|none      default hold\n"
         "  --epoch N               starting epoch (default 0)\n"
         "  --garp-count N          gratuitous ARPs when becoming active (default 5)\n"
         "  --garp-interval-ms N    spacing of the gratuitous ARPs (default 200)\n"
         "  --notify PROGRAM        run PROGRAM EVENT STATE EPOCH VIP on every event\n"
         "                          (also in STTCP_EVENT, STTCP_STATE, STTCP_EPOCH,\n"
         "                          STTCP_VIP), one at a time, in order\n"
         "  --pidfile FILE          write the process id to FILE\n"
         "  --log FILE              log to FILE (appended) instead of stderr\n"
         "  --key-file FILE         authenticate the sync channel with the key in FILE\n"
         "                          (64 hex digits or base64, see 'sttcpctl genkey';\n"
         "                          mode 600 or stricter). Both nodes need the same key\n"
         "  -h, --help              print this help\n"
         "\n"
         "The node is prepared idempotently: dummy device " +
         std::string(kVipDevice) +
         " up holding VIP/32, arp_ignore=1 and\n"
         "arp_announce=2 on all and IFACE, rp_filter=0 on all and " +
         kVipDevice +
         ". Only the state active\n"
         "owns the VIP on IFACE (added, then announced by gratuitous ARP); any other\n"
         "state removes it. SIGTERM/SIGINT remove the VIP, delete the configuration\n"
         "and exit 0.\n"
         "\n"
         "Exit status: 0 after SIGTERM/SIGINT, 1 on errors, 2 on bad arguments.\n";
}

}  // namespace sttcp
