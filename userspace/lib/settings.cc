// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "settings.h"

#include <linux/sttcp.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "parse.h"

namespace sttcp {
namespace {

// What a difference in each key means. Keys not listed are not compared.
struct Rule {
  const char* key;
  bool breaks;
  const char* why;
  bool (*same)(const std::string&, const std::string&);
};

bool equal(const std::string& a, const std::string& b) {
  return a == b;
}

// tcp_timestamps 1 and 2 differ only in the offset, which is translated.
bool bothOnOrOff(const std::string& a, const std::string& b) {
  return (a == "0") == (b == "0");
}

constexpr Rule kRules[] = {
    {"tcp_timestamps", true,
     "timestamps on one node only: every new flow is unprotected (opt_mismatch)", bothOnOrOff},
    {"tcp_sack", true, "SACK on one node only: every new flow is unprotected (opt_mismatch)",
     equal},
    {"tcp_window_scaling", true,
     "window scaling on one node only: every new flow is unprotected (opt_mismatch)", equal},
    {"vip", true, "the nodes protect different service addresses", equal},
    {"ports", true, "the nodes protect different ports: flows on the others are not shadowed",
     equal},
    {"gating", true, "one node gates, the other does not: a failover may lose acked bytes", equal},
    {"mtu", false, "service MTUs differ: after a takeover segments are sized for the new node",
     equal},
    {"rmem_max", false, "socket buffer limits differ: the backup may lag (spurious RTOs)", equal},
    {"wmem_max", false, "socket buffer limits differ: the backup may lag (spurious RTOs)", equal},
    {"tcp_rmem", false, "receive buffers differ: translated, but the backup may lag", equal},
    {"tcp_wmem", false, "send buffers differ: the backup may lag", equal},
    {"hb_interval_ms", false,
     "heartbeat intervals differ: the nodes detect each other's death at different times", equal},
    {"hb_dead_count", false,
     "heartbeat dead counts differ: the nodes detect each other's death at different times", equal},
};

std::string portsText(const std::vector<std::uint16_t>& ports) {
  std::vector<std::uint16_t> sorted = ports;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (auto p : sorted)
    out += (out.empty() ? "" : ",") + std::to_string(p);
  return out;
}

int intOr(const std::optional<std::string>& v, int fallback) {
  if (!v) return fallback;
  auto n = parseUnsigned(*v, 0, 1000000);
  return n ? static_cast<int>(*n) : fallback;
}

}  // namespace

std::string encodeSettings(const NodeSettings& settings) {
  std::string blob;
  for (const auto& [key, value] : settings)
    blob += key + "=" + value + "\n";
  if (blob.size() > STTCP_SETTINGS_MAX) {
    throw std::length_error("node settings exceed " + std::to_string(STTCP_SETTINGS_MAX) +
                            " bytes");
  }
  return blob;
}

NodeSettings decodeSettings(std::string_view blob) {
  NodeSettings out;
  while (!blob.empty()) {
    auto nl = blob.find('\n');
    std::string_view line = blob.substr(0, nl);
    blob = nl == std::string_view::npos ? std::string_view() : blob.substr(nl + 1);
    auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return out;
}

std::optional<std::string> readProcFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  std::string out;
  for (char c : line) {
    if (c == '\t' || c == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

NodeSettings collectSettings(const Config& config, const std::string& dev, const ProcReader& read) {
  NodeSettings s;
  s["v"] = "1";
  s["vip"] = config.vip.str();
  s["ports"] = portsText(config.ports);
  s["gating"] = std::string(gatingName(config.gating));
  if (!dev.empty()) s["dev"] = dev;
  // The effective timers: the configured ones, else the namespace's sysctls.
  auto timer = [&](const std::optional<std::uint32_t>& v, const char* sysctl) {
    return v ? std::optional<std::string>(std::to_string(*v))
             : read(std::string("/proc/sys/net/sttcp/") + sysctl);
  };
  auto put = [&](const char* key, const std::optional<std::string>& value) {
    if (value) s[key] = *value;
  };
  put("hb_interval_ms", timer(config.hb_interval_ms, "hb_interval_ms"));
  put("hb_dead_count", timer(config.hb_dead_count, "hb_dead_count"));
  for (const char* key :
       {"tcp_timestamps", "tcp_sack", "tcp_window_scaling", "tcp_rmem", "tcp_wmem"}) {
    put(key, read(std::string("/proc/sys/net/ipv4/") + key));
  }
  // Global (init_net only) on 6.1: absent in other namespaces, then not compared.
  put("rmem_max", read("/proc/sys/net/core/rmem_max"));
  put("wmem_max", read("/proc/sys/net/core/wmem_max"));
  if (!dev.empty()) put("mtu", read("/sys/class/net/" + dev + "/mtu"));
  return s;
}

std::vector<SettingMismatch> compareSettings(const NodeSettings& local, const NodeSettings& peer) {
  std::vector<SettingMismatch> out;
  for (const Rule& rule : kRules) {
    auto a = local.find(rule.key), b = peer.find(rule.key);
    if (a == local.end() || b == peer.end() || rule.same(a->second, b->second)) continue;
    out.push_back({rule.key, a->second, b->second, rule.breaks, rule.why});
  }
  return out;
}

std::string mismatchText(const SettingMismatch& m) {
  return m.key + ": here " + m.local + ", peer " + m.peer + " (" + m.why + ")";
}

std::vector<std::string> checkVipSetup(const ProcReader& read, const std::string& dev) {
  std::vector<std::string> out;
  const std::string conf = "/proc/sys/net/ipv4/conf/";
  auto value = [&](const std::string& ifname, const char* key) {
    return intOr(read(conf + ifname + "/" + key), -1);
  };
  // The kernel uses the larger of all/<dev> for arp_ignore, arp_announce and rp_filter.
  auto effective = [&](const std::string& ifname, const char* key) {
    return std::max(value("all", key), ifname.empty() ? -1 : value(ifname, key));
  };
  const std::string where = dev.empty() ? "all" : dev;
  const std::string named = "net.ipv4.conf." + where + ".";
  int arp_ignore = effective(dev, "arp_ignore");
  if (arp_ignore >= 0 && arp_ignore != 1 && arp_ignore != 2) {
    out.push_back(named + "arp_ignore is " + std::to_string(arp_ignore) +
                  ", the design needs 1 (a backup must not answer ARP for the VIP it holds on " +
                  kVipDevice + "); fix: sysctl -w " + named +
                  "arp_ignore=1 (sttcpd sets it when it starts)");
  }
  int arp_announce = effective(dev, "arp_announce");
  if (arp_announce >= 0 && arp_announce != 2) {
    out.push_back(named + "arp_announce is " + std::to_string(arp_announce) +
                  ", the design needs 2 (never announce the VIP as an ARP source); fix: "
                  "sysctl -w " +
                  named + "arp_announce=2 (sttcpd sets it when it starts)");
  }
  if (!read("/sys/class/net/" + std::string(kVipDevice) + "/mtu")) {
    out.push_back(std::string("device ") + kVipDevice +
                  " is missing: the VIP must be held on it (injected segments arrive there); "
                  "fix: start sttcpd, which creates it");
    return out;
  }
  int rp = effective(kVipDevice, "rp_filter");
  if (rp > 0) {
    out.push_back("reverse path filter is on for " + std::string(kVipDevice) + " (rp_filter " +
                  std::to_string(rp) +
                  "): the backup drops every mirrored segment; fix: sysctl -w "
                  "net.ipv4.conf.all.rp_filter=0 net.ipv4.conf." +
                  kVipDevice + ".rp_filter=0 (sttcpd sets them when it starts)");
  }
  return out;
}

}  // namespace sttcp
