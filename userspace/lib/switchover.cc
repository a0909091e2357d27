// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "switchover.h"

#include <poll.h>

#include <cerrno>
#include <system_error>

namespace sttcp {

SwitchoverOutcome runSwitchover(NetlinkClient& client, EventSource& events,
                                std::chrono::milliseconds timeout,
                                const std::function<void(const Event&)>& on_event) {
  using Clock = std::chrono::steady_clock;
  client.switchover();
  const auto deadline = Clock::now() + timeout;
  while (true) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{events.fd(), POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "poll");
    if (ready <= 0) continue;
    EventBatch batch = events.receive();
    for (const Event& e : batch.events) {
      if (on_event) on_event(e);
      if (e.type == EventType::kState && e.state == NodeState::kBackup) {
        return {true, e.epoch.value_or(0), {}};
      }
      if (e.type == EventType::kSwitchoverFailed) {
        std::string epoch = e.epoch ? " (epoch " + std::to_string(*e.epoch) + ")" : "";
        return {false, 0,
                "switchover failed: the backup did not take over in time; this node is active "
                "again" +
                    epoch};
      }
    }
    if (batch.overrun) {  // the outcome may have been dropped: ask
      Status status = client.getStatus();
      if (status.state == NodeState::kBackup) return {true, status.epoch, {}};
    }
  }
  Status status = client.getStatus();
  if (status.state == NodeState::kBackup) return {true, status.epoch, {}};
  return {false, 0,
          "switchover: no outcome within " + std::to_string(timeout.count()) +
              " ms (this node is " + nodeStateName(status.state) + ", epoch " +
              std::to_string(status.epoch) + ")"};
}

}  // namespace sttcp
