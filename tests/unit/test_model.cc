// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "model.h"

#include <gtest/gtest.h>
#include <linux/sttcp.h>

namespace sttcp {
namespace {

TEST(Ipv4, ParsesAndFormatsDottedQuad) {
  auto addr = Ipv4::parse("10.0.0.1");
  ASSERT_TRUE(addr);
  EXPECT_EQ(addr->value, 0x0a000001u);
  EXPECT_EQ(addr->str(), "10.0.0.1");
}

TEST(Ipv4, RejectsNonStrictForms) {
  for (const char* bad : {"", "10.1", "0x0a.0.0.1", "1.2.3.4.5", "256.0.0.1", "1.2.3.4 ", "a"}) {
    EXPECT_FALSE(Ipv4::parse(bad)) << bad;
  }
}

TEST(Endpoint, DefaultsThePort) {
  auto ep = Endpoint::parse("1.2.3.4", STTCP_DEFAULT_SYNC_PORT);
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->str(), "1.2.3.4:7400");
}

TEST(Endpoint, ParsesExplicitPort) {
  auto ep = Endpoint::parse("1.2.3.4:9", 7400);
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->port, 9);
}

TEST(Endpoint, RejectsBadPorts) {
  for (const char* bad : {"1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "1.2.3.4:-1"}) {
    EXPECT_FALSE(Endpoint::parse(bad, 7400)) << bad;
  }
}

TEST(Names, RoleAndGatingRoundTrip) {
  EXPECT_EQ(parseRole("primary"), Role::kPrimary);
  EXPECT_EQ(parseRole("backup"), Role::kBackup);
  EXPECT_FALSE(parseRole("none"));
  EXPECT_EQ(roleName(Role::kBackup), "backup");
  EXPECT_EQ(parseGating("none"), Gating::kNone);
  EXPECT_EQ(gatingName(Gating::kHold), "hold");
  EXPECT_FALSE(parseGating("HOLD"));
}

TEST(Names, FlowStates) {
  EXPECT_EQ(flowStateName(STTCP_FLOW_SYN), "syn");
  EXPECT_EQ(flowStateName(STTCP_FLOW_ESTABLISHED), "established");
  EXPECT_EQ(flowStateName(STTCP_FLOW_CLOSING), "closing");
  EXPECT_EQ(flowStateName(STTCP_FLOW_CLOSED), "closed");
  EXPECT_EQ(flowStateName(77), "state77");
}

TEST(Names, TcpStates) {
  EXPECT_EQ(tcpStateName(1), "ESTABLISHED");
  EXPECT_EQ(tcpStateName(10), "LISTEN");
  EXPECT_EQ(tcpStateName(0), "TCP0");
  EXPECT_EQ(tcpStateName(99), "TCP99");
}

TEST(Names, FlowFlags) {
  EXPECT_EQ(flowFlagNames(0), "");
  EXPECT_EQ(flowFlagNames(STTCP_FLOW_F_UNPROTECTED | STTCP_FLOW_F_TS), "unprotected,ts");
  EXPECT_EQ(flowFlagNames(STTCP_FLOW_F_SACK | STTCP_FLOW_F_EMBRYONIC), "sack,embryonic");
  EXPECT_EQ(flowFlagNames(STTCP_FLOW_F_SACK | 0x200), "sack,0x200");
}

TEST(Stats, NamesFollowTheHeader) {
  EXPECT_EQ(statName(STTCP_STAT_FLOWS_CREATED), "flows_created");
  EXPECT_EQ(statName(STTCP_STAT_HOLD_GIVEUP), "hold_giveup");
  EXPECT_EQ(statName(STTCP_STAT_SKB_ALLOC_FAIL), "skb_alloc_fail");
  EXPECT_EQ(statName(STTCP_STAT_MAX), statNames().back());
  EXPECT_EQ(statNames().size(), static_cast<std::size_t>(STTCP_STAT_MAX));
  EXPECT_EQ(statNames().front(), "flows_created");
}

TEST(Stats, UnknownIdsStillGetAName) {
  EXPECT_EQ(statName(STTCP_STAT_MAX + 1), "stat_" + std::to_string(STTCP_STAT_MAX + 1));
  EXPECT_EQ(statName(0), "stat_0");
}

TEST(FlowFlags, TakenOver) {
  EXPECT_EQ(flowFlagNames(STTCP_FLOW_F_TAKEN_OVER), "taken_over");
}

TEST(FlowFlags, DivergedAndLeft) {
  EXPECT_EQ(flowFlagNames(STTCP_FLOW_F_UNPROTECTED | STTCP_FLOW_F_DIVERGED),
            "unprotected,diverged");
  EXPECT_EQ(flowFlagNames(STTCP_FLOW_F_LEFT), "left");
}

TEST(Names, StatesPeersAndEvents) {
  EXPECT_EQ(nodeStateName(NodeState::kNone), "none");
  EXPECT_EQ(nodeStateName(NodeState::kStarting), "starting");
  EXPECT_EQ(nodeStateName(NodeState::kActive), "active");
  EXPECT_EQ(nodeStateName(NodeState::kBackup), "backup");
  EXPECT_EQ(nodeStateName(NodeState::kHandover), "handover");
  EXPECT_EQ(nodeStateName(static_cast<NodeState>(9)), "state9");
  EXPECT_EQ(peerStateName(PeerState::kUnknown), "unknown");
  EXPECT_EQ(peerStateName(PeerState::kAlive), "alive");
  EXPECT_EQ(peerStateName(PeerState::kSyncLost), "sync_lost");
  EXPECT_EQ(peerStateName(PeerState::kDead), "dead");
  EXPECT_EQ(peerStateName(static_cast<PeerState>(7)), "peer7");
  EXPECT_EQ(eventName(EventType::kState), "state");
  EXPECT_EQ(eventName(EventType::kTakeover), "takeover");
  EXPECT_EQ(eventName(EventType::kPeerAlive), "peer_alive");
  EXPECT_EQ(eventName(EventType::kPeerSyncLost), "peer_sync_lost");
  EXPECT_EQ(eventName(EventType::kPeerDead), "peer_dead");
  EXPECT_EQ(eventName(EventType::kSwitchoverFailed), "switchover_failed");
  EXPECT_EQ(eventName(EventType::kFlowUnprotected), "flow_unprotected");
  EXPECT_EQ(eventName(EventType::kPeerSettings), "peer_settings");
  EXPECT_EQ(eventName(EventType::kAuthFail), "auth_fail");
  EXPECT_EQ(eventName(EventType::kAppLost), "app_lost");
  EXPECT_EQ(eventName(EventType::kFlowDiverged), "flow_diverged");
  EXPECT_EQ(eventName(EventType::kUnspec), "event0");
}

TEST(ConfigError, SecondPathAndTiming) {
  Config c;
  EXPECT_EQ(configError(c), std::nullopt);
  c.local2 = Ipv4{1};
  EXPECT_TRUE(configError(c));
  c.peer2 = Ipv4{2};
  EXPECT_EQ(configError(c), std::nullopt);
  c.peer2 = Ipv4{1};
  EXPECT_EQ(configError(c), "local2 and peer2 must differ");
  c.local2.reset();
  c.peer2.reset();
  c.hb_interval_ms = 0;
  EXPECT_EQ(configError(c), "the heartbeat interval must be at least 1 ms");
  c.hb_interval_ms = 1;
  c.hb_dead_count = 0;
  EXPECT_EQ(configError(c), "the heartbeat dead count must be at least 1");
}

TEST(ParseUnsigned, Bounds) {
  EXPECT_EQ(parseUnsigned("0", 0, 10), 0u);
  EXPECT_EQ(parseUnsigned("10", 0, 10), 10u);
  EXPECT_EQ(parseUnsigned("11", 0, 10), std::nullopt);
  EXPECT_EQ(parseUnsigned("0", 1, 10), std::nullopt);
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1x", "0x10", "99999999999999999999"}) {
    EXPECT_EQ(parseUnsigned(bad, 0, UINT64_MAX), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace sttcp
