// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// One accepted connection of sttcp-server, as a non-blocking state machine
// driven by epoll events. What it sends depends only on what it received
// (echo) or on the request (stream, http), never on timing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hash.h"
#include "http.h"
#include "net_util.h"
#include "prng.h"

namespace sttcp::tools {

enum class ServerMode { kEcho, kStream, kHttp };

class ServerConn {
 public:
  // corrupt_at: flip the lowest bit of this output byte (tests: an
  // application whose output differs on the backup).
  ServerConn(UniqueFd fd, std::string peer, ServerMode mode,
             std::optional<std::uint64_t> corrupt_at = std::nullopt);

  int fd() const { return fd_.get(); }
  // Handles readiness, reading and writing as much as the socket allows.
  void onEvents(std::uint32_t events);
  // EPOLLIN/EPOLLOUT wanted now; flow control is done by dropping EPOLLIN.
  std::uint32_t wantedEvents() const;
  // Set once the connection is over: "eof", "reset" or "error:<msg>". The
  // socket is closed when the object is destroyed.
  const std::optional<std::string>& end() const { return end_; }
  // The per-connection JSON log line (no newline), with `end` as given.
  std::string logLine(const std::string& end) const;

 private:
  void readSome();
  void writeSome();
  void halfClose();
  void consumeHeader(const std::uint8_t* data, std::size_t n);
  void consumeHttp(const std::uint8_t* data, std::size_t n);
  void fail(int err);
  void finish(std::string end);

  UniqueFd fd_;
  std::string peer_;
  ServerMode mode_;
  std::optional<std::string> end_;
  bool rd_eof_ = false;
  std::uint64_t rx_bytes_ = 0;
  std::uint64_t tx_bytes_ = 0;
  // Echo hashes only what it sends: what it received is that plus the bytes
  // still buffered, so one FNV pass per byte instead of two.
  Fnv1a64 rx_hash_;  // stream and http modes
  Fnv1a64 tx_hash_;

  // Echo: bytes received and not yet sent back are buf_[head_, tail_).
  // Stream, http: buf_[head_, tail_) is generated output not yet accepted by send.
  std::vector<std::uint8_t> buf_;
  std::size_t head_ = 0;
  std::size_t tail_ = 0;

  // Stream mode: the request line, then what to send.
  std::string header_;
  bool header_done_ = false;
  std::optional<PrngStream> stream_;
  std::uint64_t stream_total_ = 0;
  std::uint64_t stream_generated_ = 0;

  // Http mode: reads the request head and holds the response once decided
  // (stream_total_ is its size). After the response's last byte the server
  // half-closes and reads to EOF.
  HttpRequestReader http_request_;
  bool wr_shut_ = false;

  std::optional<std::uint64_t> corrupt_at_;
};

}  // namespace sttcp::tools
