// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "netns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace sttcp {
namespace {

using ::testing::HasSubstr;

std::string errorOf(const std::string& name) {
  try {
    enterNetns(name);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(EnterNetns, MissingNamespaceSaysHowToCreateIt) {
  std::string err = errorOf("sttcp-unit-test-does-not-exist");
  EXPECT_THAT(err, HasSubstr("network namespace 'sttcp-unit-test-does-not-exist' not found"));
  EXPECT_THAT(err, HasSubstr("ip netns add sttcp-unit-test-does-not-exist"));
}

TEST(EnterNetns, RejectsNamesThatLeaveRunNetns) {
  EXPECT_EQ(errorOf("../etc"), "invalid network namespace name '../etc'");
  EXPECT_EQ(errorOf(".."), "invalid network namespace name '..'");
  EXPECT_EQ(errorOf(""), "invalid network namespace name ''");
}

// A file under /run/netns that is not a namespace (what a stale or hand-made entry looks like).
TEST(EnterNetns, AFileThatIsNoNamespaceIsNamed) {
  const std::filesystem::path dir = "/run/netns";
  const std::string name = "sttcp-unit-test-plain-file-" + std::to_string(::getpid());
  std::error_code ec;
  const bool made_dir = std::filesystem::create_directory(dir, ec);
  if (ec) GTEST_SKIP() << dir << ": " << ec.message();
  {
    std::ofstream file(dir / name);
    if (!file) {
      if (made_dir) std::filesystem::remove(dir, ec);
      GTEST_SKIP() << dir << " is read-only";
    }
  }
  std::string err = errorOf(name);
  std::filesystem::remove(dir / name, ec);
  if (made_dir) std::filesystem::remove(dir, ec);
  if (err.find("Operation not permitted") != std::string::npos) GTEST_SKIP() << err;
  EXPECT_EQ(err, "cannot enter network namespace '" + name + "': Invalid argument (/run/netns/" +
                     name + " is not a network namespace)");
}

}  // namespace
}  // namespace sttcp
