// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "cli_args.h"

#include <linux/sttcp.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <span>
#include <string_view>

namespace sttcp {
namespace {

using Args = std::span<const std::string>;

void expectNoArgs(std::string_view cmd, Args args) {
  if (!args.empty()) {
    throw UsageError(std::string(cmd) + ": unexpected argument '" + args.front() + "'");
  }
}

std::vector<std::uint16_t> parsePorts(const std::string& text) {
  std::vector<std::uint16_t> ports;
  std::string_view rest = text;
  while (true) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), port);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || port == 0 ||
        port > 65535) {
      throw UsageError("set: invalid port '" + std::string(item) + "' (expected 1-65535)");
    }
    if (std::find(ports.begin(), ports.end(), port) != ports.end()) {
      throw UsageError("set: port " + std::to_string(port) + " listed twice");
    }
    ports.push_back(static_cast<std::uint16_t>(port));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (ports.size() > STTCP_MAX_PORTS) {
    throw UsageError("set: too many ports (at most " + std::to_string(STTCP_MAX_PORTS) + ")");
  }
  return ports;
}

Ipv4 parseAddr(const std::string& key, const std::string& text) {
  auto addr = Ipv4::parse(text);
  if (!addr || addr->value == 0) {
    throw UsageError("set: invalid " + key + " address '" + text + "' (expected A.B.C.D)");
  }
  return *addr;
}

Endpoint parseEndpoint(const std::string& key, const std::string& text) {
  auto ep = Endpoint::parse(text, STTCP_DEFAULT_SYNC_PORT);
  if (!ep || ep->addr.value == 0) {
    throw UsageError("set: invalid " + key + " '" + text + "' (expected A.B.C.D[:PORT])");
  }
  return *ep;
}

Command parseSet(Args args) {
  // keyword -> value; iproute2 style, any order, each at most once.
  std::map<std::string, std::string> kv;
  static const std::vector<std::string> kKeywords = {"role",  "vip",  "ports",
                                                     "local", "peer", "gating"};
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
  c.vip = parseAddr("vip", kv["vip"]);
  c.ports = parsePorts(kv["ports"]);
  c.local = parseEndpoint("local", kv["local"]);
  c.peer = parseEndpoint("peer", kv["peer"]);
  if (kv.count("gating")) {
    auto gating = parseGating(kv["gating"]);
    if (!gating) {
      throw UsageError("set: invalid gating '" + kv["gating"] + "' (expected hold or none)");
    }
    c.gating = *gating;
  }
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
};

constexpr Subcommand kSubcommands[] = {
    {"set",
     "set role primary|backup vip ADDR ports PORT[,PORT...]\n"
     "      local ADDR[:PORT] peer ADDR[:PORT] [gating hold|none]",
     parseSet},
    {"del", "del", [](Args a) { return parseBare<DelCmd>("del", a); }},
    {"show", "show", [](Args a) { return parseBare<ShowCmd>("show", a); }},
    {"stats", "stats [reset]", parseStats},
    {"flows", "flows", [](Args a) { return parseBare<FlowsCmd>("flows", a); }},
    {"help", "help", [](Args) -> Command { return HelpCmd{}; }},
};

}  // namespace

std::string usageText() {
  std::string text =
      "Usage: sttcpctl [OPTIONS] COMMAND [ARGS...]\n"
      "\n"
      "Configure and inspect the sttcp kernel module (client-transparent TCP failover).\n"
      "\n"
      "Options:\n"
      "  -j, --json          print JSON\n"
      "  -n, --netns NAME    act in network namespace NAME (/run/netns/NAME)\n"
      "  -h, --help          print this help\n"
      "\n"
      "Commands:\n";
  for (const auto& sub : kSubcommands) {
    text += "  " + std::string(sub.synopsis) + "\n";
  }
  text += "\nThe sync channel PORT defaults to " + std::to_string(STTCP_DEFAULT_SYNC_PORT) +
          "; gating defaults to hold.\n";
  return text;
}

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
      inv.command = sub.parse(rest);
      return inv;
    }
  }
  throw UsageError("unknown command '" + name + "'");
}

}  // namespace sttcp
