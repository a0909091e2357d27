// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// A NetlinkClient that records calls, and an EventSource fed by the test
// (pollable: an eventfd is readable while events are pending).
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netlink_client.h"
#include "unique_fd.h"

namespace sttcp::testing {

class FakeEventQueue {
 public:
  FakeEventQueue() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

  void push(Event event) {
    pending_.push_back(std::move(event));
    signal();
  }
  void overrun() {
    overrun_ = true;
    signal();
  }
  // Messages that failed to parse, as EventSocket counts them.
  void malformed(std::size_t count) {
    malformed_ += count;
    signal();
  }

  int fd() const { return fd_.get(); }
  EventBatch take() {
    std::uint64_t n;
    [[maybe_unused]] ssize_t r = ::read(fd_.get(), &n, sizeof(n));
    EventBatch batch;
    batch.events.swap(pending_);
    batch.overrun = overrun_;
    batch.malformed = malformed_;
    overrun_ = false;
    malformed_ = 0;
    return batch;
  }

 private:
  void signal() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t r = ::write(fd_.get(), &one, sizeof(one));
  }

  UniqueFd fd_;
  std::vector<Event> pending_;
  bool overrun_ = false;
  std::size_t malformed_ = 0;
};

class FakeEventSource : public EventSource {
 public:
  explicit FakeEventSource(std::shared_ptr<FakeEventQueue> queue) : queue_(std::move(queue)) {}
  int fd() const override { return queue_->fd(); }
  EventBatch receive() override { return queue_->take(); }

 private:
  std::shared_ptr<FakeEventQueue> queue_;
};

struct FakeState {
  std::vector<std::string> calls;
  std::optional<Config> set_config;
  ConfigState config;
  Stats stats;
  std::vector<Flow> flows;
  Status status;
  std::shared_ptr<FakeEventQueue> events = std::make_shared<FakeEventQueue>();
  // Events the "kernel" sends in reply to switchover() / takeover(), and a
  // hook run by subscribe().
  std::vector<Event> on_switchover;
  std::vector<Event> on_takeover;
  std::function<void()> on_subscribe;
  std::optional<NetlinkError> fail;                // thrown by every call when set
  std::map<std::string, NetlinkError> fail_calls;  // thrown by the named call only
  // The status returned after the n-th getStatus() call (0-based), if set.
  std::vector<Status> status_sequence;
};

class FakeClient : public NetlinkClient {
 public:
  explicit FakeClient(FakeState& state) : s_(state) {}
  void setConfig(const Config& config) override {
    record("setConfig");
    s_.set_config = config;
  }
  void updateConfig(const Config& config) override {
    record("updateConfig");
    s_.set_config = config;
  }
  void delConfig() override { record("delConfig"); }
  ConfigState getConfig() override {
    record("getConfig");
    return s_.config;
  }
  Stats getStats() override {
    record("getStats");
    return s_.stats;
  }
  void resetStats() override { record("resetStats"); }
  std::vector<Flow> dumpFlows() override {
    record("dumpFlows");
    return s_.flows;
  }
  Status getStatus() override {
    record("getStatus");
    if (status_calls_ < s_.status_sequence.size()) return s_.status_sequence[status_calls_++];
    return s_.status;
  }
  void switchover() override {
    record("switchover");
    for (const Event& e : s_.on_switchover)
      s_.events->push(e);
  }
  void takeover() override {
    record("takeover");
    for (const Event& e : s_.on_takeover)
      s_.events->push(e);
  }
  void vipAnnounced() override { record("vipAnnounced"); }
  std::unique_ptr<EventSource> subscribe() override {
    record("subscribe");
    if (s_.on_subscribe) s_.on_subscribe();
    return std::make_unique<FakeEventSource>(s_.events);
  }

 private:
  void record(const char* call) {
    s_.calls.push_back(call);
    if (s_.fail) throw *s_.fail;
    if (auto it = s_.fail_calls.find(call); it != s_.fail_calls.end()) throw it->second;
  }
  FakeState& s_;
  std::size_t status_calls_ = 0;
};

inline Event stateEvent(NodeState state, std::uint32_t epoch) {
  Event e;
  e.type = EventType::kState;
  e.state = state;
  e.epoch = epoch;
  e.vip = Ipv4{0x0a000064};  // 10.0.0.100
  return e;
}

}  // namespace sttcp::testing
