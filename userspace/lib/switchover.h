// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// A planned switchover, start to outcome: used by `sttcpctl switchover` and
// by sttcpd's --handover-on-exit.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "netlink_client.h"

namespace sttcp {

struct SwitchoverOutcome {
  bool done = false;        // this node is backup now
  std::uint32_t epoch = 0;  // when done
  std::string error;        // why not, when not done
};

// Sends SWITCHOVER (NetlinkError if the kernel refuses) and waits on
// `events` (subscribed before the call) until this node is backup,
// SWITCHOVER_FAILED, or `timeout`; lost events or the timeout are settled
// with GET_STATUS. Every event seen is also handed to `on_event`.
SwitchoverOutcome runSwitchover(NetlinkClient& client, EventSource& events,
                                std::chrono::milliseconds timeout,
                                const std::function<void(const Event&)>& on_event = {});

}  // namespace sttcp
