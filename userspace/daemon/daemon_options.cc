// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "daemon_options.h"

#include <linux/sttcp.h>
#include <net/if.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "parse.h"

namespace sttcp {
namespace {

constexpr std::string_view kNoContext = "";

// `name` is how the value is called in messages: "--vip" or "vip".
using Setter = void (*)(DaemonOptions&, const std::string& name, const std::string& value);

enum class Kind {
  kValue,  // --opt VALUE, `key VALUE` once
  kBool,   // --opt (no value), `key yes|no`
  kList,   // --opt VALUE and `key VALUE`, repeatable: the flags replace the file's list
};

struct OptionSpec {
  std::string_view flag;
  std::string_view section;  // "" for flags only
  std::string_view key;
  Kind kind;
  Setter set;
};

constexpr std::string_view kSections[] = {"service", "node", "peer", "timers", "hooks", "daemon"};

bool parseBool(const std::string& name, const std::string& v) {
  for (const char* yes : {"yes", "true", "on", "1"})
    if (v == yes) return true;
  for (const char* no : {"no", "false", "off", "0"})
    if (v == no) return false;
  throw UsageError("invalid " + name + " '" + v + "' (expected yes or no)");
}

// Every option sttcpd knows, once.
constexpr OptionSpec kOptions[] = {
    {"--role", "node", "role", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       auto role = parseRole(v);
       if (!role) throw UsageError("invalid " + n + " '" + v + "' (expected primary or backup)");
       o.service.role = *role;
     }},
    {"--vip", "service", "vip", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.vip = parseAddress(kNoContext, n, v);
     }},
    {"--port", "service", "ports", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.ports = parsePortList(n + ": ", v);
     }},
    {"--dev", "service", "interface", Kind::kValue,
     [](DaemonOptions& o, const std::string&, const std::string& v) { o.dev = v; }},
    {"--gating", "service", "gating", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       auto gating = parseGating(v);
       if (!gating) throw UsageError("invalid " + n + " '" + v + "' (expected hold or none)");
       o.service.gating = *gating;
     }},
    {"--local", "node", "local", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.local = parseSyncEndpoint(kNoContext, n, v);
     }},
    {"--local2", "node", "local2", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.local2 = parseAddress(kNoContext, n, v);
     }},
    {"--epoch", "node", "epoch", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.epoch = parseU32(kNoContext, n, v, 0);
     }},
    {"--key-file", "node", "key-file", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       if (v.empty()) throw UsageError("empty " + n + " name");
       o.keyFile = v;
     }},
    {"--handover-on-exit", "node", "handover-on-exit", Kind::kBool,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.handover_on_exit = parseBool(n, v);
     }},
    {"--peer", "peer", "address", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.peer = parseSyncEndpoint(kNoContext, n, v);
     }},
    {"--peer2", "peer", "address2", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.peer2 = parseAddress(kNoContext, n, v);
     }},
    {"--hb-interval-ms", "timers", "hb-interval-ms", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.hb_interval_ms = parseU32(kNoContext, n, v, 1);
     }},
    {"--hb-dead-count", "timers", "hb-dead-count", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.service.hb_dead_count = parseU32(kNoContext, n, v, 1);
     }},
    {"--garp-count", "timers", "garp-count", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.garp_count = parseU32(kNoContext, n, v, 0);
     }},
    {"--garp-interval-ms", "timers", "garp-interval-ms", Kind::kValue,
     [](DaemonOptions& o, const std::string& n, const std::string& v) {
       o.garp_interval_ms = parseU32(kNoContext, n, v, 1);
     }},
    {"--notify", "hooks", "notify", Kind::kList,
     [](DaemonOptions& o, const std::string&, const std::string& v) { o.notify.push_back(v); }},
    {"--pidfile", "daemon", "pidfile", Kind::kValue,
     [](DaemonOptions& o, const std::string&, const std::string& v) { o.pidfile = v; }},
    {"--log", "daemon", "log", Kind::kValue,
     [](DaemonOptions& o, const std::string&, const std::string& v) { o.log = v; }},
    {"--netns", "daemon", "netns", Kind::kValue,
     [](DaemonOptions& o, const std::string&, const std::string& v) { o.netns = v; }},
};

const OptionSpec* byFlag(std::string_view flag) {
  for (const auto& spec : kOptions)
    if (spec.flag == flag) return &spec;
  return nullptr;
}

std::string fileKey(const OptionSpec& spec) {
  return std::string(spec.section) + "." + std::string(spec.key);
}

// Names options in messages by where their value came from.
class Namer {
 public:
  explicit Namer(const OptionSources& sources) : src_(sources) {}

  std::optional<int> line(std::string_view flag) const {
    const OptionSpec* spec = byFlag(flag);
    if (!spec) return std::nullopt;
    auto it = src_.lines.find(fileKey(*spec));
    if (it == src_.lines.end()) return std::nullopt;
    return it->second;
  }
  // "--vip", or "vip" when the file gave it.
  std::string name(std::string_view flag) const {
    return line(flag) ? std::string(byFlag(flag)->key) : std::string(flag);
  }
  // "FILE:LINE: " for the first of `flags` the file gave, else "".
  std::string at(std::initializer_list<std::string_view> flags) const {
    for (auto flag : flags)
      if (auto l = line(flag)) return src_.file + ":" + std::to_string(*l) + ": ";
    return "";
  }
  std::string missing(std::string_view flag) const {
    if (src_.file.empty()) return "missing " + std::string(flag);
    const OptionSpec* spec = byFlag(flag);
    return src_.file + ": missing '" + std::string(spec->key) + "' in [" +
           std::string(spec->section) + "] (or give " + std::string(flag) + ")";
  }

 private:
  const OptionSources& src_;
};

std::vector<std::string> sectionNames() {
  return {std::begin(kSections), std::end(kSections)};
}

template <typename T>
std::string text(const std::optional<T>& v) {
  if (!v) return "(none)";
  if constexpr (std::is_same_v<T, Ipv4>) {
    return v->str();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return *v;
  } else {
    return std::to_string(*v);
  }
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "(none)" : out;
}

std::string portsText(const std::vector<std::uint16_t>& ports) {
  std::vector<std::string> items;
  for (auto p : ports)
    items.push_back(std::to_string(p));
  return joinList(items);
}

void diff(std::vector<std::string>& out, const std::string& what, const std::string& a,
          const std::string& b) {
  if (a != b) out.push_back(what + ": " + a + " -> " + b);
}

}  // namespace

void applyConfigText(DaemonOptions& options, OptionSources& sources, const std::string& text,
                     const std::string& file) {
  sources.file = file;
  for (const ConfigEntry& e : parseConfigText(text, file, sectionNames())) {
    const std::string where = file + ":" + std::to_string(e.line) + ": ";
    const OptionSpec* spec = nullptr;
    std::string other_section;
    for (const auto& s : kOptions) {
      if (s.key != e.key) continue;
      if (s.section == e.section) spec = &s;
      other_section = s.section;
    }
    if (!spec) {
      if (!other_section.empty()) {
        throw ConfigError(ConfigStatus::kSyntax, where + "'" + e.key + "' belongs in [" +
                                                     other_section + "], not [" + e.section + "]");
      }
      std::string known;
      for (const auto& s : kOptions)
        if (s.section == e.section) known += (known.empty() ? "" : ", ") + std::string(s.key);
      throw ConfigError(ConfigStatus::kSyntax, where + "unknown key '" + e.key + "' in [" +
                                                   e.section + "] (known: " + known + ")");
    }
    auto [it, fresh] = sources.lines.emplace(fileKey(*spec), e.line);
    if (!fresh && spec->kind != Kind::kList) {
      throw ConfigError(
          ConfigStatus::kSyntax,
          where + "'" + e.key + "' given twice (first at line " + std::to_string(it->second) + ")");
    }
    try {
      spec->set(options, e.key, e.value);
    } catch (const UsageError& err) {
      throw ConfigError(ConfigStatus::kBadValue, where + err.what());
    }
  }
}

DaemonInvocation parseDaemonArgs(const std::vector<std::string>& args, const FileReader& read) {
  DaemonInvocation inv;
  // Flags first collected, then applied over the file.
  std::vector<std::pair<const OptionSpec*, std::string>> flags;
  std::set<std::string_view> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "-h" || name == "--help") {
      inv.help = true;
      return inv;
    }
    if (name == "-V" || name == "--version") {
      inv.version = true;
      return inv;
    }
    std::optional<std::string> value;
    if (name == "-n") {
      name = "--netns";
    } else if (auto eq = name.find('='); name.starts_with("--") && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "--config-test") {
      inv.config_test = true;
      // An optional FILE: the next word, unless it is an option.
      if (!value && i + 1 < args.size() && !args[i + 1].starts_with("-")) value = args[++i];
      if (value) {
        if (inv.config && *inv.config != *value) {
          throw UsageError("--config-test FILE and --config FILE name different files");
        }
        inv.config = value;
      }
      continue;
    }
    if (name == "--config") {
      if (!value && i + 1 >= args.size())
        throw UsageError("option '" + args[i] + "' needs a value");
      if (!value) value = args[++i];
      if (inv.config && *inv.config != *value) throw UsageError("option '--config' given twice");
      inv.config = value;
      continue;
    }
    const OptionSpec* spec = byFlag(name);
    if (!spec) {
      throw UsageError(name.starts_with("-") ? "unknown option '" + name + "'"
                                             : "unexpected argument '" + name + "'");
    }
    if (spec->kind == Kind::kBool && !value) {
      // Alone it means yes; `--flag no` (or `--flag=no`) overrides a file's yes. sttcpd takes no
      // other arguments, so a following yes or no can only be the flag's.
      bool said = i + 1 < args.size() && (args[i + 1] == "yes" || args[i + 1] == "no");
      value = said ? args[++i] : std::string("yes");
    }
    if (!value) {
      if (i + 1 >= args.size()) throw UsageError("option '" + args[i] + "' needs a value");
      value = args[++i];
    }
    if (!given.insert(spec->flag).second && spec->kind != Kind::kList) {
      throw UsageError("option '" + name + "' given twice");
    }
    flags.emplace_back(spec, *value);
  }
  if (inv.config_test && !inv.config) inv.config = kDefaultConfigPath;
  if (inv.config) applyConfigText(inv.options, inv.sources, read(*inv.config), *inv.config);
  std::set<const OptionSpec*> replaced;
  for (const auto& [spec, value] : flags) {
    // A flag overrides the file: its line no longer names the value.
    inv.sources.lines.erase(fileKey(*spec));
    if (spec->kind == Kind::kList && replaced.insert(spec).second) inv.options.notify.clear();
    spec->set(inv.options, std::string(spec->flag), value);
  }
  validateDaemonOptions(inv.options, inv.sources);
  return inv;
}

// What the module accepts (its netlink policy) and what sttcpd can send, so that a file the
// --config-test passes is one the start accepts.
void checkRanges(const DaemonOptions& o, const Namer& n) {
  auto invalid = [&](std::string_view flag, const std::string& what) {
    return ConfigError(ConfigStatus::kInvalid, n.at({flag}) + n.name(flag) + " " + what);
  };
  const Config& c = o.service;
  if (c.hb_interval_ms && (*c.hb_interval_ms < 1 || *c.hb_interval_ms > 10000)) {
    throw invalid("--hb-interval-ms",
                  std::to_string(*c.hb_interval_ms) + " is outside the module's range 1-10000");
  }
  if (c.hb_dead_count && (*c.hb_dead_count < 2 || *c.hb_dead_count > 100)) {
    throw invalid("--hb-dead-count",
                  std::to_string(*c.hb_dead_count) + " is outside the module's range 2-100");
  }
  if (o.garp_count > 100) {
    throw invalid("--garp-count", std::to_string(o.garp_count) + " is more than 100");
  }
  if (o.garp_interval_ms > 10000) {
    throw invalid("--garp-interval-ms",
                  std::to_string(o.garp_interval_ms) + " is more than 10000 (10 s)");
  }
  const std::pair<std::string_view, std::optional<Ipv4>> addresses[] = {{"--vip", c.vip},
                                                                        {"--local", c.local.addr},
                                                                        {"--peer", c.peer.addr},
                                                                        {"--local2", c.local2},
                                                                        {"--peer2", c.peer2}};
  for (const auto& [flag, addr] : addresses) {
    if (addr && !addr->isUnicast()) {
      throw invalid(flag, addr->str() + " is not a unicast address (the module refuses it)");
    }
  }
}

void validateDaemonOptions(const DaemonOptions& o, const OptionSources& sources) {
  const Namer n(sources);
  auto invalid = [](const std::string& message) {
    return ConfigError(ConfigStatus::kInvalid, message);
  };
  if (o.service.role == Role::kNone) throw invalid(n.missing("--role"));
  if (o.service.vip.value == 0) throw invalid(n.missing("--vip"));
  if (o.service.ports.empty()) throw invalid(n.missing("--port"));
  if (o.service.local.addr.value == 0) throw invalid(n.missing("--local"));
  if (o.service.peer.addr.value == 0) throw invalid(n.missing("--peer"));
  if (o.dev.empty()) throw invalid(n.missing("--dev"));
  if (o.dev.size() >= IFNAMSIZ || o.dev == "." || o.dev == ".." ||
      o.dev.find_first_of("/: \t\n") != std::string::npos) {
    throw invalid(n.at({"--dev"}) + "invalid " + n.name("--dev") + " '" + o.dev +
                  "' (not an interface name)");
  }
  if (o.dev == kVipDevice) {
    throw invalid(n.at({"--dev"}) + n.name("--dev") + " cannot be " + kVipDevice +
                  " (sttcpd's own dummy device holding the VIP)");
  }
  if (o.service.local == o.service.peer) {
    throw invalid(n.at({"--peer", "--local"}) + n.name("--local") + " and " + n.name("--peer") +
                  " must differ");
  }
  const Config& c = o.service;
  if (c.local2.has_value() != c.peer2.has_value()) {
    throw invalid(n.at({"--local2", "--peer2"}) + n.name("--local2") + " and " + n.name("--peer2") +
                  " go together (the second heartbeat path needs both ends): give both or neither");
  }
  if (c.local2 && *c.local2 == *c.peer2) {
    throw invalid(n.at({"--peer2", "--local2"}) + n.name("--local2") + " and " + n.name("--peer2") +
                  " must differ");
  }
  if (c.vip == c.local.addr || c.vip == c.peer.addr || (c.local2 && c.vip == *c.local2) ||
      (c.peer2 && c.vip == *c.peer2)) {
    throw invalid(n.at({"--vip"}) + "the service address " + n.name("--vip") + " " + c.vip.str() +
                  " cannot also be a sync or heartbeat address (it moves between the nodes)");
  }
  checkRanges(o, n);
  if (auto error = configError(c)) throw invalid(*error);
  for (const auto& program : o.notify)
    if (program.empty()) throw invalid(n.at({"--notify"}) + "empty notify program name");
  for (const auto* path : {&o.pidfile, &o.log, &o.netns}) {
    if (*path && (*path)->empty()) throw invalid("empty file name");
  }
}

std::string whereGiven(const OptionSources& sources, std::string_view flag) {
  return Namer(sources).at({flag});
}

std::vector<std::string> reloadBlockers(const DaemonOptions& a, const DaemonOptions& b) {
  std::vector<std::string> out;
  diff(out, "role", std::string(roleName(a.service.role)), std::string(roleName(b.service.role)));
  diff(out, "vip", a.service.vip.str(), b.service.vip.str());
  diff(out, "ports", portsText(a.service.ports), portsText(b.service.ports));
  diff(out, "interface", a.dev, b.dev);
  diff(out, "gating", std::string(gatingName(a.service.gating)),
       std::string(gatingName(b.service.gating)));
  diff(out, "local", a.service.local.str(), b.service.local.str());
  diff(out, "peer", a.service.peer.str(), b.service.peer.str());
  diff(out, "local2", text(a.service.local2), text(b.service.local2));
  diff(out, "peer2", text(a.service.peer2), text(b.service.peer2));
  diff(out, "key-file", a.keyFile.empty() ? "(none)" : a.keyFile,
       b.keyFile.empty() ? "(none)" : b.keyFile);
  diff(out, "netns", text(a.netns), text(b.netns));
  diff(out, "log", text(a.log), text(b.log));
  diff(out, "pidfile", text(a.pidfile), text(b.pidfile));
  return out;
}

std::vector<std::string> reloadChanges(const DaemonOptions& a, const DaemonOptions& b) {
  std::vector<std::string> out;
  diff(out, "hb-interval-ms", text(a.service.hb_interval_ms), text(b.service.hb_interval_ms));
  diff(out, "hb-dead-count", text(a.service.hb_dead_count), text(b.service.hb_dead_count));
  diff(out, "garp-count", std::to_string(a.garp_count), std::to_string(b.garp_count));
  diff(out, "garp-interval-ms", std::to_string(a.garp_interval_ms),
       std::to_string(b.garp_interval_ms));
  diff(out, "notify", joinList(a.notify), joinList(b.notify));
  diff(out, "handover-on-exit", a.handover_on_exit ? "yes" : "no",
       b.handover_on_exit ? "yes" : "no");
  return out;
}

std::string optionsSummary(const DaemonOptions& o) {
  const Config& c = o.service;
  std::string s = "role " + std::string(roleName(c.role)) + ", vip " + c.vip.str() + ", ports " +
                  portsText(c.ports) + " on " + o.dev + ", sync " + c.local.str() + " -> " +
                  c.peer.str();
  if (c.local2) s += ", second path " + c.local2->str() + " -> " + c.peer2->str();
  s += ", gating " + std::string(gatingName(c.gating));
  if (c.hb_interval_ms) s += ", hb-interval-ms " + std::to_string(*c.hb_interval_ms);
  if (c.hb_dead_count) s += ", hb-dead-count " + std::to_string(*c.hb_dead_count);
  if (!o.notify.empty()) s += ", " + std::to_string(o.notify.size()) + " notify hook(s)";
  if (!o.keyFile.empty()) s += ", key-file " + o.keyFile;
  if (o.handover_on_exit) s += ", handover on exit";
  return s;
}

std::string daemonSynopsis() {
  return "Usage: sttcpd [--config FILE] [-n NETNS] --role primary|backup --vip ADDR\n"
         "              --port P[,P...] --dev IFACE --local ADDR[:PORT] --peer ADDR[:PORT]\n"
         "              [--local2 ADDR --peer2 ADDR] [--hb-interval-ms N] [--hb-dead-count N]\n"
         "              [--gating hold|none] [--epoch N] [--garp-count N]\n"
         "              [--garp-interval-ms N] [--notify PROGRAM]... [--key-file FILE]\n"
         "              [--handover-on-exit [yes|no]] [--pidfile FILE] [--log FILE]\n"
         "       sttcpd --config-test [FILE]\n";
}

std::string daemonUsageText() {
  std::string text =
      daemonSynopsis() +
      "\n"
      "Runs one node of an sttcp pair: configures the kernel module and moves the\n"
      "service address (VIP) with the node's state. Stays in the foreground.\n"
      "\n"
      "  --config FILE           read the settings from FILE (sttcp.conf(5));\n"
      "                          flags given as well override the file\n"
      "  --config-test [FILE]    check FILE (default " +
      std::string(kDefaultConfigPath) +
      ") with the flags and exit\n"
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
      "                          STTCP_VIP), one at a time, in order; repeatable\n"
      "  --key-file FILE         authenticate the sync channel with the key in FILE\n"
      "                          (64 hex digits or base64, see 'sttcpctl genkey';\n"
      "                          mode 600 or stricter). Both nodes need the same key\n"
      "  --handover-on-exit [yes|no]\n"
      "                          SIGTERM on an active primary with a live backup:\n"
      "                          switch over first, then leave ('no' overrides the file)\n"
      "  --pidfile FILE          write the process id to FILE\n"
      "  --log FILE              log to FILE (appended) instead of stderr\n"
      "  -V, --version           print sttcpd's version and the loaded module's\n"
      "  -h, --help              print this help\n"
      "\n"
      "The node is prepared idempotently: dummy device " +
      std::string(kVipDevice) +
      " up holding VIP/32, arp_ignore=1 and\n"
      "arp_announce=2 on all and IFACE, rp_filter=0 on all and " +
      kVipDevice +
      ". Only the state active\n"
      "owns the VIP on IFACE (added, then announced by gratuitous ARP); any other\n"
      "state removes it. SIGHUP reloads the configuration file (timers, hooks; a\n"
      "change that would release the protected flows is refused and logged).\n"
      "SIGTERM/SIGINT remove the VIP, delete the configuration and exit 0.\n"
      "\n"
      "Exit status: 0 after SIGTERM/SIGINT (or a valid --config-test), 1 on\n"
      "errors, 2 on bad arguments; configuration files: 3 unreadable, 4 syntax,\n"
      "5 bad value, 6 missing or contradictory settings (see sttcp.conf(5)).\n";
  return text;
}

}  // namespace sttcp
