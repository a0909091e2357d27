// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "text_table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace sttcp {
namespace {

TEST(TextTable, AlignsColumnsWithoutTrailingBlanks) {
  TextTable t({false, true});
  t.addRow({"name", "value"});
  t.addRow({"a", "1"});
  t.addRow({"longer_name", "12345678"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(),
            "name            value\n"
            "a                   1\n"
            "longer_name  12345678\n");
}

TEST(TextTable, LastLeftColumnIsNotPadded) {
  TextTable t;
  t.addRow({"x", "short"});
  t.addRow({"yy", "much longer"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(), "x   short\nyy  much longer\n");
}

TEST(TextTable, EmptyPrintsNothing) {
  std::ostringstream out;
  TextTable().print(out);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace sttcp
