// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sttcp {
namespace {

TEST(JsonQuote, PlainText) {
  EXPECT_EQ(jsonQuote("abc"), "\"abc\"");
}

TEST(JsonQuote, EscapesQuotesBackslashAndControls) {
  EXPECT_EQ(jsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(jsonQuote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(jsonQuote(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(jsonQuote(std::string("a\0b", 3)), R"("a\u0000b")");
}

TEST(JsonQuote, KeepsSlashAndDel) {
  EXPECT_EQ(jsonQuote("/\x7f"), "\"/\x7f\"");
}

TEST(JsonQuote, PassesValidUtf8) {
  EXPECT_EQ(jsonQuote("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JsonQuote, ReplacesInvalidUtf8) {
  EXPECT_EQ(jsonQuote("\xff"), R"("\ufffd")");
  EXPECT_EQ(jsonQuote("a\xc3"), R"("a\ufffd")");                              // truncated sequence
  EXPECT_EQ(jsonQuote("\xc0\xaf"), R"("\ufffd\ufffd")");                      // overlong '/'
  EXPECT_EQ(jsonQuote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // surrogate
  EXPECT_EQ(jsonQuote("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
}

TEST(JsonWriter, NestedContainersGetCommas) {
  JsonWriter w;
  w.beginObject().key("a").u64(1).key("b").beginArray().boolean(true).null().str("x");
  w.beginObject().endObject().endArray().key("c").i64(-5).endObject();
  EXPECT_EQ(w.text(), R"({"a":1,"b":[true,null,"x",{}],"c":-5})");
}

TEST(JsonWriter, EmptyContainers) {
  JsonWriter w;
  w.beginArray().beginArray().endArray().beginObject().endObject().endArray();
  EXPECT_EQ(w.text(), "[[],{}]");
}

TEST(JsonWriter, EscapesKeys) {
  JsonWriter w;
  w.beginObject().key("k\"").str("v\n").endObject();
  EXPECT_EQ(w.text(), R"({"k\"":"v\n"})");
}

TEST(JsonWriter, Numbers) {
  JsonWriter w;
  w.beginArray()
      .u64(18446744073709551615ull)
      .i64(std::numeric_limits<std::int64_t>::min())
      .num(1.5)
      .num(2.0 / 3.0, 2)
      .num(std::nan(""))
      .num(std::numeric_limits<double>::infinity())
      .endArray();
  EXPECT_EQ(w.text(), "[18446744073709551615,-9223372036854775808,1.500,0.67,null,null]");
}

}  // namespace
}  // namespace sttcp
