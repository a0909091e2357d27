// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// One connection of sttcp-client: sends its PRNG bytes, verifies every byte
// that comes back as it arrives, then (after an optional hold) half-closes
// and expects a clean EOF. Driven by epoll events from the client's loop.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>

#include "hash.h"
#include "net_util.h"
#include "prng.h"
#include "timeline.h"

namespace sttcp::tools {

enum class ClientMode { kEcho, kStream };

struct ClientSpec {
  ClientMode mode = ClientMode::kEcho;
  std::uint64_t seed = 1;
  std::uint64_t bytes = 0;
  bool hold = false;  // stop at the hold point until release()
};

enum class Phase { kConnecting, kTransfer, kHolding, kDraining, kDone, kFailed };

class ClientConn {
 public:
  ClientConn(int index, const ClientSpec& spec, double start_ms, Timeline& timeline);

  // Starts a non-blocking connect (a synchronous failure fails the conn).
  void connect(const sockaddr_in& addr, double now_ms);
  void onEvents(std::uint32_t events, double now_ms);
  // Leaves the hold point: half-close, then wait for the server's EOF.
  void release(double now_ms);
  void timeout(double now_ms);

  int fd() const { return fd_.get(); }
  Phase phase() const { return phase_; }
  bool active() const { return phase_ != Phase::kDone && phase_ != Phase::kFailed; }
  std::uint32_t wantedEvents() const;

  // For the report.
  int index() const { return index_; }
  const std::string& local() const { return local_; }
  std::uint64_t txBytes() const { return tx_; }
  std::uint64_t rxBytes() const { return rx_; }
  std::uint64_t verifiedBytes() const { return verified_; }
  bool verified() const { return verified_ == rx_expected_ && !mismatch_; }
  bool ok() const { return phase_ == Phase::kDone; }
  const std::optional<std::string>& error() const { return error_; }
  double maxStallMs() const { return max_stall_ms_; }
  // Computed on demand (see hashGenerated): FNV-1a of every byte sent /
  // received, equal to the server's rx_hash / tx_hash of the connection.
  std::string rxHash() const;
  std::string txHash() const;

 private:
  void readSome(double now_ms);
  void writeSome(double now_ms);
  void fillTx(std::uint64_t offset, std::uint8_t* out, std::size_t n) const;
  // Checks received bytes against the expected stream; false on mismatch.
  bool verify(const std::uint8_t* data, std::size_t n, double now_ms);
  // Starts diverged_rx_hash_: the verified prefix, then `data`.
  void diverge(const std::uint8_t* data, std::size_t n);
  void maybeComplete(double now_ms);
  void halfClose(double now_ms);
  void fail(const std::string& why, double now_ms);
  void failErrno(const char* op, int err, double now_ms);
  void sample(double now_ms, bool force = false);
  void noteStall(double now_ms);

  int index_;
  ClientSpec spec_;
  double start_ms_;
  Timeline& timeline_;
  SampleClock sample_clock_;

  UniqueFd fd_;
  std::string local_ = "?";
  Phase phase_ = Phase::kConnecting;
  std::optional<std::string> error_;

  std::string header_;  // stream mode request line, sent before the payload
  PrngStream tx_stream_;
  std::uint64_t tx_total_;
  std::uint64_t tx_ = 0;

  PrngStream rx_stream_;
  std::uint64_t rx_expected_;
  std::uint64_t rx_ = 0;
  std::uint64_t verified_ = 0;
  bool mismatch_ = false;
  // Received bytes are the expected stream until they are not; from the
  // first wrong or extra byte on, the hash is kept here.
  std::optional<Fnv1a64> diverged_rx_hash_;

  double last_rx_progress_ms_ = 0;
  double max_stall_ms_ = 0;
};

}  // namespace sttcp::tools
