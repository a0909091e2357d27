// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Dispatch: the CLI against a fake NetlinkClient that records calls.
#include "cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <map>
#include <sstream>

#include "fake_netlink.h"
#include "golden.h"
#include "version.h"

namespace sttcp {
namespace {

using ::testing::ElementsAre;
using testing::FakeClient;
using testing::FakeState;
using ::testing::HasSubstr;
using testing::stateEvent;

class CliTest : public ::testing::Test {
 protected:
  int run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return runCli(
        args,
        [this](const GlobalOptions& options) {
          factory_options_.push_back(options);
          if (factory_error_) throw std::runtime_error(*factory_error_);
          return std::make_unique<FakeClient>(state_);
        },
        out_, err_,
        [this](const std::string& path) -> std::optional<std::string> {
          auto it = proc_.find(path);
          if (it == proc_.end()) return std::nullopt;
          return it->second;
        });
  }
  void configure() {
    state_.config.configured = true;
    state_.config.config.role = Role::kPrimary;
    state_.config.config.vip = *Ipv4::parse("10.0.0.1");
    state_.config.config.ports = {5000};
    state_.config.config.local = *Endpoint::parse("1.2.3.4", 7400);
    state_.config.config.peer = *Endpoint::parse("1.2.3.5", 7400);
    state_.status.state = NodeState::kActive;
    state_.status.epoch = 2;
    state_.status.peer_state = PeerState::kAlive;
  }

  FakeState state_;
  std::vector<GlobalOptions> factory_options_;
  std::optional<std::string> factory_error_;
  std::ostringstream out_;
  std::ostringstream err_;
  // A correctly prepared node.
  std::map<std::string, std::string> proc_ = {{"/proc/sys/net/ipv4/conf/all/arp_ignore", "1"},
                                              {"/proc/sys/net/ipv4/conf/all/arp_announce", "2"},
                                              {"/proc/sys/net/ipv4/conf/all/rp_filter", "0"},
                                              {"/proc/sys/net/ipv4/conf/sttcp0/rp_filter", "0"},
                                              {"/sys/class/net/sttcp0/mtu", "1500"}};
};

TEST_F(CliTest, VersionShowsTheModulesToo) {
  const std::string v(projectVersion());
  EXPECT_EQ(run({"--version"}), 0);
  EXPECT_EQ(out_.str(), "sttcpctl " + v + "\nsttcp.ko not loaded\n");
  proc_["/sys/module/sttcp/version"] = v + "\n";
  EXPECT_EQ(run({"-V"}), 0);
  EXPECT_EQ(out_.str(), "sttcpctl " + v + "\nsttcp.ko " + v + " (loaded)\n");
  proc_["/sys/module/sttcp/version"] = "0.1\n";
  EXPECT_EQ(run({"-V"}), 0);
  EXPECT_EQ(out_.str(), "sttcpctl " + v + "\nsttcp.ko 0.1 (loaded; not " + v + " as sttcpctl)\n");
  proc_.erase("/sys/module/sttcp/version");
  proc_["/sys/module/sttcp/refcnt"] = "2\n";
  EXPECT_EQ(run({"-V"}), 0);
  EXPECT_EQ(out_.str(),
            "sttcpctl " + v + "\nsttcp.ko unknown (loaded; not " + v + " as sttcpctl)\n");
  EXPECT_TRUE(factory_options_.empty());  // no kernel access
}

TEST_F(CliTest, SetPassesTheParsedConfig) {
  EXPECT_EQ(run({"set", "role", "backup", "vip", "10.0.0.1", "ports", "80", "local", "1.1.1.1",
                 "peer", "2.2.2.2:9", "gating", "none"}),
            0);
  EXPECT_THAT(state_.calls, ElementsAre("setConfig"));
  ASSERT_TRUE(state_.set_config);
  EXPECT_EQ(state_.set_config->role, Role::kBackup);
  EXPECT_EQ(state_.set_config->peer.str(), "2.2.2.2:9");
  EXPECT_EQ(state_.set_config->gating, Gating::kNone);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, EachCommandMakesOneCall) {
  EXPECT_EQ(run({"del"}), 0);
  EXPECT_EQ(run({"stats", "reset"}), 0);
  EXPECT_EQ(run({"stats"}), 0);
  EXPECT_EQ(run({"show"}), 0);
  EXPECT_EQ(run({"flows"}), 0);
  EXPECT_THAT(state_.calls,
              ElementsAre("delConfig", "resetStats", "getStats", "getConfig", "dumpFlows"));
}

TEST_F(CliTest, ShowJson) {
  configure();
  EXPECT_EQ(run({"-j", "show"}), 0);
  testing::expectGolden("show.json", out_.str());
  EXPECT_THAT(state_.calls, ::testing::ElementsAre("getConfig", "getStatus"));
}

TEST_F(CliTest, ShowNotConfiguredJson) {
  EXPECT_EQ(run({"-j", "show"}), 0);
  testing::expectGolden("show-unconfigured.json", out_.str());
}

// Both nodes' settings differ, and the local set-up is wrong: everything is named, with fixes.
TEST_F(CliTest, ShowSettingsMismatchAndWarnings) {
  configure();
  state_.status.settings = "dev=eth0\ntcp_sack=1\nmtu=1500\n";
  state_.status.peer_settings = "dev=eth0\ntcp_sack=0\nmtu=9000\n";
  proc_["/proc/sys/net/ipv4/conf/eth0/arp_ignore"] = "0";
  proc_["/proc/sys/net/ipv4/conf/all/arp_ignore"] = "0";
  proc_["/proc/sys/net/ipv4/conf/sttcp0/rp_filter"] = "2";
  EXPECT_EQ(run({"-j", "show"}), 0);
  testing::expectGolden("show-mismatch.json", out_.str());
  EXPECT_EQ(run({"show"}), 0);
  testing::expectGolden("show-mismatch.txt", out_.str());
}

TEST_F(CliTest, MonitorAddsTheSettingsVerdictToPeerSettingsEvents) {
  configure();
  state_.status.settings = "tcp_sack=1\n";
  state_.status.peer_settings = "tcp_sack=0\n";
  Event e;
  e.type = EventType::kPeerSettings;
  e.state = NodeState::kActive;
  e.epoch = 2;
  state_.on_subscribe = [&] {
    state_.events->push(stateEvent(NodeState::kBackup, 3));
    state_.events->push(e);
  };
  EXPECT_EQ(run({"-j", "monitor", "count", "2"}), 0);
  testing::expectGolden("monitor.jsonl", out_.str());
}

TEST_F(CliTest, PerCommandHelp) {
  EXPECT_EQ(run({"show", "--help"}), 0);
  EXPECT_THAT(out_.str(), ::testing::StartsWith("Usage: sttcpctl [-j] [-n NETNS] show\n\nShows"));
  EXPECT_EQ(run({"help", "monitor"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("settings_mismatch"));
  EXPECT_EQ(run({"-j", "switchover", "-h"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("switchover [timeout MS]"));
  EXPECT_TRUE(factory_options_.empty());
}

TEST_F(CliTest, HelpOfAnUnknownCommandIsAnError) {
  EXPECT_EQ(run({"help", "bogus"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("help: unknown command 'bogus'"));
}

TEST_F(CliTest, GenkeyPrintsJsonWithJ) {
  EXPECT_EQ(run({"-j", "genkey"}), 0);
  EXPECT_THAT(out_.str(), ::testing::MatchesRegex("\\{\"key\":\"[A-Za-z0-9+/]{43}=\"\\}\n"));
  EXPECT_TRUE(factory_options_.empty());
}

// Redirected to a file others may read (umask 022), the key would be refused by sttcpd.
TEST_F(CliTest, GenkeyMakesASharedFilePrivateFirst) {
  char path[] = "/tmp/sttcp-genkey-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::fchmod(fd, 0644), 0);
  std::ostringstream out, err;
  EXPECT_EQ(runCli({"genkey"}, nullptr, out, err, readProcFile, fd), 0);
  struct stat st {};
  ASSERT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(err.str(),
            "sttcpctl: genkey: the key's file was open to group or others: now mode 600\n");
  ::close(fd);
  ::unlink(path);
}

TEST_F(CliTest, StatsAndFlowsJson) {
  state_.stats = {{"flows_created", 2}};
  EXPECT_EQ(run({"--json", "stats"}), 0);
  EXPECT_EQ(out_.str(), "{\"flows_created\":2}\n");
  EXPECT_EQ(run({"-j", "flows"}), 0);
  EXPECT_EQ(out_.str(), "[]\n");
}

TEST_F(CliTest, NetnsReachesTheFactory) {
  EXPECT_EQ(run({"-n", "blue", "show"}), 0);
  ASSERT_EQ(factory_options_.size(), 1u);
  EXPECT_EQ(factory_options_[0].netns, "blue");
}

TEST_F(CliTest, HelpAndUsageErrorsNeverOpenTheKernel) {
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Usage: sttcpctl"));
  EXPECT_EQ(run({"set", "role"}), 1);
  EXPECT_EQ(err_.str(),
            "sttcpctl: set: 'role' needs a value\n"
            "Try 'sttcpctl --help' for more information.\n");
  EXPECT_EQ(run({}), 1);
  EXPECT_TRUE(factory_options_.empty());
  EXPECT_TRUE(state_.calls.empty());
}

TEST_F(CliTest, KernelErrorsGoToStderrWithExitOne) {
  state_.fail = NetlinkError("set config: vip is not local (Invalid argument)", EINVAL);
  EXPECT_EQ(run({"del"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "sttcpctl: set config: vip is not local (Invalid argument)\n");
}

TEST_F(CliTest, FactoryErrorsGoToStderrWithExitOne) {
  factory_error_ = "sttcp kernel module is not loaded";
  EXPECT_EQ(run({"-j", "show"}), 1);
  EXPECT_EQ(err_.str(), "sttcpctl: sttcp kernel module is not loaded\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, SetPassesTheNewOptionalAttributes) {
  EXPECT_EQ(
      run({"set",     "role",        "primary", "vip",           "10.0.0.1", "ports",   "80",
           "local",   "1.1.1.1",     "peer",    "2.2.2.2",       "local2",   "3.3.3.1", "peer2",
           "3.3.3.2", "hb-interval", "50",      "hb-dead-count", "4",        "epoch",   "7"}),
      0);
  ASSERT_TRUE(state_.set_config);
  EXPECT_EQ(state_.set_config->local2, Ipv4::parse("3.3.3.1"));
  EXPECT_EQ(state_.set_config->peer2, Ipv4::parse("3.3.3.2"));
  EXPECT_EQ(state_.set_config->hb_interval_ms, 50u);
  EXPECT_EQ(state_.set_config->hb_dead_count, 4u);
  EXPECT_EQ(state_.set_config->epoch, 7u);
}

TEST_F(CliTest, StatusTextAndJson) {
  state_.status.state = NodeState::kActive;
  state_.status.epoch = 2;
  state_.status.peer_state = PeerState::kAlive;
  state_.status.vip = Ipv4::parse("10.0.0.100");
  EXPECT_EQ(run({"-j", "status"}), 0);
  EXPECT_EQ(out_.str(), R"({"state":"active","epoch":2,"peer":"alive","vip":"10.0.0.100"})"
                        "\n");
  EXPECT_EQ(run({"status"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("state             active\n"));
  EXPECT_THAT(state_.calls, ElementsAre("getStatus", "getStatus"));
}

TEST_F(CliTest, TakeoverPrintsNothing) {
  EXPECT_EQ(run({"takeover"}), 0);
  EXPECT_THAT(state_.calls, ElementsAre("takeover"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, SwitchoverSubscribesBeforeAskingAndWaitsForBackup) {
  state_.on_switchover = {stateEvent(NodeState::kHandover, 2), stateEvent(NodeState::kBackup, 3)};
  EXPECT_EQ(run({"switchover"}), 0);
  EXPECT_THAT(state_.calls, ElementsAre("subscribe", "switchover"));
  EXPECT_EQ(out_.str(), "switchover complete: now backup (epoch 3)\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, SwitchoverJson) {
  state_.on_switchover = {stateEvent(NodeState::kBackup, 3)};
  EXPECT_EQ(run({"-j", "switchover", "timeout", "500"}), 0);
  EXPECT_EQ(out_.str(), R"({"switchover":"complete","state":"backup","epoch":3})"
                        "\n");
}

TEST_F(CliTest, SwitchoverFailedEventIsAnError) {
  Event failed;
  failed.type = EventType::kSwitchoverFailed;
  failed.state = NodeState::kActive;
  failed.epoch = 2;
  state_.on_switchover = {stateEvent(NodeState::kHandover, 2), failed};
  EXPECT_EQ(run({"switchover"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(),
            "sttcpctl: switchover failed: the backup did not take over in time; this node is "
            "active again (epoch 2)\n");
}

TEST_F(CliTest, SwitchoverTimesOutWithTheCurrentState) {
  state_.status.state = NodeState::kHandover;
  state_.status.epoch = 2;
  EXPECT_EQ(run({"switchover", "timeout", "30"}), 1);
  EXPECT_THAT(state_.calls, ElementsAre("subscribe", "switchover", "getStatus"));
  EXPECT_EQ(err_.str(),
            "sttcpctl: switchover: no outcome within 30 ms (this node is handover, epoch 2)\n");
}

TEST_F(CliTest, SwitchoverAfterLostEventsAsksTheStatus) {
  state_.status.state = NodeState::kBackup;
  state_.status.epoch = 5;
  state_.on_subscribe = [this] { state_.events->overrun(); };
  EXPECT_EQ(run({"switchover"}), 0);
  EXPECT_THAT(state_.calls, ElementsAre("subscribe", "switchover", "getStatus"));
  EXPECT_EQ(out_.str(), "switchover complete: now backup (epoch 5)\n");
}

TEST_F(CliTest, SwitchoverRejectedByTheKernel) {
  state_.fail = NetlinkError("switchover: not the primary (Invalid argument)", EINVAL);
  EXPECT_EQ(run({"switchover"}), 1);
  EXPECT_EQ(err_.str(), "sttcpctl: switchover: not the primary (Invalid argument)\n");
}

TEST_F(CliTest, MonitorPrintsCountEventsAsJsonLines) {
  Event flow;
  flow.type = EventType::kFlowUnprotected;
  flow.state = NodeState::kActive;
  flow.epoch = 2;
  flow.client = Ipv4::parse("192.168.1.2");
  flow.client_port = 40000;
  state_.on_subscribe = [&] {
    state_.events->push(stateEvent(NodeState::kActive, 2));
    state_.events->push(flow);
    state_.events->push(stateEvent(NodeState::kBackup, 3));  // beyond count
  };
  EXPECT_EQ(run({"-j", "monitor", "count", "2"}), 0);
  EXPECT_EQ(out_.str(), R"({"event":"state","state":"active","epoch":2,"vip":"10.0.0.100"})"
                        "\n"
                        R"({"event":"flow_unprotected","state":"active","epoch":2,)"
                        R"("client":"192.168.1.2","client_port":40000})"
                        "\n");
}

TEST_F(CliTest, MonitorTextAndOverrunWarning) {
  state_.on_subscribe = [&] {
    state_.events->overrun();
    state_.events->push(stateEvent(NodeState::kActive, 2));
  };
  EXPECT_EQ(run({"monitor", "count", "1"}), 0);
  EXPECT_EQ(out_.str(), "state state=active epoch=2 vip=10.0.0.100\n");
  EXPECT_EQ(err_.str(), "sttcpctl: warning: events were lost (receive buffer overrun)\n");
}

TEST_F(CliTest, MonitorWarnsAboutMalformedEvents) {
  state_.on_subscribe = [&] {
    state_.events->malformed(2);
    state_.events->push(stateEvent(NodeState::kActive, 2));
  };
  EXPECT_EQ(run({"monitor", "count", "1"}), 0);
  EXPECT_EQ(out_.str(), "state state=active epoch=2 vip=10.0.0.100\n");
  EXPECT_EQ(err_.str(), "sttcpctl: warning: 2 malformed event(s) skipped\n");
}

TEST_F(CliTest, MonitorEndsCleanlyOnSigint) {
  // The signal is blocked by then (monitor reads it from a signalfd), so it
  // stays pending instead of killing the test.
  state_.on_subscribe = [] { std::raise(SIGINT); };
  EXPECT_EQ(run({"monitor"}), 0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, MonitorEndsCleanlyOnSigtermAfterEvents) {
  state_.on_subscribe = [&] {
    state_.events->push(stateEvent(NodeState::kStarting, 0));
    std::raise(SIGTERM);
  };
  EXPECT_EQ(run({"monitor"}), 0);
  // Which of the two the loop sees first is not specified; both end well.
  EXPECT_EQ(err_.str(), "");
}

}  // namespace
}  // namespace sttcp
