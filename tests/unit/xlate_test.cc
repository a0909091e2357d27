// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// kmod/xlate.c, compiled unchanged against tests/unit/shim/kshim.h:
// sequence/SACK/timestamp/window translation and its incremental TCP
// checksum updates, checked on real IPv4/TCP packets by recomputing the
// checksum from scratch with an independent reference (RFC 1071) over the
// pseudo-header, the header and the payload.
//
// Built with ASan+UBSan (STTCP_KMOD_SANITIZE): malformed options and the
// option fuzzer below place the TCP header at the very end of a heap block,
// so any read past the header aborts the test.
#include <gtest/gtest.h>

#include "be_bytes.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "xlate.h"
}

// Packets are described with designated initializers that leave the other
// fields at their defaults, which GCC 12 warns about (fixed in later GCCs).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

// ---- independent reference checksum ------------------------------------

uint32_t RefAdd(uint32_t sum, const uint8_t* data, size_t len) {
  for (size_t i = 0; i < len; i += 2) {
    uint32_t word = uint32_t(data[i]) << 8;
    if (i + 1 < len) word |= data[i + 1];
    sum += word;
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return sum;
}

using be_bytes::Get16;
using be_bytes::Get32;
using be_bytes::Put16;
using be_bytes::Put32;

const uint8_t kSaddr[4] = {192, 0, 2, 10};
const uint8_t kDaddr[4] = {198, 51, 100, 7};

// One's-complement sum of pseudo-header + segment (check field included).
uint16_t SegmentSum(const uint8_t* seg, size_t len) {
  uint8_t ph[12];
  std::memcpy(ph, kSaddr, 4);
  std::memcpy(ph + 4, kDaddr, 4);
  ph[8] = 0;
  ph[9] = IPPROTO_TCP;
  Put16(ph + 10, uint16_t(len));
  uint32_t sum = RefAdd(0, ph, sizeof(ph));
  sum = RefAdd(sum, seg, len);
  return uint16_t(sum);
}

// Correct TCP checksum (host order) of a segment, check field ignored.
uint16_t ComputeTcpCheck(const uint8_t* seg, size_t len) {
  std::vector<uint8_t> copy(seg, seg + len);
  copy[16] = copy[17] = 0;
  return uint16_t(~SegmentSum(copy.data(), len));
}

// The stored checksum equals a full recomputation (0x0000 and 0xffff are
// the same one's-complement number, and a receiver accepts either).
::testing::AssertionResult TcpChecksumCorrect(const uint8_t* seg, size_t len) {
  const uint16_t stored = Get16(seg + 16);
  const uint16_t want = ComputeTcpCheck(seg, len);
  const bool same = stored == want || (stored % 0xffff == 0 && want % 0xffff == 0);
  if (same && SegmentSum(seg, len) == 0xffff) return ::testing::AssertionSuccess();
  char msg[96];
  std::snprintf(msg, sizeof(msg), "TCP checksum 0x%04x, recomputed 0x%04x", stored, want);
  return ::testing::AssertionFailure() << msg;
}

// ---- packets ----------------------------------------------------------

enum : uint8_t { kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10 };

struct TcpSpec {
  uint32_t seq = 1000;
  uint32_t ack = 0;
  uint8_t flags = kAck;
  uint16_t window = 502;
  std::vector<uint8_t> opts;  // padded with EOL to a multiple of 4
  std::vector<uint8_t> payload;
};

// A complete IPv4/TCP packet in a 4-byte aligned buffer with a correct TCP
// checksum. tcp() points at the TCP header, as the module's th does.
class Packet {
 public:
  explicit Packet(const TcpSpec& s) {
    std::vector<uint8_t> opts = s.opts;
    while (opts.size() % 4)
      opts.push_back(0);
    thl_ = 20 + opts.size();
    seg_len_ = thl_ + s.payload.size();
    const size_t total = 20 + seg_len_;
    buf_.reset(new uint32_t[(total + 3) / 4]());
    uint8_t* ip = bytes();
    ip[0] = 0x45;
    Put16(ip + 2, uint16_t(total));
    Put16(ip + 4, 0x1234);
    Put16(ip + 6, 0x4000);  // DF
    ip[8] = 64;
    ip[9] = IPPROTO_TCP;
    std::memcpy(ip + 12, kSaddr, 4);
    std::memcpy(ip + 16, kDaddr, 4);
    uint8_t* t = seg();
    Put16(t, 40000);
    Put16(t + 2, 80);
    Put32(t + 4, s.seq);
    Put32(t + 8, s.ack);
    t[12] = uint8_t((thl_ / 4) << 4);
    t[13] = s.flags;
    Put16(t + 14, s.window);
    if (!opts.empty()) std::memcpy(t + 20, opts.data(), opts.size());
    if (!s.payload.empty()) std::memcpy(t + thl_, s.payload.data(), s.payload.size());
    Put16(t + 16, ComputeTcpCheck(t, seg_len_));
  }

  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(buf_.get()); }
  uint8_t* seg() { return bytes() + 20; }
  tcphdr* tcp() { return reinterpret_cast<tcphdr*>(seg()); }
  uint32_t thl() const { return uint32_t(thl_); }
  size_t seg_len() const { return seg_len_; }
  uint16_t check() { return Get16(seg() + 16); }
  uint32_t seq() { return Get32(seg() + 4); }
  uint32_t ack() { return Get32(seg() + 8); }
  uint16_t window() { return Get16(seg() + 14); }
  uint32_t at32(size_t off) { return Get32(seg() + off); }
  ::testing::AssertionResult ChecksumCorrect() { return TcpChecksumCorrect(seg(), seg_len_); }

 private:
  std::unique_ptr<uint32_t[]> buf_;
  size_t thl_ = 0, seg_len_ = 0;
};

std::vector<uint8_t> TsOpt(uint32_t tsval, uint32_t tsecr) {
  std::vector<uint8_t> o(10);
  o[0] = 8;
  o[1] = 10;
  Put32(o.data() + 2, tsval);
  Put32(o.data() + 6, tsecr);
  return o;
}

std::vector<uint8_t> SackOpt(const std::vector<std::pair<uint32_t, uint32_t>>& blocks) {
  std::vector<uint8_t> o(2 + 8 * blocks.size());
  o[0] = 5;
  o[1] = uint8_t(o.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    Put32(o.data() + 2 + 8 * i, blocks[i].first);
    Put32(o.data() + 6 + 8 * i, blocks[i].second);
  }
  return o;
}

std::vector<uint8_t> Cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

const std::vector<uint8_t> kNop = {1};
const std::vector<uint8_t> kNop2 = {1, 1};
const std::vector<uint8_t> kPayload = {'h', 'e', 'l', 'l', 'o', ',', ' ',
                                       'w', 'o', 'r', 'l', 'd', '!'};

sttcp_xlate Deltas(uint32_t seq_delta, uint32_t ts_delta, uint8_t ws_primary = 7,
                   uint8_t ws_backup = 7) {
  sttcp_xlate x{};
  x.seq_delta = seq_delta;
  x.ts_delta = ts_delta;
  x.ws_primary = ws_primary;
  x.ws_backup = ws_backup;
  return x;
}

// Lets a temporary be passed by pointer within one full expression.
const sttcp_xlate* ptr(const sttcp_xlate& x) {
  return &x;
}

sttcp_xlate_in_result XlateIn(Packet& p, const sttcp_xlate& x, bool limit_valid = false,
                              uint32_t limit = 0, bool partial = false) {
  sttcp_xlate_in_result res;
  std::memset(&res, 0xa5, sizeof(res));
  sttcp_xlate_in(p.tcp(), p.thl(), &x, limit_valid, limit, partial, &res);
  return res;
}

// ---- header lengths a client chose ------------------------------------

TEST(XlateHdrLen, OrdinarySegments) {
  EXPECT_EQ(sttcp_tcp_hdr_len(40, 20, 5), 20u);      // bare header
  EXPECT_EQ(sttcp_tcp_hdr_len(60, 20, 10), 40u);     // options, no payload
  EXPECT_EQ(sttcp_tcp_hdr_len(1500, 24, 8), 32u);    // IP options, payload
  EXPECT_EQ(sttcp_tcp_hdr_len(65535, 60, 15), 60u);  // the largest of both
}

TEST(XlateHdrLen, DataOffsetBelowTheFixedHeaderIsMalformed) {
  // The SYN that overflowed sttcp_copy_syn()'s copy: doff 0-4.
  for (uint8_t doff = 0; doff < 5; doff++)
    EXPECT_EQ(sttcp_tcp_hdr_len(40, 20, doff), 0u) << +doff;
}

TEST(XlateHdrLen, HeaderBeyondThePacketIsMalformed) {
  EXPECT_EQ(sttcp_tcp_hdr_len(40, 20, 6), 0u);   // 24 bytes claimed, 20 present
  EXPECT_EQ(sttcp_tcp_hdr_len(39, 20, 5), 0u);   // not even the fixed part
  EXPECT_EQ(sttcp_tcp_hdr_len(20, 20, 5), 0u);   // no TCP bytes at all
  EXPECT_EQ(sttcp_tcp_hdr_len(79, 20, 15), 0u);  // one byte short of 60
  EXPECT_EQ(sttcp_tcp_hdr_len(80, 20, 15), 60u);
}

TEST(XlateHdrLen, IpHeaderMustBeWhole) {
  EXPECT_EQ(sttcp_tcp_hdr_len(40, 16, 5), 0u);  // ihl 4
  EXPECT_EQ(sttcp_tcp_hdr_len(40, 0, 5), 0u);
  EXPECT_EQ(sttcp_tcp_hdr_len(30, 60, 5), 0u);  // IP header longer than the packet
  EXPECT_EQ(sttcp_tcp_hdr_len(0, 20, 5), 0u);
}

TEST(XlateHdrLen, EveryCombinationStaysInsideThePacket) {
  for (uint32_t ip_len = 0; ip_len <= 200; ip_len++)
    for (uint32_t ihl = 0; ihl <= 60; ihl += 4)
      for (uint32_t doff = 0; doff < 16; doff++) {
        uint32_t thl = sttcp_tcp_hdr_len(ip_len, ihl, static_cast<uint8_t>(doff));
        if (!thl) continue;
        EXPECT_GE(ihl, 20u);
        EXPECT_GE(thl, 20u);
        EXPECT_EQ(thl, doff * 4);
        EXPECT_LE(ihl + thl, ip_len);
      }
}

// ---- option parsing ---------------------------------------------------

TEST(XlateParseOpts, FindsEveryOptionItKnows) {
  // SYN-style: MSS, SACK_PERM, TS, NOP, WS
  Packet p(
      {.flags = kSyn, .opts = Cat({{2, 4, 0x05, 0xb4}, {4, 2}, TsOpt(111, 0), kNop, {3, 3, 7}})});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_ok);
  EXPECT_EQ(o.ts_off, 20 + 4 + 2 + 2);
  EXPECT_EQ(o.tsval, 111u);
  EXPECT_EQ(o.tsecr, 0u);
  EXPECT_EQ(o.wscale, 7);
  EXPECT_EQ(o.sack_off, -1);
  EXPECT_EQ(o.sack_blocks, 0);
}

TEST(XlateParseOpts, NothingFoundWithoutOptions) {
  Packet p({});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.ts_off, -1);
  EXPECT_EQ(o.sack_off, -1);
  EXPECT_EQ(o.wscale, STTCP_NO_WSCALE);
  EXPECT_EQ(o.mss, 0);
  EXPECT_FALSE(o.sack_ok);
}

TEST(XlateParseOpts, FastOpenInBothForms) {
  // RFC 7413 (kind 34: a cookie request, then an 8-byte cookie) and the draft's kind 254 + 0xF989.
  sttcp_tcpopts o;
  Packet request({.flags = kSyn, .opts = Cat({{2, 4, 0x05, 0xb4}, {34, 2}})});
  ASSERT_EQ(sttcp_tcp_parse_opts(request.tcp(), request.thl(), &o), 0);
  EXPECT_EQ(o.tfo_off, 24);
  EXPECT_EQ(o.tfo_len, 2);
  Packet cookie({.flags = kSyn, .opts = Cat({kNop2, {34, 10, 1, 2, 3, 4, 5, 6, 7, 8}})});
  ASSERT_EQ(sttcp_tcp_parse_opts(cookie.tcp(), cookie.thl(), &o), 0);
  EXPECT_EQ(o.tfo_off, 22);
  EXPECT_EQ(o.tfo_len, 10);
  Packet exp({.flags = kSyn, .opts = {254, 12, 0xf9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8}});
  ASSERT_EQ(sttcp_tcp_parse_opts(exp.tcp(), exp.thl(), &o), 0);
  EXPECT_EQ(o.tfo_off, 20);
  EXPECT_EQ(o.tfo_len, 12);
}

TEST(XlateParseOpts, OtherExperimentalOptionsAreNotFastOpen) {
  sttcp_tcpopts o;
  Packet p({.flags = kSyn, .opts = {254, 4, 0x12, 0x34}});
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.tfo_off, -1);
  Packet none({});
  ASSERT_EQ(sttcp_tcp_parse_opts(none.tcp(), none.thl(), &o), 0);
  EXPECT_EQ(o.tfo_off, -1);
  EXPECT_EQ(o.tfo_len, 0);
}

TEST(XlateParseOpts, WindowScaleIsCappedAt14) {
  Packet p({.flags = kSyn, .opts = {3, 3, 200}});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.wscale, 14);
}

TEST(XlateParseOpts, EndOfListStopsParsing) {
  Packet p({.opts = Cat({{0}, kNop2, TsOpt(1, 2)})});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.ts_off, -1);
}

TEST(XlateParseOpts, SackBlocksAndUnalignedTimestamp) {
  Packet p({.opts = Cat({kNop, TsOpt(5, 6), SackOpt({{1, 2}, {3, 4}})})});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.ts_off, 23);
  EXPECT_EQ(o.tsval, 5u);
  EXPECT_EQ(o.tsecr, 6u);
  EXPECT_EQ(o.sack_off, 33);
  EXPECT_EQ(o.sack_blocks, 2);
}

TEST(XlateParseOpts, WrongLengthsForKnownKindsAreSkipped) {
  // TS with length 8, SACK without a whole block, MSS with length 3,
  // SACK with one and a half blocks, WS with length 4, SACK_PERM length 3.
  Packet p({.opts = Cat({{8, 8, 0, 0, 0, 0, 0, 0},
                         {5, 6, 0, 0, 0, 0},
                         {2, 3, 0},
                         {5, 14, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3},
                         {3, 4, 7, 0},
                         {4, 3, 0}})});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  EXPECT_EQ(o.ts_off, -1);
  EXPECT_EQ(o.sack_off, -1);
  EXPECT_EQ(o.sack_blocks, 0);
  EXPECT_EQ(o.mss, 0);
  EXPECT_EQ(o.wscale, STTCP_NO_WSCALE);
  EXPECT_FALSE(o.sack_ok);

  // Translation leaves such options alone.
  const std::vector<uint8_t> before(p.seg(), p.seg() + p.thl());
  auto res = XlateIn(p, Deltas(0, 0x1000));
  EXPECT_FALSE(res.bad_opts);
  EXPECT_EQ(0, std::memcmp(p.seg() + 20, before.data() + 20, p.thl() - 20));

  // Too long rather than too short: TS with length 12, MSS with length 5.
  Packet q({.opts = {8, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 2, 5, 0x05, 0xb4, 0}});
  ASSERT_EQ(sttcp_tcp_parse_opts(q.tcp(), q.thl(), &o), 0);
  EXPECT_EQ(o.ts_off, -1);
  EXPECT_EQ(o.mss, 0);
}

// ---- patching one field ------------------------------------------------

// Every offset, odd or even, in the fixed header, the options and beyond:
// the four bytes hold the value big endian, nothing else changes, and the
// checksum is right (or, with CHECKSUM_PARTIAL, untouched).
TEST(XlatePatch32, AnyOffsetKeepsTheChecksumRight) {
  std::mt19937 rng(99);
  const std::vector<uint8_t> opts = Cat({kNop, TsOpt(0x01020304, 0x05060708), SackOpt({{9, 10}})});
  for (bool partial : {false, true}) {
    for (uint32_t off = 4; off + 4 <= 20 + opts.size() + 3; ++off) {
      if (off + 4 > 16 && off < 18) continue;  // would overlap th->check itself
      for (int round = 0; round < 20; ++round) {
        Packet p(
            {.seq = uint32_t(rng()), .ack = uint32_t(rng()), .opts = opts, .payload = kPayload});
        const std::vector<uint8_t> before(p.seg(), p.seg() + p.seg_len());
        const uint32_t val = round == 0 ? 0 : round == 1 ? 0xffffffff : uint32_t(rng());
        sttcp_tcp_patch32(p.tcp(), off, val, partial);
        EXPECT_EQ(p.at32(off), val);
        for (size_t i = 0; i < before.size(); ++i) {
          if ((i < off || i >= off + 4) && i != 16 && i != 17) {
            ASSERT_EQ(p.seg()[i], before[i]) << "offset " << off << " byte " << i;
          }
        }
        if (partial) {
          EXPECT_EQ(Get16(p.seg() + 16), Get16(before.data() + 16)) << "offset " << off;
        } else {
          EXPECT_TRUE(p.ChecksumCorrect()) << "offset " << off << " value " << val;
        }
      }
    }
  }
}

// ---- window rescaling -------------------------------------------------

TEST(XlateWinRescale, Examples) {
  EXPECT_EQ(sttcp_win_rescale(1000, 0, 0), 1000);
  EXPECT_EQ(sttcp_win_rescale(1000, 7, 7), 1000);
  EXPECT_EQ(sttcp_win_rescale(0, 14, 0), 0);
  EXPECT_EQ(sttcp_win_rescale(100, 2, 3), 50);  // 400 bytes / 8
  EXPECT_EQ(sttcp_win_rescale(101, 2, 3), 51);  // 404 / 8 = 50.5: round up
  EXPECT_EQ(sttcp_win_rescale(1, 0, 14), 1);    // 1 byte still opens a unit
  EXPECT_EQ(sttcp_win_rescale(16384, 0, 14), 1);
  EXPECT_EQ(sttcp_win_rescale(16385, 0, 14), 2);
  EXPECT_EQ(sttcp_win_rescale(0x7fff, 1, 0), 0xfffe);
  EXPECT_EQ(sttcp_win_rescale(0x8000, 1, 0), 0xffff);  // 65536: capped
  EXPECT_EQ(sttcp_win_rescale(0xffff, 14, 0), 0xffff);
  EXPECT_EQ(sttcp_win_rescale(0xffff, 14, 14), 0xffff);
  EXPECT_EQ(sttcp_win_rescale(0xffff, 0, 14), 4);  // 65535 / 16384 = 3.99..
}

TEST(XlateWinRescale, SmallestFieldCoveringTheWindowForEveryScalePair) {
  const uint16_t wins[] = {0,    1,    2,    3,      127,    128,    129,   1000,
                           4095, 4096, 4097, 0x7fff, 0x8000, 0xfffe, 0xffff};
  for (unsigned from = 0; from <= 14; ++from) {
    for (unsigned to = 0; to <= 14; ++to) {
      for (uint16_t win : wins) {
        const uint64_t bytes = uint64_t(win) << from;
        const uint64_t field = sttcp_win_rescale(win, uint8_t(from), uint8_t(to));
        SCOPED_TRACE("win " + std::to_string(win) + " from " + std::to_string(from) + " to " +
                     std::to_string(to));
        ASSERT_LE(field, 0xffffu);
        if (field < 0xffff) {
          EXPECT_GE(field << to, bytes);  // right edge never moves left
          if (field) {
            EXPECT_LT((field - 1) << to, bytes);  // and no further than needed
          }
        } else {
          EXPECT_GE(bytes + (uint64_t(1) << to) - 1, uint64_t(0xffff) << to);  // capped
        }
      }
    }
  }
}

// ---- inbound: client -> backup --------------------------------------------

TEST(XlateIn, AckCrossesZero) {
  Packet p({.ack = 0xfffffff0, .payload = kPayload});
  auto res = XlateIn(p, Deltas(0x20, 0));
  EXPECT_TRUE(res.has_ack);
  EXPECT_FALSE(res.clamped);
  EXPECT_FALSE(res.bad_opts);
  EXPECT_EQ(res.wanted_ack, 0x10u);
  EXPECT_EQ(p.ack(), 0x10u);
  EXPECT_EQ(p.seq(), 1000u);  // client sequence numbers never change
  EXPECT_TRUE(p.ChecksumCorrect());
}

TEST(XlateIn, NegativeDeltaNearTwoToThe32) {
  Packet p({.ack = 0x10, .payload = kPayload});
  auto res = XlateIn(p, Deltas(0xffffffe0, 0));  // -0x20
  EXPECT_EQ(res.wanted_ack, 0xfffffff0u);
  EXPECT_EQ(p.ack(), 0xfffffff0u);
  EXPECT_TRUE(p.ChecksumCorrect());
}

TEST(XlateIn, WithoutAckFlagTheAckFieldIsLeftAlone) {
  Packet p({.ack = 0x12345678, .flags = kSyn, .opts = Cat({kNop2, TsOpt(77, 0)})});
  const uint16_t check = p.check();
  auto res = XlateIn(p, Deltas(0x1000, 0x2000), true, 0);
  EXPECT_FALSE(res.has_ack);
  EXPECT_FALSE(res.clamped);
  EXPECT_EQ(p.ack(), 0x12345678u);
  EXPECT_EQ(p.check(), check);  // and TSecr 0 stays 0: nothing changed
  EXPECT_EQ(p.at32(24), 77u);
  EXPECT_EQ(p.at32(28), 0u);
}

struct ClampCase {
  uint32_t ack;  // as the client sent it
  uint32_t delta;
  uint32_t limit;
  bool clamped;
  uint32_t result;
};

class XlateInClamp : public ::testing::TestWithParam<ClampCase> {};

TEST_P(XlateInClamp, AckIsClampedWrapSafely) {
  const ClampCase& c = GetParam();
  Packet p({.ack = c.ack, .opts = Cat({kNop2, TsOpt(1, 2)}), .payload = kPayload});
  auto res = XlateIn(p, Deltas(c.delta, 0), true, c.limit);
  EXPECT_EQ(res.clamped, c.clamped);
  EXPECT_EQ(res.wanted_ack, c.ack + c.delta);
  EXPECT_EQ(p.ack(), c.result);
  EXPECT_TRUE(p.ChecksumCorrect());
}

INSTANTIATE_TEST_SUITE_P(Cases, XlateInClamp,
                         ::testing::Values(
                             // limit just after 0xffffffff: acks before it (across zero) stay
                             ClampCase{0xfffffff0, 0x0e, 0x00000005, false, 0xfffffffe},
                             ClampCase{0xfffffff0, 0x0f, 0x00000005, false, 0xffffffff},
                             ClampCase{0xfffffff0, 0x10, 0x00000005, false, 0x00000000},
                             ClampCase{0xfffffff0, 0x15, 0x00000005, false,
                                       0x00000005},  // == limit
                             ClampCase{0xfffffff0, 0x16, 0x00000005, true, 0x00000005},
                             ClampCase{0x00000100, 0x00, 0x00000005, true, 0x00000005},
                             // limit just before the wrap, acks beyond it on the other side
                             ClampCase{0xfffffff0, 0x0f, 0xffffffff, false, 0xffffffff},
                             ClampCase{0xfffffff0, 0x11, 0xffffffff, true, 0xffffffff},
                             ClampCase{0x00000001, 0x00, 0xfffffffe, true, 0xfffffffe},
                             // limit 0
                             ClampCase{0xffffffff, 0x00, 0x00000000, false, 0xffffffff},
                             ClampCase{0x00000001, 0x00, 0x00000000, true, 0x00000000},
                             // far behind (2^31 - 1 before) is "before", not clamped
                             ClampCase{0x80000001, 0x00, 0x00000000, false, 0x80000001}));

TEST(XlateIn, NoClampWithoutAValidLimit) {
  Packet p({.ack = 0x100, .payload = kPayload});
  auto res = XlateIn(p, Deltas(0x100, 0), false, 0x5);
  EXPECT_FALSE(res.clamped);
  EXPECT_EQ(p.ack(), 0x200u);
  EXPECT_TRUE(p.ChecksumCorrect());
}

// The TS option's position decides whether the 32-bit fields sit on
// 16-bit checksum lanes (even offsets) or straddle them (odd offsets).
struct Layout {
  const char* name;
  std::vector<uint8_t> before_ts;  // options before the TS option
  int tsval_off;                   // from the TCP header
};

class XlateInTimestamps : public ::testing::TestWithParam<Layout> {};

TEST_P(XlateInTimestamps, TsecrTranslatedTsvalKept) {
  const Layout& l = GetParam();
  for (bool odd_payload : {false, true}) {
    std::vector<uint8_t> payload = kPayload;
    if (odd_payload) payload.pop_back();
    Packet p({.ack = 0xdeadbeef,
              .opts = Cat({l.before_ts, TsOpt(0x11223344, 0xfffffff0)}),
              .payload = payload});
    auto res = XlateIn(p, Deltas(0x01000000, 0x20));
    EXPECT_FALSE(res.bad_opts);
    EXPECT_EQ(p.at32(l.tsval_off), 0x11223344u);      // client's TSval
    EXPECT_EQ(p.at32(l.tsval_off + 4), 0x00000010u);  // TSecr + ts_delta, wrapped
    EXPECT_EQ(p.ack(), 0xdfadbeefu);
    EXPECT_TRUE(p.ChecksumCorrect()) << l.name << " odd payload " << odd_payload;
  }
}

TEST_P(XlateInTimestamps, TsecrZeroIsNotAnEcho) {
  const Layout& l = GetParam();
  Packet p({.ack = 7, .opts = Cat({l.before_ts, TsOpt(0x11223344, 0)}), .payload = kPayload});
  XlateIn(p, Deltas(0, 0x12345));
  EXPECT_EQ(p.at32(l.tsval_off + 4), 0u);
  EXPECT_EQ(p.at32(l.tsval_off), 0x11223344u);
  EXPECT_TRUE(p.ChecksumCorrect());
}

TEST_P(XlateInTimestamps, PartialChecksumIsLeftUntouched) {
  const Layout& l = GetParam();
  Packet p(
      {.ack = 0xfffffff0, .opts = Cat({l.before_ts, TsOpt(9, 0xfffffff0)}), .payload = kPayload});
  Put16(p.seg() + 16, 0xabcd);  // CHECKSUM_PARTIAL: only the pseudo-header sum
  auto res = XlateIn(p, Deltas(0x20, 0x20), true, 0x00000100, /*partial=*/true);
  EXPECT_EQ(p.check(), 0xabcd);
  EXPECT_EQ(p.ack(), 0x10u);
  EXPECT_EQ(res.wanted_ack, 0x10u);
  EXPECT_EQ(p.at32(l.tsval_off + 4), 0x10u);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, XlateInTimestamps,
    ::testing::Values(Layout{"NOP NOP TS (aligned)", kNop2, 24},
                      Layout{"TS first (even, not 4-aligned)", {}, 22},
                      Layout{"NOP TS (odd)", kNop, 23},
                      Layout{"NOP NOP NOP TS (odd)", {1, 1, 1}, 25},
                      Layout{"NOP, unknown option, TS (odd)", {1, 254, 4, 0, 0}, 27}),
    [](const auto& info) { return "Layout" + std::to_string(info.index); });

class XlateInSack : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(XlateInSack, EveryBlockEdgeTranslated) {
  const auto [n, odd] = GetParam();
  std::vector<std::pair<uint32_t, uint32_t>> blocks;
  for (int i = 0; i < n; ++i) {
    // The first block crosses zero after translation.
    blocks.push_back(
        {0xffffff00u + 0x100u * uint32_t(i) * 3, 0xffffff80u + 0x100u * uint32_t(i) * 3});
  }
  const uint32_t delta = 0x140;
  // Up to 3 blocks fit next to a timestamp; 4 need the whole option space.
  std::vector<uint8_t> opts = n < 4 ? Cat({odd ? kNop : kNop2, TsOpt(3, 4), kNop2, SackOpt(blocks)})
                                    : Cat({odd ? std::vector<uint8_t>{1} : kNop2, SackOpt(blocks)});
  Packet p({.ack = 0xffffff00, .opts = opts, .payload = kPayload});
  sttcp_tcpopts o;
  ASSERT_EQ(sttcp_tcp_parse_opts(p.tcp(), p.thl(), &o), 0);
  ASSERT_EQ(o.sack_blocks, n);
  ASSERT_EQ(o.sack_off % 2, odd ? 1 : 0);
  const int sack_off = o.sack_off;

  auto res = XlateIn(p, Deltas(delta, 0x1000));
  EXPECT_FALSE(res.bad_opts);
  EXPECT_EQ(p.ack(), 0xffffff00u + delta);
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(p.at32(sack_off + 8 * i), blocks[i].first + delta) << "block " << i;
    EXPECT_EQ(p.at32(sack_off + 8 * i + 4), blocks[i].second + delta) << "block " << i;
  }
  if (n < 4) {
    EXPECT_EQ(p.at32(o.ts_off + 4), 4u + 0x1000);
  }
  EXPECT_TRUE(p.ChecksumCorrect());
}

INSTANTIATE_TEST_SUITE_P(Blocks, XlateInSack,
                         ::testing::Combine(::testing::Values(1, 2, 3, 4), ::testing::Bool()));

// Malformed options: bad_opts, the ack still translated, checksum still
// right, and nothing read beyond the header (which ends its heap block).
struct Malformed {
  const char* name;
  std::vector<uint8_t> opts;  // exactly the option bytes (multiple of 4)
};

class XlateInMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(XlateInMalformed, ReportedAckStillTranslated) {
  const Malformed& m = GetParam();
  ASSERT_EQ(m.opts.size() % 4, 0u);
  Packet p({.ack = 0xfffffff8, .opts = m.opts});
  ASSERT_EQ(p.thl(), 20 + m.opts.size());
  // Copy the header alone into a block of exactly thl bytes.
  const size_t thl = p.thl();
  std::unique_ptr<uint8_t[]> hdr(new uint8_t[thl]);
  std::memcpy(hdr.get(), p.seg(), thl);
  auto* th = reinterpret_cast<tcphdr*>(hdr.get());

  sttcp_tcpopts o;
  EXPECT_EQ(sttcp_tcp_parse_opts(th, uint32_t(thl), &o), -EBADMSG);

  sttcp_xlate x = Deltas(0x10, 0x10);
  sttcp_xlate_in_result res;
  sttcp_xlate_in(th, uint32_t(thl), &x, true, 0x1000, false, &res);
  EXPECT_TRUE(res.bad_opts);
  EXPECT_TRUE(res.has_ack);
  EXPECT_EQ(Get32(hdr.get() + 8), 0x8u);
  EXPECT_TRUE(TcpChecksumCorrect(hdr.get(), thl));
  // Options are left as they were.
  EXPECT_EQ(0, std::memcmp(hdr.get() + 20, m.opts.data(), m.opts.size()));

  // Outbound: seq translated, -EBADMSG.
  const uint32_t seq = Get32(hdr.get() + 4);
  EXPECT_EQ(sttcp_xlate_out(th, uint32_t(thl), &x, false), -EBADMSG);
  EXPECT_EQ(Get32(hdr.get() + 4), seq - 0x10);
  EXPECT_TRUE(TcpChecksumCorrect(hdr.get(), thl));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, XlateInMalformed,
    ::testing::Values(Malformed{"length 0", {5, 0, 1, 1}}, Malformed{"length 1", {8, 1, 1, 1}},
                      Malformed{"kind is the last byte", {1, 1, 1, 8}},
                      Malformed{"TS overruns the header", {1, 1, 8, 10, 0, 0, 0, 1}},
                      Malformed{"SACK overruns the header", {1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2}},
                      Malformed{"valid TS then length 0",
                                {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 3, 0, 0, 0}},
                      Malformed{"length 255", {1, 1, 1, 1, 1, 1, 1, 2, 255, 0, 0, 0}}),
    [](const auto& info) { return "Case" + std::to_string(info.index); });

// ---- outbound: backup -> primary space -------------------------------------

TEST(XlateOut, SeqAndTsvalTranslatedAcrossZero) {
  for (const auto& before : {kNop2, kNop, std::vector<uint8_t>{}}) {
    Packet p({.seq = 0x10,
              .ack = 0x55555555,
              .opts = Cat({before, TsOpt(0x5, 0x77)}),
              .payload = kPayload});
    const int tsval_off = 20 + int(before.size()) + 2;
    EXPECT_EQ(sttcp_xlate_out(p.tcp(), p.thl(), ptr(Deltas(0x20, 0x10)), false), 0);
    EXPECT_EQ(p.seq(), 0xfffffff0u);
    EXPECT_EQ(p.ack(), 0x55555555u);  // client numbers: unchanged
    EXPECT_EQ(p.at32(tsval_off), 0xfffffff5u);
    EXPECT_EQ(p.at32(tsval_off + 4), 0x77u);  // client's TSval echoed: unchanged
    EXPECT_TRUE(p.ChecksumCorrect()) << before.size() << " NOPs";
  }
}

TEST(XlateOut, WindowRescaledToThePrimarysScale) {
  Packet p({.seq = 1, .window = 1001, .payload = kPayload});
  // backup scales by 2^5, primary by 2^7: 1001 * 32 / 128 = 250.25 -> 251
  EXPECT_EQ(sttcp_xlate_out(p.tcp(), p.thl(), ptr(Deltas(0, 0, 7, 5)), false), 0);
  EXPECT_EQ(p.window(), 251);
  EXPECT_TRUE(p.ChecksumCorrect());

  Packet q({.seq = 1, .window = 0x1000, .payload = kPayload});
  EXPECT_EQ(sttcp_xlate_out(q.tcp(), q.thl(), ptr(Deltas(0, 0, 0, 14)), false), 0);
  EXPECT_EQ(q.window(), 0xffff);
  EXPECT_TRUE(q.ChecksumCorrect());
}

TEST(XlateOut, WindowKeptWhenScalesAgree) {
  Packet p({.window = 1001});
  EXPECT_EQ(sttcp_xlate_out(p.tcp(), p.thl(), ptr(Deltas(5, 0, 7, 7)), false), 0);
  EXPECT_EQ(p.window(), 1001);
  EXPECT_TRUE(p.ChecksumCorrect());
}

TEST(XlateOut, SynWindowIsNeverScaled) {
  for (uint8_t flags : {uint8_t(kSyn), uint8_t(kSyn | kAck)}) {
    Packet p({.seq = 0x100,
              .flags = flags,
              .window = 64240,
              .opts = Cat({{2, 4, 0x05, 0xb4}, {4, 2}, TsOpt(1234, 0), kNop, {3, 3, 7}})});
    EXPECT_EQ(sttcp_xlate_out(p.tcp(), p.thl(), ptr(Deltas(0x200, 1000, 0, 9)), false), 0);
    EXPECT_EQ(p.window(), 64240);
    EXPECT_EQ(p.seq(), 0xffffff00u);
    EXPECT_EQ(p.at32(28), 234u);
    EXPECT_TRUE(p.ChecksumCorrect());
  }
}

TEST(XlateOut, PartialChecksumIsLeftUntouched) {
  Packet p(
      {.seq = 0x10, .window = 1001, .opts = Cat({kNop, TsOpt(0x5, 0x77)}), .payload = kPayload});
  Put16(p.seg() + 16, 0x1234);
  EXPECT_EQ(sttcp_xlate_out(p.tcp(), p.thl(), ptr(Deltas(0x20, 0x10, 7, 5)), true), 0);
  EXPECT_EQ(p.check(), 0x1234);
  EXPECT_EQ(p.seq(), 0xfffffff0u);
  EXPECT_EQ(p.window(), 251);
  EXPECT_EQ(p.at32(23), 0xfffffff5u);
}

TEST(XlateRoundTrip, OutThenInRestoresTheNumbers) {
  // What the backup sends, translated out, acked by the client with the
  // same numbers and translated in, gives back the backup's own numbers.
  const sttcp_xlate x = Deltas(0x89abcdef, 0xfedcba98);
  Packet out({.seq = 0x00000100, .opts = Cat({kNop, TsOpt(0x10, 0x20)}), .payload = kPayload});
  ASSERT_EQ(sttcp_xlate_out(out.tcp(), out.thl(), &x, false), 0);
  Packet in({.ack = out.seq(), .opts = Cat({kNop, TsOpt(0x20, out.at32(23))})});
  XlateIn(in, x);
  EXPECT_EQ(in.ack(), 0x100u);
  EXPECT_EQ(in.at32(27), 0x10u);
  EXPECT_TRUE(in.ChecksumCorrect());
}

// Random option lists: mostly well-formed options (TS and SACK at any
// alignment, padding, unknown kinds) with the occasional corrupted byte or
// cut-off tail. Never a read past the header (ASan), and the checksum is
// right afterwards whatever was or was not translated.
std::vector<uint8_t> RandomOptions(std::mt19937& rng) {
  std::vector<uint8_t> o;
  const size_t want = 4 * (rng() % 11);
  while (o.size() < want) {
    switch (rng() % 9) {
      case 0:
      case 1:
        o.push_back(1);  // NOP
        break;
      case 2:
        o.push_back(0);  // EOL
        break;
      case 3:
      case 4: {
        const auto ts = TsOpt(uint32_t(rng()), rng() % 4 ? uint32_t(rng()) : 0);
        o.insert(o.end(), ts.begin(), ts.end());
        break;
      }
      case 5:
      case 6: {
        std::vector<std::pair<uint32_t, uint32_t>> blocks(1 + rng() % 4);
        for (auto& b : blocks)
          b = {uint32_t(rng()), uint32_t(rng())};
        const auto sack = SackOpt(blocks);
        o.insert(o.end(), sack.begin(), sack.end());
        break;
      }
      case 7:
        o.insert(o.end(), {2, 4, uint8_t(rng()), uint8_t(rng())});  // MSS
        break;
      default: {  // an unknown kind
        const uint8_t len = uint8_t(2 + rng() % 6);
        o.push_back(uint8_t(9 + rng() % 200));
        o.push_back(len);
        for (int i = 2; i < len; ++i)
          o.push_back(uint8_t(rng()));
        break;
      }
    }
  }
  o.resize(want);  // may cut the last option short
  if (!o.empty() && rng() % 3 == 0) {
    for (int n = 1 + int(rng() % 3); n > 0; --n)
      o[rng() % o.size()] = uint8_t(rng());
  }
  return o;
}

TEST(XlateFuzz, RandomOptionsKeepTheChecksumRight) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 50000; ++round) {
    const std::vector<uint8_t> opts = RandomOptions(rng);
    Packet p({.seq = uint32_t(rng()),
              .ack = uint32_t(rng()),
              .flags = uint8_t(rng() % 2 ? unsigned(kAck) : unsigned(rng() & 0x1f)),
              .window = uint16_t(rng()),
              .opts = opts});
    const size_t thl = p.thl();
    std::unique_ptr<uint8_t[]> hdr(new uint8_t[thl]);
    std::memcpy(hdr.get(), p.seg(), thl);
    auto* th = reinterpret_cast<tcphdr*>(hdr.get());
    const sttcp_xlate x =
        Deltas(uint32_t(rng()), uint32_t(rng()), uint8_t(rng() % 15), uint8_t(rng() % 15));
    sttcp_xlate_in_result res;
    sttcp_xlate_in(th, uint32_t(thl), &x, rng() % 2, uint32_t(rng()), false, &res);
    ASSERT_TRUE(TcpChecksumCorrect(hdr.get(), thl)) << "in, round " << round;
    sttcp_xlate_out(th, uint32_t(thl), &x, false);
    ASSERT_TRUE(TcpChecksumCorrect(hdr.get(), thl)) << "out, round " << round;
  }
}

}  // namespace
