// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "logger.h"

#include <time.h>

namespace sttcp {

std::string formatLogLine(const std::string& tag, double monotonic_seconds,
                          const std::string& message) {
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "%.3f", monotonic_seconds);
  return tag + ": " + stamp + " " + message;
}

void FileLogger::log(const std::string& message) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  std::string line =
      formatLogLine(tag_, static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9, message) + "\n";
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace sttcp
