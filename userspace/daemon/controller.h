// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd's reaction logic: the Controller turns the node state into the VIP,
// gratuitous ARPs and notify runs, behind injected interfaces so that it is
// tested without root. The event loop (daemon.h) feeds it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon_options.h"
#include "garp.h"
#include "logger.h"
#include "netlink_client.h"
#include "notify.h"
#include "settings.h"
#include "vip.h"

namespace sttcp {

// A periodic timer; the loop calls Controller::onGarpTimer() when it fires.
class Timer {
 public:
  virtual ~Timer() = default;
  // First expiry after `period`, then every `period`.
  virtual void start(std::chrono::milliseconds period) = 0;
  virtual void stop() = 0;
};

struct DaemonDeps {
  NetlinkClient& client;
  VipManager& vip;
  GarpSender& garp;
  Timer& garp_timer;
  Logger& log;
  NotifyQueue* notify = nullptr;        // no --notify: none
  ProcReader read_proc = readProcFile;  // sysctls and MTU for the node settings
  // Blocks the daemon for a while (tests record instead of sleeping).
  std::function<void(std::chrono::milliseconds)> pause = [](std::chrono::milliseconds d) {
    std::this_thread::sleep_for(d);
  };
};

class Controller {
 public:
  Controller(DaemonOptions options, DaemonDeps deps);

  // Prepares the node, sends SET_CONFIG, subscribes to events, then reads
  // GET_STATUS and acts on it (a state reached before the subscription is
  // not missed). Throws on failure; call shutdown() afterwards to undo.
  void start();
  // The subscription made by start().
  EventSource& events() { return *events_; }

  // The event socket is readable: handles every pending event, and reads the
  // status again if events were lost. Throws only if the socket fails.
  void onEventsReadable();
  void handleEvent(const Event& event);
  // Reads GET_STATUS and acts on its state; `why` starts the log line.
  void resync(const std::string& why);
  // The GARP timer fired.
  void onGarpTimer();
  // Removes the VIP from the interface and deletes the configuration (if
  // start() set it). Never throws; failures are logged.
  void shutdown(const std::string& why);
  // SIGTERM/SIGINT: with handover-on-exit, an active primary with a live
  // backup switches over first (bounded wait); then shutdown(). Never throws.
  void leave(const std::string& why);
  // SIGHUP with the re-read options: applies what can change in place
  // (timers, settings, hooks, GARP), or refuses the whole reload with a log
  // line when something would release the flows. Returns whether applied.
  bool reload(const DaemonOptions& next);
  // Compares this node's settings with the peer's (GET_STATUS) and logs
  // every difference, or that they agree. Returns the differences.
  std::vector<SettingMismatch> checkPeerSettings();
  std::vector<SettingMismatch> checkPeerSettings(const Status& status);
  const DaemonOptions& options() const { return options_; }

  // The last state acted on (nullopt before the first, or after a failure
  // to add the VIP, so that the next status read retries).
  std::optional<NodeState> state() const { return state_; }
  std::uint32_t garpsPending() const { return garp_remaining_; }

 private:
  void apply(NodeState state, std::uint32_t epoch, const std::string& source);
  void startGarp();
  void stopGarp();
  void announced();
  bool sendGarp();  // false if it failed (logged)
  void notify(const Event& event);
  std::string vipText() const;  // "VIP 10.0.0.100/32"
  Config serviceWithSettings(const DaemonOptions& options) const;
  bool tryHandover();

  DaemonOptions options_;
  DaemonDeps deps_;
  std::unique_ptr<EventSource> events_;
  bool configured_ = false;
  std::optional<NodeState> state_;
  std::uint32_t epoch_ = 0;
  std::uint32_t garp_remaining_ = 0;                 // still to send in the current burst
  std::uint32_t garp_sent_ = 0;                      // sent in the current burst
  std::optional<std::string> last_settings_report_;  // logged once per change
};

}  // namespace sttcp
