// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Known answers pin the stream definition in prng.h: a change here breaks
// compatibility between tool builds (and with external checkers).
#include "prng.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace sttcp::tools {
namespace {

std::string hexOf(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  char buf[3];
  for (std::uint8_t b : bytes) {
    std::snprintf(buf, sizeof(buf), "%02x", b);
    out += buf;
  }
  return out;
}

std::string streamHex(const PrngStream& s, std::uint64_t offset, std::size_t n) {
  std::vector<std::uint8_t> bytes(n);
  s.fill(offset, bytes.data(), n);
  return hexOf(bytes);
}

TEST(Mix64, IsSplitMix64) {
  // The published first outputs of SplitMix64 seeded with 0.
  EXPECT_EQ(mix64(kGolden * 1), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(mix64(kGolden * 2), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(mix64(kGolden * 3), 0x06c45d188009454fULL);
}

TEST(PrngStream, KnownAnswers) {
  EXPECT_EQ(streamHex(PrngStream(1, 0), 0, 16), "a10fc70e301ac685780befe1a6c25249");
  EXPECT_EQ(streamHex(PrngStream(0, 0), 0, 13), "ec052c1a0b9b8a568b71ef47b1");
  EXPECT_EQ(streamHex(PrngStream(42, 7), 1000, 8), "18afaa59a2dd1358");
}

TEST(PrngStream, AnyOffsetAndLengthAgreeWithTheWholeStream) {
  PrngStream s(123, 4);
  std::vector<std::uint8_t> whole(300);
  s.fill(0, whole.data(), whole.size());
  for (std::size_t off = 0; off < 40; ++off) {
    for (std::size_t len = 0; off + len <= whole.size(); len += 37) {
      std::vector<std::uint8_t> part(len);
      s.fill(off, part.data(), len);
      ASSERT_TRUE(std::equal(part.begin(), part.end(), whole.begin() + off))
          << "off " << off << " len " << len;
    }
    EXPECT_EQ(s.at(off), whole[off]);
  }
}

TEST(PrngStream, StreamsAndSeedsDiffer) {
  EXPECT_NE(streamHex(PrngStream(1, 0), 0, 16), streamHex(PrngStream(1, 1), 0, 16));
  EXPECT_NE(streamHex(PrngStream(1, 0), 0, 16), streamHex(PrngStream(2, 0), 0, 16));
}

}  // namespace
}  // namespace sttcp::tools
