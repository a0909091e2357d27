// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Owning handles for libnl-route objects (kept apart from nl_raii.h so that
// only the daemon depends on libnl-route).
#pragma once

#include <netlink/addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include <memory>

namespace sttcp::nl {

struct AddrDeleter {
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
struct RtnlAddrDeleter {
  void operator()(rtnl_addr* addr) const { rtnl_addr_put(addr); }
};
struct RtnlLinkDeleter {
  void operator()(rtnl_link* link) const { rtnl_link_put(link); }
};

using AddrPtr = std::unique_ptr<nl_addr, AddrDeleter>;
using RtnlAddrPtr = std::unique_ptr<rtnl_addr, RtnlAddrDeleter>;
using RtnlLinkPtr = std::unique_ptr<rtnl_link, RtnlLinkDeleter>;

}  // namespace sttcp::nl
