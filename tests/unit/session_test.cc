// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// kmod/session.c and the envelope half of kmod/wire.c, compiled unchanged
// against tests/unit/shim/kshim.h: the replay window, the session handshake
// (restart, replays from old sessions, reflection, path moves) and the
// truncated/oversized/tag-mode parsing. The HMAC itself is the kernel crypto
// API's (kmod/auth.c) and is exercised by the VM suite "auth".
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <vector>

extern "C" {
#include "session.h"
}

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

// ---- replay window ----------------------------------------------------

TEST(Replay, AcceptsEachCounterOnce) {
  sttcp_replay r{};
  for (uint64_t c = 1; c <= 5000; ++c) {
    ASSERT_TRUE(sttcp_replay_check(&r, c)) << c;
    ASSERT_FALSE(sttcp_replay_check(&r, c)) << c;
  }
}

TEST(Replay, RefusesZeroAndTheReservedTop) {
  sttcp_replay r{};
  EXPECT_FALSE(sttcp_replay_check(&r, 0));
  EXPECT_FALSE(sttcp_replay_check(&r, STTCP_WIRE_COUNTER_MAX));
  EXPECT_FALSE(sttcp_replay_check(&r, ~0ULL));
  EXPECT_TRUE(sttcp_replay_check(&r, STTCP_WIRE_COUNTER_MAX - 1));
}

TEST(Replay, ReorderingWithinTheWindowIsAccepted) {
  const uint64_t kTop = 100000;  // more than a window above 0
  sttcp_replay r{};
  ASSERT_TRUE(sttcp_replay_check(&r, kTop));
  // Everything the window still covers, in reverse order, once.
  for (uint64_t c = kTop - 1; c > kTop - STTCP_REPLAY_WINDOW; --c) {
    ASSERT_TRUE(sttcp_replay_check(&r, c)) << c;
    ASSERT_FALSE(sttcp_replay_check(&r, c)) << c;
  }
  // Just out of it: too old, even though never seen.
  EXPECT_FALSE(sttcp_replay_check(&r, kTop - STTCP_REPLAY_WINDOW));
  EXPECT_FALSE(sttcp_replay_check(&r, 1));
}

TEST(Replay, AJumpForwardForgetsOnlyWhatLeftTheWindow) {
  sttcp_replay r{};
  for (uint64_t c = 1; c <= 100; ++c)
    ASSERT_TRUE(sttcp_replay_check(&r, c));
  ASSERT_TRUE(sttcp_replay_check(&r, 100 + 1000));  // skipped 101..1099
  EXPECT_FALSE(sttcp_replay_check(&r, 50));         // seen, still in the window
  EXPECT_TRUE(sttcp_replay_check(&r, 500));         // never seen
  ASSERT_TRUE(sttcp_replay_check(&r, 1000000));     // far jump: the ring is cleared
  EXPECT_FALSE(sttcp_replay_check(&r, 1100));       // too old now
  EXPECT_TRUE(sttcp_replay_check(&r, 1000000 - 5));
  EXPECT_FALSE(sttcp_replay_check(&r, 1000000));
}

// Against a model (a set of everything accepted): random counters around a
// moving top, with duplicates. The window may refuse old counters, but must
// never accept one twice, and must accept every new one within the window.
TEST(Replay, MatchesAModel) {
  std::mt19937_64 rng(1234);
  sttcp_replay r{};
  std::set<uint64_t> seen;
  uint64_t top = 0;
  for (int i = 0; i < 200000; ++i) {
    uint64_t base = top + 1 + rng() % 64;
    uint64_t c = base > 3000 ? base - rng() % 3000 : 1 + rng() % base;
    bool fresh = !seen.count(c);
    bool in_window = c + STTCP_REPLAY_WINDOW > top;
    bool ok = sttcp_replay_check(&r, c);
    ASSERT_EQ(ok, fresh && in_window) << "counter " << c << " top " << top;
    if (ok) {
      seen.insert(c);
      if (c > top) top = c;
    }
  }
}

// ---- sessions ---------------------------------------------------------

struct Node {
  sttcp_session s{};
  uint64_t tx[2] = {0, 0};

  explicit Node(uint64_t id) { sttcp_session_init(&s, id, 0); }

  sttcp_wire_env Send(int path = 0, uint8_t type = STTCP_MSG_HEARTBEAT) {
    sttcp_wire_env e{};
    e.type = type;
    e.flags = path ? STTCP_WIRE_F_PATH2 : 0;
    e.sender = s.self;
    e.receiver = s.hint;
    e.counter = ++tx[path];
    return e;
  }

  // What the kernel does (auth.c): renew on a peer restart.
  sttcp_session_verdict Rx(const sttcp_wire_env& e, int path = 0, uint64_t renew_id = 0) {
    sttcp_session_verdict v = sttcp_session_rx(&s, &e, path);
    if (v == STTCP_SESS_RESTART)
      sttcp_session_init(&s, renew_id ? renew_id : s.self + 1000, e.sender);
    return v;
  }
};

// Exchanges heartbeats until both accept each other's; returns the rounds.
int Pair(Node& a, Node& b, int max_rounds = 10) {
  for (int round = 1; round <= max_rounds; ++round) {
    bool a_ok = a.Rx(b.Send()) == STTCP_SESS_OK;
    bool b_ok = b.Rx(a.Send()) == STTCP_SESS_OK;
    if (a_ok && b_ok) return round;
  }
  return -1;
}

// Messages `from` sends now, captured for a later replay.
std::vector<sttcp_wire_env> Capture(Node& from, int n) {
  std::vector<sttcp_wire_env> out;
  for (int i = 0; i < n; ++i)
    out.push_back(from.Send());
  return out;
}

TEST(Session, TwoFreshNodesPairWithinTwoRounds) {
  Node a(0xa1), b(0xb1);
  int rounds = Pair(a, b);
  ASSERT_GT(rounds, 0);
  EXPECT_LE(rounds, 2);
  EXPECT_EQ(a.s.peer, 0xb1u);
  EXPECT_EQ(b.s.peer, 0xa1u);
}

TEST(Session, ReplayWithinTheSessionIsRefused) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  sttcp_wire_env m = b.Send();
  EXPECT_EQ(a.Rx(m), STTCP_SESS_OK);
  EXPECT_EQ(a.Rx(m), STTCP_SESS_REPLAY);
}

TEST(Session, AMessageMovedToTheOtherPathIsRefused) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  sttcp_wire_env m0 = b.Send(0), m1 = b.Send(1);
  EXPECT_EQ(a.Rx(m0, 1), STTCP_SESS_REPLAY);
  EXPECT_EQ(a.Rx(m1, 0), STTCP_SESS_REPLAY);
  EXPECT_EQ(a.Rx(m0, 0), STTCP_SESS_OK);
  EXPECT_EQ(a.Rx(m1, 1), STTCP_SESS_OK);  // separate counter spaces per path
}

TEST(Session, OurOwnMessageReflectedIsStale) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  EXPECT_EQ(a.Rx(a.Send()), STTCP_SESS_STALE);
}

TEST(Session, ARestartedPeerIsAcceptedAndItsOldMessagesStayDead) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  std::vector<sttcp_wire_env> old = Capture(b, 5);  // b's first life, to a1
  for (const auto& m : old)
    ASSERT_EQ(a.Rx(m), STTCP_SESS_OK);

  Node b2(0xb2);  // b restarts: a fresh id, counters from 1 again
  int rounds = Pair(a, b2);
  ASSERT_GT(rounds, 0);
  EXPECT_LE(rounds, 3);
  EXPECT_EQ(a.s.peer, 0xb2u);
  EXPECT_NE(a.s.self, 0xa1u);  // a renewed its own session
  // Every message of b's first life is stale now, whatever its counter.
  for (const auto& m : old)
    EXPECT_EQ(a.Rx(m), STTCP_SESS_STALE);
  // And a replay of b2's first messages (addressed to a's old id) too.
  EXPECT_EQ(b2.s.peer, a.s.self);
}

TEST(Session, ReplaysFromBeforeOurOwnRestartAreStale) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  std::vector<sttcp_wire_env> old = Capture(b, 5);
  Node a2(0xa2);  // a restarts; b still runs
  ASSERT_GT(Pair(a2, b), 0);
  for (const auto& m : old)
    EXPECT_EQ(a2.Rx(m), STTCP_SESS_STALE);
}

TEST(Session, ReplayedHellosWhileUnboundDoNotBind) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  sttcp_wire_env old = b.Send();
  Node a2(0xa2);
  // a2 hears an old message first: it may address b1, but binds nothing.
  EXPECT_EQ(a2.Rx(old), STTCP_SESS_STALE);
  EXPECT_EQ(a2.s.peer, 0u);
  ASSERT_GT(Pair(a2, b), 0);
}

TEST(Session, RestartReorderedWithOldTrafficConverges) {
  Node a(0xa1), b(0xb1);
  ASSERT_GT(Pair(a, b), 0);
  std::vector<sttcp_wire_env> inflight = Capture(b, 3);
  Node b2(0xb2);
  a.Rx(b2.Send());                // hello (to 0): stale
  b2.Rx(a.Send());                // b2 learns a1
  a.Rx(b2.Send());                // b2 -> a1: restart, a renews
  for (const auto& m : inflight)  // old b1 traffic arrives late
    EXPECT_EQ(a.Rx(m), STTCP_SESS_STALE);
  ASSERT_GT(Pair(a, b2), 0);
  EXPECT_EQ(a.s.peer, 0xb2u);
}

// ---- envelope parsing -------------------------------------------------

std::vector<uint8_t> Envelope(uint8_t flags, uint32_t body, uint32_t tag) {
  std::vector<uint8_t> m(STTCP_WIRE_HDR_LEN + body + tag, 0);
  sttcp_wire_env e{};
  e.type = STTCP_MSG_HEARTBEAT;
  e.flags = flags;
  e.len = uint32_t(m.size());
  e.sender = 7;
  e.counter = 1;
  sttcp_wire_put_env(m.data(), &e);
  return m;
}

int ParseEnv(const std::vector<uint8_t>& m, size_t total) {
  sttcp_wire_env e;
  std::vector<uint8_t> copy(m.begin(), m.begin() + std::min(m.size(), total));
  return sttcp_wire_parse_env(copy.data(), uint32_t(copy.size()), uint32_t(total), &e);
}

TEST(Envelope, TruncatedOrPaddedMessagesAreRefused) {
  auto m = Envelope(STTCP_WIRE_F_AUTH, STTCP_WIRE_HB_LEN, STTCP_WIRE_TAG_LEN);
  EXPECT_EQ(ParseEnv(m, m.size()), 0);
  for (size_t cut = 0; cut < m.size(); ++cut)
    EXPECT_EQ(ParseEnv(m, cut), -EBADMSG) << cut;
  auto longer = m;
  longer.push_back(0);
  EXPECT_EQ(ParseEnv(longer, longer.size()), -EBADMSG);
}

TEST(Envelope, OversizedIsRefused) {
  std::vector<uint8_t> m(STTCP_WIRE_MAX_LEN + 1, 0);
  auto hdr = Envelope(0, 0, 0);
  std::memcpy(m.data(), hdr.data(), hdr.size());
  EXPECT_EQ(ParseEnv(m, m.size()), -EBADMSG);
}

TEST(Envelope, AuthFlagNeedsRoomForTheTag) {
  auto m = Envelope(STTCP_WIRE_F_AUTH, 0, 0);
  EXPECT_EQ(ParseEnv(m, m.size()), -EBADMSG);
  m = Envelope(STTCP_WIRE_F_AUTH, 0, STTCP_WIRE_TAG_LEN);
  EXPECT_EQ(ParseEnv(m, m.size()), 0);
}

TEST(Envelope, UnknownFlagsReservedBitsZeroIdsAndCountersAreRefused) {
  auto m = Envelope(0, 0, 0);
  EXPECT_EQ(ParseEnv(m, m.size()), 0);
  for (int byte : {4, 5, 6, 7}) {
    auto bad = m;
    bad[size_t(byte)] |= byte == 4 ? 0x04 : 0x01;
    EXPECT_EQ(ParseEnv(bad, bad.size()), -EBADMSG) << byte;
  }
  auto zero_sender = m;
  std::memset(&zero_sender[8], 0, 8);
  EXPECT_EQ(ParseEnv(zero_sender, zero_sender.size()), -EBADMSG);
  auto zero_counter = m;
  std::memset(&zero_counter[24], 0, 8);
  EXPECT_EQ(ParseEnv(zero_counter, zero_counter.size()), -EBADMSG);
  auto huge_counter = m;
  huge_counter[24] = 0x40;  // 2^62: never sent
  EXPECT_EQ(ParseEnv(huge_counter, huge_counter.size()), -EBADMSG);
  auto v1 = m;
  v1[0] = 1;
  EXPECT_EQ(ParseEnv(v1, v1.size()), -EPROTONOSUPPORT);
}

TEST(Envelope, TheBodyEndsWhereTheTagStarts) {
  // A heartbeat with a tag: the body parser must see exactly HB_LEN bytes.
  auto m = Envelope(STTCP_WIRE_F_AUTH, STTCP_WIRE_HB_LEN, STTCP_WIRE_TAG_LEN);
  m[STTCP_WIRE_HDR_LEN + 4] = 2;  // state: active
  sttcp_msg msg;
  EXPECT_EQ(sttcp_wire_parse(m.data(), uint32_t(m.size()), uint32_t(m.size()), &msg), 0);
  EXPECT_EQ(msg.type, STTCP_MSG_HEARTBEAT);
  // The same bytes without the flag: 16 bytes too many for a heartbeat.
  m[4] = 0;
  EXPECT_EQ(sttcp_wire_parse(m.data(), uint32_t(m.size()), uint32_t(m.size()), &msg), -EBADMSG);
}

}  // namespace
