// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "render.h"

#include <gtest/gtest.h>
#include <linux/sttcp.h>

#include <sstream>

#include "golden.h"

namespace sttcp {
namespace {

ConfigState sampleConfig() {
  ConfigState s;
  s.configured = true;
  s.config.role = Role::kPrimary;
  s.config.vip = *Ipv4::parse("10.0.0.1");
  s.config.ports = {5000, 5001};
  s.config.local = {*Ipv4::parse("1.2.3.4"), 7400};
  s.config.peer = {*Ipv4::parse("1.2.3.5"), 7401};
  s.config.gating = Gating::kHold;
  return s;
}

template <typename Print, typename Value>
std::string render(Print print, const Value& value, bool json) {
  std::ostringstream out;
  print(out, value, json);
  return out.str();
}

TEST(RenderConfig, Json) {
  EXPECT_EQ(render(printConfig, sampleConfig(), true),
            R"({"configured":true,"role":"primary","vip":"10.0.0.1","ports":[5000,5001],)"
            R"("local":"1.2.3.4:7400","peer":"1.2.3.5:7401","gating":"hold","auth":"off"})"
            "\n");
}

TEST(RenderConfig, JsonNotConfigured) {
  EXPECT_EQ(render(printConfig, ConfigState{}, true), "{\"configured\":false}\n");
}

TEST(RenderConfig, Text) {
  EXPECT_EQ(render(printConfig, sampleConfig(), false),
            "role    primary\n"
            "vip     10.0.0.1\n"
            "ports   5000,5001\n"
            "local   1.2.3.4:7400\n"
            "peer    1.2.3.5:7401\n"
            "gating  hold\n"
            "auth    off\n");
  EXPECT_EQ(render(printConfig, ConfigState{}, false), "not configured\n");
}

TEST(RenderStats, JsonInKernelOrderThenUnknown) {
  Stats stats{{"held", 3}, {"flows_created", 7}, {"stat_99", 1}};
  EXPECT_EQ(render(printStats, stats, true), "{\"flows_created\":7,\"held\":3,\"stat_99\":1}\n");
}

TEST(RenderStats, Text) {
  Stats stats{{"flows_created", 7}, {"mirror_tx", 123456}};
  EXPECT_EQ(render(printStats, stats, false),
            "flows_created       7\n"
            "mirror_tx      123456\n");
}

Flow fullFlow() {
  Flow f;
  f.client = *Ipv4::parse("192.168.1.2");
  f.client_port = 40000;
  f.vip = *Ipv4::parse("10.0.0.1");
  f.vport = 5000;
  f.state = STTCP_FLOW_ESTABLISHED;
  f.flags = STTCP_FLOW_F_REPORTED | STTCP_FLOW_F_SOCK | STTCP_FLOW_F_TS;
  f.seq_delta = 4294967295u;
  f.ts_delta = 17;
  f.wscale_primary = 7;
  f.wscale_backup = 7;
  f.backup_rcv_nxt = 1000;
  f.held_segs = 2;
  f.snd_una = 10;
  f.snd_nxt = 20;
  f.rcv_nxt = 1000;
  f.sock_state = 1;
  f.segs_in = 5;
  return f;
}

TEST(RenderFlows, JsonAllFields) {
  EXPECT_EQ(
      render(printFlows, std::vector<Flow>{fullFlow()}, true),
      R"([{"client":"192.168.1.2","client_port":40000,"vip":"10.0.0.1","vport":5000,)"
      R"("state":"established","flags":14,"unprotected":false,"reported":true,"embryonic":false,)"
      R"("seq_delta":4294967295,"ts_delta":17,"wscale_primary":7,"wscale_backup":7,)"
      R"("backup_rcv_nxt":1000,"held_segs":2,"snd_una":10,"snd_nxt":20,"rcv_nxt":1000,)"
      R"("sock_state":1,"segs_in":5}])"
      "\n");
}

TEST(RenderFlows, JsonOnlyPresentFields) {
  Flow f;
  f.client = *Ipv4::parse("192.168.1.2");
  f.state = STTCP_FLOW_SYN;
  f.flags = STTCP_FLOW_F_UNPROTECTED;
  EXPECT_EQ(render(printFlows, std::vector<Flow>{f, Flow{}}, true),
            R"([{"client":"192.168.1.2","state":"syn","flags":1,"unprotected":true,)"
            R"("reported":false,"embryonic":false},{}])"
            "\n");
  EXPECT_EQ(render(printFlows, std::vector<Flow>{}, true), "[]\n");
}

TEST(RenderFlows, Text) {
  Flow sparse;
  sparse.client = *Ipv4::parse("192.168.1.3");
  sparse.flags = 0;
  EXPECT_EQ(render(printFlows, std::vector<Flow>{fullFlow(), sparse}, false),
            "CLIENT             SERVICE        STATE        FLAGS              SEQ_DELTA  "
            "TS_DELTA  WSCALE  BACKUP_RCV_NXT  HELD  SND_UNA  SND_NXT  RCV_NXT  SOCK         "
            "SEGS_IN\n"
            "192.168.1.2:40000  10.0.0.1:5000  established  reported,sock,ts  4294967295        "
            "17  7/7               1000     2       10       20     1000  ESTABLISHED        5\n"
            "192.168.1.3:-      -:-            -            -                          -         "
            "-  -/-                  -     -        -        -        -  -                  -\n");
}

TEST(RenderConfig, FailoverFieldsWhenSet) {
  ConfigState s = sampleConfig();
  s.config.local2 = *Ipv4::parse("10.1.0.1");
  s.config.peer2 = *Ipv4::parse("10.1.0.2");
  s.config.hb_interval_ms = 100;
  s.config.hb_dead_count = 3;
  s.config.epoch = 2;
  s.auth = true;
  EXPECT_EQ(render(printConfig, s, true),
            R"({"configured":true,"role":"primary","vip":"10.0.0.1","ports":[5000,5001],)"
            R"("local":"1.2.3.4:7400","peer":"1.2.3.5:7401","gating":"hold",)"
            R"("local2":"10.1.0.1","peer2":"10.1.0.2","hb_interval_ms":100,"hb_dead_count":3,)"
            R"("epoch":2,"auth":"on"})"
            "\n");
  EXPECT_EQ(render(printConfig, s, false),
            "role            primary\n"
            "vip             10.0.0.1\n"
            "ports           5000,5001\n"
            "local           1.2.3.4:7400\n"
            "peer            1.2.3.5:7401\n"
            "gating          hold\n"
            "local2          10.1.0.1\n"
            "peer2           10.1.0.2\n"
            "hb_interval_ms  100\n"
            "hb_dead_count   3\n"
            "epoch           2\n"
            "auth            on\n");
}

Status fullStatus() {
  Status s;
  s.state = NodeState::kActive;
  s.epoch = 2;
  s.peer_state = PeerState::kAlive;
  s.peer_epoch = 2;
  s.path_sync_age_ms = 40;
  s.path_svc_age_ms = 35;
  s.hb_interval_ms = 100;
  s.hb_dead_count = 3;
  s.vip = *Ipv4::parse("10.0.0.100");
  return s;
}

TEST(RenderStatus, Json) {
  EXPECT_EQ(render(printStatus, fullStatus(), true),
            R"({"state":"active","epoch":2,"peer":"alive","peer_epoch":2,)"
            R"("path_sync_age_ms":40,"path_svc_age_ms":35,"hb_interval_ms":100,)"
            R"("hb_dead_count":3,"vip":"10.0.0.100"})"
            "\n");
  EXPECT_EQ(render(printStatus, Status{}, true), R"({"state":"none","epoch":0,"peer":"unknown"})"
                                                 "\n");
}

TEST(RenderStatus, AuthAndItsFailures) {
  Status s;
  s.auth = true;
  EXPECT_EQ(render(printStatus, s, true),
            R"({"state":"none","epoch":0,"peer":"unknown","auth":"on"})"
            "\n");
  s.auth_fail_age_ms = 42;
  EXPECT_EQ(render(printStatus, s, true),
            R"({"state":"none","epoch":0,"peer":"unknown","auth":"on","auth_fail_age_ms":42})"
            "\n");
  std::string text = render(printStatus, s, false);
  EXPECT_NE(text.find("auth              on\n"), std::string::npos) << text;
  EXPECT_NE(text.find("auth_fail_age_ms  42 (sync messages failed authentication"),
            std::string::npos)
      << text;
}

TEST(RenderStatus, Text) {
  EXPECT_EQ(render(printStatus, fullStatus(), false),
            "state             active\n"
            "epoch             2\n"
            "peer              alive\n"
            "peer_epoch        2\n"
            "path_sync_age_ms  40\n"
            "path_svc_age_ms   35\n"
            "hb_interval_ms    100\n"
            "hb_dead_count     3\n"
            "vip               10.0.0.100\n");
  Status never;
  never.state = NodeState::kBackup;
  never.peer_state = PeerState::kDead;
  EXPECT_EQ(render(printStatus, never, false),
            "state             backup\n"
            "epoch             0\n"
            "peer              dead\n"
            "path_sync_age_ms  never\n"
            "path_svc_age_ms   never\n");
}

TEST(RenderEvent, JsonLines) {
  Event e;
  e.type = EventType::kState;
  e.state = NodeState::kActive;
  e.epoch = 2;
  e.vip = *Ipv4::parse("10.0.0.100");
  EXPECT_EQ(render(printEvent, e, true),
            R"({"event":"state","state":"active","epoch":2,"vip":"10.0.0.100"})"
            "\n");
  Event flow;
  flow.type = EventType::kFlowUnprotected;
  flow.client = *Ipv4::parse("192.168.1.2");
  flow.client_port = 40000;
  EXPECT_EQ(render(printEvent, flow, true),
            R"({"event":"flow_unprotected","client":"192.168.1.2","client_port":40000})"
            "\n");
  Event future;
  future.type = static_cast<EventType>(STTCP_EVENT_MAX + 1);
  EXPECT_EQ(render(printEvent, future, true),
            "{\"event\":\"event" + std::to_string(STTCP_EVENT_MAX + 1) + "\"}\n");
}

TEST(RenderEvent, ArrivalTimeFirst) {
  Event e;
  e.type = EventType::kPeerAlive;
  e.epoch = 4;
  // 2026-12-07T23:48:33.123Z
  e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796687313123));
  EXPECT_EQ(render(printEvent, e, true),
            R"({"time":"2026-12-07T23:48:33.123Z","event":"peer_alive","epoch":4})"
            "\n");
  EXPECT_EQ(render(printEvent, e, false), "2026-12-07T23:48:33.123Z peer_alive epoch=4\n");
}

TEST(RenderEvent, Text) {
  Event e;
  e.type = EventType::kPeerDead;
  e.state = NodeState::kBackup;
  e.epoch = 1;
  e.vip = *Ipv4::parse("10.0.0.100");
  EXPECT_EQ(render(printEvent, e, false), "peer_dead state=backup epoch=1 vip=10.0.0.100\n");
  Event flow;
  flow.type = EventType::kFlowUnprotected;
  flow.client = *Ipv4::parse("192.168.1.2");
  flow.client_port = 40000;
  EXPECT_EQ(eventText(flow), "flow_unprotected client=192.168.1.2:40000");
}

// The -j documents of every command, against files a reviewer can read.
TEST(RenderGolden, EveryJsonDocument) {
  Stats stats;
  int i = 0;
  for (const auto& name : statNames())
    stats[name] = static_cast<std::uint64_t>(++i);
  testing::expectGolden("stats.json", render(printStats, stats, true));
  testing::expectGolden("flows.json",
                        render(printFlows, std::vector<Flow>{fullFlow(), Flow{}}, true));
  testing::expectGolden("status.json", render(printStatus, fullStatus(), true));
  std::ostringstream events;
  Event mismatch;
  mismatch.type = EventType::kPeerSettings;
  for (EventType t : {EventType::kState, EventType::kTakeover, EventType::kPeerAlive,
                      EventType::kPeerSyncLost, EventType::kPeerDead, EventType::kSwitchoverFailed,
                      EventType::kFlowUnprotected, EventType::kPeerSettings}) {
    Event e;
    e.type = t;
    e.state = NodeState::kActive;
    e.epoch = 4;
    e.vip = *Ipv4::parse("10.0.0.100");
    if (t == EventType::kFlowUnprotected) {
      e.client = *Ipv4::parse("10.0.0.10");
      e.client_port = 40000;
    }
    printEvent(events, e, true);
  }
  printSettingsMismatch(events, {{"tcp_sack", "1", "0", true, "why"}}, true);
  testing::expectGolden("events.jsonl", events.str());
}

}  // namespace
}  // namespace sttcp
