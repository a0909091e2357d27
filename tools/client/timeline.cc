// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "timeline.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sttcp::tools {

Timeline::Timeline(const std::string& path) {
  if (path.empty()) return;
  file_ = std::fopen(path.c_str(), "we");
  if (!file_) {
    throw std::runtime_error("cannot create timeline " + path + ": " + std::strerror(errno));
  }
  // Samples are many and small; let stdio batch them.
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  std::fputs("conn,t_ms,rx_bytes,tx_bytes\n", file_);
}

Timeline::~Timeline() {
  if (file_) std::fclose(file_);
}

void Timeline::record(int conn, double t_ms, std::uint64_t rx, std::uint64_t tx) {
  if (!file_) return;
  std::fprintf(file_, "%d,%.3f,%llu,%llu\n", conn, t_ms, static_cast<unsigned long long>(rx),
               static_cast<unsigned long long>(tx));
}

void Timeline::flush() {
  if (file_) std::fflush(file_);
}

bool SampleClock::due(double t_ms, std::uint64_t rx, std::uint64_t tx) const {
  if (!any_) return true;
  if (rx == last_rx_ && tx == last_tx_) return false;
  return t_ms - last_t_ >= kIntervalMs || rx / kStepBytes != last_rx_ / kStepBytes ||
         tx / kStepBytes != last_tx_ / kStepBytes;
}

void SampleClock::taken(double t_ms, std::uint64_t rx, std::uint64_t tx) {
  any_ = true;
  last_t_ = t_ms;
  last_rx_ = rx;
  last_tx_ = tx;
}

}  // namespace sttcp::tools
