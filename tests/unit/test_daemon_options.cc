// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "daemon_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parse.h"

namespace sttcp {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string word;
  for (char c : line + " ") {
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  return out;
}

constexpr const char* kMinimal =
    "--role backup --vip 10.0.0.100 --port 80,443 --dev eth0 --local 192.168.0.2 "
    "--peer 192.168.0.1:7401";

DaemonOptions parse(const std::string& line) {
  return parseDaemonArgs(split(line)).options;
}

std::string usageError(const std::string& line) {
  try {
    parseDaemonArgs(split(line));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(DaemonArgs, MinimalWithDefaults) {
  DaemonOptions o = parse(kMinimal);
  EXPECT_EQ(o.service.role, Role::kBackup);
  EXPECT_EQ(o.service.vip.str(), "10.0.0.100");
  EXPECT_EQ(o.service.ports, (std::vector<std::uint16_t>{80, 443}));
  EXPECT_EQ(o.dev, "eth0");
  EXPECT_EQ(o.service.local.str(), "192.168.0.2:7400");
  EXPECT_EQ(o.service.peer.str(), "192.168.0.1:7401");
  EXPECT_EQ(o.service.gating, Gating::kHold);
  EXPECT_EQ(o.garp_count, 5u);
  EXPECT_EQ(o.garp_interval_ms, 200u);
  EXPECT_TRUE(o.notify.empty());
  EXPECT_FALSE(o.netns || o.pidfile || o.log || o.service.local2 || o.service.peer2 ||
               o.service.hb_interval_ms || o.service.hb_dead_count || o.service.epoch ||
               o.service.key);
  EXPECT_EQ(o.keyFile, "");
}

TEST(DaemonArgs, Everything) {
  DaemonOptions o =
      parse(std::string("-n blue ") + kMinimal +
            " --local2 10.1.0.2 --peer2 10.1.0.1 --hb-interval-ms 50 --hb-dead-count 4"
            " --gating none --epoch 3 --garp-count 0 --garp-interval-ms=1000"
            " --notify /usr/local/bin/hook --pidfile /run/sttcpd.pid --log=/var/log/sttcpd.log"
            " --key-file /etc/sttcp/key");
  EXPECT_EQ(o.netns, "blue");
  EXPECT_EQ(o.service.local2->str(), "10.1.0.2");
  EXPECT_EQ(o.service.peer2->str(), "10.1.0.1");
  EXPECT_EQ(o.service.hb_interval_ms, 50u);
  EXPECT_EQ(o.service.hb_dead_count, 4u);
  EXPECT_EQ(o.service.gating, Gating::kNone);
  EXPECT_EQ(o.service.epoch, 3u);
  EXPECT_EQ(o.garp_count, 0u);
  EXPECT_EQ(o.garp_interval_ms, 1000u);
  EXPECT_EQ(o.notify, std::vector<std::string>{"/usr/local/bin/hook"});
  EXPECT_EQ(o.pidfile, "/run/sttcpd.pid");
  EXPECT_EQ(o.log, "/var/log/sttcpd.log");
  EXPECT_EQ(o.keyFile, "/etc/sttcp/key");
  EXPECT_FALSE(o.service.key);  // read by runDaemon, not by the parser
  EXPECT_EQ(parse(std::string("--netns=red ") + kMinimal).netns, "red");
}

// A flag alone means yes; yes or no may follow it, with a space or "=" (to override a file).
TEST(DaemonArgs, BooleanFlagTakesYesOrNo) {
  const std::string base = kMinimal;
  EXPECT_FALSE(parse(base).handover_on_exit);
  EXPECT_TRUE(parse(base + " --handover-on-exit").handover_on_exit);
  EXPECT_TRUE(parse(base + " --handover-on-exit yes").handover_on_exit);
  EXPECT_FALSE(parse(base + " --handover-on-exit no").handover_on_exit);
  EXPECT_FALSE(parse(base + " --handover-on-exit=no").handover_on_exit);
  EXPECT_TRUE(parse("--handover-on-exit " + base).handover_on_exit);
}

TEST(DaemonArgs, Version) {
  EXPECT_TRUE(parseDaemonArgs({"--version"}).version);
  EXPECT_TRUE(parseDaemonArgs({"--role", "primary", "-V"}).version);
  EXPECT_FALSE(parseDaemonArgs({"--version"}).help);
}

TEST(DaemonArgs, Help) {
  EXPECT_TRUE(parseDaemonArgs({"--help"}).help);
  EXPECT_TRUE(parseDaemonArgs({"--role", "primary", "-h"}).help);
}

TEST(DaemonArgs, MissingRequiredOptions) {
  EXPECT_EQ(usageError(""), "missing --role");
  EXPECT_EQ(usageError("--role primary"), "missing --vip");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1"), "missing --port");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80"), "missing --local");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80 --local 1.1.1.1"),
            "missing --peer");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80 --local 1.1.1.1 --peer 1.1.1.2"),
            "missing --dev");
}

TEST(DaemonArgs, BadValues) {
  const std::string base = kMinimal;
  EXPECT_EQ(usageError("--role master"), "invalid --role 'master' (expected primary or backup)");
  EXPECT_EQ(usageError("--vip 10.0.0"), "invalid --vip address '10.0.0' (expected A.B.C.D)");
  EXPECT_EQ(usageError("--port 0"), "--port: invalid port '0' (expected 1-65535)");
  EXPECT_EQ(usageError("--local 1.1.1.1:0"),
            "invalid --local '1.1.1.1:0' (expected A.B.C.D[:PORT])");
  EXPECT_EQ(usageError("--gating maybe"), "invalid --gating 'maybe' (expected hold or none)");
  EXPECT_EQ(usageError("--garp-interval-ms 0"),
            "invalid --garp-interval-ms '0' (expected 1-4294967295)");
  EXPECT_EQ(usageError("--hb-dead-count 0"), "invalid --hb-dead-count '0' (expected 1-4294967295)");
  EXPECT_EQ(usageError(base + " --local2 10.1.0.1"),
            "--local2 and --peer2 go together (the second heartbeat path needs both ends): give "
            "both or neither");
  EXPECT_EQ(usageError(base + " --dev eth1"), "option '--dev' given twice");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80 --local 1.1.1.1 --peer 1.1.1.1 "
                       "--dev eth0"),
            "--local and --peer must differ");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80 --local 1.1.1.1 --peer 1.1.1.2 "
                       "--dev sttcp0"),
            "--dev cannot be sttcp0 (sttcpd's own dummy device holding the VIP)");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80 --local 1.1.1.1 --peer 1.1.1.2 "
                       "--dev a/b"),
            "invalid --dev 'a/b' (not an interface name)");
  EXPECT_EQ(usageError("--role primary --vip 10.0.0.1 --port 80 --local 1.1.1.1 --peer 1.1.1.2 "
                       "--dev abcdefghijklmnop"),
            "invalid --dev 'abcdefghijklmnop' (not an interface name)");
}

TEST(DaemonArgs, UnknownOptionsAndMissingValues) {
  EXPECT_EQ(usageError("--colour red"), "unknown option '--colour'");
  EXPECT_EQ(usageError("primary"), "unexpected argument 'primary'");
  EXPECT_EQ(usageError("--role"), "option '--role' needs a value");
  EXPECT_EQ(usageError("-n"), "option '-n' needs a value");
}

TEST(DaemonArgs, ConfigFlagsBoolFlagsAndEmptyNames) {
  const std::string base = kMinimal;
  EXPECT_EQ(usageError("--config a.conf --config-test b.conf"),
            "--config-test FILE and --config FILE name different files");
  EXPECT_EQ(usageError("--config a.conf --config=b.conf"), "option '--config' given twice");
  EXPECT_EQ(usageError(base + " --handover-on-exit=maybe"),
            "invalid --handover-on-exit 'maybe' (expected yes or no)");
  EXPECT_EQ(usageError(base + " --notify="), "empty notify program name");
  EXPECT_EQ(usageError(base + " --pidfile="), "empty file name");
  EXPECT_EQ(usageError(base + " --log="), "empty file name");
  EXPECT_EQ(usageError(base + " --key-file="), "empty --key-file name");
}

TEST(DaemonArgs, ValidateIsUsableWithoutTheParser) {
  DaemonOptions o = parse(kMinimal);
  EXPECT_NO_THROW(validateDaemonOptions(o));
  o.dev.clear();
  EXPECT_THROW(validateDaemonOptions(o), UsageError);
}

TEST(DaemonUsage, ListsEveryOption) {
  std::string text = daemonUsageText();
  for (const char* word :
       {"-n NETNS", "--role primary|backup", "--vip ADDR", "--port P[,P...]", "--dev IFACE",
        "--local ADDR[:PORT]", "--peer ADDR[:PORT]", "--local2 ADDR --peer2 ADDR",
        "--hb-interval-ms N", "--hb-dead-count N", "--gating hold|none", "--epoch N",
        "--garp-count N", "--garp-interval-ms N", "--notify PROGRAM", "--pidfile FILE",
        "--log FILE", "--key-file FILE", "sttcp0"}) {
    EXPECT_THAT(text, HasSubstr(word));
  }
}

}  // namespace
}  // namespace sttcp
