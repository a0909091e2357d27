// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd's log: one line per action.
#pragma once

#include <cstdio>
#include <string>

namespace sttcp {

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(const std::string& message) = 0;
};

// "TAG: SECONDS.MMM MESSAGE\n" with the CLOCK_MONOTONIC time, flushed per
// line. Does not own `out`.
class FileLogger : public Logger {
 public:
  FileLogger(std::FILE* out, std::string tag) : out_(out), tag_(std::move(tag)) {}
  void log(const std::string& message) override;

 private:
  std::FILE* out_;
  std::string tag_;
};

// The line FileLogger writes (without the newline), for tests.
std::string formatLogLine(const std::string& tag, double monotonic_seconds,
                          const std::string& message);

}  // namespace sttcp
