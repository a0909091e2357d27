// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Owning handles for libnl objects, so that no code path (including
// exceptions) leaks a socket, message or callback set.
#pragma once

#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <memory>

namespace sttcp::nl {

struct SockDeleter {
  void operator()(nl_sock* sock) const { nl_socket_free(sock); }
};
struct MsgDeleter {
  void operator()(nl_msg* msg) const { nlmsg_free(msg); }
};
struct CbDeleter {
  void operator()(nl_cb* cb) const { nl_cb_put(cb); }
};

using SockPtr = std::unique_ptr<nl_sock, SockDeleter>;
using MsgPtr = std::unique_ptr<nl_msg, MsgDeleter>;
using CbPtr = std::unique_ptr<nl_cb, CbDeleter>;

}  // namespace sttcp::nl
