// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The event subscription: a libnl socket of its own (multicast messages
// carry no sequence number, so they cannot share the request socket), joined
// to one multicast group of a generic netlink family, non-blocking, for a
// poll()/epoll loop.
#pragma once

#include <linux/sttcp.h>

#include <memory>

#include "netlink_client.h"
#include "nl_raii.h"

namespace sttcp {

class EventSocket : public EventSource {
 public:
  // Joins `group` of `family` in the caller's current network namespace.
  // Throws NetlinkError: the module-not-loaded text when the family is the
  // sttcp one and is missing. Other families exist for tests (nlctrl).
  static std::unique_ptr<EventSocket> open(const char* family = STTCP_GENL_NAME,
                                           const char* group = STTCP_GENL_MCGRP_EVENTS);

  int fd() const override;
  // Reads every pending message without blocking. STTCP_CMD_EVENT messages
  // of the family become Events; other messages are ignored. Throws
  // NetlinkError when the socket fails.
  EventBatch receive() override;

  // Only open() can make the key, so only open() constructs (via make_unique).
  class Key {
    friend class EventSocket;
    Key() = default;
  };
  EventSocket(Key, nl::SockPtr sock, int family) : sock_(std::move(sock)), family_(family) {}

 private:
  nl::SockPtr sock_;
  int family_;
};

}  // namespace sttcp
