// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// A minimal streaming JSON writer producing compact output
// ({"a":1,"b":[true,null]}), shared by sttcpctl and the test tools. It
// places commas itself; callers only nest begin/end calls correctly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sttcp {

// `text` as a JSON string literal, quotes included. Control characters are
// escaped and invalid UTF-8 bytes become U+FFFD, so the output is always
// valid JSON whatever bytes an error message carried.
std::string jsonQuote(std::string_view text);

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& str(std::string_view value);
  JsonWriter& u64(std::uint64_t value);
  JsonWriter& i64(std::int64_t value);
  // Fixed-point with `decimals` digits; NaN and infinities become null.
  JsonWriter& num(double value, int decimals = 3);
  JsonWriter& boolean(bool value);
  JsonWriter& null();

  const std::string& text() const { return out_; }

 private:
  void beforeValue();

  std::string out_;
  // One entry per open container: true once it holds an element.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace sttcp
