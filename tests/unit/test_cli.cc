// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Dispatch: the CLI against a fake NetlinkClient that records calls.
#include "cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <sstream>

namespace sttcp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct FakeState {
  std::vector<std::string> calls;
  std::optional<Config> set_config;
  ConfigState config;
  Stats stats;
  std::vector<Flow> flows;
  std::optional<NetlinkError> fail;  // thrown by every call when set
};

class FakeClient : public NetlinkClient {
 public:
  explicit FakeClient(FakeState& state) : s_(state) {}
  void setConfig(const Config& config) override {
    record("setConfig");
    s_.set_config = config;
  }
  void delConfig() override { record("delConfig"); }
  ConfigState getConfig() override {
    record("getConfig");
    return s_.config;
  }
  Stats getStats() override {
    record("getStats");
    return s_.stats;
  }
  void resetStats() override { record("resetStats"); }
  std::vector<Flow> dumpFlows() override {
    record("dumpFlows");
    return s_.flows;
  }

 private:
  void record(const char* call) {
    s_.calls.push_back(call);
    if (s_.fail) throw *s_.fail;
  }
  FakeState& s_;
};

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
        out_, err_);
  }

  FakeState state_;
  std::vector<GlobalOptions> factory_options_;
  std::optional<std::string> factory_error_;
  std::ostringstream out_;
  std::ostringstream err_;
};

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
  state_.config.configured = true;
  state_.config.config.role = Role::kPrimary;
  state_.config.config.vip = *Ipv4::parse("10.0.0.1");
  state_.config.config.ports = {5000};
  state_.config.config.local = *Endpoint::parse("1.2.3.4", 7400);
  state_.config.config.peer = *Endpoint::parse("1.2.3.5", 7400);
  EXPECT_EQ(run({"-j", "show"}), 0);
  EXPECT_EQ(out_.str(), R"({"configured":true,"role":"primary","vip":"10.0.0.1","ports":[5000],)"
                        R"("local":"1.2.3.4:7400","peer":"1.2.3.5:7400","gating":"hold"})"
                        "\n");
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

}  // namespace
}  // namespace sttcp
