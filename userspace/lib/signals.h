// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Signals as file descriptor events, for single-threaded poll() loops.
#pragma once

#include <signal.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "unique_fd.h"

namespace sttcp {

// Blocks `signals` in the calling thread and reads them from a signalfd
// (non-blocking, close-on-exec). The destructor closes it and restores the
// previous mask; signals still pending then are delivered as usual, so read
// what you handle. Child processes inherit the blocked mask: reset it after
// fork(). Throws std::system_error.
class SignalFd {
 public:
  explicit SignalFd(std::initializer_list<int> signals);
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;

  int fd() const { return fd_.get(); }
  // The next pending signal, or nullopt when none is.
  std::optional<int> read();

 private:
  sigset_t old_mask_;
  UniqueFd fd_;
};

// "SIGTERM", "SIGINT", ...; "signal N" for others.
std::string signalName(int sig);

}  // namespace sttcp
