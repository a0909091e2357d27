// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp.conf(5): the syntax, every documented error with its exit code and
// line, and the merge with command-line flags (flags win).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "config_file.h"
#include "daemon_options.h"

namespace sttcp {
namespace {

using ::testing::HasSubstr;

constexpr const char* kGood = R"(# node A
[service]
vip = 10.0.0.100
ports 5000,5001
interface eth0
gating hold

[node]
role primary           # starts as primary
local 192.168.77.1
local2 10.0.0.1
key-file "/etc/sttcp/sync key"
handover-on-exit yes

[peer]
address 192.168.77.2:7401
address2 10.0.0.2

[timers]
hb-interval-ms 50
hb-dead-count 10
garp-count 3

[hooks]
notify /etc/sttcp/notify.sh
notify /usr/local/bin/page

[daemon]
log /var/log/sttcpd.log
)";

// Files by name for parseDaemonArgs.
struct Files {
  std::map<std::string, std::string> text;
  std::string operator()(const std::string& path) const {
    auto it = text.find(path);
    if (it == text.end()) {
      throw ConfigError(ConfigStatus::kUnreadable,
                        "cannot read " + path + ": No such file or directory");
    }
    return it->second;
  }
};

DaemonInvocation load(const std::string& text, std::vector<std::string> extra = {}) {
  Files files{{{"n.conf", text}}};
  std::vector<std::string> args = {"--config", "n.conf"};
  args.insert(args.end(), extra.begin(), extra.end());
  return parseDaemonArgs(args, files);
}

// The error of loading `text`: "CODE MESSAGE".
std::string error(const std::string& text, std::vector<std::string> extra = {}) {
  try {
    load(text, extra);
  } catch (const ConfigError& e) {
    return std::to_string(e.exitCode()) + " " + e.what();
  }
  return "<no error>";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(ConfigText, SplitsSectionsKeysValuesWithLines) {
  auto entries =
      parseConfigText("[a]\n k = v w \n# c\nx \"q # r\"  # s\n[b]\ny\t1\n", "f", {"a", "b"});
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0], (ConfigEntry{"a", "k", "v w", 2}));
  EXPECT_EQ(entries[1], (ConfigEntry{"a", "x", "q # r", 4}));
  EXPECT_EQ(entries[2], (ConfigEntry{"b", "y", "1", 6}));
  EXPECT_TRUE(parseConfigText("", "f", {"a"}).empty());
  EXPECT_TRUE(parseConfigText("\n\n  # only comments\r\n", "f", {"a"}).empty());
}

TEST(ConfigText, SyntaxErrorsNameTheLine) {
  auto err = [](const std::string& text) {
    try {
      parseConfigText(text, "f.conf", {"node", "peer"});
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.status(), ConfigStatus::kSyntax);
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_EQ(err("[node\n"), "f.conf:1: section header without its closing ']'");
  EXPECT_EQ(err("\n[nodes]\n"), "f.conf:2: unknown section [nodes] (known: [node], [peer])");
  EXPECT_EQ(err("[node]\n[peer]\n[node]\n"),
            "f.conf:3: section [node] given twice (first at line 1)");
  EXPECT_EQ(err("role primary\n"),
            "f.conf:1: 'role' outside a section (start with one of [node], [peer])");
  EXPECT_EQ(err("[node]\nrole\n"), "f.conf:2: 'role' needs a value");
  EXPECT_EQ(err("[node]\nrole =\n"), "f.conf:2: 'role' needs a value");
  EXPECT_EQ(err("[node]\n= x\n"), "f.conf:2: expected 'key value' or '[section]', got '= x'");
  EXPECT_EQ(err("[node]\nro.le x\n"), "f.conf:2: invalid character '.' in key 'ro....'");
  EXPECT_EQ(err("[node]\nrole \"primary\n"), "f.conf:2: unbalanced '\"' in the value of 'role'");
  EXPECT_EQ(err("[node]\nrole pri\x01mary\n"),
            "f.conf:2: control character in the line (not a text file?)");
}

TEST(ConfigFile, EveryKeyLandsInTheOptions) {
  DaemonInvocation inv = load(kGood);
  const DaemonOptions& o = inv.options;
  EXPECT_EQ(o.service.role, Role::kPrimary);
  EXPECT_EQ(o.service.vip.str(), "10.0.0.100");
  EXPECT_EQ(o.service.ports, (std::vector<std::uint16_t>{5000, 5001}));
  EXPECT_EQ(o.dev, "eth0");
  EXPECT_EQ(o.service.local.str(), "192.168.77.1:7400");
  EXPECT_EQ(o.service.peer.str(), "192.168.77.2:7401");
  EXPECT_EQ(o.service.local2->str(), "10.0.0.1");
  EXPECT_EQ(o.service.peer2->str(), "10.0.0.2");
  EXPECT_EQ(o.service.hb_interval_ms, 50u);
  EXPECT_EQ(o.service.hb_dead_count, 10u);
  EXPECT_EQ(o.garp_count, 3u);
  EXPECT_EQ(o.keyFile, "/etc/sttcp/sync key");
  EXPECT_TRUE(o.handover_on_exit);
  EXPECT_EQ(o.notify, (std::vector<std::string>{"/etc/sttcp/notify.sh", "/usr/local/bin/page"}));
  EXPECT_EQ(o.log, "/var/log/sttcpd.log");
  EXPECT_EQ(inv.sources.lines.at("service.vip"), 3);
  EXPECT_EQ(optionsSummary(o),
            "role primary, vip 10.0.0.100, ports 5000,5001 on eth0, sync 192.168.77.1:7400 -> "
            "192.168.77.2:7401, second path 10.0.0.1 -> 10.0.0.2, gating hold, hb-interval-ms 50, "
            "hb-dead-count 10, 2 notify hook(s), key-file /etc/sttcp/sync key, handover on exit");
}

TEST(ConfigFile, FlagsOverrideTheFile) {
  DaemonInvocation inv = load(kGood, {"--role", "backup", "--notify", "/bin/x", "--hb-dead-count",
                                      "4", "--handover-on-exit"});
  EXPECT_EQ(inv.options.service.role, Role::kBackup);
  EXPECT_EQ(inv.options.notify, std::vector<std::string>{"/bin/x"});
  EXPECT_EQ(inv.options.service.hb_dead_count, 4u);
  EXPECT_FALSE(inv.sources.lines.count("node.role"));
  // A flag can also complete a file.
  EXPECT_EQ(load(replaced(kGood, "vip = 10.0.0.100\n", ""), {"--vip", "10.0.0.9"})
                .options.service.vip.str(),
            "10.0.0.9");
}

TEST(ConfigFile, UnknownOrMisplacedKeysAreSyntaxErrors) {
  EXPECT_EQ(error(replaced(kGood, "gating hold", "gateing hold")),
            "4 n.conf:6: unknown key 'gateing' in [service] (known: vip, ports, interface, "
            "gating)");
  EXPECT_EQ(error(replaced(kGood, "gating hold", "role backup")),
            "4 n.conf:6: 'role' belongs in [node], not [service]");
  EXPECT_EQ(error(replaced(kGood, "gating hold", "vip 10.0.0.1")),
            "4 n.conf:6: 'vip' given twice (first at line 3)");
  EXPECT_EQ(error(replaced(kGood, "[timers]", "[timer]")),
            "4 n.conf:19: unknown section [timer] (known: [service], [node], [peer], [timers], "
            "[hooks], [daemon])");
}

TEST(ConfigFile, BadValuesNameTheLine) {
  EXPECT_EQ(error(replaced(kGood, "role primary", "role master")),
            "5 n.conf:9: invalid role 'master' (expected primary or backup)");
  EXPECT_EQ(error(replaced(kGood, "vip = 10.0.0.100", "vip = 10.0.0")),
            "5 n.conf:3: invalid vip address '10.0.0' (expected A.B.C.D)");
  EXPECT_EQ(error(replaced(kGood, "ports 5000,5001", "ports 5000,0")),
            "5 n.conf:4: ports: invalid port '0' (expected 1-65535)");
  EXPECT_EQ(error(replaced(kGood, "ports 5000,5001", "ports 5000,5000")),
            "5 n.conf:4: ports: port 5000 listed twice");
  EXPECT_EQ(error(replaced(kGood, "gating hold", "gating maybe")),
            "5 n.conf:6: invalid gating 'maybe' (expected hold or none)");
  EXPECT_EQ(error(replaced(kGood, "address 192.168.77.2:7401", "address 192.168.77.2:0")),
            "5 n.conf:16: invalid address '192.168.77.2:0' (expected A.B.C.D[:PORT])");
  EXPECT_EQ(error(replaced(kGood, "hb-dead-count 10", "hb-dead-count ten")),
            "5 n.conf:21: invalid hb-dead-count 'ten' (expected 1-4294967295)");
  EXPECT_EQ(error(replaced(kGood, "handover-on-exit yes", "handover-on-exit maybe")),
            "5 n.conf:13: invalid handover-on-exit 'maybe' (expected yes or no)");
}

TEST(ConfigFile, MissingOrContradictorySettings) {
  EXPECT_EQ(error(replaced(kGood, "vip = 10.0.0.100\n", "")),
            "6 n.conf: missing 'vip' in [service] (or give --vip)");
  EXPECT_EQ(error(replaced(kGood, "role primary           # starts as primary\n", "")),
            "6 n.conf: missing 'role' in [node] (or give --role)");
  EXPECT_EQ(error(replaced(kGood, "interface eth0\n", "")),
            "6 n.conf: missing 'interface' in [service] (or give --dev)");
  EXPECT_EQ(error(replaced(kGood, "address2 10.0.0.2\n", "")),
            "6 n.conf:11: local2 and --peer2 go together (the second heartbeat path needs both "
            "ends): give both or neither");
  EXPECT_EQ(error(replaced(kGood, "address 192.168.77.2:7401", "address 192.168.77.1")),
            "6 n.conf:16: local and address must differ");
  EXPECT_EQ(error(replaced(kGood, "address2 10.0.0.2", "address2 10.0.0.1")),
            "6 n.conf:17: local2 and address2 must differ");
  EXPECT_EQ(error(replaced(kGood, "interface eth0", "interface sttcp0")),
            "6 n.conf:5: interface cannot be sttcp0 (sttcpd's own dummy device holding the VIP)");
  EXPECT_EQ(error(replaced(kGood, "interface eth0", "interface a/b")),
            "6 n.conf:5: invalid interface 'a/b' (not an interface name)");
  EXPECT_EQ(error(replaced(kGood, "vip = 10.0.0.100", "vip = 10.0.0.1")),
            "6 n.conf:3: the service address vip 10.0.0.1 cannot also be a sync or heartbeat "
            "address (it moves between the nodes)");
}

// What the module or sttcpd would refuse at the start, --config-test refuses already.
TEST(ConfigFile, ValuesOutsideWhatTheStartAccepts) {
  EXPECT_EQ(error(replaced(kGood, "vip = 10.0.0.100", "vip = 224.0.0.1")),
            "6 n.conf:3: vip 224.0.0.1 is not a unicast address (the module refuses it)");
  EXPECT_EQ(error(kGood, {"--peer2", "255.255.255.255"}),
            "6 --peer2 255.255.255.255 is not a unicast address (the module refuses it)");
  auto refused = [](const std::string& text, const std::string& what) {
    std::string e = error(text);
    EXPECT_EQ(e.rfind("6 n.conf:", 0), 0u) << e;
    EXPECT_NE(e.find(what), std::string::npos) << e;
  };
  refused(replaced(kGood, "hb-dead-count 10", "hb-dead-count 1"),
          ": hb-dead-count 1 is outside the module's range 2-100");
  refused(replaced(kGood, "hb-interval-ms 50", "hb-interval-ms 20000"),
          ": hb-interval-ms 20000 is outside the module's range 1-10000");
  refused(replaced(kGood, "garp-count 3", "garp-count 1000000"),
          ": garp-count 1000000 is more than 100");
  refused(replaced(kGood, "garp-count 3", "garp-count 3\ngarp-interval-ms 60000"),
          ": garp-interval-ms 60000 is more than 10000 (10 s)");
}

TEST(ConfigFile, UnreadableFile) {
  try {
    parseDaemonArgs({"--config-test", "/nonexistent/sttcp.conf"});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.exitCode(), 3);
    EXPECT_STREQ(e.what(), "cannot read /nonexistent/sttcp.conf: No such file or directory");
  }
  try {
    readConfigFile("/");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "cannot read /: is a directory");
  }
  // Opens, then fails to read (nothing is mapped at address 0): an error, not an empty file.
  try {
    readConfigFile("/proc/self/mem");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.exitCode(), 3);
    EXPECT_STREQ(e.what(), "cannot read /proc/self/mem: Input/output error");
  }
}

TEST(ConfigFile, ConfigTestDefaultsToTheSystemFile) {
  Files files{{{kDefaultConfigPath, kGood}}};
  DaemonInvocation inv = parseDaemonArgs({"--config-test"}, files);
  EXPECT_TRUE(inv.config_test);
  EXPECT_EQ(inv.config, kDefaultConfigPath);
  EXPECT_THROW(parseDaemonArgs({"--config", "a", "--config-test", "b"}, files), UsageError);
  EXPECT_THROW(parseDaemonArgs({"--handover-on-exit=yes"}, files), UsageError);
}

TEST(ConfigFile, ReloadSortsChangesFromBlockers) {
  DaemonOptions a = load(kGood).options, b = a;
  b.service.hb_interval_ms = 20;
  b.garp_count = 1;
  EXPECT_TRUE(reloadBlockers(a, b).empty());
  EXPECT_EQ(reloadChanges(a, b),
            (std::vector<std::string>{"hb-interval-ms: 50 -> 20", "garp-count: 3 -> 1"}));
  b.service.role = Role::kBackup;
  b.service.local2.reset();
  b.keyFile = "/k";
  EXPECT_EQ(reloadBlockers(a, b),
            (std::vector<std::string>{"role: primary -> backup", "local2: 10.0.0.1 -> (none)",
                                      "key-file: /etc/sttcp/sync key -> /k"}));
}

}  // namespace
}  // namespace sttcp
