// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
// Big-endian field access for the packet fixtures of the kmod unit tests, written out byte by
// byte so the tests do not share the code under test (sttcp_get_be32/sttcp_put_be32).
#ifndef STTCP_TESTS_UNIT_BE_BYTES_H
#define STTCP_TESTS_UNIT_BE_BYTES_H

#include <cstdint>

namespace be_bytes {

inline uint16_t Get16(const uint8_t* p) {
  return uint16_t(p[0] << 8 | p[1]);
}
inline uint32_t Get32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
inline void Put16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
inline void Put32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

}  // namespace be_bytes

#endif  // STTCP_TESTS_UNIT_BE_BYTES_H
