// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd's event loop and main(): runDaemon() wires the real interfaces into
// a Controller (controller.h) and runs the single-threaded
// poll/signalfd/timerfd loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "controller.h"
#include "daemon_options.h"
#include "logger.h"
#include "notify.h"
#include "signals.h"
#include "unique_fd.h"

namespace sttcp {

class TimerFd : public Timer {
 public:
  TimerFd();  // CLOCK_MONOTONIC, non-blocking, close-on-exec. Throws.
  void start(std::chrono::milliseconds period) override;
  void stop() override;
  int fd() const { return fd_.get(); }
  // Expirations since the last call (0 if none).
  std::uint64_t readExpirations();

 private:
  UniqueFd fd_;
};

// Re-reads the options for SIGHUP; nullopt (after logging why) keeps the running ones.
using OptionsReloader = std::function<std::optional<DaemonOptions>()>;

// Runs until SIGTERM/SIGINT (returns 0 after Controller::leave()) or a
// fatal error (logged; shutdown, returns 1). SIGHUP hands the options that
// `reloader` re-reads to Controller::reload(); without a reloader (no
// configuration file) it is logged and ignored. SIGCHLD reaps children into
// `notify`. `signals` must be a signalfd for SIGTERM, SIGINT, SIGHUP and
// SIGCHLD.
int runEventLoop(Controller& controller, SignalFd& signals, TimerFd& garp_timer,
                 NotifyQueue* notify, Logger& log, const OptionsReloader& reloader = {});

// sttcpd's main(): `args` excludes the program name. Exit status 0 after
// SIGTERM/SIGINT (or --help, --version), 1 on errors, 2 on bad arguments.
int runDaemon(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sttcp
