// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The Internet checksum helpers of the kernel shim (tests/unit/shim/kshim.h)
// against an independent byte-wise reference (RFC 1071) and published
// vectors. kmod/xlate.c's checksum updates are only as trustworthy in the
// unit tests as these helpers are faithful to the kernel's.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

extern "C" {
#include "pure.h"
}

namespace {

// RFC 1071 reference: one's-complement sum of the big-endian 16-bit words of
// `data`, an odd last byte padded with a zero byte; folded to 16 bits.
uint16_t RefSum(const uint8_t* data, size_t len, uint32_t start = 0) {
  uint64_t sum = start;
  for (size_t i = 0; i < len; i += 2) {
    uint32_t word = uint32_t(data[i]) << 8;
    if (i + 1 < len) word |= data[i + 1];
    sum += word;
  }
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}

// The checksum field value (host order) for `data`.
uint16_t RefChecksum(const uint8_t* data, size_t len) {
  return uint16_t(~RefSum(data, len));
}

// A __sum16 as the kernel would store it: its memory bytes are the
// checksum in network order.
uint16_t StoredAsHost(__sum16 s) {
  uint8_t b[2];
  std::memcpy(b, &s, 2);
  return uint16_t(b[0] << 8 | b[1]);
}

__sum16 FromHost(uint16_t v) {
  uint8_t b[2] = {uint8_t(v >> 8), uint8_t(v)};
  __sum16 s;
  std::memcpy(&s, b, 2);
  return s;
}

std::vector<uint8_t> RandomBytes(std::mt19937& rng, size_t n) {
  std::vector<uint8_t> v(n);
  for (auto& b : v)
    b = uint8_t(rng());
  return v;
}

TEST(ChecksumTest, Rfc1071Example) {
  // RFC 1071 1.1: the sum of these bytes is ddf2 (big-endian lanes).
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(RefSum(data, sizeof(data)), 0xddf2);
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(data, sizeof(data), 0))), 0x220d);
}

TEST(ChecksumTest, KnownIpv4HeaderChecksum) {
  // A well-known IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) whose
  // header checksum is b861.
  uint8_t iph[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(iph, sizeof(iph), 0))), 0xb861);
  iph[10] = 0xb8;
  iph[11] = 0x61;
  // A header with its checksum in place sums to -0: csum_fold gives 0.
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(iph, sizeof(iph), 0))), 0);
}

TEST(ChecksumTest, OddTrailingByteIsPaddedWithZero) {
  const uint8_t one[] = {0xab};
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(one, 1, 0))), uint16_t(~0xab00));
  const uint8_t three[] = {0x12, 0x34, 0x56};
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(three, 3, 0))), uint16_t(~(0x1234 + 0x5600)));
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(three, 0, 0))), 0xffff);
}

TEST(ChecksumTest, PartialMatchesReferenceForEveryLengthAndAlignment) {
  std::mt19937 rng(1);
  for (size_t len = 0; len <= 80; ++len) {
    const std::vector<uint8_t> data = RandomBytes(rng, len);
    const uint16_t want = RefChecksum(data.data(), len);
    // The result depends on byte positions relative to buf, never on the
    // address: try every misalignment.
    for (size_t shift = 0; shift < 8; ++shift) {
      std::vector<uint8_t> storage(len + 8);
      if (len) std::memcpy(storage.data() + shift, data.data(), len);
      const __sum16 got = csum_fold(csum_partial(storage.data() + shift, int(len), 0));
      EXPECT_EQ(StoredAsHost(got), want) << "len " << len << " shift " << shift;
    }
  }
}

TEST(ChecksumTest, PartialOfAllOnesAndLongBuffersDoesNotLoseCarries) {
  // 64 KiB of 0xff: every lane is -0; the 32-bit accumulator must carry.
  std::vector<uint8_t> ff(65536, 0xff);
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(ff.data(), int(ff.size()), 0))), 0);
  std::mt19937 rng(2);
  const std::vector<uint8_t> big = RandomBytes(rng, 65535);
  EXPECT_EQ(StoredAsHost(csum_fold(csum_partial(big.data(), int(big.size()), 0))),
            RefChecksum(big.data(), big.size()));
}

TEST(ChecksumTest, PartialChainsThroughItsSumArgument) {
  std::mt19937 rng(3);
  for (int round = 0; round < 200; ++round) {
    const size_t a = 2 * (rng() % 40);  // even split keeps lanes aligned
    const size_t b = rng() % 81;
    const std::vector<uint8_t> data = RandomBytes(rng, a + b);
    const __wsum first = csum_partial(data.data(), int(a), 0);
    const __wsum both = csum_partial(data.data() + a, int(b), first);
    EXPECT_EQ(StoredAsHost(csum_fold(both)), RefChecksum(data.data(), a + b));
  }
}

TEST(ChecksumTest, FoldIsTheKernels) {
  // Exact values of include/asm-generic/checksum.h csum_fold().
  EXPECT_EQ(uint16_t(csum_fold(0)), 0xffff);
  EXPECT_EQ(uint16_t(csum_fold(0xffff)), 0);
  EXPECT_EQ(uint16_t(csum_fold(0x0001ffff)), 0xfffe);
  EXPECT_EQ(uint16_t(csum_fold(0xffffffff)), 0);
  EXPECT_EQ(uint16_t(csum_fold(0x12345678)), uint16_t(~(0x1234 + 0x5678)));
  EXPECT_EQ(uint16_t(csum_fold(0xfffe0003)), uint16_t(~0x0002));
}

TEST(ChecksumTest, UnfoldZeroExtends) {
  EXPECT_EQ(uint32_t(csum_unfold(__sum16(0xffff))), 0x0000ffffu);
  EXPECT_EQ(uint32_t(csum_unfold(__sum16(0x1234))), 0x00001234u);
}

TEST(ChecksumTest, AddAndSubUseEndAroundCarry) {
  EXPECT_EQ(uint32_t(csum_add(0xffffffff, 1)), 1u);
  EXPECT_EQ(uint32_t(csum_add(0x80000000, 0x80000000)), 1u);
  EXPECT_EQ(uint32_t(csum_add(1, 2)), 3u);
  EXPECT_EQ(uint32_t(csum_sub(5, 3)), 2u);
  // x - x is -0 in one's complement.
  EXPECT_EQ(uint32_t(csum_sub(0x1234, 0x1234)), 0xffffffffu);
  std::mt19937 rng(4);
  for (int i = 0; i < 10000; ++i) {
    const __wsum s = rng(), a = rng();
    const uint16_t want = uint16_t(csum_fold(s));
    const uint16_t round_trip = uint16_t(csum_fold(csum_add(csum_sub(s, a), a)));
    // Equal as one's-complement numbers (0x0000 and 0xffff are both zero).
    EXPECT_EQ(round_trip % 0xffff, want % 0xffff) << s << " " << a;
  }
}

TEST(ChecksumTest, Replace2FollowsRfc1624Equation3) {
  // RFC 1624 section 4: HC = dd2f, m = 5555 -> m' = 3285. Equation 3
  // (what Linux implements) gives 0000, never the -0 (ffff) of equation 2.
  __sum16 sum = FromHost(0xdd2f);
  uint16_t old_be = htons(0x5555), new_be = htons(0x3285);
  csum_replace2(&sum, old_be, new_be);
  EXPECT_EQ(StoredAsHost(sum), 0x0000);
}

TEST(ChecksumTest, Replace4FollowsRfc1624Equation3) {
  __sum16 sum = FromHost(0xdd2f);
  csum_replace4(&sum, htonl(0x00005555), htonl(0x00003285));
  EXPECT_EQ(StoredAsHost(sum), 0x0000);
}

// Incremental updates at every even offset of a random block agree with a
// full recomputation, as the receiver verifies: the block including its
// checksum must sum to -0.
TEST(ChecksumTest, ReplaceAgreesWithFullRecomputation) {
  std::mt19937 rng(5);
  for (int round = 0; round < 2000; ++round) {
    const size_t len = 24 + 2 * (rng() % 20) + (rng() % 2);  // odd lengths too
    std::vector<uint8_t> d = RandomBytes(rng, len);
    d[0] = d[1] = 0;  // checksum field at offset 0
    const uint16_t c = RefChecksum(d.data(), len);
    d[0] = uint8_t(c >> 8);
    d[1] = uint8_t(c);
    ASSERT_EQ(RefSum(d.data(), len), 0xffff);

    __sum16 check;
    std::memcpy(&check, d.data(), 2);
    const size_t off = 2 + 2 * (rng() % ((len - 2 - 4) / 2));
    if (round % 2) {
      __be32 from, to = rng();
      std::memcpy(&from, d.data() + off, 4);
      std::memcpy(d.data() + off, &to, 4);
      csum_replace4(&check, from, to);
    } else {
      __be16 from, to = __be16(rng());
      std::memcpy(&from, d.data() + off, 2);
      std::memcpy(d.data() + off, &to, 2);
      csum_replace2(&check, from, to);
    }
    std::memcpy(d.data(), &check, 2);
    ASSERT_EQ(RefSum(d.data(), len), 0xffff) << "round " << round << " offset " << off;
  }
}

TEST(ChecksumTest, TcpUdpMagicMatchesPseudoHeaderReference) {
  std::mt19937 rng(6);
  for (int round = 0; round < 2000; ++round) {
    const uint32_t len = rng() % 1500;
    const uint8_t proto = (round % 2) ? IPPROTO_TCP : IPPROTO_UDP;
    const std::vector<uint8_t> seg = RandomBytes(rng, len);
    uint8_t ph[12];
    const uint32_t saddr_host = rng(), daddr_host = rng();
    const __be32 saddr = htonl(saddr_host), daddr = htonl(daddr_host);
    std::memcpy(ph, &saddr, 4);
    std::memcpy(ph + 4, &daddr, 4);
    ph[8] = 0;
    ph[9] = proto;
    ph[10] = uint8_t(len >> 8);
    ph[11] = uint8_t(len);
    std::vector<uint8_t> all(ph, ph + 12);
    all.insert(all.end(), seg.begin(), seg.end());

    const __sum16 got =
        csum_tcpudp_magic(saddr, daddr, len, proto, csum_partial(seg.data(), int(len), 0));
    EXPECT_EQ(StoredAsHost(got), RefChecksum(all.data(), all.size())) << "round " << round;
  }
}

}  // namespace
