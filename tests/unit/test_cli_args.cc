// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "cli_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/sttcp.h>

namespace sttcp {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string word;
  for (char c : line) {
    if (c == ' ') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

Invocation parse(const std::string& line) {
  return parseArgs(split(line));
}

std::string usageError(const std::string& line) {
  try {
    parse(line);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "<no error>";
}

constexpr const char* kSet =
    "set role primary vip 10.0.0.1 ports 5000,5001 local 1.2.3.4 peer 1.2.3.5:7500";

TEST(ParseArgs, SetWithDefaults) {
  Invocation inv = parse(kSet);
  auto* set = std::get_if<SetCmd>(&inv.command);
  ASSERT_NE(set, nullptr);
  const Config& c = set->config;
  EXPECT_EQ(c.role, Role::kPrimary);
  EXPECT_EQ(c.vip.str(), "10.0.0.1");
  EXPECT_EQ(c.ports, (std::vector<std::uint16_t>{5000, 5001}));
  EXPECT_EQ(c.local.str(), "1.2.3.4:7400");  // STTCP_DEFAULT_SYNC_PORT
  EXPECT_EQ(c.peer.str(), "1.2.3.5:7500");
  EXPECT_EQ(c.gating, Gating::kHold);
  EXPECT_EQ(inv.options, GlobalOptions{});
}

TEST(ParseArgs, SetKeywordsInAnyOrderWithGating) {
  Invocation inv =
      parse("set gating none peer 1.2.3.5 ports 80 local 1.2.3.4:1 vip 10.0.0.9 role backup");
  const Config& c = std::get<SetCmd>(inv.command).config;
  EXPECT_EQ(c.role, Role::kBackup);
  EXPECT_EQ(c.gating, Gating::kNone);
  EXPECT_EQ(c.local.port, 1);
}

TEST(ParseArgs, SetMaxPorts) {
  std::string ports;
  for (int i = 1; i <= STTCP_MAX_PORTS; ++i)
    ports += (i > 1 ? "," : "") + std::to_string(i);
  std::string line = "set role primary vip 10.0.0.1 local 1.1.1.1 peer 2.2.2.2 ports " + ports;
  EXPECT_EQ(std::get<SetCmd>(parse(line).command).config.ports.size(),
            static_cast<std::size_t>(STTCP_MAX_PORTS));
  EXPECT_EQ(usageError(line + ",999"),
            "set: too many ports (at most " + std::to_string(STTCP_MAX_PORTS) + ")");
}

TEST(ParseArgs, SetErrors) {
  const std::string base = "set role primary vip 10.0.0.1 local 1.2.3.4 peer 1.2.3.5";
  EXPECT_EQ(usageError(base), "set: missing 'ports'");
  EXPECT_EQ(usageError(base + " ports"), "set: 'ports' needs a value");
  EXPECT_EQ(usageError(base + " ports 0"), "set: invalid port '0' (expected 1-65535)");
  EXPECT_EQ(usageError(base + " ports 70000"), "set: invalid port '70000' (expected 1-65535)");
  EXPECT_EQ(usageError(base + " ports 1,,2"), "set: invalid port '' (expected 1-65535)");
  EXPECT_EQ(usageError(base + " ports 5,5"), "set: port 5 listed twice");
  EXPECT_EQ(usageError(base + " ports 5 vip 10.0.0.2"), "set: 'vip' given twice");
  EXPECT_EQ(usageError(base + " ports 5 color red"), "set: unknown keyword 'color'");
  EXPECT_EQ(usageError(base + " ports 5 gating maybe"),
            "set: invalid gating 'maybe' (expected hold or none)");
  EXPECT_EQ(usageError("set role master vip 10.0.0.1 local 1.2.3.4 peer 1.2.3.5 ports 5"),
            "set: invalid role 'master' (expected primary or backup)");
  EXPECT_EQ(usageError("set role primary vip 10.0.0 local 1.2.3.4 peer 1.2.3.5 ports 5"),
            "set: invalid vip address '10.0.0' (expected A.B.C.D)");
  EXPECT_EQ(usageError("set role primary vip 0.0.0.0 local 1.2.3.4 peer 1.2.3.5 ports 5"),
            "set: invalid vip address '0.0.0.0' (expected A.B.C.D)");
  EXPECT_EQ(usageError("set role primary vip 10.0.0.1 local 1.2.3.4:0 peer 1.2.3.5 ports 5"),
            "set: invalid local '1.2.3.4:0' (expected A.B.C.D[:PORT])");
}

TEST(ParseArgs, SimpleCommands) {
  EXPECT_TRUE(std::holds_alternative<DelCmd>(parse("del").command));
  EXPECT_TRUE(std::holds_alternative<ShowCmd>(parse("show").command));
  EXPECT_TRUE(std::holds_alternative<FlowsCmd>(parse("flows").command));
  EXPECT_FALSE(std::get<StatsCmd>(parse("stats").command).reset);
  EXPECT_TRUE(std::get<StatsCmd>(parse("stats reset").command).reset);
  EXPECT_TRUE(std::holds_alternative<HelpCmd>(parse("help").command));
}

TEST(ParseArgs, ExtraArgumentsAreErrors) {
  EXPECT_EQ(usageError("del now"), "del: unexpected argument 'now'");
  EXPECT_EQ(usageError("show x"), "show: unexpected argument 'x'");
  EXPECT_EQ(usageError("stats clear"), "stats: unexpected argument 'clear'");
  EXPECT_EQ(usageError("stats reset all"), "stats reset: unexpected argument 'all'");
}

TEST(ParseArgs, GlobalOptions) {
  Invocation inv = parse("-j -n blue show");
  EXPECT_TRUE(inv.options.json);
  EXPECT_EQ(inv.options.netns, "blue");
  inv = parse("--netns=red --json flows");
  EXPECT_TRUE(inv.options.json);
  EXPECT_EQ(inv.options.netns, "red");
  inv = parse("--netns green -- show");
  EXPECT_EQ(inv.options.netns, "green");
  EXPECT_TRUE(std::holds_alternative<ShowCmd>(inv.command));
}

TEST(ParseArgs, HelpWinsOverEverythingAfterIt) {
  EXPECT_TRUE(std::holds_alternative<HelpCmd>(parse("-j --help bogus").command));
  EXPECT_TRUE(std::holds_alternative<HelpCmd>(parse("-h").command));
}

TEST(ParseArgs, HelpNamesOneKnownCommand) {
  EXPECT_EQ(std::get<HelpCmd>(parse("help monitor").command).command, "monitor");
  EXPECT_EQ(std::get<HelpCmd>(parse("help").command).command, "");
  EXPECT_EQ(usageError("help bogus"), "help: unknown command 'bogus'");
  EXPECT_EQ(usageError("help show flows"), "help: one COMMAND at most");
}

TEST(ParseArgs, Version) {
  EXPECT_TRUE(std::holds_alternative<VersionCmd>(parse("-V").command));
  EXPECT_TRUE(std::holds_alternative<VersionCmd>(parse("-j --version show").command));
}

TEST(ParseArgs, GlobalErrors) {
  EXPECT_EQ(usageError(""), "missing COMMAND");
  EXPECT_EQ(usageError("-j"), "missing COMMAND");
  EXPECT_EQ(usageError("-n"), "option '-n' needs a NETNS name");
  EXPECT_EQ(usageError("-x show"), "unknown option '-x'");
  EXPECT_EQ(usageError("frobnicate"), "unknown command 'frobnicate'");
}

TEST(ParseArgs, SetFailoverKeywords) {
  Invocation inv = parse(std::string(kSet) +
                         " local2 10.1.0.1 peer2 10.1.0.2 hb-interval 100 hb-dead-count 3 epoch 0");
  const Config& c = std::get<SetCmd>(inv.command).config;
  EXPECT_EQ(c.local2->str(), "10.1.0.1");
  EXPECT_EQ(c.peer2->str(), "10.1.0.2");
  EXPECT_EQ(c.hb_interval_ms, 100u);
  EXPECT_EQ(c.hb_dead_count, 3u);
  EXPECT_EQ(c.epoch, 0u);
  Invocation plain_inv = parse(kSet);
  const Config& plain = std::get<SetCmd>(plain_inv.command).config;
  EXPECT_FALSE(plain.local2 || plain.peer2 || plain.hb_interval_ms || plain.hb_dead_count ||
               plain.epoch);
}

TEST(ParseArgs, SetFailoverErrors) {
  const std::string base(kSet);
  const std::string pairing =
      "set: local2 and peer2 go together (the second heartbeat path needs both ends): give "
      "both or neither";
  EXPECT_EQ(usageError(base + " local2 10.1.0.1"), pairing);
  EXPECT_EQ(usageError(base + " peer2 10.1.0.2"), pairing);
  EXPECT_EQ(usageError(base + " local2 10.1.0.1 peer2 10.1.0.1"),
            "set: local2 and peer2 must differ");
  EXPECT_EQ(usageError(base + " local2 10.1.0.1:7400 peer2 10.1.0.2"),
            "set: invalid local2 address '10.1.0.1:7400' (expected A.B.C.D)");
  EXPECT_EQ(usageError(base + " hb-interval 0"),
            "set: invalid hb-interval '0' (expected 1-4294967295)");
  EXPECT_EQ(usageError(base + " hb-dead-count x"),
            "set: invalid hb-dead-count 'x' (expected 1-4294967295)");
  EXPECT_EQ(usageError(base + " epoch 4294967296"),
            "set: invalid epoch '4294967296' (expected 0-4294967295)");
  EXPECT_EQ(usageError(base + " epoch -1"), "set: invalid epoch '-1' (expected 0-4294967295)");
  EXPECT_EQ(usageError(base + " epoch 1 epoch 2"), "set: 'epoch' given twice");
}

TEST(ParseArgs, FailoverCommands) {
  EXPECT_TRUE(std::holds_alternative<StatusCmd>(parse("status").command));
  EXPECT_TRUE(std::holds_alternative<TakeoverCmd>(parse("takeover").command));
  EXPECT_EQ(std::get<SwitchoverCmd>(parse("switchover").command).timeout_ms, 3000u);
  EXPECT_EQ(std::get<SwitchoverCmd>(parse("switchover timeout 250").command).timeout_ms, 250u);
  EXPECT_EQ(std::get<MonitorCmd>(parse("monitor").command).count, std::nullopt);
  EXPECT_EQ(std::get<MonitorCmd>(parse("-j monitor count 3").command).count, 3u);
}

TEST(ParseArgs, FailoverCommandErrors) {
  EXPECT_EQ(usageError("status now"), "status: unexpected argument 'now'");
  EXPECT_EQ(usageError("takeover force"), "takeover: unexpected argument 'force'");
  EXPECT_EQ(usageError("switchover timeout"), "switchover: 'timeout' needs a value");
  EXPECT_EQ(usageError("switchover timeout 0"),
            "switchover: invalid timeout '0' (expected 1-4294967295)");
  EXPECT_EQ(usageError("switchover timeout 5 timeout 6"), "switchover: 'timeout' given twice");
  EXPECT_EQ(usageError("switchover now"), "switchover: unexpected argument 'now'");
  EXPECT_EQ(usageError("monitor count 0"), "monitor: invalid count '0' (expected 1-4294967295)");
  EXPECT_EQ(usageError("monitor forever"), "monitor: unexpected argument 'forever'");
}

TEST(Usage, ListsEveryCommand) {
  std::string text = usageText();
  for (const char* word :
       {"set role", "del", "show", "stats [reset]", "flows", "--json", "--netns", "7400", "status",
        "switchover [timeout MS]", "takeover", "monitor [count N]", "local2 ADDR peer2 ADDR",
        "hb-interval MS", "hb-dead-count N", "epoch N"}) {
    EXPECT_THAT(text, HasSubstr(word));
  }
}

}  // namespace
}  // namespace sttcp
