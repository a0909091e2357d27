// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "codec.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/sttcp.h>
#include <netlink/genl/genl.h>

#include <cstring>
#include <functional>
#include <optional>
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

// The message of the std::runtime_error `f` throws.
std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "<no error>";
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
  EXPECT_EQ(errorOf([&] { codec::parseConfig(nlmsg_hdr(msg.get())); }),
            std::string("malformed reply from the kernel: ") + nl_geterror(NLE_RANGE));
}

TEST(Codec, PortListWithAShortEntryIsMalformed) {
  auto msg = newMsg(STTCP_CMD_GET_CONFIG);
  nlattr* ports = nla_nest_start(msg.get(), STTCP_A_PORTS);
  nla_put_u16(msg.get(), STTCP_A_PORT, 80);
  nla_put_u8(msg.get(), STTCP_A_PORT, 1);  // too short for a port
  nla_nest_end(msg.get(), ports);
  EXPECT_EQ(errorOf([&] { codec::parseConfig(nlmsg_hdr(msg.get())); }),
            "malformed reply from the kernel: bad STTCP_A_PORTS entry");
}

TEST(Codec, RequestThatDoesNotFitNamesTheAttribute) {
  // Room for the headers and the role only: the VIP does not fit.
  nl::MsgPtr msg(nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(NLA_HDRLEN + 1)));
  ASSERT_NE(genlmsg_put(msg.get(), 0, 0, kFamily, 0, 0, STTCP_CMD_SET_CONFIG, STTCP_GENL_VERSION),
            nullptr);
  EXPECT_EQ(errorOf([&] { codec::putConfig(msg.get(), sampleConfig()); }),
            std::string("cannot build netlink message (vip): ") + nl_geterror(NLE_NOMEM));
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
  EXPECT_EQ(errorOf([&] { codec::parseStats(nlmsg_hdr(msg.get())); }),
            "malformed reply from the kernel: no STTCP_A_STATS");
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
  EXPECT_EQ(errorOf([&] { codec::parseFlow(nlmsg_hdr(msg.get())); }),
            "malformed reply from the kernel: no STTCP_A_FLOW");
}

TEST(Codec, FlowWithAShortAttributeIsMalformed) {
  auto msg = newMsg(STTCP_CMD_GET_FLOWS);
  nlattr* nest = nla_nest_start(msg.get(), STTCP_A_FLOW);
  std::uint16_t half = 1;
  nla_put(msg.get(), STTCP_FLOW_A_SEQ_DELTA, sizeof(half), &half);  // u32 expected
  nla_nest_end(msg.get(), nest);
  EXPECT_EQ(errorOf([&] { codec::parseFlow(nlmsg_hdr(msg.get())); }),
            std::string("malformed flow from the kernel: ") + nl_geterror(NLE_RANGE));
}

std::optional<std::uint32_t> u32Attr(nl_msg* msg, int type) {
  nlattr* attr = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, type);
  if (!attr) return std::nullopt;
  return nla_get_u32(attr);
}

TEST(Codec, ConfigFailoverAttributesRoundTrip) {
  Config c = sampleConfig();
  c.local2 = *Ipv4::parse("10.1.0.1");
  c.peer2 = *Ipv4::parse("10.1.0.2");
  c.hb_interval_ms = 100;
  c.hb_dead_count = 3;
  c.epoch = 0;  // sent: an explicit 0 is not "absent"
  auto msg = newMsg(STTCP_CMD_SET_CONFIG);
  codec::putConfig(msg.get(), c);
  EXPECT_EQ(codec::parseConfig(nlmsg_hdr(msg.get())).config, c);
  EXPECT_EQ(u32Attr(msg.get(), STTCP_A_LOCAL_ADDR2), htonl(0x0a010001));  // be32
  EXPECT_EQ(u32Attr(msg.get(), STTCP_A_PEER_ADDR2), htonl(0x0a010002));
  EXPECT_EQ(u32Attr(msg.get(), STTCP_A_HB_INTERVAL_MS), 100u);  // host order
  EXPECT_EQ(u32Attr(msg.get(), STTCP_A_HB_DEAD_COUNT), 3u);
  EXPECT_EQ(u32Attr(msg.get(), STTCP_A_EPOCH), 0u);
}

TEST(Codec, ConfigWithoutFailoverAttributesSendsNone) {
  auto msg = newMsg(STTCP_CMD_SET_CONFIG);
  codec::putConfig(msg.get(), sampleConfig());
  for (int type : {STTCP_A_LOCAL_ADDR2, STTCP_A_PEER_ADDR2, STTCP_A_HB_INTERVAL_MS,
                   STTCP_A_HB_DEAD_COUNT, STTCP_A_EPOCH}) {
    EXPECT_EQ(u32Attr(msg.get(), type), std::nullopt) << type;
  }
}

TEST(Codec, ConfigWithHalfASecondPathIsRefused) {
  Config c = sampleConfig();
  c.local2 = *Ipv4::parse("10.1.0.1");
  auto msg = newMsg(STTCP_CMD_SET_CONFIG);
  try {
    codec::putConfig(msg.get(), c);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "local2 and peer2 go together (the second heartbeat path needs both ends): "
                 "give both or neither");
  }
}

TEST(Codec, KeyIsSentAsExactly32BytesAndNeverParsedBack) {
  Config c = sampleConfig();
  Key key{};
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(0xa0 + i);
  c.key = key;
  auto msg = newMsg(STTCP_CMD_SET_CONFIG);
  codec::putConfig(msg.get(), c);
  nlattr* attr = nlmsg_find_attr(nlmsg_hdr(msg.get()), GENL_HDRLEN, STTCP_A_KEY);
  ASSERT_NE(attr, nullptr);
  ASSERT_EQ(nla_len(attr), STTCP_KEY_LEN);
  EXPECT_EQ(std::memcmp(nla_data(attr), key.data(), key.size()), 0);
  ConfigState back = codec::parseConfig(nlmsg_hdr(msg.get()));
  EXPECT_FALSE(back.config.key);
  EXPECT_FALSE(back.auth);

  auto none = newMsg(STTCP_CMD_SET_CONFIG);
  codec::putConfig(none.get(), sampleConfig());
  EXPECT_EQ(nlmsg_find_attr(nlmsg_hdr(none.get()), GENL_HDRLEN, STTCP_A_KEY), nullptr);
}

TEST(Codec, AuthInConfigAndStatusReplies) {
  auto config = newMsg(STTCP_CMD_GET_CONFIG);
  codec::putConfig(config.get(), sampleConfig());
  nla_put_flag(config.get(), STTCP_A_CONFIGURED);
  nla_put_u8(config.get(), STTCP_A_AUTH, 1);
  EXPECT_TRUE(codec::parseConfig(nlmsg_hdr(config.get())).auth);

  auto status = newMsg(STTCP_CMD_GET_STATUS);
  nla_put_u8(status.get(), STTCP_A_AUTH, 0);
  nla_put_u32(status.get(), STTCP_A_AUTH_FAIL_AGE_MS, 77);
  Status s = codec::parseStatus(nlmsg_hdr(status.get()));
  EXPECT_EQ(s.auth, false);
  EXPECT_EQ(s.auth_fail_age_ms, 77u);
  EXPECT_FALSE(codec::parseStatus(nlmsg_hdr(newMsg(STTCP_CMD_GET_STATUS).get())).auth);
}

TEST(Codec, StatusWithEveryAttribute) {
  auto msg = newMsg(STTCP_CMD_GET_STATUS);
  nla_put_u8(msg.get(), STTCP_A_STATE, STTCP_STATE_ACTIVE);
  nla_put_u32(msg.get(), STTCP_A_EPOCH, 4);
  nla_put_u8(msg.get(), STTCP_A_PEER_STATE, STTCP_PEER_SYNC_LOST);
  nla_put_u32(msg.get(), STTCP_A_PEER_EPOCH, 3);
  nla_put_u32(msg.get(), STTCP_A_PATH_SYNC_AGE_MS, 1500);
  nla_put_u32(msg.get(), STTCP_A_PATH_SVC_AGE_MS, 20);
  nla_put_u32(msg.get(), STTCP_A_HB_INTERVAL_MS, 100);
  nla_put_u32(msg.get(), STTCP_A_HB_DEAD_COUNT, 5);
  nla_put_u32(msg.get(), STTCP_A_VIP, htonl(0x0a000064));
  Status s = codec::parseStatus(nlmsg_hdr(msg.get()));
  EXPECT_EQ(s.state, NodeState::kActive);
  EXPECT_EQ(s.epoch, 4u);
  EXPECT_EQ(s.peer_state, PeerState::kSyncLost);
  EXPECT_EQ(s.peer_epoch, 3u);
  EXPECT_EQ(s.path_sync_age_ms, 1500u);
  EXPECT_EQ(s.path_svc_age_ms, 20u);
  EXPECT_EQ(s.hb_interval_ms, 100u);
  EXPECT_EQ(s.hb_dead_count, 5u);
  EXPECT_EQ(s.vip->str(), "10.0.0.100");
}

TEST(Codec, StatusPathsNeverHeardStayEmpty) {
  auto msg = newMsg(STTCP_CMD_GET_STATUS);
  nla_put_u8(msg.get(), STTCP_A_STATE, STTCP_STATE_STARTING);
  nla_put_u32(msg.get(), STTCP_A_EPOCH, 0);
  nla_put_u8(msg.get(), STTCP_A_PEER_STATE, STTCP_PEER_UNKNOWN);
  Status expected;
  expected.state = NodeState::kStarting;
  EXPECT_EQ(codec::parseStatus(nlmsg_hdr(msg.get())), expected);
}

TEST(Codec, StatusKeepsStatesFromANewerKernel) {
  auto msg = newMsg(STTCP_CMD_GET_STATUS);
  nla_put_u8(msg.get(), STTCP_A_STATE, STTCP_STATE_MAX + 1);
  Status s = codec::parseStatus(nlmsg_hdr(msg.get()));
  EXPECT_EQ(nodeStateName(s.state), "state" + std::to_string(STTCP_STATE_MAX + 1));
}

TEST(Codec, StatusWithShortEpochIsMalformed) {
  auto msg = newMsg(STTCP_CMD_GET_STATUS);
  std::uint16_t half = 1;
  nla_put(msg.get(), STTCP_A_EPOCH, sizeof(half), &half);
  EXPECT_THROW(codec::parseStatus(nlmsg_hdr(msg.get())), std::runtime_error);
}

TEST(Codec, StateEvent) {
  auto msg = newMsg(STTCP_CMD_EVENT);
  nla_put_u8(msg.get(), STTCP_A_EVENT, STTCP_EVENT_STATE);
  nla_put_u8(msg.get(), STTCP_A_STATE, STTCP_STATE_BACKUP);
  nla_put_u32(msg.get(), STTCP_A_EPOCH, 9);
  nla_put_u32(msg.get(), STTCP_A_VIP, htonl(0x0a000064));
  Event expected;
  expected.type = EventType::kState;
  expected.state = NodeState::kBackup;
  expected.epoch = 9;
  expected.vip = *Ipv4::parse("10.0.0.100");
  EXPECT_EQ(codec::parseEvent(nlmsg_hdr(msg.get())), expected);
}

TEST(Codec, FlowUnprotectedEventCarriesTheClient) {
  auto msg = newMsg(STTCP_CMD_EVENT);
  nla_put_u8(msg.get(), STTCP_A_EVENT, STTCP_EVENT_FLOW_UNPROTECTED);
  nla_put_u8(msg.get(), STTCP_A_STATE, STTCP_STATE_ACTIVE);
  nla_put_u32(msg.get(), STTCP_A_EPOCH, 2);
  nlattr* nest = nla_nest_start(msg.get(), STTCP_A_FLOW);
  nla_put_u32(msg.get(), STTCP_FLOW_A_CLIENT_ADDR, htonl(0xc0a80102));
  nla_put_u16(msg.get(), STTCP_FLOW_A_CLIENT_PORT, 40000);
  nla_nest_end(msg.get(), nest);
  Event e = codec::parseEvent(nlmsg_hdr(msg.get()));
  EXPECT_EQ(e.type, EventType::kFlowUnprotected);
  EXPECT_EQ(e.client->str(), "192.168.1.2");
  EXPECT_EQ(e.client_port, 40000);
  EXPECT_EQ(e.vip, std::nullopt);
}

TEST(Codec, EveryEventTypeHasAName) {
  for (int type = STTCP_EVENT_STATE; type <= STTCP_EVENT_MAX; ++type) {
    auto msg = newMsg(STTCP_CMD_EVENT);
    nla_put_u8(msg.get(), STTCP_A_EVENT, type);
    std::string name = eventName(codec::parseEvent(nlmsg_hdr(msg.get())).type);
    EXPECT_FALSE(name.starts_with("event")) << type << " " << name;
  }
}

TEST(Codec, EventWithoutTypeIsMalformed) {
  auto msg = newMsg(STTCP_CMD_EVENT);
  nla_put_u8(msg.get(), STTCP_A_STATE, STTCP_STATE_ACTIVE);
  EXPECT_THROW(codec::parseEvent(nlmsg_hdr(msg.get())), std::runtime_error);
  EXPECT_EQ(errorOf([&] { codec::parseEvent(nlmsg_hdr(msg.get())); }),
            "malformed event from the kernel: no STTCP_A_EVENT");
}

}  // namespace
}  // namespace sttcp
