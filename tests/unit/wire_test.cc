// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// kmod/wire.c, compiled unchanged against tests/unit/shim/kshim.h: the sync
// channel's encoder and its strict parser. Messages are built with the
// module's own put_* functions, parsed back, and then broken in every way
// the parser promises to reject.
//
// Built with ASan+UBSan (STTCP_KMOD_SANITIZE). Whenever a test hands the
// parser `avail` bytes, those bytes are the whole of a heap block, so a read
// beyond what the parser was allowed to see aborts the test.
#include <gtest/gtest.h>

#include "be_bytes.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "wire.h"
}

// Messages are described with designated initializers that leave the other
// fields at their defaults, which GCC 12 warns about (fixed in later GCCs).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

using Bytes = std::vector<uint8_t>;

using be_bytes::Get16;
using be_bytes::Get32;
using be_bytes::Put16;
using be_bytes::Put32;

enum : uint8_t { kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kEce = 0x40 };

// An IPv4/TCP packet as the primary's TCP saw it (checksums are not part
// of what the parser validates, so they are left 0).
struct PacketSpec {
  uint8_t version = 4;
  uint8_t ihl = 5;         // IP header words built; options are NOPs
  int ihl_field = -1;      // ihl written to the header; -1: ihl
  int tot_len_adjust = 0;  // added to the real length in tot_len
  uint8_t protocol = IPPROTO_TCP;
  uint16_t frag_off = 0x4000;  // DF
  uint8_t saddr[4] = {192, 0, 2, 10};
  uint8_t daddr[4] = {198, 51, 100, 7};
  uint16_t sport = 40000;
  uint16_t dport = 80;
  uint8_t flags = kAck;
  Bytes opts;     // TCP options, padded with EOL
  int doff = -1;  // TCP header words; -1: from the options
  size_t payload = 0;
};

Bytes MakePacket(const PacketSpec& s) {
  Bytes opts = s.opts;
  while (opts.size() % 4)
    opts.push_back(0);
  const size_t ihl = 4 * size_t(s.ihl);
  const size_t thl = 20 + opts.size();
  Bytes p(ihl + thl + s.payload);
  p[0] = uint8_t(s.version << 4 | ((s.ihl_field >= 0 ? s.ihl_field : s.ihl) & 0xf));
  Put16(&p[2], uint16_t(int(p.size()) + s.tot_len_adjust));
  Put16(&p[4], 0x4242);
  Put16(&p[6], s.frag_off);
  p[8] = 64;
  p[9] = s.protocol;
  std::memcpy(&p[12], s.saddr, 4);
  std::memcpy(&p[16], s.daddr, 4);
  for (size_t i = 20; i < ihl; ++i)
    p[i] = 1;  // IP option NOPs
  uint8_t* t = &p[ihl];
  Put16(t, s.sport);
  Put16(t + 2, s.dport);
  Put32(t + 4, 0x01020304);
  Put32(t + 8, s.flags & kAck ? 0x0a0b0c0d : 0);
  t[12] = uint8_t((s.doff >= 0 ? s.doff : int(thl / 4)) << 4);
  t[13] = s.flags;
  Put16(t + 14, 64240);
  if (!opts.empty()) std::memcpy(t + 20, opts.data(), opts.size());
  for (size_t i = 0; i < s.payload; ++i)
    t[thl + i] = uint8_t('a' + i % 26);
  return p;
}

// The envelope of an unauthenticated message on the sync path (the tag and
// sessions are tested in session_test.cc and in the VM suite "auth").
void PutHdr(uint8_t* buf, uint8_t type, uint16_t len, uint64_t counter) {
  sttcp_wire_env e{};
  e.type = type;
  e.len = len;
  e.sender = 0x5e5e5e5e5e5e5e5eULL;
  e.receiver = 0x7e7e7e7e7e7e7e7eULL;
  e.counter = counter;
  sttcp_wire_put_env(buf, &e);
}

// A real client SYN: MSS 1460, SACK_PERM, TS, NOP, WS 7.
const Bytes kSynOpts = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};

Bytes Mirror(const Bytes& pkt, uint32_t counter = 7) {
  Bytes m(STTCP_WIRE_HDR_LEN + pkt.size());
  PutHdr(m.data(), STTCP_MSG_MIRROR, uint16_t(m.size()), counter);
  std::memcpy(&m[STTCP_WIRE_HDR_LEN], pkt.data(), pkt.size());
  return m;
}

const sttcp_syn_facts kFacts = {0xfedcba98, 0x80000001, 1448, 9,
                                STTCP_OPT_SACK | STTCP_OPT_TS | STTCP_OPT_WSCALE};

Bytes Syn(const Bytes& pkt, const sttcp_syn_facts& f = kFacts, uint32_t counter = 8) {
  Bytes m(STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN + pkt.size());
  PutHdr(m.data(), STTCP_MSG_SYN, uint16_t(m.size()), counter);
  sttcp_wire_put_syn_facts(&m[STTCP_WIRE_HDR_LEN], &f);
  std::memcpy(&m[STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN], pkt.data(), pkt.size());
  return m;
}

sttcp_report Report(uint32_t i) {
  sttcp_report r{};
  const uint32_t caddr = htonl(0x0a000000 + i), vaddr = htonl(0xc6336407);
  r.key.caddr = caddr;
  r.key.vaddr = vaddr;
  r.key.cport = htons(uint16_t(30000 + i));
  r.key.vport = htons(443);
  r.rcv_nxt = 0xfffffff0u + 0x01010101u * i;
  r.win_end = 0x00a0b0c0u + i;
  r.flags = uint8_t(i % 4);
  return r;
}

Bytes ReportMsg(uint32_t n, uint32_t counter = 9) {
  Bytes m(STTCP_WIRE_HDR_LEN + 4 + n * STTCP_WIRE_REPORT_LEN);
  PutHdr(m.data(), STTCP_MSG_REPORT, uint16_t(m.size()), counter);
  sttcp_wire_put_report_count(&m[STTCP_WIRE_HDR_LEN], uint8_t(n));
  for (uint32_t i = 0; i < n; ++i) {
    const sttcp_report r = Report(i);
    sttcp_wire_put_report(&m[STTCP_WIRE_HDR_LEN + 4 + i * STTCP_WIRE_REPORT_LEN], &r);
  }
  return m;
}

Bytes HeartbeatMsg(const sttcp_heartbeat& hb, uint32_t counter = 11) {
  Bytes m(STTCP_WIRE_HDR_LEN + STTCP_WIRE_HB_LEN, 0xaa);
  PutHdr(m.data(), STTCP_MSG_HEARTBEAT, uint16_t(m.size()), counter);
  sttcp_wire_put_heartbeat(&m[STTCP_WIRE_HDR_LEN], &hb);
  return m;
}

// Parses the first `avail` bytes of `msg` (copied into a block of exactly
// that size) as a message of `total` bytes.
int Parse(const Bytes& msg, size_t avail, size_t total, sttcp_msg* m) {
  std::unique_ptr<uint8_t[]> block(new uint8_t[avail ? avail : 1]);
  if (avail) std::memcpy(block.get(), msg.data(), avail);
  return sttcp_wire_parse(block.get(), uint32_t(avail), uint32_t(total), m);
}

int Parse(const Bytes& msg, sttcp_msg* m) {
  return Parse(msg, msg.size(), msg.size(), m);
}

int Parse(const Bytes& msg) {
  sttcp_msg m;
  return Parse(msg, &m);
}

void SetLen(Bytes& msg, uint16_t len) {
  Put16(&msg[2], len);
}

// ---- encoding ---------------------------------------------------------

TEST(WireEncode, HeaderIsBigEndian) {
  uint8_t b[STTCP_WIRE_HDR_LEN + 2];
  std::memset(b, 0xaa, sizeof(b));
  sttcp_wire_env e{};
  e.type = STTCP_MSG_SYN;
  e.flags = STTCP_WIRE_F_AUTH | STTCP_WIRE_F_PATH2;
  e.len = 0x1234;
  e.sender = 0x0102030405060708ULL;
  e.receiver = 0x1112131415161718ULL;
  e.counter = 0x21222324deadbeefULL;
  sttcp_wire_put_env(b, &e);
  const uint8_t want[STTCP_WIRE_HDR_LEN + 2] = {
      2,    2,    0x12, 0x34, 3,    0,    0,    0,                  // version type len flags
      1,    2,    3,    4,    5,    6,    7,    8,                  // sender
      0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,               // receiver
      0x21, 0x22, 0x23, 0x24, 0xde, 0xad, 0xbe, 0xef, 0xaa, 0xaa};  // counter
  EXPECT_EQ(0, std::memcmp(b, want, sizeof(b)));
  sttcp_wire_env back;
  ASSERT_EQ(0, sttcp_wire_parse_env(b, sizeof(b), 0x1234, &back));
  EXPECT_EQ(back.flags, e.flags);
  EXPECT_EQ(back.sender, e.sender);
  EXPECT_EQ(back.receiver, e.receiver);
  EXPECT_EQ(back.counter, e.counter);
}

TEST(WireEncode, SynFactsLayout) {
  uint8_t b[13];
  std::memset(b, 0xaa, sizeof(b));
  sttcp_wire_put_syn_facts(b, &kFacts);
  const uint8_t want[13] = {0xfe, 0xdc, 0xba, 0x98, 0x80, 0x00, 0x00, 0x01, 0x05, 0xa8, 9, 7, 0xaa};
  EXPECT_EQ(0, std::memcmp(b, want, sizeof(b)));
}

TEST(WireEncode, ReportLayoutZeroesTheReservedBytes) {
  uint8_t b[STTCP_WIRE_REPORT_LEN + 1];
  std::memset(b, 0xaa, sizeof(b));
  const sttcp_report r = Report(3);
  sttcp_wire_put_report(b, &r);
  const uint8_t want[STTCP_WIRE_REPORT_LEN + 1] = {
      10,   0,    0,    3,    198, 51, 100, 7, 0x75, 0x33, 0x01, 0xbb,  // 30003, 443
      0x03, 0x03, 0x02, 0xf3,  // 0xfffffff0 + 3 * 0x01010101
      0x00, 0xa0, 0xb0, 0xc3,  // window right edge
      3,    0,    0,    0,    0xaa};
  EXPECT_EQ(0, std::memcmp(b, want, sizeof(b)));

  uint8_t c[5];
  std::memset(c, 0xaa, sizeof(c));
  sttcp_wire_put_report_count(c, 64);
  const uint8_t want_c[5] = {64, 0, 0, 0, 0xaa};
  EXPECT_EQ(0, std::memcmp(c, want_c, sizeof(c)));
}

// ---- round trips --------------------------------------------------------

TEST(WireRoundTrip, Mirror) {
  const Bytes pkt = MakePacket(
      {.flags = kAck | kPsh, .opts = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, .payload = 101});
  const Bytes msg = Mirror(pkt, 0xcafef00d);
  sttcp_msg m;
  ASSERT_EQ(Parse(msg, &m), 0);
  EXPECT_EQ(m.type, STTCP_MSG_MIRROR);
  EXPECT_EQ(m.env.counter, 0xcafef00du);
  EXPECT_EQ(m.len, msg.size());
  EXPECT_EQ(m.pkt_off, uint32_t(STTCP_WIRE_HDR_LEN));
  EXPECT_EQ(m.pkt_len, pkt.size());
  EXPECT_EQ(m.pkt_ihl, 20u);
  EXPECT_EQ(m.pkt_thl, 32u);
  EXPECT_EQ(ntohl(m.key.caddr), 0xc000020au);
  EXPECT_EQ(ntohl(m.key.vaddr), 0xc6336407u);
  EXPECT_EQ(ntohs(m.key.cport), 40000);
  EXPECT_EQ(ntohs(m.key.vport), 80);
  EXPECT_EQ(0, std::memcmp(&msg[m.pkt_off], pkt.data(), pkt.size()));
  EXPECT_EQ(m.n_reports, 0u);
}

TEST(WireRoundTrip, MirrorWithIpOptions) {
  const Bytes pkt = MakePacket({.ihl = 7, .payload = 3});
  sttcp_msg m;
  ASSERT_EQ(Parse(Mirror(pkt), &m), 0);
  EXPECT_EQ(m.pkt_ihl, 28u);
  EXPECT_EQ(m.pkt_thl, 20u);
  EXPECT_EQ(ntohs(m.key.cport), 40000);
}

TEST(WireRoundTrip, Syn) {
  const Bytes pkt = MakePacket({.flags = kSyn, .opts = kSynOpts});
  const Bytes msg = Syn(pkt, kFacts, 0xffffffff);
  sttcp_msg m;
  ASSERT_EQ(Parse(msg, &m), 0);
  EXPECT_EQ(m.type, STTCP_MSG_SYN);
  EXPECT_EQ(m.env.counter, 0xffffffffu);
  EXPECT_EQ(m.len, msg.size());
  EXPECT_EQ(m.syn.isn, kFacts.isn);
  EXPECT_EQ(m.syn.tsval, kFacts.tsval);
  EXPECT_EQ(m.syn.mss, kFacts.mss);
  EXPECT_EQ(m.syn.wscale, kFacts.wscale);
  EXPECT_EQ(m.syn.opts, kFacts.opts);
  EXPECT_EQ(m.pkt_off, uint32_t(STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN));
  EXPECT_EQ(m.pkt_off % 4, 0u);  // the embedded IP header stays aligned
  EXPECT_EQ(m.pkt_len, pkt.size());
  EXPECT_EQ(m.pkt_ihl, 20u);
  EXPECT_EQ(m.pkt_thl, 40u);
  EXPECT_EQ(ntohs(m.key.cport), 40000);
  EXPECT_EQ(0, std::memcmp(&msg[m.pkt_off], pkt.data(), pkt.size()));
}

TEST(WireRoundTrip, SynFactsBoundaries) {
  const Bytes pkt = MakePacket({.flags = kSyn | kEce, .opts = kSynOpts});
  sttcp_syn_facts f = {0, 0, 0, 14, 0};
  sttcp_msg m;
  ASSERT_EQ(Parse(Syn(pkt, f), &m), 0);
  EXPECT_EQ(m.syn.wscale, 14);
  f.wscale = 15;
  EXPECT_EQ(Parse(Syn(pkt, f)), -EBADMSG);
  f.wscale = 0xff;  // xlate.h's STTCP_NO_WSCALE is never sent (the module sends 0)
  EXPECT_EQ(Parse(Syn(pkt, f)), -EBADMSG);
}

class WireReportRoundTrip : public ::testing::TestWithParam<uint32_t> {};

TEST_P(WireReportRoundTrip, EveryEntryComesBack) {
  const uint32_t n = GetParam();
  const Bytes msg = ReportMsg(n, 42);
  sttcp_msg m;
  ASSERT_EQ(Parse(msg, &m), 0);
  EXPECT_EQ(m.type, STTCP_MSG_REPORT);
  EXPECT_EQ(m.env.counter, 42u);
  EXPECT_EQ(m.len, msg.size());
  ASSERT_EQ(m.n_reports, n);
  EXPECT_EQ(m.reports_off, uint32_t(STTCP_WIRE_HDR_LEN + 4));
  for (uint32_t i = 0; i < n; ++i) {
    sttcp_report got;
    std::memset(&got, 0x55, sizeof(got));
    sttcp_wire_get_report(msg.data(), &m, i, &got);
    const sttcp_report want = Report(i);
    EXPECT_EQ(got.key.caddr, want.key.caddr) << i;
    EXPECT_EQ(got.key.vaddr, want.key.vaddr) << i;
    EXPECT_EQ(got.key.cport, want.key.cport) << i;
    EXPECT_EQ(got.key.vport, want.key.vport) << i;
    EXPECT_EQ(got.rcv_nxt, want.rcv_nxt) << i;
    EXPECT_EQ(got.win_end, want.win_end) << i;
    EXPECT_EQ(got.flags, want.flags) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Counts, WireReportRoundTrip, ::testing::Values(1u, 2u, 63u, 64u));

// ---- truncation and avail -------------------------------------------------

std::vector<std::pair<std::string, Bytes>> ValidMessages() {
  return {
      {"mirror", Mirror(MakePacket({.opts = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, .payload = 9}))},
      {"mirror, no payload", Mirror(MakePacket({}))},
      {"mirror, IP options", Mirror(MakePacket({.ihl = 6, .payload = 1}))},
      {"syn", Syn(MakePacket({.flags = kSyn, .opts = kSynOpts}))},
      {"report 1", ReportMsg(1)},
      {"report 64", ReportMsg(64)},
      {"heartbeat", HeartbeatMsg({.epoch = 3, .state = 2, .flags = 1, .clock = 9, .echo = 8})},
  };
}

TEST(WireTruncated, EveryShorterLengthIsRejected) {
  for (const auto& [name, msg] : ValidMessages()) {
    ASSERT_EQ(Parse(msg), 0) << name;
    for (size_t len = 0; len < msg.size(); ++len) {
      sttcp_msg m;
      // As received: the length field still names the whole message.
      EXPECT_EQ(Parse(msg, len, len, &m), -EBADMSG) << name << " cut to " << len;
      // The length field rewritten to match: the content is still short.
      if (len >= 4) {
        Bytes cut(msg.begin(), msg.begin() + long(len));
        SetLen(cut, uint16_t(len));
        EXPECT_EQ(Parse(cut), -EBADMSG) << name << " cut to " << len << ", length fixed";
      }
    }
  }
}

// Only `avail` bytes of a `total`-byte message are readable (the module
// pulls just the headers): a MIRROR/SYN needs its IP and TCP headers, a
// REPORT the whole message.
TEST(WireAvail, HeadersMustBeAvailable) {
  for (const auto& [name, msg] : ValidMessages()) {
    sttcp_msg full;
    ASSERT_EQ(Parse(msg, &full), 0) << name;
    // Reports and heartbeats are read whole; packets only up to their headers.
    const size_t needed = full.type == STTCP_MSG_REPORT || full.type == STTCP_MSG_HEARTBEAT
                              ? msg.size()
                              : full.pkt_off + full.pkt_ihl + full.pkt_thl;
    for (size_t avail = 0; avail <= msg.size(); ++avail) {
      sttcp_msg m;
      const int err = Parse(msg, avail, msg.size(), &m);
      if (avail < needed) {
        EXPECT_EQ(err, -EBADMSG) << name << " avail " << avail;
      } else {
        EXPECT_EQ(err, 0) << name << " avail " << avail;
        EXPECT_EQ(m.pkt_thl, full.pkt_thl);
      }
    }
  }
}

TEST(WireAvail, MoreAvailableThanTheMessageIsIgnored) {
  Bytes msg = ReportMsg(2);
  const size_t total = msg.size();
  msg.resize(total + 100, 0xee);
  sttcp_msg m;
  EXPECT_EQ(Parse(msg, msg.size(), total, &m), 0);
  EXPECT_EQ(m.n_reports, 2u);
}

// ---- header rejections ------------------------------------------------

TEST(WireHeader, OtherVersionsAreNotSupported) {
  for (const auto& [name, good] : ValidMessages()) {
    for (uint8_t v : {0, 1, 3, 255}) {  // 1: before the authenticated envelope
      Bytes msg = good;
      msg[0] = v;
      EXPECT_EQ(Parse(msg), -EPROTONOSUPPORT) << name << " version " << int(v);
    }
  }
}

TEST(WireHeader, LengthFieldMustMatch) {
  for (const auto& [name, good] : ValidMessages()) {
    for (int delta : {-1, 1, -4, 4}) {
      Bytes msg = good;
      SetLen(msg, uint16_t(int(msg.size()) + delta));
      EXPECT_EQ(Parse(msg), -EBADMSG) << name << " delta " << delta;
    }
    Bytes msg = good;
    SetLen(msg, 0);
    EXPECT_EQ(Parse(msg), -EBADMSG) << name;
  }
}

TEST(WireHeader, UnknownTypesAreRejected) {
  for (uint8_t type : {0, 4, 0x80, 255}) {
    Bytes msg = Mirror(MakePacket({}));
    msg[1] = type;
    EXPECT_EQ(Parse(msg), -EBADMSG) << int(type);
  }
}

TEST(WireHeader, OversizedMessagesAreRejected) {
  // The largest legal message, then one byte more.
  Bytes ok = Mirror(MakePacket({.payload = STTCP_WIRE_MAX_LEN - STTCP_WIRE_HDR_LEN - 40}));
  ASSERT_EQ(ok.size(), size_t(STTCP_WIRE_MAX_LEN));
  EXPECT_EQ(Parse(ok), 0);
  Bytes big = Mirror(MakePacket({.payload = STTCP_WIRE_MAX_LEN - STTCP_WIRE_HDR_LEN - 40 + 1}));
  ASSERT_EQ(big.size(), size_t(STTCP_WIRE_MAX_LEN) + 1);
  EXPECT_EQ(Parse(big), -EBADMSG);
  // Beyond what the 16-bit length can say: only headers readable.
  sttcp_msg m;
  EXPECT_EQ(Parse(ok, 48, 70000, &m), -EBADMSG);
  EXPECT_EQ(Parse(ok, 48, 0xffffffff, &m), -EBADMSG);
}

// ---- REPORT rejections ------------------------------------------------

TEST(WireReport, CountMustBeOneToSixtyFourAndMatchTheLength) {
  struct Case {
    uint32_t entries;  // actually present
    uint8_t count;     // claimed
  };
  for (const Case c : {Case{0, 0}, Case{1, 0}, Case{65, 65}, Case{64, 65}, Case{1, 255}, Case{1, 2},
                       Case{2, 1}, Case{64, 63}, Case{0, 1}}) {
    Bytes msg = ReportMsg(c.entries);
    msg[STTCP_WIRE_HDR_LEN] = c.count;
    EXPECT_EQ(Parse(msg), -EBADMSG) << c.entries << " entries, count " << int(c.count);
  }
}

TEST(WireReport, BodyShorterThanTheCountWordIsRejected) {
  for (size_t body = 0; body < 4; ++body) {
    Bytes msg(STTCP_WIRE_HDR_LEN + body, 0);
    PutHdr(msg.data(), STTCP_MSG_REPORT, uint16_t(msg.size()), 1);
    if (body) msg[STTCP_WIRE_HDR_LEN] = 1;
    EXPECT_EQ(Parse(msg), -EBADMSG) << body;
  }
}

TEST(WireReport, TrailingBytesAreRejected) {
  Bytes msg = ReportMsg(3);
  msg.push_back(0);
  SetLen(msg, uint16_t(msg.size()));
  EXPECT_EQ(Parse(msg), -EBADMSG);
}

// ---- heartbeat --------------------------------------------------------------

TEST(WireHeartbeat, LayoutIsBigEndianWithZeroedReservedBytes) {
  const sttcp_heartbeat hb{.epoch = 0x01020304,
                           .state = 2,
                           .flags = STTCP_HB_HANDOVER,
                           .clock = 0xfffffffe,
                           .echo = 0x0a0b0c0d};
  const Bytes m = HeartbeatMsg(hb);
  const uint8_t want[STTCP_WIRE_HB_LEN] = {1,    2,    3,    4,    2,    1,    0, 0, 0xff, 0xff,
                                           0xff, 0xfe, 0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0,    0};
  EXPECT_EQ(0, std::memcmp(&m[STTCP_WIRE_HDR_LEN], want, sizeof(want)));
}

TEST(WireHeartbeat, RoundTrip) {
  const sttcp_heartbeat hb{
      .epoch = 7, .state = 3, .flags = STTCP_HB_SECOND_PATH, .clock = 123456, .echo = 654321};
  sttcp_msg m;
  ASSERT_EQ(Parse(HeartbeatMsg(hb, 99), &m), 0);
  EXPECT_EQ(m.type, STTCP_MSG_HEARTBEAT);
  EXPECT_EQ(m.env.counter, 99u);
  EXPECT_EQ(m.hb.epoch, 7u);
  EXPECT_EQ(m.hb.state, 3u);
  EXPECT_EQ(m.hb.flags, STTCP_HB_SECOND_PATH);
  EXPECT_EQ(m.hb.clock, 123456u);
  EXPECT_EQ(m.hb.echo, 654321u);
}

TEST(WireHeartbeat, WrongLengthUnknownFlagsAndTruncationAreRejected) {
  const sttcp_heartbeat hb{.epoch = 1, .state = 2, .flags = 0, .clock = 3, .echo = 4};
  Bytes longer = HeartbeatMsg(hb);
  longer.push_back(0);
  SetLen(longer, uint16_t(longer.size()));
  EXPECT_EQ(Parse(longer), -EBADMSG);

  Bytes shorter = HeartbeatMsg(hb);
  shorter.pop_back();
  SetLen(shorter, uint16_t(shorter.size()));
  EXPECT_EQ(Parse(shorter), -EBADMSG);

  Bytes flags = HeartbeatMsg(hb);
  flags[STTCP_WIRE_HDR_LEN + 5] = 0x80;
  EXPECT_EQ(Parse(flags), -EBADMSG);

  const Bytes ok = HeartbeatMsg(hb);
  sttcp_msg m;
  for (size_t avail = 0; avail < ok.size(); ++avail)
    EXPECT_EQ(Parse(ok, avail, ok.size(), &m), -EBADMSG) << avail;
}

// ---- embedded packet rejections -----------------------------------------

struct BadPacket {
  const char* name;
  PacketSpec spec;
};

class WireBadPacket : public ::testing::TestWithParam<BadPacket> {};

TEST_P(WireBadPacket, RejectedInMirrorAndSyn) {
  PacketSpec s = GetParam().spec;
  EXPECT_EQ(Parse(Mirror(MakePacket(s))), -EBADMSG) << GetParam().name;
  s.flags = kSyn;
  EXPECT_EQ(Parse(Syn(MakePacket(s))), -EBADMSG) << GetParam().name << " (SYN)";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WireBadPacket,
    ::testing::Values(BadPacket{"IP version 6", {.version = 6, .payload = 10}},
                      BadPacket{"IP version 0", {.version = 0}},
                      BadPacket{"ihl 0", {.ihl_field = 0, .payload = 10}},
                      BadPacket{"ihl 4", {.ihl_field = 4, .payload = 10}},
                      BadPacket{"ihl 15 beyond the packet", {.ihl_field = 15, .payload = 0}},
                      BadPacket{"tot_len short by 1", {.tot_len_adjust = -1, .payload = 10}},
                      BadPacket{"tot_len long by 1", {.tot_len_adjust = 1, .payload = 10}},
                      BadPacket{"tot_len 0", {.tot_len_adjust = -40}},
                      BadPacket{"UDP", {.protocol = IPPROTO_UDP, .payload = 10}},
                      BadPacket{"ICMP", {.protocol = 1}},
                      BadPacket{"more fragments", {.frag_off = 0x2000, .payload = 10}},
                      BadPacket{"fragment offset 1", {.frag_off = 0x0001, .payload = 10}},
                      BadPacket{"last fragment", {.frag_off = 0x1fff, .payload = 10}},
                      BadPacket{"DF + fragment offset", {.frag_off = 0x4001}},
                      BadPacket{"doff 0", {.doff = 0, .payload = 10}},
                      BadPacket{"doff 4", {.doff = 4, .payload = 10}},
                      BadPacket{"doff beyond the packet", {.doff = 6}},
                      BadPacket{"doff 15, 40 bytes", {.doff = 15, .payload = 20}}),
    [](const auto& info) { return "Case" + std::to_string(info.index); });

TEST(WirePacket, DoffBeyondThePacketByOneWordIsRejectedExactlyAtTheEdge) {
  // 20 bytes of options present: doff 10 fits, doff 11 does not.
  EXPECT_EQ(Parse(Mirror(MakePacket({.doff = 10, .payload = 20}))), 0);
  EXPECT_EQ(Parse(Mirror(MakePacket({.doff = 11, .payload = 20}))), -EBADMSG);
  EXPECT_EQ(Parse(Mirror(MakePacket({.doff = 5, .payload = 0}))), 0);
}

TEST(WirePacket, TooShortForHeadersIsRejected) {
  for (size_t len = 0; len < 40; ++len) {
    Bytes pkt = MakePacket({});
    pkt.resize(len);
    if (len >= 4) Put16(&pkt[2], uint16_t(len));
    EXPECT_EQ(Parse(Mirror(pkt)), -EBADMSG) << len;
  }
}

TEST(WireSyn, PacketMustBeAPureSyn) {
  for (uint8_t flags : {uint8_t(kSyn | kAck), uint8_t(kAck), uint8_t(0), uint8_t(kSyn | kRst),
                        uint8_t(kSyn | kFin), uint8_t(kRst)}) {
    EXPECT_EQ(Parse(Syn(MakePacket({.flags = flags, .opts = kSynOpts}))), -EBADMSG)
        << "flags " << int(flags);
  }
  // Other bits do not matter: SYN+ECE+CWR (ECN setup), SYN+PSH.
  EXPECT_EQ(Parse(Syn(MakePacket({.flags = kSyn | kEce | 0x80, .opts = kSynOpts}))), 0);
  EXPECT_EQ(Parse(Syn(MakePacket({.flags = kSyn | kPsh}))), 0);
}

TEST(WireSyn, FactsMustBeComplete) {
  for (size_t body = 0; body < STTCP_WIRE_SYN_FACTS_LEN + 20; ++body) {
    Bytes msg = Syn(MakePacket({.flags = kSyn}));
    msg.resize(STTCP_WIRE_HDR_LEN + body);
    SetLen(msg, uint16_t(msg.size()));
    EXPECT_EQ(Parse(msg), -EBADMSG) << body;
  }
}

// ---- garbage ------------------------------------------------------------

// Checks what a successful parse promises: everything it describes lies
// within the message, and the headers within what was readable.
void CheckAccepted(const uint8_t* buf, size_t avail, size_t total, const sttcp_msg& m) {
  ASSERT_EQ(buf[0], STTCP_WIRE_VERSION);
  ASSERT_EQ(m.len, total);
  ASSERT_LE(total, size_t(STTCP_WIRE_MAX_LEN));
  switch (m.type) {
    case STTCP_MSG_MIRROR:
    case STTCP_MSG_SYN:
      ASSERT_EQ(m.pkt_off + m.pkt_len, total);
      ASSERT_GE(m.pkt_ihl, 20u);
      ASSERT_GE(m.pkt_thl, 20u);
      ASSERT_LE(m.pkt_ihl + m.pkt_thl, m.pkt_len);
      ASSERT_LE(m.pkt_off + m.pkt_ihl + m.pkt_thl, std::min(avail, total));
      break;
    case STTCP_MSG_REPORT: {
      ASSERT_GE(m.n_reports, 1u);
      ASSERT_LE(m.n_reports, uint32_t(STTCP_WIRE_MAX_REPORTS));
      ASSERT_EQ(m.reports_off + m.n_reports * STTCP_WIRE_REPORT_LEN, total);
      ASSERT_LE(total, avail);
      for (uint32_t i = 0; i < m.n_reports; ++i) {
        sttcp_report r;
        sttcp_wire_get_report(buf, &m, i, &r);  // in bounds, or ASan aborts
      }
      break;
    }
    case STTCP_MSG_HEARTBEAT:
      ASSERT_EQ(total, size_t(STTCP_WIRE_HDR_LEN + STTCP_WIRE_HB_LEN));
      ASSERT_LE(total, avail);
      break;
    default:
      FAIL() << "accepted type " << int(m.type);
  }
}

// One random case: `avail` readable bytes (a heap block of exactly that
// size), claimed total from the avail, a bit more, or anything.
void ParseRandom(std::mt19937& rng, const uint8_t* data, size_t avail) {
  size_t total = avail;
  switch (rng() % 4) {
    case 0:
      total = avail + rng() % 64;
      break;
    case 1:
      total = rng() % 70000;
      break;
    default:
      break;
  }
  std::unique_ptr<uint8_t[]> block(new uint8_t[avail ? avail : 1]);
  if (avail) std::memcpy(block.get(), data, avail);
  sttcp_msg m;
  const int err = sttcp_wire_parse(block.get(), uint32_t(avail), uint32_t(total), &m);
  if (err == 0) {
    CheckAccepted(block.get(), avail, total, m);
  } else {
    ASSERT_TRUE(err == -EBADMSG || err == -EPROTONOSUPPORT) << err;
  }
}

TEST(WireGarbage, RandomBuffersNeverCrash) {
  std::mt19937 rng(20260101);
  Bytes data(4096);
  for (int round = 0; round < 100000; ++round) {
    const size_t len = rng() % 8 == 0 ? rng() % 4096 : rng() % 128;
    for (size_t i = 0; i < len; ++i)
      data[i] = uint8_t(rng());
    // Make the header plausible half of the time so the bodies get parsed.
    if (len >= 4 && rng() % 2) {
      data[0] = STTCP_WIRE_VERSION;
      data[1] = uint8_t(1 + rng() % 3);
      Put16(&data[2], uint16_t(len));
    }
    ParseRandom(rng, data.data(), len);
    if (HasFatalFailure()) FAIL() << "round " << round;
  }
}

// Valid messages with a few random bytes changed or the tail cut off: far
// more of them get deep into the parser than pure noise does.
TEST(WireGarbage, MutatedValidMessagesNeverCrash) {
  std::mt19937 rng(7);
  const auto valid = ValidMessages();
  int accepted = 0;
  for (int round = 0; round < 100000; ++round) {
    Bytes msg = valid[rng() % valid.size()].second;
    const int flips = 1 + int(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      // Bias towards the headers, where the parser looks.
      const size_t at = rng() % 2 ? rng() % std::min<size_t>(msg.size(), 64) : rng() % msg.size();
      msg[at] = rng() % 2 ? uint8_t(rng()) : uint8_t(msg[at] ^ (1u << (rng() % 8)));
    }
    if (rng() % 4 == 0) msg.resize(rng() % (msg.size() + 1));
    const size_t avail = rng() % 3 == 0 ? rng() % (msg.size() + 1) : msg.size();
    sttcp_msg m;
    if (Parse(msg, avail, avail, &m) == 0) ++accepted;
    ParseRandom(rng, msg.data(), avail);
    if (HasFatalFailure()) FAIL() << "round " << round;
  }
  // Some mutations (payload bytes, counter) keep a message valid.
  EXPECT_GT(accepted, 0);
}

// ---- settings -----------------------------------------------------------------

Bytes SettingsMsg(const std::string& blob, uint32_t counter = 12) {
  Bytes m(STTCP_WIRE_HDR_LEN + STTCP_WIRE_SETTINGS_HDR_LEN + blob.size(), 0xaa);
  PutHdr(m.data(), STTCP_MSG_SETTINGS, uint16_t(m.size()), counter);
  sttcp_wire_put_settings(&m[STTCP_WIRE_HDR_LEN], reinterpret_cast<const uint8_t*>(blob.data()),
                          uint16_t(blob.size()));
  return m;
}

TEST(WireSettings, RoundTripIncludingEmptyAndMaximal) {
  for (const std::string& blob :
       {std::string(), std::string("tcp_sack=1\n"), std::string(STTCP_WIRE_SETTINGS_MAX, 'x')}) {
    const Bytes msg = SettingsMsg(blob, 5);
    sttcp_msg m;
    ASSERT_EQ(Parse(msg, &m), 0) << blob.size();
    EXPECT_EQ(m.type, STTCP_MSG_SETTINGS);
    EXPECT_EQ(m.env.counter, 5u);
    ASSERT_EQ(m.settings_len, blob.size());
    EXPECT_EQ(m.settings_off, uint32_t(STTCP_WIRE_HDR_LEN + STTCP_WIRE_SETTINGS_HDR_LEN));
    EXPECT_EQ(std::string(msg.begin() + m.settings_off, msg.end()), blob);
  }
}

TEST(WireSettings, BadLengthsReservedBytesAndTruncationAreRejected) {
  EXPECT_EQ(Parse(SettingsMsg(std::string(STTCP_WIRE_SETTINGS_MAX + 1, 'x'))), -EBADMSG);
  Bytes inner_long = SettingsMsg("abc");
  inner_long[STTCP_WIRE_HDR_LEN + 1] = 4;  // says 4, carries 3
  EXPECT_EQ(Parse(inner_long), -EBADMSG);
  Bytes inner_short = SettingsMsg("abc");
  inner_short[STTCP_WIRE_HDR_LEN + 1] = 2;
  EXPECT_EQ(Parse(inner_short), -EBADMSG);
  Bytes reserved = SettingsMsg("abc");
  reserved[STTCP_WIRE_HDR_LEN + 3] = 1;
  EXPECT_EQ(Parse(reserved), -EBADMSG);
  Bytes no_body(STTCP_WIRE_HDR_LEN + 2, 0);
  PutHdr(no_body.data(), STTCP_MSG_SETTINGS, uint16_t(no_body.size()), 1);
  EXPECT_EQ(Parse(no_body), -EBADMSG);
  // Read whole: any byte missing is a reject.
  const Bytes ok = SettingsMsg("tcp_sack=1");
  sttcp_msg m;
  for (size_t avail = 0; avail < ok.size(); ++avail)
    EXPECT_EQ(Parse(ok, avail, ok.size(), &m), -EBADMSG) << avail;
}

// ---- DIGEST ---------------------------------------------------------------

Bytes DigestMsg(const sttcp_dg_block& b, uint8_t flags = 0, uint32_t counter = 13) {
  Bytes m(STTCP_WIRE_HDR_LEN + STTCP_WIRE_DIGEST_LEN, 0xaa);
  PutHdr(m.data(), STTCP_MSG_DIGEST, uint16_t(m.size()), counter);
  const sttcp_report r = Report(5);
  sttcp_wire_put_digest(&m[STTCP_WIRE_HDR_LEN], &r.key, &b, flags);
  return m;
}

TEST(WireDigest, LayoutAndRoundTripAcrossTheSequenceWrap) {
  // A block straddling 2^32: end < start as numbers, 65536 apart mod 2^32.
  const sttcp_dg_block b = {0xffff8000u, 0x00008000u, 0xdeadbeefu};
  const Bytes msg = DigestMsg(b);
  const uint8_t want[STTCP_WIRE_DIGEST_LEN] = {
      10,   0,    0,    5,    198,  51,   100,  7,    0x75, 0x35, 0x01, 0xbb,  // key: 30005, 443
      0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0xde, 0xad, 0xbe, 0xef,  // start end digest
      0,    0,    0,    0};                                                    // flags, reserved
  EXPECT_EQ(0, std::memcmp(&msg[STTCP_WIRE_HDR_LEN], want, sizeof(want)));
  sttcp_msg m;
  ASSERT_EQ(Parse(msg, &m), 0);
  EXPECT_EQ(m.type, STTCP_MSG_DIGEST);
  EXPECT_EQ(m.dg.start, b.start);
  EXPECT_EQ(m.dg.end, b.end);
  EXPECT_EQ(m.dg.digest, b.digest);
  EXPECT_EQ(m.key.caddr, Report(5).key.caddr);
  EXPECT_EQ(m.key.cport, Report(5).key.cport);
  EXPECT_EQ(m.key.vport, Report(5).key.vport);
  EXPECT_EQ(m.dg_flags, 0);
  // An empty block (a stream ending on a block boundary) is valid too.
  EXPECT_EQ(Parse(DigestMsg({100, 100, 1})), 0);
  ASSERT_EQ(Parse(DigestMsg({100, 150, 1}, STTCP_DIGEST_CHECKPOINT), &m), 0);
  EXPECT_EQ(m.dg_flags, STTCP_DIGEST_CHECKPOINT);
}

TEST(WireDigest, AReleaseCarriesNoBlockAndIsNothingElse) {
  sttcp_msg m;
  ASSERT_EQ(Parse(DigestMsg({0, 0, 0}, STTCP_DIGEST_RELEASE), &m), 0);
  EXPECT_EQ(m.dg_flags, STTCP_DIGEST_RELEASE);
  EXPECT_EQ(m.key.caddr, Report(5).key.caddr);
  EXPECT_EQ(m.key.cport, Report(5).key.cport);
  EXPECT_EQ(Parse(DigestMsg({0, 0, 0}, STTCP_DIGEST_RELEASE | STTCP_DIGEST_CHECKPOINT)), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({1, 1, 0}, STTCP_DIGEST_RELEASE)), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({0, 10, 0}, STTCP_DIGEST_RELEASE)), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({0, 0, 7}, STTCP_DIGEST_RELEASE)), -EBADMSG);
}

TEST(WireDigest, ACloseCarriesNoBlockAndIsNothingElse) {
  sttcp_msg m;
  ASSERT_EQ(Parse(DigestMsg({0, 0, 0}, STTCP_DIGEST_CLOSED), &m), 0);
  EXPECT_EQ(m.dg_flags, STTCP_DIGEST_CLOSED);
  EXPECT_EQ(Parse(DigestMsg({0, 0, 0}, STTCP_DIGEST_CLOSED | STTCP_DIGEST_RELEASE)), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({0, 0, 0}, STTCP_DIGEST_CLOSED | STTCP_DIGEST_CHECKPOINT)), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({1, 1, 0}, STTCP_DIGEST_CLOSED)), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({0, 0, 7}, STTCP_DIGEST_CLOSED)), -EBADMSG);
}

TEST(WireDigest, OversizedBlocksWrongLengthsAndTruncationAreRejected) {
  EXPECT_EQ(Parse(DigestMsg({0, STTCP_DG_BLOCK + 1, 1})), -EBADMSG);
  EXPECT_EQ(Parse(DigestMsg({100, 99, 1})), -EBADMSG);      // end before start
  EXPECT_EQ(Parse(DigestMsg({0, 10, 1}, 0x08)), -EBADMSG);  // unknown flag
  Bytes reserved = DigestMsg({0, 10, 1});
  reserved[STTCP_WIRE_HDR_LEN + 27] = 1;
  EXPECT_EQ(Parse(reserved), -EBADMSG);
  Bytes longer = DigestMsg({0, 10, 1});
  longer.push_back(0);
  SetLen(longer, uint16_t(longer.size()));
  EXPECT_EQ(Parse(longer), -EBADMSG);
  Bytes shorter = DigestMsg({0, 10, 1});
  shorter.pop_back();
  SetLen(shorter, uint16_t(shorter.size()));
  EXPECT_EQ(Parse(shorter), -EBADMSG);
  const Bytes ok = DigestMsg({0, 10, 1});
  sttcp_msg m;
  for (size_t avail = 0; avail < ok.size(); ++avail)
    EXPECT_EQ(Parse(ok, avail, ok.size(), &m), -EBADMSG) << avail;
}

}  // namespace
