// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// libFuzzer target: userspace/lib/codec.cc parsing what the kernel sends
// (GET_CONFIG, GET_STATS, GET_FLOWS, GET_STATUS replies and events). The
// first input byte picks the parser; the rest is the attribute stream after
// the generic netlink header. Malformed input may only raise
// std::runtime_error.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sttcp.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 65536) return 0;
  const std::uint8_t which = data[0];
  const std::size_t attrs = size - 1;
  const std::size_t len = NLMSG_HDRLEN + GENL_HDRLEN + attrs;
  // Exactly the message: reads past it are ASan reports.
  std::vector<std::uint8_t> buf(len);
  auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data());
  nlh->nlmsg_len = static_cast<std::uint32_t>(len);
  nlh->nlmsg_type = 0x20;
  auto* genl = reinterpret_cast<genlmsghdr*>(buf.data() + NLMSG_HDRLEN);
  genl->cmd = which;
  genl->version = STTCP_GENL_VERSION;
  if (attrs) std::memcpy(buf.data() + NLMSG_HDRLEN + GENL_HDRLEN, data + 1, attrs);
  try {
    switch (which % 5) {
      case 0:
        (void)sttcp::codec::parseConfig(nlh);
        break;
      case 1:
        (void)sttcp::codec::parseStats(nlh);
        break;
      case 2:
        (void)sttcp::codec::parseFlow(nlh);
        break;
      case 3:
        (void)sttcp::codec::parseStatus(nlh);
        break;
      default:
        (void)sttcp::codec::parseEvent(nlh);
        break;
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
