// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// A generic netlink socket that sends one request at a time and collects its
// replies, family-agnostic so that it can be tested against families every
// kernel has (nlctrl). Extended ACKs are on, and kernel rejections become
// NetlinkError carrying the kernel's explanation.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "netlink_client.h"
#include "nl_raii.h"

namespace sttcp {

class GenlSocket {
 public:
  using Fill = std::function<void(nl_msg*)>;
  using OnReply = std::function<void(nlmsghdr*)>;

  // Opens a socket in the caller's current network namespace. Throws
  // NetlinkError.
  static GenlSocket open();

  // The id of a generic netlink family, or nullopt if the kernel has none
  // by that name. Throws NetlinkError on other failures.
  std::optional<int> resolve(const char* name);

  // Sends one request (`fill` adds its attributes; may be empty), hands
  // every reply message to `on_reply` and returns once the kernel acked
  // (doit) or ended the dump (flags has NLM_F_DUMP). Throws NetlinkError
  // naming `what`; exceptions from `on_reply` are rethrown after the
  // exchange completed, so the socket stays usable.
  void request(int family, std::uint8_t cmd, std::uint8_t version, int flags, const char* what,
               const Fill& fill, const OnReply& on_reply);

 private:
  explicit GenlSocket(nl::SockPtr sock) : sock_(std::move(sock)) {}

  nl::SockPtr sock_;
};

}  // namespace sttcp
