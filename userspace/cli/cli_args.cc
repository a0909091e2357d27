// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "cli_args.h"

#include <linux/sttcp.h>

#include <algorithm>
#include <map>
#include <span>
#include <string_view>

namespace sttcp {
namespace {

using Args = std::span<const std::string>;

constexpr std::string_view kSetContext = "set: ";

void expectNoArgs(std::string_view cmd, Args args) {
  if (!args.empty()) {
    throw UsageError(std::string(cmd) + ": unexpected argument '" + args.front() + "'");
  }
}

Command parseSet(Args args) {
  // keyword -> value; iproute2 style, any order, each at most once.
  std::map<std::string, std::string> kv;
  static const std::vector<std::string> kKeywords = {
      "role",   "vip",   "ports",       "local",         "peer", "gating",
      "local2", "peer2", "hb-interval", "hb-dead-count", "epoch"};
  for (std::size_t i = 0; i < args.size(); i += 2) {
    const std::string& key = args[i];
    if (std::find(kKeywords.begin(), kKeywords.end(), key) == kKeywords.end()) {
      throw UsageError("set: unknown keyword '" + key + "'");
    }
    if (i + 1 >= args.size()) {
      throw UsageError("set: '" + key + "' needs a value");
    }
    if (!kv.emplace(key, args[i + 1]).second) {
      throw UsageError("set: '" + key + "' given twice");
    }
  }
  for (const char* required : {"role", "vip", "ports", "local", "peer"}) {
    if (!kv.count(required)) {
      throw UsageError(std::string("set: missing '") + required + "'");
    }
  }
  SetCmd cmd;
  Config& c = cmd.config;
  auto role = parseRole(kv["role"]);
  if (!role) {
    throw UsageError("set: invalid role '" + kv["role"] + "' (expected primary or backup)");
  }
  c.role = *role;
  c.vip = parseAddress(kSetContext, "vip", kv["vip"]);
  c.ports = parsePortList(kSetContext, kv["ports"]);
  c.local = parseSyncEndpoint(kSetContext, "local", kv["local"]);
  c.peer = parseSyncEndpoint(kSetContext, "peer", kv["peer"]);
  if (kv.count("gating")) {
    auto gating = parseGating(kv["gating"]);
    if (!gating) {
      throw UsageError("set: invalid gating '" + kv["gating"] + "' (expected hold or none)");
    }
    c.gating = *gating;
  }
  if (kv.count("local2")) c.local2 = parseAddress(kSetContext, "local2", kv["local2"]);
  if (kv.count("peer2")) c.peer2 = parseAddress(kSetContext, "peer2", kv["peer2"]);
  if (kv.count("hb-interval")) {
    c.hb_interval_ms = parseU32(kSetContext, "hb-interval", kv["hb-interval"], 1);
  }
  if (kv.count("hb-dead-count")) {
    c.hb_dead_count = parseU32(kSetContext, "hb-dead-count", kv["hb-dead-count"], 1);
  }
  if (kv.count("epoch")) c.epoch = parseU32(kSetContext, "epoch", kv["epoch"], 0);
  if (auto error = configError(c)) {
    throw UsageError(std::string(kSetContext) + *error);
  }
  return cmd;
}

// `name VALUE` pairs where every keyword is optional and appears once.
std::map<std::string, std::string> optionalKeywords(std::string_view cmd, Args args,
                                                    std::initializer_list<std::string> keys) {
  std::map<std::string, std::string> kv;
  for (std::size_t i = 0; i < args.size(); i += 2) {
    const std::string& key = args[i];
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw UsageError(std::string(cmd) + ": unexpected argument '" + key + "'");
    }
    if (i + 1 >= args.size()) {
      throw UsageError(std::string(cmd) + ": '" + key + "' needs a value");
    }
    if (!kv.emplace(key, args[i + 1]).second) {
      throw UsageError(std::string(cmd) + ": '" + key + "' given twice");
    }
  }
  return kv;
}

Command parseSwitchover(Args args) {
  auto kv = optionalKeywords("switchover", args, {"timeout"});
  SwitchoverCmd cmd;
  if (kv.count("timeout")) cmd.timeout_ms = parseU32("switchover: ", "timeout", kv["timeout"], 1);
  return cmd;
}

Command parseMonitor(Args args) {
  auto kv = optionalKeywords("monitor", args, {"count"});
  MonitorCmd cmd;
  if (kv.count("count")) cmd.count = parseU32("monitor: ", "count", kv["count"], 1);
  return cmd;
}

Command parseStats(Args args) {
  if (args.empty()) return StatsCmd{};
  if (args.front() == "reset") {
    expectNoArgs("stats reset", args.subspan(1));
    return StatsCmd{.reset = true};
  }
  throw UsageError("stats: unexpected argument '" + args.front() + "'");
}

template <typename Cmd>
Command parseBare(std::string_view name, Args args) {
  expectNoArgs(name, args);
  return Cmd{};
}

struct Subcommand {
  std::string_view name;
  std::string_view synopsis;
  Command (*parse)(Args);
  std::string_view help;  // for `sttcpctl CMD --help`
};

constexpr Subcommand kSubcommands[] = {
    {"set",
     "set role primary|backup vip ADDR ports PORT[,PORT...]\n"
     "      local ADDR[:PORT] peer ADDR[:PORT] [gating hold|none]\n"
     "      [local2 ADDR peer2 ADDR] [hb-interval MS] [hb-dead-count N] [epoch N]",
     parseSet,
     "Configures the module in this namespace (sttcpd does this from its configuration\n"
     "file; use set for experiments). Replacing a configuration releases the flows."},
    {"del", "del", [](Args a) { return parseBare<DelCmd>("del", a); },
     "Deletes the configuration: flows are released (held segments delivered)."},
    {"show", "show", [](Args a) { return parseBare<ShowCmd>("show", a); },
     "Shows the configuration, the node's state, whether its settings agree with the\n"
     "peer's (TCP sysctls, MTU, ports, gating, timers: a mismatch that breaks lockstep\n"
     "is listed as 'mismatch:') and warnings about the local set-up (arp_ignore,\n"
     "arp_announce, rp_filter, the sttcp0 device), each with its fix."},
    {"stats", "stats [reset]", parseStats,
     "Prints the module's counters in this namespace; 'reset' zeroes them."},
    {"flows", "flows", [](Args a) { return parseBare<FlowsCmd>("flows", a); },
     "Lists the tracked connections: state, translation deltas, held segments and the\n"
     "socket's sequence numbers in the primary's space (both nodes compare field by field)."},
    {"status", "status", [](Args a) { return parseBare<StatusCmd>("status", a); },
     "Prints the node's state, epoch, the peer's state and the heartbeat ages per path."},
    {"switchover", "switchover [timeout MS]", parseSwitchover,
     "On the active primary: hands every connection to the live backup and becomes\n"
     "backup; waits for the outcome (default 3000 ms)."},
    {"takeover", "takeover", [](Args a) { return parseBare<TakeoverCmd>("takeover", a); },
     "On a backup: becomes primary now, whatever the peer says (operator's decision)."},
    {"monitor", "monitor [count N]", parseMonitor,
     "Prints events as they come (-j: one JSON object per line): state, takeover,\n"
     "peer_alive, peer_sync_lost, peer_dead, switchover_failed, flow_unprotected,\n"
     "peer_settings, auth_fail, app_lost (the primary's application closed a\n"
     "connection alone: handing over), flow_diverged (the backup's output on a\n"
     "connection differs from the primary's: it is reset at a takeover), and\n"
     "settings_mismatch after a peer_settings that differs.\n"
     "Each line starts with the arrival time (UTC; -j: \"time\").\n"
     "Stops after N events or on SIGINT/SIGTERM."},
    {"genkey", "genkey", [](Args a) { return parseBare<GenkeyCmd>("genkey", a); },
     "Prints a new random sync channel key (base64 of 32 bytes) for --key-file /\n"
     "key-file; store it with mode 600 on both nodes (a shared file that standard\n"
     "output goes to is made private first). -j: {\"key\":\"...\"}."},
    {"help", "help [COMMAND]",
     [](Args a) -> Command {
       if (a.size() > 1) throw UsageError("help: one COMMAND at most");
       return HelpCmd{a.empty() ? std::string() : a.front()};
     },
     "Prints the help, or one command's."},
};

}  // namespace

std::string usageText(const std::string& command) {
  for (const auto& sub : kSubcommands) {
    if (!command.empty() && sub.name == command) {
      return "Usage: sttcpctl [-j] [-n NETNS] " + std::string(sub.synopsis) + "\n\n" +
             std::string(sub.help) + "\n";
    }
  }
  std::string text =
      "Usage: sttcpctl [OPTIONS] COMMAND [ARGS...]\n"
      "\n"
      "Configure and inspect the sttcp kernel module (client-transparent TCP failover).\n"
      "\n"
      "Options:\n"
      "  -j, --json          print JSON\n"
      "  -n, --netns NAME    act in network namespace NAME (/run/netns/NAME)\n"
      "  -V, --version       print sttcpctl's version and the loaded module's\n"
      "  -h, --help          print this help\n"
      "\n"
      "Commands:\n";
  for (const auto& sub : kSubcommands) {
    text += "  " + std::string(sub.synopsis) + "\n";
  }
  text += "\nThe sync channel PORT defaults to " + std::to_string(STTCP_DEFAULT_SYNC_PORT) +
          "; gating defaults to hold.\n"
          "local2/peer2 (the second heartbeat path, same UDP ports) go together;\n"
          "hb-interval (ms) and hb-dead-count default to the net.sttcp sysctls, epoch to 0.\n"
          "switchover waits until this node is backup (timeout default " +
          std::to_string(SwitchoverCmd::kDefaultTimeoutMs) +
          " ms).\n"
          "monitor prints events as they come, until N of them or SIGINT/SIGTERM.\n"
          "genkey prints a new random sync channel key (base64) for sttcpd --key-file:\n"
          "  (umask 077; sttcpctl genkey > /etc/sttcp/key)\n";
  return text;
}

namespace {

// `help COMMAND` names one command: anything else is an error, as for the command itself.
void checkHelpTopic(const Command& command) {
  const auto* help = std::get_if<HelpCmd>(&command);
  if (!help || help->command.empty()) return;
  for (const auto& sub : kSubcommands) {
    if (sub.name == help->command) return;
  }
  throw UsageError("help: unknown command '" + help->command + "'");
}

}  // namespace

Invocation parseArgs(const std::vector<std::string>& args) {
  Invocation inv;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.empty() || arg[0] != '-') break;
    if (arg == "-j" || arg == "--json") {
      inv.options.json = true;
    } else if (arg == "-h" || arg == "--help") {
      inv.command = HelpCmd{};
      return inv;
    } else if (arg == "-V" || arg == "--version") {
      inv.command = VersionCmd{};
      return inv;
    } else if (arg == "-n" || arg == "--netns") {
      if (i + 1 >= args.size()) throw UsageError("option '" + arg + "' needs a NETNS name");
      inv.options.netns = args[++i];
    } else if (arg.starts_with("--netns=")) {
      inv.options.netns = arg.substr(8);
    } else {
      throw UsageError("unknown option '" + arg + "'");
    }
  }
  if (i >= args.size()) {
    throw UsageError("missing COMMAND");
  }
  const std::string& name = args[i];
  Args rest = Args(args).subspan(i + 1);
  for (const auto& sub : kSubcommands) {
    if (sub.name == name) {
      for (const std::string& arg : rest) {
        if (arg == "-h" || arg == "--help") {
          inv.command = HelpCmd{std::string(name)};
          return inv;
        }
      }
      inv.command = sub.parse(rest);
      checkHelpTopic(inv.command);
      return inv;
    }
  }
  throw UsageError("unknown command '" + name + "'");
}

}  // namespace sttcp
