// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "signals.h"

#include <sys/signalfd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace sttcp {

SignalFd::SignalFd(std::initializer_list<int> signals) {
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : signals)
    sigaddset(&mask, sig);
  if (int err = pthread_sigmask(SIG_BLOCK, &mask, &old_mask_); err != 0) {
    throw std::system_error(err, std::generic_category(), "cannot block signals");
  }
  int fd = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    throw std::system_error(err, std::generic_category(), "cannot create a signalfd");
  }
  fd_.reset(fd);
}

SignalFd::~SignalFd() {
  fd_.reset();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

std::optional<int> SignalFd::read() {
  signalfd_siginfo info;
  while (true) {
    ssize_t n = ::read(fd_.get(), &info, sizeof(info));
    if (n == static_cast<ssize_t>(sizeof(info))) return static_cast<int>(info.ssi_signo);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return std::nullopt;
    throw std::system_error(n < 0 ? errno : EIO, std::generic_category(),
                            "cannot read the signalfd");
  }
}

std::string signalName(int sig) {
  switch (sig) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    case SIGCHLD:
      return "SIGCHLD";
    default:
      return "signal " + std::to_string(sig);
  }
}

}  // namespace sttcp
