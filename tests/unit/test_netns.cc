// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "netns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sttcp
