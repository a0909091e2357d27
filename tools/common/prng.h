// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The deterministic byte streams the test tools send and verify. Client and
// server must agree on every byte, so the definition is fixed here:
//
//   key      = mix64(seed ^ mix64(stream + GOLDEN))
//   word(k)  = mix64(key + GOLDEN * (k + 1))        (k = 0, 1, 2, ...)
//   byte(n)  = (word(n / 8) >> (8 * (n % 8))) & 0xff   (little-endian)
//
// i.e. the output of SplitMix64 seeded with `key`. Being counter based, any
// offset can be generated directly, which is what lets a receiver verify
// bytes however the network segmented them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sttcp::tools {

inline constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// SplitMix64's finalizer (Steele, Lea, Flood 2014).
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class PrngStream {
 public:
  PrngStream(std::uint64_t seed, std::uint64_t stream)
      : key_(mix64(seed ^ mix64(stream + kGolden))) {}

  std::uint64_t word(std::uint64_t k) const { return mix64(key_ + kGolden * (k + 1)); }
  std::uint8_t at(std::uint64_t offset) const {
    return static_cast<std::uint8_t>(word(offset / 8) >> (8 * (offset % 8)));
  }
  // Bytes [offset, offset + n) of the stream.
  void fill(std::uint64_t offset, std::uint8_t* out, std::size_t n) const;

 private:
  std::uint64_t key_;
};

}  // namespace sttcp::tools
