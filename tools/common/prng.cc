// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "prng.h"

namespace sttcp::tools {

void PrngStream::fill(std::uint64_t offset, std::uint8_t* out, std::size_t n) const {
  // Head up to a word boundary, then whole words, then the tail. Bytes are
  // written one by one from the word so the result is the same on any host
  // byte order.
  while (n > 0 && offset % 8 != 0) {
    *out++ = at(offset++);
    --n;
  }
  std::uint64_t k = offset / 8;
  for (; n >= 8; n -= 8, ++k) {
    std::uint64_t w = word(k);
    for (int b = 0; b < 8; ++b) {
      *out++ = static_cast<std::uint8_t>(w >> (8 * b));
    }
  }
  offset = k * 8;
  while (n > 0) {
    *out++ = at(offset++);
    --n;
  }
}

}  // namespace sttcp::tools
