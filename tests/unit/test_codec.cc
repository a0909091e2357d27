// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "codec.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/sttcp.h>
#include <netlink/genl/genl.h>

#include <cstring>
#include <stdexcept>

#include "nl_raii.h"

namespace sttcp {
namespace {

constexpr int kFamily = 0x20;

nl::MsgPtr newMsg(std::uint8_t cmd) {
  nl::MsgPtr msg(nlmsg_alloc());
  genlmsg_put(msg.get(), 0, 0, kFamily, 0, 0, cmd, STTCP_GENL_VERSION);
  return msg;
}

Config sampleConfig() {
  Config c;
  c.role = Role::kBackup;
  c.vip = *Ipv4::parse("10.0.0.1");
  c.ports = {80, 443, 5000};
  c.local = *Endpoint::parse("192.168.0.1:7400", 0);
  c.peer = *Endpoint::parse("192.168.0.2:7401", 0);
  c.gating = Gating::kNone;
  return c;
}

TEST(Codec, ConfigRoundTrip) {
  auto msg = newMsg(STTCP_CMD_SET_CONFIG);
  codec::putConfig(msg.get(), sampleConfig());
  ConfigState state = codec::parseConfig(nlmsg_hdr(msg.get()));
  EXPECT_FALSE(state.configured);  // no STTCP_A_CONFIGURED in a request
  EXPECT_EQ(state.config, sampleConfig());
}

TEST(Codec, AddressesAreBigEndianPortsHostOrder) {
  auto msg = newMsg(STTCP_CMD_SET_CONFIG);
  codec::putConfig(msg.get(), sampleConfig());
  nlattr* vip = nlmsg_find_attr(nlmsg_hdr(msg.get()), GENL_HDRLEN, STTCP_A_VIP);
  ASSERT_NE(vip, nullptr);
  const auto* b = static_cast<const std::uint8_t*>(nla_data(vip));
  EXPECT_EQ(b[0], 10);
  EXPECT_EQ(b[3], 1);
  nlattr* port = nlmsg_find_attr(nlmsg_hdr(msg.get()), GENL_HDRLEN, STTCP_A_PEER_PORT);
  ASSERT_NE(port, nullptr);
  std::uint16_t raw;
  std::memcpy(&raw, nla_data(port), sizeof(raw));
  EXPECT_EQ(raw, 7401);
}

TEST(Codec, ConfiguredReply) {
  auto msg = newMsg(STTCP_CMD_GET_CONFIG);
  codec::putConfig(msg.get(), sampleConfig());
  nla_put_flag(msg.get(), STTCP_A_CONFIGURED);
  EXPECT_TRUE(codec::parseConfig(nlmsg_hdr(msg.get())).configured);
}

TEST(Codec, UnconfiguredReplyHasNoAttributes) {
  auto msg = newMsg(STTCP_CMD_GET_CONFIG);
  ConfigState state = codec::parseConfig(nlmsg_hdr(msg.get()));
  EXPECT_FALSE(state.configured);
  EXPECT_EQ(state.config, Config{});
}

TEST(Codec, ShortAttributeIsRejected) {
  auto msg = newMsg(STTCP_CMD_GET_CONFIG);
  std::uint16_t half = 1;
  nla_put(msg.get(), STTCP_A_VIP, sizeof(half), &half);  // be32 expected
  EXPECT_THROW(codec::parseConfig(nlmsg_hdr(msg.get())), std::runtime_error);
}

TEST(Codec, StatsSkipPadsAndNameUnknownIds) {
  auto msg = newMsg(STTCP_CMD_GET_STATS);
  nlattr* nest = nla_nest_start(msg.get(), STTCP_A_STATS);
  nla_put(msg.get(), STTCP_A_PAD, 0, nullptr);  // as nla_put_u64_64bit may emit
  nla_put_u64(msg.get(), STTCP_STAT_FLOWS_CREATED, 1ull << 40);
  nla_put_u64(msg.get(), STTCP_STAT_HELD, 3);
  nla_put_u64(msg.get(), STTCP_STAT_MAX + 1, 9);  // from a newer kernel
  nla_nest_end(msg.get(), nest);
  Stats stats = codec::parseStats(nlmsg_hdr(msg.get()));
  EXPECT_EQ(stats, (Stats{{"flows_created", 1ull << 40},
                          {"held", 3},
                          {"stat_" + std::to_string(STTCP_STAT_MAX + 1), 9}}));
}

TEST(Codec, StatsReplyWithoutNestIsMalformed) {
  auto msg = newMsg(STTCP_CMD_GET_STATS);
  EXPECT_THROW(codec::parseStats(nlmsg_hdr(msg.get())), std::runtime_error);
}

TEST(Codec, FlowWithEveryAttribute) {
  auto msg = newMsg(STTCP_CMD_GET_FLOWS);
  nlattr* nest = nla_nest_start(msg.get(), STTCP_A_FLOW);
  nla_put_u32(msg.get(), STTCP_FLOW_A_CLIENT_ADDR, htonl(0xc0a80102));
  nla_put_u16(msg.get(), STTCP_FLOW_A_CLIENT_PORT, 40000);
  nla_put_u32(msg.get(), STTCP_FLOW_A_VIP, htonl(0x0a000001));
  nla_put_u16(msg.get(), STTCP_FLOW_A_VPORT, 5000);
  nla_put_u8(msg.get(), STTCP_FLOW_A_STATE, STTCP_FLOW_CLOSING);
  nla_put_u32(msg.get(), STTCP_FLOW_A_FLAGS, STTCP_FLOW_F_UNPROTECTED);
  nla_put_u32(msg.get(), STTCP_FLOW_A_SEQ_DELTA, 0xfffffff0);
  nla_put_u32(msg.get(), STTCP_FLOW_A_TS_DELTA, 12);
  nla_put_u8(msg.get(), STTCP_FLOW_A_WSCALE_PRIMARY, 7);
  nla_put_u8(msg.get(), STTCP_FLOW_A_WSCALE_BACKUP, 8);
  nla_put_u32(msg.get(), STTCP_FLOW_A_BACKUP_RCV_NXT, 100);
  nla_put_u32(msg.get(), STTCP_FLOW_A_HELD_SEGS, 4);
  nla_put_u32(msg.get(), STTCP_FLOW_A_SND_UNA, 200);
  nla_put_u32(msg.get(), STTCP_FLOW_A_SND_NXT, 300);
  nla_put_u32(msg.get(), STTCP_FLOW_A_RCV_NXT, 400);
  nla_put_u8(msg.get(), STTCP_FLOW_A_SOCK_STATE, 1);
  nla_put(msg.get(), STTCP_FLOW_A_PAD, 0, nullptr);
  nla_put_u64(msg.get(), STTCP_FLOW_A_SEGS_IN, 1ull << 33);
  nla_nest_end(msg.get(), nest);

  Flow f = codec::parseFlow(nlmsg_hdr(msg.get()));
  EXPECT_EQ(f.client->str(), "192.168.1.2");
  EXPECT_EQ(f.client_port, 40000);
  EXPECT_EQ(f.vip->str(), "10.0.0.1");
  EXPECT_EQ(f.vport, 5000);
  EXPECT_EQ(f.state, STTCP_FLOW_CLOSING);
  EXPECT_EQ(f.flags, STTCP_FLOW_F_UNPROTECTED);
  EXPECT_EQ(f.seq_delta, 0xfffffff0u);
  EXPECT_EQ(f.ts_delta, 12u);
  EXPECT_EQ(f.wscale_primary, 7);
  EXPECT_EQ(f.wscale_backup, 8);
  EXPECT_EQ(f.backup_rcv_nxt, 100u);
  EXPECT_EQ(f.held_segs, 4u);
  EXPECT_EQ(f.snd_una, 200u);
  EXPECT_EQ(f.snd_nxt, 300u);
  EXPECT_EQ(f.rcv_nxt, 400u);
  EXPECT_EQ(f.sock_state, 1);
  EXPECT_EQ(f.segs_in, 1ull << 33);
}

TEST(Codec, FlowKeepsAbsentFieldsEmpty) {
  auto msg = newMsg(STTCP_CMD_GET_FLOWS);
  nlattr* nest = nla_nest_start(msg.get(), STTCP_A_FLOW);
  nla_put_u16(msg.get(), STTCP_FLOW_A_VPORT, 80);
  nla_nest_end(msg.get(), nest);
  Flow expected;
  expected.vport = 80;
  EXPECT_EQ(codec::parseFlow(nlmsg_hdr(msg.get())), expected);
}

TEST(Codec, FlowMessageWithoutNestIsMalformed) {
  auto msg = newMsg(STTCP_CMD_GET_FLOWS);
  EXPECT_THROW(codec::parseFlow(nlmsg_hdr(msg.get())), std::runtime_error);
}

}  // namespace
}  // namespace sttcp
