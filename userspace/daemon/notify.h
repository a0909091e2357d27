// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The --notify hook: one run of the program per event, one at a time, in
// the order of the events, never waited for by the event loop (the loop
// reaps children on SIGCHLD and hands their exit to childExited()).
#pragma once

#include <sys/types.h>

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "logger.h"

namespace sttcp {

struct NotifyJob {
  std::string event;  // eventName()
  std::string state;  // nodeStateName()
  std::string epoch;
  std::string vip;
  std::optional<std::string> client;  // "A.B.C.D:PORT", flow events only
  friend bool operator==(const NotifyJob&, const NotifyJob&) = default;
};

// [PROGRAM, EVENT, STATE, EPOCH, VIP]
std::vector<std::string> notifyArgv(const std::string& program, const NotifyJob& job);
// STTCP_EVENT=, STTCP_STATE=, STTCP_EPOCH=, STTCP_VIP= (and STTCP_CLIENT=).
std::vector<std::string> notifyEnv(const NotifyJob& job);

// Starts a program without waiting for it: argv[0] is looked up in PATH if
// it has no slash; `env` ("NAME=VALUE") is added to (and overrides) the
// environment. The child starts with an empty signal mask and default
// signal dispositions. Returns its pid; throws std::system_error if fork()
// fails. A program that cannot be executed exits with status 127.
pid_t spawnProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env);

class NotifyQueue {
 public:
  using Spawner = std::function<pid_t(const std::vector<std::string>& argv,
                                      const std::vector<std::string>& env)>;

  // Every event runs each program in turn, in the order given.
  NotifyQueue(std::vector<std::string> programs, Logger& log, Spawner spawner = spawnProgram)
      : programs_(std::move(programs)), log_(log), spawn_(std::move(spawner)) {}
  NotifyQueue(std::string program, Logger& log, Spawner spawner = spawnProgram)
      : NotifyQueue(std::vector<std::string>{std::move(program)}, log, std::move(spawner)) {}

  // Runs the job now if no run is in progress, else after the queued ones.
  void push(NotifyJob job);
  // A child was reaped with `wait_status`. Returns false if it was not ours;
  // otherwise logs a failure and starts the next job.
  bool childExited(pid_t pid, int wait_status);

  // SIGHUP: later events run these programs (queued runs are kept).
  void setPrograms(std::vector<std::string> programs) { programs_ = std::move(programs); }

  bool running() const { return running_.has_value(); }
  std::size_t queued() const { return queue_.size(); }

 private:
  void startNext();

  std::vector<std::string> programs_;
  Logger& log_;
  Spawner spawn_;
  std::deque<std::pair<std::string, NotifyJob>> queue_;  // program, job
  std::string running_program_;
  std::optional<pid_t> running_;
};

}  // namespace sttcp
