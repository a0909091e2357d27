// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The gratuitous ARP payload and the node's sysctls (no root needed); the packet socket and
// rtnetlink errors where the machine allows (root, network namespaces), else skipped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "garp.h"
#include "vip.h"

namespace sttcp {
namespace {

using ::testing::HasSubstr;

TEST(GarpPayload, ArpRequestAnnouncingTheVip) {
  MacAddress mac = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
  auto p = buildGarpPayload(mac, *Ipv4::parse("10.0.0.100"));
  const std::array<std::uint8_t, 28> expected = {
      0x00, 0x01,                          // Ethernet
      0x08, 0x00,                          // IPv4
      6,    4,                             // address lengths
      0x00, 0x01,                          // request
      0x02, 0x00, 0x5e, 0x10, 0x20, 0x30,  // sender MAC
      10,   0,    0,    100,               // sender IP = VIP
      0,    0,    0,    0,    0,    0,     // target MAC: unknown
      10,   0,    0,    100,               // target IP = VIP
  };
  EXPECT_EQ(p, expected);
}

TEST(Sysctls, ArpOnAllAndTheDeviceRpFilterOnAllAndTheVipDevice) {
  auto list = requiredSysctls("eth0");
  EXPECT_EQ(list, (std::vector<Sysctl>{
                      {"net/ipv4/conf/all/arp_ignore", "1"},
                      {"net/ipv4/conf/eth0/arp_ignore", "1"},
                      {"net/ipv4/conf/all/arp_announce", "2"},
                      {"net/ipv4/conf/eth0/arp_announce", "2"},
                      {"net/ipv4/conf/all/rp_filter", "0"},
                      {"net/ipv4/conf/sttcp0/rp_filter", "0"},
                  }));
}

class SysctlFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sttcp-sysctl-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string read(const std::string& path) {
    std::ifstream in(root_ / path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::filesystem::path root_;
};

TEST_F(SysctlFiles, WritesEachValueIdempotently) {
  auto list = requiredSysctls("eth0");
  for (const char* dev : {"all", "eth0", "sttcp0"}) {
    std::filesystem::create_directories(root_ / "net/ipv4/conf" / dev);
  }
  for (const Sysctl& s : list)
    std::ofstream(root_ / s.path) << "7\n";
  writeSysctls(list, root_);
  writeSysctls(list, root_);
  EXPECT_EQ(read("net/ipv4/conf/eth0/arp_ignore"), "1\n");
  EXPECT_EQ(read("net/ipv4/conf/all/arp_announce"), "2\n");
  EXPECT_EQ(read("net/ipv4/conf/sttcp0/rp_filter"), "0\n");
}

TEST_F(SysctlFiles, AFailureNamesTheFile) {
  try {
    writeSysctls({{"net/ipv4/conf/eth9/arp_ignore", "1"}}, root_);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + root_.string() +
                                         "/net/ipv4/conf/eth9/arp_ignore: No such file or "
                                         "directory");
  }
}

TEST(Sysctls, AFailedWriteNamesTheValueAndTheFile) {
  try {
    writeSysctls({{"full", "1"}}, "/dev");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write 1 to /dev/full: No space left on device");
  }
}

// Runs `f` in a child process and returns what it wrote to its pipe (a failure's text, or
// "skip: WHY").
std::string inChild(const std::function<std::string()>& f) {
  int fds[2];
  if (::pipe(fds) != 0) return "skip: no pipe";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string text = f();
    ssize_t ignored [[maybe_unused]] = ::write(fds[1], text.data(), text.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return text;
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no error>";
}

const Ipv4 kVip = *Ipv4::parse("10.0.0.100");

TEST(PacketGarp, WithoutPrivilegeNamesTheCapabilities) {
  std::string text = inChild([] {
    // Root gives up its capabilities with its uid.
    if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) return std::string("skip: uid");
    return errorOf([] { PacketGarpSender sender("lo", kVip); });
  });
  if (text.starts_with("skip: ") || text == "<no error>") GTEST_SKIP() << text;
  EXPECT_EQ(text,
            "permission denied: CAP_NET_ADMIN is required (and CAP_NET_RAW, for gratuitous ARP)");
}

TEST(PacketGarp, InterfaceErrorsNameTheInterface) {
  std::optional<PacketGarpSender> lo, missing;
  try {
    lo.emplace("lo", kVip);
    missing.emplace("sttcp-nosuch0", kVip);
  } catch (const std::runtime_error& e) {
    GTEST_SKIP() << e.what();  // no CAP_NET_RAW here
  }
  EXPECT_EQ(errorOf([&] { lo->send(); }), "lo is not an Ethernet interface (no ARP)");
  EXPECT_EQ(errorOf([&] { missing->send(); }), "interface 'sttcp-nosuch0': No such device");
}

TEST(RtnlVip, AMissingInterfaceIsNamedAtOnce) {
  std::string text = errorOf([] { RtnlVipManager vip("sttcp-nosuch0", kVip); });
  if (text.starts_with("cannot open")) GTEST_SKIP() << text;
  EXPECT_EQ(text, "interface 'sttcp-nosuch0' not found in this network namespace");
}

// In a new network namespace, the loopback device renamed sttcp0 takes the place of the dummy.
TEST(RtnlVip, ADeviceInTheWayIsNamedWithItsFix) {
  std::string text = inChild([] {
    if (::unshare(CLONE_NEWNET) != 0) return "skip: unshare: " + std::string(std::strerror(errno));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    std::strncpy(ifr.ifr_newname, "sttcp0", IFNAMSIZ - 1);
    int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || ::ioctl(sock, SIOCSIFNAME, &ifr) != 0) {
      return "skip: rename: " + std::string(std::strerror(errno));
    }
    ::close(sock);
    return errorOf([] { RtnlVipManager("sttcp0", kVip, "/nonexistent").prepare(); });
  });
  if (text.starts_with("skip: ")) GTEST_SKIP() << text;
  EXPECT_EQ(text,
            "device sttcp0 exists but is not a dummy (no kind); remove it: ip link del sttcp0");
}

}  // namespace
}  // namespace sttcp
