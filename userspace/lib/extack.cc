// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "extack.h"

#include <cstring>

namespace sttcp {
namespace {

// Walks the TLVs in [payload + offset, end of message). Offsets come from the
// message itself, so every step is checked against nlmsg_len.
ExtAck parseTlvs(const nlmsghdr* hdr, std::size_t offset) {
  ExtAck ack;
  if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) || hdr->nlmsg_len < NLMSG_HDRLEN) {
    return ack;
  }
  const auto* base = reinterpret_cast<const unsigned char*>(hdr);
  std::size_t pos = NLMSG_HDRLEN + NLMSG_ALIGN(offset);
  const std::size_t end = hdr->nlmsg_len;
  while (pos + NLA_HDRLEN <= end) {
    nlattr attr;
    std::memcpy(&attr, base + pos, sizeof(attr));
    if (attr.nla_len < NLA_HDRLEN || pos + attr.nla_len > end) {
      break;  // malformed: keep what we have rather than read past the end
    }
    const unsigned char* data = base + pos + NLA_HDRLEN;
    const std::size_t len = attr.nla_len - NLA_HDRLEN;
    switch (attr.nla_type & NLA_TYPE_MASK) {
      case NLMSGERR_ATTR_MSG:
        // NUL-terminated on the wire, but never trust that.
        ack.message.assign(reinterpret_cast<const char*>(data),
                           strnlen(reinterpret_cast<const char*>(data), len));
        break;
      case NLMSGERR_ATTR_OFFS:
        if (len >= sizeof(std::uint32_t)) {
          std::uint32_t off;
          std::memcpy(&off, data, sizeof(off));
          ack.offset = off;
        }
        break;
      default:
        break;
    }
    pos += NLA_ALIGN(attr.nla_len);
  }
  return ack;
}

}  // namespace

ExtAck parseErrorExtAck(const nlmsghdr* hdr) {
  if (hdr->nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr)) {
    return {};
  }
  nlmsgerr err;
  std::memcpy(&err, reinterpret_cast<const unsigned char*>(hdr) + NLMSG_HDRLEN, sizeof(err));
  // Without NLM_F_CAPPED the kernel echoes the whole request after the
  // nlmsgerr; the TLVs start after that echo.
  std::size_t offset = sizeof(nlmsgerr);
  if (!(hdr->nlmsg_flags & NLM_F_CAPPED) && err.msg.nlmsg_len > NLMSG_HDRLEN) {
    offset += err.msg.nlmsg_len - NLMSG_HDRLEN;
  }
  return parseTlvs(hdr, offset);
}

ExtAck parseDoneExtAck(const nlmsghdr* hdr) {
  return parseTlvs(hdr, sizeof(int));
}

}  // namespace sttcp
