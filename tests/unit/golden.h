// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Output checked against a file in tests/unit/golden/. With
// STTCP_UPDATE_GOLDEN=1 in the environment the file is rewritten instead
// (review the diff before committing it).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace sttcp::testing {

inline void expectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(STTCP_GOLDEN_DIR) + "/" + name;
  if (std::getenv("STTCP_UPDATE_GOLDEN")) {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (STTCP_UPDATE_GOLDEN=1 writes it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(actual, want.str()) << "differs from " << path;
}

}  // namespace sttcp::testing
