// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The gratuitous ARP payload and the node's sysctls (no root needed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace sttcp
