// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// kmod/digest.c, compiled unchanged against tests/unit/shim/kshim.h: the
// output digest both nodes compute, and the comparison of the two sides'
// blocks. The digest must not depend on how the stream was cut into
// segments (the nodes segment differently), must change with any changed
// byte, order or length, and the comparison must never call equal streams
// different, whatever is lost, duplicated or late.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

extern "C" {
#include "digest.h"
}

namespace {

using Bytes = std::vector<uint8_t>;

Bytes Stream(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes b(n);
  for (auto& x : b)
    x = uint8_t(rng());
  return b;
}

// The block's CRC continued over a piece, as the module computes it over an skb.
uint32_t Crc(const sttcp_digest& d, const uint8_t* p, size_t len) {
  return __crc32c_le(d.crc, p, len);
}

// Digests `data` as one node would: pieces of at most `max_piece` bytes
// (cut further at block boundaries, as the module does), then FIN.
std::vector<sttcp_dg_block> Digest(const Bytes& data, uint32_t isn, std::mt19937* cut,
                                   size_t max_piece, bool fin = true) {
  std::vector<sttcp_dg_block> out;
  sttcp_digest d;
  sttcp_digest_init(&d, isn);
  size_t off = 0;
  while (off < data.size()) {
    size_t want = cut ? 1 + (*cut)() % max_piece : max_piece;
    size_t seg = std::min(want, data.size() - off);
    // A segment is fed in pieces no longer than the room left.
    size_t done = 0;
    while (done < seg) {
      uint32_t piece = std::min<uint32_t>(uint32_t(seg - done), sttcp_digest_room(&d, isn));
      sttcp_dg_block b;
      if (sttcp_digest_add(&d, isn, Crc(d, &data[off + done], piece), piece, &b)) out.push_back(b);
      done += piece;
    }
    off += seg;
  }
  if (fin) {
    sttcp_dg_block b;
    EXPECT_TRUE(sttcp_digest_close(&d, isn, &b));
    out.push_back(b);
  }
  return out;
}

bool Same(const std::vector<sttcp_dg_block>& a, const std::vector<sttcp_dg_block>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].digest != b[i].digest)
      return false;
  return true;
}

TEST(Digest, BlocksAreCutAtFixedStreamOffsetsAcrossTheSequenceWrap) {
  const uint32_t isn = 0xffffffffu - 100000;  // the stream crosses 2^32
  const Bytes data = Stream(3 * STTCP_DG_BLOCK + 777, 1);
  const auto blocks = Digest(data, isn, nullptr, 1448);
  ASSERT_EQ(blocks.size(), 4u);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(blocks[i].start, isn + 1 + i * STTCP_DG_BLOCK);
    EXPECT_EQ(blocks[i].end, isn + 1 + (i + 1) * STTCP_DG_BLOCK);
  }
  EXPECT_EQ(blocks[3].start, isn + 1 + 3 * STTCP_DG_BLOCK);
  EXPECT_EQ(blocks[3].end, isn + 1 + 3 * STTCP_DG_BLOCK + 777);
}

TEST(Digest, DoesNotDependOnHowTheStreamWasSegmented) {
  const Bytes data = Stream(5 * STTCP_DG_BLOCK / 2, 2);
  const uint32_t isn = 123456789;
  const auto whole = Digest(data, isn, nullptr, 65535);
  const auto bytes = Digest(data, isn, nullptr, 1);
  EXPECT_TRUE(Same(whole, bytes));
  for (uint32_t seed = 0; seed < 20; ++seed) {
    std::mt19937 cut(seed);
    // Odd lengths put pieces at odd offsets.
    EXPECT_TRUE(Same(whole, Digest(data, isn, &cut, seed % 2 ? 1447 : 9000))) << seed;
  }
}

TEST(Digest, AnyChangedByteChangesItsBlockAndOnlyIt) {
  const Bytes data = Stream(2 * STTCP_DG_BLOCK + 5000, 3);
  const auto ref = Digest(data, 7, nullptr, 1448);
  std::mt19937 rng(4);
  for (int i = 0; i < 300; ++i) {
    Bytes bad = data;
    size_t at = rng() % bad.size();
    bad[at] ^= uint8_t(1 + rng() % 255);
    const auto got = Digest(bad, 7, nullptr, 1448);
    ASSERT_EQ(got.size(), ref.size());
    for (size_t b = 0; b < ref.size(); ++b) {
      bool in_block = at / STTCP_DG_BLOCK == b;
      EXPECT_EQ(got[b].digest != ref[b].digest, in_block) << "byte " << at << " block " << b;
    }
  }
}

// The one's-complement sum the digest used before: blind to the order of 16-bit words.
uint16_t OnesComplementSum(const Bytes& b) {
  return uint16_t(csum_fold(csum_partial(b.data(), int(b.size()), 0)));
}

TEST(Digest, KnownCrc32cValue) {
  const char* check = "123456789";
  EXPECT_EQ(~__crc32c_le(~0u, reinterpret_cast<const unsigned char*>(check), 9), 0xe3069283u);
}

TEST(Digest, SwappedBlocksOfAnySizeAndShiftedBytesAreCaught) {
  const Bytes data = Stream(STTCP_DG_BLOCK, 5);
  const auto ref = Digest(data, 0, nullptr, 1448);
  for (size_t len : {size_t(2), size_t(4), size_t(16), size_t(1024), size_t(4096)}) {
    Bytes swapped = data;
    std::swap_ranges(swapped.begin() + 100, swapped.begin() + 100 + len,
                     swapped.begin() + 100 + 5 * len);
    EXPECT_NE(Digest(swapped, 0, nullptr, 1448)[0].digest, ref[0].digest) << len;
  }
  // One byte inserted at the start: every later byte moves.
  Bytes shifted(data.begin(), data.end() - 1);
  shifted.insert(shifted.begin(), 0x42);
  EXPECT_NE(Digest(shifted, 0, nullptr, 1448)[0].digest, ref[0].digest);
}

// A server iterating a hash set in a per-process order: the same 4-byte words, permuted
// (issue 16's reply of 1 KiB). The old sum could not tell; the CRC must, every time.
TEST(Digest, PermutedWordsAreCaughtWhereTheOldSumWasBlind) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    Bytes reply = Stream(1024, 100 + uint32_t(trial));
    Bytes other = reply;
    std::vector<uint32_t> words(256);
    memcpy(words.data(), other.data(), 1024);
    std::shuffle(words.begin(), words.end(), rng);
    memcpy(other.data(), words.data(), 1024);
    if (other == reply) continue;
    // Negative control: the sum is the same for both.
    EXPECT_EQ(OnesComplementSum(other), OnesComplementSum(reply));
    EXPECT_NE(Digest(other, 9, nullptr, 1448)[0].digest, Digest(reply, 9, nullptr, 1448)[0].digest)
        << trial;
  }
}

// Edits that keep the one's-complement sum (a word up by d, another down by d) keep the
// length too: only a digest of the bytes themselves sees them.
TEST(Digest, SumPreservingEditsAreCaught) {
  const Bytes data = Stream(8192, 12);
  const auto ref = Digest(data, 3, nullptr, 1448);
  std::mt19937 rng(13);
  for (int trial = 0; trial < 300; ++trial) {
    Bytes bad = data;
    size_t a = 2 * (rng() % 4096), b = 2 * (rng() % 4096);
    if (a == b) continue;
    uint16_t wa = uint16_t(bad[a] << 8 | bad[a + 1]), wb = uint16_t(bad[b] << 8 | bad[b + 1]);
    uint16_t d = uint16_t(1 + rng() % 0xfffe);
    // One's-complement add/subtract of d keeps the sum.
    uint32_t na = uint32_t(wa) + d, nb = uint32_t(wb) + uint16_t(~d);
    na = (na & 0xffff) + (na >> 16);
    nb = (nb & 0xffff) + (nb >> 16);
    bad[a] = uint8_t(na >> 8), bad[a + 1] = uint8_t(na);
    bad[b] = uint8_t(nb >> 8), bad[b + 1] = uint8_t(nb);
    if (bad == data) continue;
    EXPECT_EQ(OnesComplementSum(bad), OnesComplementSum(data)) << trial;
    EXPECT_NE(Digest(bad, 3, nullptr, 1448)[0].digest, ref[0].digest) << trial;
  }
}

TEST(Digest, AStreamEndingOnABlockBoundaryClosesWithAnEmptyBlock) {
  const Bytes data = Stream(STTCP_DG_BLOCK, 6);
  const auto blocks = Digest(data, 99, nullptr, 1448);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].start, blocks[0].end);
  EXPECT_EQ(blocks[1].end, blocks[1].start);
}

TEST(Digest, NewBytesSkipRetransmissionsAndStopAtAGap) {
  sttcp_digest d;
  sttcp_digest_init(&d, 999);  // next = 1000
  uint32_t skip = 77;
  EXPECT_EQ(sttcp_digest_new(&d, 1000, 100, &skip), 100);
  EXPECT_EQ(skip, 0u);
  d.next = 1100;
  EXPECT_EQ(sttcp_digest_new(&d, 1000, 100, &skip), 0);   // all old
  EXPECT_EQ(sttcp_digest_new(&d, 900, 150, &skip), 0);    // ends before next
  EXPECT_EQ(sttcp_digest_new(&d, 1050, 100, &skip), 50);  // half old
  EXPECT_EQ(skip, 50u);
  EXPECT_EQ(sttcp_digest_new(&d, 1101, 10, &skip), -1);  // a byte never seen
  d.next = 5;                                            // across the wrap
  EXPECT_EQ(sttcp_digest_new(&d, 0xfffffff0u, 32, &skip), 11);
  EXPECT_EQ(skip, 21u);
}

// ---- comparison of the two sides -------------------------------------

sttcp_dg_block Blk(uint32_t i, uint32_t digest = 0) {
  return {i * STTCP_DG_BLOCK, (i + 1) * STTCP_DG_BLOCK, digest ? digest : 1000 + i};
}

struct Ring {
  sttcp_dg_ring r{};
  sttcp_dg_count n{};
  sttcp_dg_verdict Put(sttcp_dg_side side, const sttcp_dg_block& b) {
    return sttcp_dg_compare(&r, side, &b, &n);
  }
};

TEST(DigestCompare, WhicheverSideIsAheadWaitsAndEqualBlocksMatch) {
  Ring t;
  for (uint32_t i = 0; i < 3; ++i)
    EXPECT_EQ(t.Put(STTCP_DG_OWN, Blk(i)), STTCP_DG_QUEUED);
  for (uint32_t i = 0; i < 3; ++i)
    EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(i)), STTCP_DG_MATCH);
  EXPECT_EQ(t.r.count, 0);
  for (uint32_t i = 3; i < 5; ++i)
    EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(i)), STTCP_DG_QUEUED);
  EXPECT_EQ(t.Put(STTCP_DG_OWN, Blk(3)), STTCP_DG_MATCH);
  EXPECT_EQ(t.Put(STTCP_DG_OWN, Blk(4)), STTCP_DG_MATCH);
  EXPECT_EQ(t.n.unverified, 0u);
}

TEST(DigestCompare, DifferentDigestOrLengthIsAMismatch) {
  Ring t;
  t.Put(STTCP_DG_OWN, Blk(0));
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(0, 4242)), STTCP_DG_MISMATCH);
  Ring l;
  sttcp_dg_block shorter = Blk(0);
  shorter.end -= 10;  // the primary's stream ended 10 bytes earlier
  l.Put(STTCP_DG_PRIMARY, shorter);
  EXPECT_EQ(l.Put(STTCP_DG_OWN, Blk(0)), STTCP_DG_MISMATCH);
}

TEST(DigestCompare, LostDuplicatedAndLateDigestsOnlyLeaveBlocksUnverified) {
  Ring t;
  for (uint32_t i = 0; i < 4; ++i)
    t.Put(STTCP_DG_OWN, Blk(i));
  // The primary's block 0 and 1 were lost: 2 finds them queued and skips them.
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(2)), STTCP_DG_MATCH);
  EXPECT_EQ(t.n.unverified, 2u);
  // Block 1 arrives late, block 2 again (duplicated): nothing to compare with.
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(1)), STTCP_DG_STALE);
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(2)), STTCP_DG_STALE);
  EXPECT_EQ(t.n.unverified, 4u);
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(3)), STTCP_DG_MATCH);
  // A duplicate of the side that is ahead is not queued twice.
  Ring d;
  d.Put(STTCP_DG_PRIMARY, Blk(0));
  EXPECT_EQ(d.Put(STTCP_DG_PRIMARY, Blk(0)), STTCP_DG_STALE);
  EXPECT_EQ(d.r.count, 1);
  EXPECT_EQ(d.Put(STTCP_DG_OWN, Blk(0)), STTCP_DG_MATCH);
}

TEST(DigestCompare, ASideTooFarAheadMergesItsOldestBlocksAndStillComparesThem) {
  Ring t;
  for (uint32_t i = 0; i < STTCP_DG_RING + 5; ++i)
    EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(i)), STTCP_DG_QUEUED);
  EXPECT_EQ(t.r.count, STTCP_DG_RING);
  EXPECT_EQ(t.n.unverified, 0u);
  // Blocks 0..5 are one entry now: filled block by block, compared at its end.
  for (uint32_t i = 0; i < 5; ++i)
    EXPECT_EQ(t.Put(STTCP_DG_OWN, Blk(i)), STTCP_DG_QUEUED) << i;
  EXPECT_EQ(t.Put(STTCP_DG_OWN, Blk(5)), STTCP_DG_MATCH);
  for (uint32_t i = 6; i < STTCP_DG_RING + 5; ++i)
    EXPECT_EQ(t.Put(STTCP_DG_OWN, Blk(i)), STTCP_DG_MATCH) << i;
  EXPECT_EQ(t.r.count, 0);
  EXPECT_EQ(t.n.unverified, 0u);
  EXPECT_EQ(t.n.matched, STTCP_DG_RING + 5);  // blocks, not entries
}

// The diverge scenario's flake: the backup's application lagged more than
// the ring behind, and the block with its flipped byte was dropped unseen.
TEST(DigestCompare, AChangedBlockFarBehindIsStillAMismatch) {
  for (uint32_t bad : {0u, 3u, 5u, 6u, 40u}) {
    Ring t;
    for (uint32_t i = 0; i < 2 * STTCP_DG_RING; ++i)
      t.Put(STTCP_DG_PRIMARY, Blk(i));
    sttcp_dg_verdict v = STTCP_DG_QUEUED;
    for (uint32_t i = 0; i < 2 * STTCP_DG_RING && v != STTCP_DG_MISMATCH; ++i)
      v = t.Put(STTCP_DG_OWN, Blk(i, i == bad ? 7 : 0));
    EXPECT_EQ(v, STTCP_DG_MISMATCH) << bad;
    EXPECT_EQ(t.n.unverified, 0u) << bad;
  }
}

TEST(DigestCompare, AStreamEndingInsideAMergedEntryIsAMismatch) {
  Ring t;
  for (uint32_t i = 0; i < STTCP_DG_RING + 2; ++i)
    t.Put(STTCP_DG_PRIMARY, Blk(i));
  t.Put(STTCP_DG_OWN, Blk(0));
  sttcp_dg_block fin = Blk(1);
  fin.end = fin.start + 100;  // the backup's stream ends inside the entry [0, 3)
  EXPECT_EQ(t.Put(STTCP_DG_OWN, fin), STTCP_DG_MISMATCH);
}

TEST(DigestCompare, ALostDigestInsideAMergedEntryLeavesItUnverified) {
  Ring t;
  for (uint32_t i = 0; i < STTCP_DG_RING + 4; ++i)
    t.Put(STTCP_DG_OWN, Blk(i));  // the primary's digests are late: own entry [0, 5)
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(0)), STTCP_DG_QUEUED);
  // Block 1 was lost on the sync link: the merged entry cannot be completed.
  // The entry [0, 5) is given up (5 blocks), and block 2 is older than the next one.
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(2)), STTCP_DG_STALE);
  EXPECT_EQ(t.n.unverified, 6u);
  EXPECT_EQ(t.Put(STTCP_DG_PRIMARY, Blk(5)), STTCP_DG_MATCH);
  // A late duplicate of a block already filled in is stale, not a mismatch.
  Ring d;
  for (uint32_t i = 0; i < STTCP_DG_RING + 4; ++i)
    d.Put(STTCP_DG_OWN, Blk(i));
  d.Put(STTCP_DG_PRIMARY, Blk(0));
  d.Put(STTCP_DG_PRIMARY, Blk(1));
  EXPECT_EQ(d.Put(STTCP_DG_PRIMARY, Blk(1)), STTCP_DG_STALE);
  EXPECT_EQ(d.Put(STTCP_DG_PRIMARY, Blk(2)), STTCP_DG_QUEUED);
  EXPECT_EQ(d.Put(STTCP_DG_PRIMARY, Blk(3)), STTCP_DG_QUEUED);
  EXPECT_EQ(d.Put(STTCP_DG_PRIMARY, Blk(4)), STTCP_DG_MATCH);
}

TEST(DigestCompare, EqualStreamsNeverMismatchWhateverTheInterleaving) {
  const Bytes data = Stream(7 * STTCP_DG_BLOCK + 300, 8);
  std::mt19937 cut_a(1), cut_b(2);
  const auto a = Digest(data, 4000000000u, &cut_a, 1448);
  const auto b = Digest(data, 4000000000u, &cut_b, 32768);
  std::mt19937 rng(3);
  for (int round = 0; round < 50; ++round) {
    Ring t;
    size_t i = 0, j = 0;
    uint32_t matched = 0;
    while (i < a.size() || j < b.size()) {
      bool take_a = j == b.size() || (i < a.size() && rng() % 2);
      sttcp_dg_verdict v;
      if (take_a) {
        v = t.Put(STTCP_DG_OWN, a[i++]);
      } else if (rng() % 5 == 0) {
        ++j;  // this digest was lost on the sync link
        continue;
      } else {
        v = t.Put(STTCP_DG_PRIMARY, b[j++]);
      }
      ASSERT_NE(v, STTCP_DG_MISMATCH) << round;
      matched += v == STTCP_DG_MATCH;
    }
    EXPECT_GT(matched, 0u);
  }
}

// Runs of one side far ahead of the other, lost and duplicated digests of
// the primary: equal blocks never mismatch, and with nothing lost every
// block is compared (none left unverified), one changed block always found.
TEST(DigestCompare, EqualStreamsNeverMismatchWhateverTheLag) {
  const uint32_t n = 6 * STTCP_DG_RING;
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    const bool lossy = round % 2;
    const uint32_t bad = round % 4 == 0 ? uint32_t(rng() % n) : n;
    Ring t;
    uint32_t i = 0, j = 0, matched = 0, mismatched = 0;
    while (i < n || j < n) {
      // Bursts: one side runs up to 3 rings ahead before the other moves.
      const bool own = j == n || (i < n && rng() % 2);
      for (uint32_t burst = 1 + rng() % (3 * STTCP_DG_RING); burst--;) {
        sttcp_dg_verdict v;
        if (own) {
          if (i == n) break;
          v = t.Put(STTCP_DG_OWN, Blk(i, i == bad ? 7 : 0));
          ++i;
        } else {
          if (j == n) break;
          if (lossy && rng() % 7 == 0) {
            ++j;  // lost on the sync link
            continue;
          }
          v = t.Put(STTCP_DG_PRIMARY, Blk(j));
          if (lossy && rng() % 11 == 0) t.Put(STTCP_DG_PRIMARY, Blk(j));  // duplicated
          ++j;
        }
        matched += v == STTCP_DG_MATCH;
        mismatched += v == STTCP_DG_MISMATCH;
      }
    }
    if (bad == n) {
      ASSERT_EQ(mismatched, 0u) << round;
      EXPECT_GT(matched, 0u) << round;
    }
    if (!lossy) {
      EXPECT_EQ(t.n.unverified, 0u) << round;
      EXPECT_EQ(mismatched, bad < n ? 1u : 0u) << round;
      if (bad < n) continue;
      EXPECT_EQ(t.r.count, 0) << round;
      EXPECT_EQ(t.n.matched, n) << round;
    }
  }
}

// ---- checkpoints: an unfinished block compared where both outputs stand --

// Digests the first `upto` bytes of `data` in 1448-byte segments.
sttcp_digest Upto(const Bytes& data, uint32_t isn, size_t upto) {
  sttcp_digest d;
  sttcp_digest_init(&d, isn);
  for (size_t off = 0; off < upto;) {
    uint32_t piece = std::min<uint32_t>(uint32_t(std::min<size_t>(1448, upto - off)),
                                        sttcp_digest_room(&d, isn));
    sttcp_dg_block b;
    sttcp_digest_add(&d, isn, Crc(d, &data[off], piece), piece, &b);
    off += piece;
  }
  return d;
}

sttcp_dg_block PeekAt(const Bytes& data, uint32_t isn, size_t at) {
  sttcp_digest d = Upto(data, isn, at);
  sttcp_dg_block b;
  sttcp_digest_peek(&d, isn, &b);
  return b;
}

TEST(DigestCheckpoint, PeekIsWhatACloseThereWouldGiveAndChangesNothing) {
  const Bytes data = Stream(STTCP_DG_BLOCK + 5000, 9);
  for (size_t at : {size_t(1), size_t(1024), size_t(3001), size_t(STTCP_DG_BLOCK + 4999)}) {
    sttcp_digest d = Upto(data, 42, at);
    const sttcp_digest before = d;
    sttcp_dg_block peek, closed;
    sttcp_digest_peek(&d, 42, &peek);
    EXPECT_EQ(d.next, before.next);
    EXPECT_EQ(d.crc, before.crc);
    sttcp_digest_close(&d, 42, &closed);
    EXPECT_EQ(peek.start, closed.start);
    EXPECT_EQ(peek.end, closed.end);
    EXPECT_EQ(peek.digest, closed.digest);
    EXPECT_EQ(peek.end, 42 + 1 + at);
  }
}

TEST(DigestCheckpoint, ComparedAtOnceOrWhenTheOwnOutputGetsThere) {
  const Bytes data = Stream(20000, 10);
  Bytes other = data;
  other[9000] ^= 4;
  const sttcp_dg_block cp = PeekAt(data, 7, 12000);
  // Own output exactly there: compared at once.
  {
    Ring t;
    sttcp_digest own = Upto(data, 7, 12000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, false, 7, &cp, &t.n), STTCP_DG_MATCH);
    sttcp_digest bad = Upto(other, 7, 12000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &bad, false, 7, &cp, &t.n), STTCP_DG_MISMATCH);
    EXPECT_FALSE(t.r.cp_pending);
  }
  // Behind: kept, and compared when the own output reaches cp.end.
  for (const Bytes* mine : std::vector<const Bytes*>{&data, &other}) {
    Ring t;
    sttcp_digest own = Upto(*mine, 7, 5000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, false, 7, &cp, &t.n), STTCP_DG_QUEUED);
    EXPECT_TRUE(t.r.cp_pending);
    own = Upto(*mine, 7, 12000);
    EXPECT_EQ(sttcp_dg_cp_reached(&t.r, &own, 7, &t.n),
              mine == &data ? STTCP_DG_MATCH : STTCP_DG_MISMATCH);
    EXPECT_FALSE(t.r.cp_pending);
  }
  // Past it: it can no longer be compared (unverified, not a mismatch).
  {
    Ring t;
    sttcp_digest own = Upto(data, 7, 12001);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, false, 7, &cp, &t.n), STTCP_DG_STALE);
    EXPECT_EQ(t.n.unverified, 1u);
  }
  // A newer checkpoint replaces one still waiting.
  {
    Ring t;
    sttcp_digest own = Upto(data, 7, 100);
    const sttcp_dg_block cp2 = PeekAt(data, 7, 15000);
    sttcp_dg_checkpoint(&t.r, &own, false, 7, &cp, &t.n);
    sttcp_dg_checkpoint(&t.r, &own, false, 7, &cp2, &t.n);
    EXPECT_EQ(t.n.unverified, 1u);
    EXPECT_EQ(t.r.cp.end, cp2.end);
  }
}

TEST(DigestCheckpoint, ThePrimarysLastBlockComparesThePrefixItSent) {
  const Bytes data = Stream(3 * STTCP_DG_BLOCK, 11);
  const uint32_t isn = 5;
  // The primary's application died: its stream ends (FIN) at 100000, the backup's goes on.
  const sttcp_dg_block last = PeekAt(data, isn, 100000);
  {
    Ring t;  // the backup is behind: compared when it gets there
    sttcp_digest own = Upto(data, isn, 70000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, false, isn, &last, &t.n), STTCP_DG_QUEUED);
    own = Upto(data, isn, 100000);
    EXPECT_EQ(sttcp_dg_cp_reached(&t.r, &own, isn, &t.n), STTCP_DG_MATCH);
  }
  {
    Ring t;  // the backup is ahead: past it, unverified, never a mismatch
    sttcp_digest own = Upto(data, isn, 150000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, false, isn, &last, &t.n), STTCP_DG_STALE);
  }
  // Both ended at the same byte: the own last block, queued, is compared as a block.
  {
    Ring t;
    const auto mine = Digest(Bytes(data.begin(), data.begin() + 100000), isn, nullptr, 1448);
    for (const auto& b : mine)
      t.Put(STTCP_DG_OWN, b);
    sttcp_digest own = Upto(data, isn, 100000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, true, isn, &last, &t.n), STTCP_DG_MATCH);
  }
  // The backup's stream ended before bytes the primary sent: diverged.
  {
    Ring t;
    sttcp_digest own = Upto(data, isn, 90000);
    EXPECT_EQ(sttcp_dg_checkpoint(&t.r, &own, true, isn, &last, &t.n), STTCP_DG_MISMATCH);
  }
}

}  // namespace
