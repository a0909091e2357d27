// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Progress samples for --timeline: CSV "conn,t_ms,rx_bytes,tx_bytes".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace sttcp::tools {

class Timeline {
 public:
  // Writes nothing when `path` is empty. Throws std::runtime_error if the
  // file cannot be created.
  explicit Timeline(const std::string& path);
  ~Timeline();
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  void record(int conn, double t_ms, std::uint64_t rx, std::uint64_t tx);
  void flush();

 private:
  std::FILE* file_ = nullptr;
};

// Per-connection sampling rule: a sample when at least kIntervalMs passed
// since the previous one, or rx or tx crossed a kStepBytes boundary.
class SampleClock {
 public:
  static constexpr double kIntervalMs = 10.0;
  static constexpr std::uint64_t kStepBytes = 256 * 1024;

  bool due(double t_ms, std::uint64_t rx, std::uint64_t tx) const;
  void taken(double t_ms, std::uint64_t rx, std::uint64_t tx);

 private:
  bool any_ = false;
  double last_t_ = 0;
  std::uint64_t last_rx_ = 0;
  std::uint64_t last_tx_ = 0;
};

}  // namespace sttcp::tools
