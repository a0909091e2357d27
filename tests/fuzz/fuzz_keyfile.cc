// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// libFuzzer target: userspace/lib/keyfile.cc's key parser (hex, base64, blanks).
// Whatever it accepts must round-trip through base64.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "keyfile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    sttcp::Key key = sttcp::parseKey(text);
    if (sttcp::parseKey(sttcp::keyToBase64(key)) != key) std::abort();
  } catch (const sttcp::KeyFileError&) {
  }
  return 0;
}
