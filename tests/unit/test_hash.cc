// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prng.h"

namespace sttcp::tools {
namespace {

std::string fnvHex(const std::string& s) {
  Fnv1a64 h;
  h.update(s.data(), s.size());
  return h.hex();
}

TEST(Fnv1a64, KnownAnswers) {
  // Reference vectors of FNV-1a 64.
  EXPECT_EQ(fnvHex(""), "cbf29ce484222325");
  EXPECT_EQ(fnvHex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(fnvHex("foobar"), "85944171f73967e8");
}

TEST(Fnv1a64, IndependentOfHowTheStreamIsSplit) {
  const std::string text = "the quick brown fox jumps over the lazy dog";
  Fnv1a64 pieces;
  for (std::size_t i = 0; i < text.size(); i += 5) {
    pieces.update(text.data() + i, std::min<std::size_t>(5, text.size() - i));
  }
  EXPECT_EQ(pieces.hex(), fnvHex(text));
}

TEST(HashGenerated, EqualsHashingTheBytes) {
  PrngStream s(1, 0);
  auto fill = [&](std::uint64_t off, std::uint8_t* out, std::size_t n) { s.fill(off, out, n); };
  // The first MiB of PRNG(1, 0), i.e. what sttcp-client connection 0 sends
  // in echo mode with the default seed.
  EXPECT_EQ(hashGenerated(1 << 20, fill).hex(), "c3e875eedc00c8e6");
  std::vector<std::uint8_t> bytes(100001);
  s.fill(0, bytes.data(), bytes.size());
  Fnv1a64 direct;
  direct.update(bytes.data(), bytes.size());
  EXPECT_EQ(hashGenerated(bytes.size(), fill).value(), direct.value());
  EXPECT_EQ(hashGenerated(0, fill).hex(), "cbf29ce484222325");
}

TEST(HashGenerated, StreamModeUploadKnownAnswer) {
  // "STREAM 5 3\n" followed by 3 upload bytes of PRNG(5, 1).
  const std::string header = "STREAM 5 3\n";
  PrngStream upload(5, 1);
  Fnv1a64 h;
  h.update(header.data(), header.size());
  std::uint8_t bytes[3];
  upload.fill(0, bytes, 3);
  h.update(bytes, 3);
  EXPECT_EQ(h.hex(), "2ff6985db2620169");
}

}  // namespace
}  // namespace sttcp::tools
