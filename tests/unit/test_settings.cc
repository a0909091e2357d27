// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Node settings: the blob, what is collected, what a difference means, and
// the VIP set-up warnings of `sttcpctl show`.
#include "settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/sttcp.h>

#include <stdexcept>

namespace sttcp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ProcReader fakeProc(std::map<std::string, std::string> files) {
  return [files](const std::string& path) -> std::optional<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SettingsBlob, RoundTripAndTolerance) {
  NodeSettings s = {{"tcp_sack", "1"}, {"tcp_rmem", "4096 131072 6291456"}};
  std::string blob = encodeSettings(s);
  EXPECT_EQ(blob, "tcp_rmem=4096 131072 6291456\ntcp_sack=1\n");
  EXPECT_EQ(decodeSettings(blob), s);
  // Garbage lines are skipped; a missing final newline is fine.
  EXPECT_EQ(decodeSettings("junk\n=x\na=b=c\nz=1"), (NodeSettings{{"a", "b=c"}, {"z", "1"}}));
  EXPECT_THROW(encodeSettings({{"k", std::string(STTCP_SETTINGS_MAX, 'x')}}), std::length_error);
  try {
    encodeSettings({{"k", std::string(STTCP_SETTINGS_MAX, 'x')}});
  } catch (const std::length_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "node settings exceed " + std::to_string(STTCP_SETTINGS_MAX) + " bytes");
  }
}

TEST(SettingsCollect, ConfigSysctlsAndMtu) {
  Config c;
  c.vip = *Ipv4::parse("10.0.0.100");
  c.ports = {443, 80};
  c.hb_dead_count = 4;
  auto read = fakeProc({{"/proc/sys/net/ipv4/tcp_sack", "1"},
                        {"/proc/sys/net/ipv4/tcp_timestamps", "2"},
                        {"/proc/sys/net/sttcp/hb_interval_ms", "50"},
                        {"/proc/sys/net/sttcp/hb_dead_count", "10"},
                        {"/sys/class/net/eth0/mtu", "9000"}});
  EXPECT_EQ(collectSettings(c, "eth0", read), (NodeSettings{{"v", "1"},
                                                            {"vip", "10.0.0.100"},
                                                            {"ports", "80,443"},
                                                            {"gating", "hold"},
                                                            {"dev", "eth0"},
                                                            {"hb_interval_ms", "50"},
                                                            {"hb_dead_count", "4"},
                                                            {"tcp_sack", "1"},
                                                            {"tcp_timestamps", "2"},
                                                            {"mtu", "9000"}}));
}

TEST(SettingsCompare, WhatBreaksAndWhatDegrades) {
  NodeSettings a = {{"tcp_timestamps", "1"}, {"tcp_sack", "1"}, {"mtu", "1500"},
                    {"ports", "5000"},       {"dev", "eth0"},   {"only_here", "x"}};
  NodeSettings b = a;
  b["tcp_timestamps"] = "2";  // offsets only: translated
  b["dev"] = "eth1";          // names may differ
  b.erase("only_here");
  EXPECT_TRUE(compareSettings(a, b).empty());
  b["tcp_sack"] = "0";
  b["mtu"] = "9000";
  b["tcp_timestamps"] = "0";
  auto d = compareSettings(a, b);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].key, "tcp_timestamps");
  EXPECT_TRUE(d[0].breaks);
  EXPECT_EQ(d[1], (SettingMismatch{"tcp_sack", "1", "0", true,
                                   "SACK on one node only: every new flow is unprotected "
                                   "(opt_mismatch)"}));
  EXPECT_FALSE(d[2].breaks);
  EXPECT_EQ(mismatchText(d[2]),
            "mtu: here 1500, peer 9000 (service MTUs differ: after a takeover segments are sized "
            "for the new node)");
}

// What a difference in each compared key means, as show and the daemon's log print it.
TEST(SettingsCompare, EveryKeyExplainsItsDifference) {
  struct Case {
    const char* key;
    bool breaks;
    const char* why;
  };
  const Case cases[] = {
      {"tcp_timestamps", true,
       "timestamps on one node only: every new flow is unprotected (opt_mismatch)"},
      {"tcp_sack", true, "SACK on one node only: every new flow is unprotected (opt_mismatch)"},
      {"tcp_window_scaling", true,
       "window scaling on one node only: every new flow is unprotected (opt_mismatch)"},
      {"vip", true, "the nodes protect different service addresses"},
      {"ports", true, "the nodes protect different ports: flows on the others are not shadowed"},
      {"gating", true, "one node gates, the other does not: a failover may lose acked bytes"},
      {"mtu", false, "service MTUs differ: after a takeover segments are sized for the new node"},
      {"rmem_max", false, "socket buffer limits differ: the backup may lag (spurious RTOs)"},
      {"wmem_max", false, "socket buffer limits differ: the backup may lag (spurious RTOs)"},
      {"tcp_rmem", false, "receive buffers differ: translated, but the backup may lag"},
      {"tcp_wmem", false, "send buffers differ: the backup may lag"},
      {"hb_interval_ms", false,
       "heartbeat intervals differ: the nodes detect each other's death at different times"},
      {"hb_dead_count", false,
       "heartbeat dead counts differ: the nodes detect each other's death at different times"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(compareSettings({{c.key, "1"}}, {{c.key, "0"}}),
                ElementsAre(SettingMismatch{c.key, "1", "0", c.breaks, c.why}))
        << c.key;
  }
}

TEST(VipSetup, GoodSetUpHasNoWarnings) {
  auto read = fakeProc({{"/proc/sys/net/ipv4/conf/all/arp_ignore", "0"},
                        {"/proc/sys/net/ipv4/conf/eth0/arp_ignore", "1"},
                        {"/proc/sys/net/ipv4/conf/all/arp_announce", "2"},
                        {"/proc/sys/net/ipv4/conf/eth0/arp_announce", "0"},
                        {"/proc/sys/net/ipv4/conf/all/rp_filter", "0"},
                        {"/proc/sys/net/ipv4/conf/sttcp0/rp_filter", "0"},
                        {"/sys/class/net/sttcp0/mtu", "1500"}});
  EXPECT_TRUE(checkVipSetup(read, "eth0").empty());
}

TEST(VipSetup, EachWrongSettingIsNamedWithItsFix) {
  auto read = fakeProc({{"/proc/sys/net/ipv4/conf/all/arp_ignore", "0"},
                        {"/proc/sys/net/ipv4/conf/eth0/arp_ignore", "0"},
                        {"/proc/sys/net/ipv4/conf/all/arp_announce", "1"},
                        {"/proc/sys/net/ipv4/conf/eth0/arp_announce", "0"},
                        {"/proc/sys/net/ipv4/conf/all/rp_filter", "0"},
                        {"/proc/sys/net/ipv4/conf/sttcp0/rp_filter", "1"},
                        {"/sys/class/net/sttcp0/mtu", "1500"}});
  EXPECT_THAT(
      checkVipSetup(read, "eth0"),
      ElementsAre("net.ipv4.conf.eth0.arp_ignore is 0, the design needs 1 (a backup must not "
                  "answer ARP for the VIP it holds on sttcp0); fix: sysctl -w "
                  "net.ipv4.conf.eth0.arp_ignore=1 (sttcpd sets it when it starts)",
                  "net.ipv4.conf.eth0.arp_announce is 1, the design needs 2 (never announce the "
                  "VIP as an ARP source); fix: sysctl -w net.ipv4.conf.eth0.arp_announce=2 "
                  "(sttcpd sets it when it starts)",
                  "reverse path filter is on for sttcp0 (rp_filter 1): the backup drops every "
                  "mirrored segment; fix: sysctl -w net.ipv4.conf.all.rp_filter=0 "
                  "net.ipv4.conf.sttcp0.rp_filter=0 (sttcpd sets them when it starts)"));
}

TEST(VipSetup, MissingVipDevice) {
  auto read = fakeProc({{"/proc/sys/net/ipv4/conf/all/arp_ignore", "1"},
                        {"/proc/sys/net/ipv4/conf/all/arp_announce", "2"}});
  EXPECT_THAT(checkVipSetup(read, ""),
              ElementsAre("device sttcp0 is missing: the VIP must be held on it (injected "
                          "segments arrive there); fix: start sttcpd, which creates it"));
}

TEST(ProcFile, FirstLineWithBlanksSqueezed) {
  EXPECT_FALSE(readProcFile("/nonexistent/file"));
  // /proc/self/stat has one line; only check the squeezing on a known file.
  auto v = readProcFile("/proc/sys/net/ipv4/tcp_rmem");
  if (v) {
    EXPECT_EQ(v->find('\t'), std::string::npos);
  }
}

}  // namespace
}  // namespace sttcp
