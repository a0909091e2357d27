// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Extended ACK parsing. The kernel module explains every rejected request in
// an NLMSGERR_ATTR_MSG string; libnl 3.7 neither requests nor parses it, so
// we read the TLVs that follow struct nlmsgerr ourselves.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <string>

namespace sttcp {

struct ExtAck {
  std::string message;                  // NLMSGERR_ATTR_MSG, "" if absent
  std::optional<std::uint32_t> offset;  // NLMSGERR_ATTR_OFFS: offending byte
};

// `hdr` is a whole NLMSG_ERROR message; its nlmsg_len bounds every read.
ExtAck parseErrorExtAck(const nlmsghdr* hdr);

// `hdr` is an NLMSG_DONE ending a dump; the kernel puts the dump's error
// (an int) and then the same TLVs in it.
ExtAck parseDoneExtAck(const nlmsghdr* hdr);

}  // namespace sttcp
