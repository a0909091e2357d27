// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// libFuzzer target: kmod/session.c (sessions and replay window) driven by an
// arbitrary sequence of envelopes, as the module runs it (renewal on
// RESTART with ids never used before). Invariant: the same message (sender,
// receiver, path, counter) is never accepted twice — that would be a replay.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <tuple>

extern "C" {
#include "session.h"
}

namespace {

// 12 bytes per message: sender choice, receiver choice, path/flags, pad,
// counter (64 bit, little endian; small values are common).
constexpr std::size_t kRecord = 12;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sttcp_session s;
  std::uint64_t next_id = 100;
  sttcp_session_init(&s, next_id++, 0);
  // Peer ids the input can pick from; a few fixed, the rest ours (reflection).
  const std::uint64_t peers[4] = {0, 1, 2, 3};
  std::set<std::tuple<std::uint64_t, std::uint64_t, int, std::uint64_t>> accepted;

  for (std::size_t off = 0; off + kRecord <= size; off += kRecord) {
    const std::uint8_t* r = data + off;
    sttcp_wire_env e{};
    e.type = STTCP_MSG_HEARTBEAT;
    e.sender = (r[0] & 4) ? s.self : peers[r[0] & 3];
    // Receiver: ours (current), an older id of ours, the hint, or a fixed one.
    switch (r[1] & 3) {
      case 0:
        e.receiver = s.self;
        break;
      case 1:
        e.receiver = s.self > 100 ? s.self - 1 - (r[1] >> 2) % (s.self - 100 + 1) : 0;
        break;
      case 2:
        e.receiver = s.hint;
        break;
      default:
        e.receiver = r[1] >> 2;
        break;
    }
    e.flags = r[2] & (STTCP_WIRE_F_AUTH | STTCP_WIRE_F_PATH2);
    int path = (r[2] >> 4) & 1;
    std::memcpy(&e.counter, r + 4, sizeof(e.counter));
    if (r[2] & 0x80) e.counter &= 0xfff;  // mostly near each other

    sttcp_session_verdict v = sttcp_session_rx(&s, &e, path);
    if (v == STTCP_SESS_RESTART) {
      sttcp_session_init(&s, next_id++, e.sender);
    } else if (v == STTCP_SESS_OK) {
      if (e.receiver != s.self || e.sender != s.peer || e.sender == s.self) std::abort();
      if (!accepted.emplace(e.sender, e.receiver, path, e.counter).second) std::abort();
    }
  }
  return 0;
}
