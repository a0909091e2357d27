// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "extack.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace sttcp {
namespace {

// Builds netlink messages byte by byte, the way the kernel lays them out.
class MsgBuilder {
 public:
  template <typename T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&value);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  void putBytes(std::size_t n, std::uint8_t fill) { bytes_.insert(bytes_.end(), n, fill); }
  void align() { bytes_.resize(NLMSG_ALIGN(bytes_.size()), 0); }
  void attr(std::uint16_t type, const void* data, std::size_t len) {
    nlattr a{static_cast<std::uint16_t>(NLA_HDRLEN + len), type};
    put(a);
    const auto* p = static_cast<const std::uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + len);
    align();
  }
  void attrString(std::uint16_t type, const char* s) { attr(type, s, std::strlen(s) + 1); }
  // Fixes up the header; call last.
  const nlmsghdr* finish(std::uint16_t type, std::uint16_t flags) {
    auto* hdr = reinterpret_cast<nlmsghdr*>(bytes_.data());
    hdr->nlmsg_len = static_cast<std::uint32_t>(bytes_.size());
    hdr->nlmsg_type = type;
    hdr->nlmsg_flags = flags;
    return hdr;
  }
  void startHeader() { put(nlmsghdr{}); }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

nlmsgerr makeErr(int error, std::uint32_t orig_len) {
  nlmsgerr e{};
  e.error = -error;
  e.msg.nlmsg_len = orig_len;
  e.msg.nlmsg_type = 0x1c;
  return e;
}

TEST(ExtAck, CappedErrorWithMessageAndOffset) {
  MsgBuilder b;
  b.startHeader();
  b.put(makeErr(EINVAL, 40));  // capped: original payload not echoed
  b.attrString(NLMSGERR_ATTR_MSG, "vip must be a unicast address");
  std::uint32_t off = 24;
  b.attr(NLMSGERR_ATTR_OFFS, &off, sizeof(off));
  ExtAck ack = parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS));
  EXPECT_EQ(ack.message, "vip must be a unicast address");
  EXPECT_EQ(ack.offset, 24u);
}

TEST(ExtAck, UncappedErrorSkipsTheEchoedRequest) {
  MsgBuilder b;
  b.startHeader();
  b.put(makeErr(EINVAL, NLMSG_HDRLEN + 10));  // 10 payload bytes, padded to 12
  b.putBytes(10, 0xaa);
  b.align();
  b.attrString(NLMSGERR_ATTR_MSG, "unknown attribute");
  ExtAck ack = parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_ACK_TLVS));
  EXPECT_EQ(ack.message, "unknown attribute");
  EXPECT_FALSE(ack.offset);
}

TEST(ExtAck, NoTlvFlagMeansNoMessage) {
  MsgBuilder b;
  b.startHeader();
  b.put(makeErr(EPERM, 20));
  b.attrString(NLMSGERR_ATTR_MSG, "ignored without NLM_F_ACK_TLVS");
  EXPECT_EQ(parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_CAPPED)).message, "");
}

TEST(ExtAck, MessageWithoutNulIsBoundedByTheAttribute) {
  MsgBuilder b;
  b.startHeader();
  b.put(makeErr(EINVAL, 20));
  b.attr(NLMSGERR_ATTR_MSG, "abcd", 4);
  EXPECT_EQ(parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS)).message, "abcd");
}

TEST(ExtAck, OverlongAttributeIsIgnored) {
  MsgBuilder b;
  b.startHeader();
  b.put(makeErr(EINVAL, 20));
  b.attrString(NLMSGERR_ATTR_MSG, "first");
  b.put(nlattr{200, NLMSGERR_ATTR_OFFS});  // claims more than the message holds
  b.putBytes(4, 0);
  ExtAck ack = parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS));
  EXPECT_EQ(ack.message, "first");
  EXPECT_FALSE(ack.offset);
}

TEST(ExtAck, UncappedEchoLongerThanTheMessageYieldsNothing) {
  MsgBuilder b;
  b.startHeader();
  b.put(makeErr(EINVAL, 4096));  // lies about the echoed request's size
  b.attrString(NLMSGERR_ATTR_MSG, "unreachable");
  EXPECT_EQ(parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_ACK_TLVS)).message, "");
}

TEST(ExtAck, TruncatedErrorMessage) {
  MsgBuilder b;
  b.startHeader();
  b.putBytes(4, 0);  // shorter than struct nlmsgerr
  EXPECT_EQ(parseErrorExtAck(b.finish(NLMSG_ERROR, NLM_F_ACK_TLVS)).message, "");
}

TEST(ExtAck, DoneOfAFailedDump) {
  MsgBuilder b;
  b.startHeader();
  b.put(-EMSGSIZE);
  b.attrString(NLMSGERR_ATTR_MSG, "flow table changed during dump");
  EXPECT_EQ(parseDoneExtAck(b.finish(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS)).message,
            "flow table changed during dump");
}

}  // namespace
}  // namespace sttcp
