// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The controller's only way to the sttcp module. The logic of sttcpctl
// (cli.cc) and of sttcpd (the Controller) depends on this interface, not on
// libnl, so that their tests inject a fake (tests/unit/fake_netlink.h).
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "model.h"

namespace sttcp {

// A failed kernel request. `message` is complete and user-facing (it carries
// the kernel's extack text and a hint); `error` is the positive errno, or 0
// when the failure did not come with one.
class NetlinkError : public std::runtime_error {
 public:
  NetlinkError(const std::string& message, int error)
      : std::runtime_error(message), error_(error) {}
  int error() const { return error_; }

 private:
  int error_;
};

// What one EventSource::receive() found.
struct EventBatch {
  std::vector<Event> events;  // in the order the kernel sent them
  // The kernel dropped events (receive buffer overrun): the state must be
  // read again with getStatus().
  bool overrun = false;
  std::size_t malformed = 0;  // messages that failed to parse (skipped)
};

// A subscription to the "events" multicast group: poll() fd() for POLLIN,
// then receive() everything pending without blocking.
class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual int fd() const = 0;
  virtual EventBatch receive() = 0;
};

class NetlinkClient {
 public:
  virtual ~NetlinkClient() = default;

  virtual void setConfig(const Config& config) = 0;
  // SET_CONFIG with STTCP_A_UPDATE: only the heartbeat timers and the node
  // settings may differ from the running configuration; flows are kept.
  virtual void updateConfig(const Config& config) = 0;
  virtual void delConfig() = 0;
  virtual ConfigState getConfig() = 0;
  virtual Stats getStats() = 0;
  virtual void resetStats() = 0;
  virtual std::vector<Flow> dumpFlows() = 0;
  virtual Status getStatus() = 0;
  // Asks the primary to hand over to its backup; returns once the kernel
  // accepted the request. The outcome arrives as events (STATE BACKUP, or
  // SWITCHOVER_FAILED).
  virtual void switchover() = 0;
  // Makes the backup primary now.
  virtual void takeover() = 0;
  // Tells the kernel the VIP is owned and announced (gratuitous ARP sent):
  // it prods the taken-over connections again, now that clients reach us.
  virtual void vipAnnounced() = 0;
  // Joins the event group, in the network namespace of the client. Events
  // sent before this call are not seen: subscribe first, then act or read
  // the status.
  virtual std::unique_ptr<EventSource> subscribe() = 0;
};

}  // namespace sttcp
