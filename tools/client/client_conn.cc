// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "client_conn.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sttcp::tools {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// Per event, bounded so one fast connection cannot starve the others: the
// loop's round time is what the stall measurement resolves at best.
constexpr int kMaxIoPerEvent = 2;

// Stream mode: download is stream 0 of seed+i, upload is stream 1.
// Echo mode: both directions carry stream i of the seed.
PrngStream txStream(int index, const ClientSpec& spec) {
  return spec.mode == ClientMode::kEcho ? PrngStream(spec.seed, index)
                                        : PrngStream(spec.seed + index, 1);
}
PrngStream rxStream(int index, const ClientSpec& spec) {
  return spec.mode == ClientMode::kEcho ? PrngStream(spec.seed, index)
                                        : PrngStream(spec.seed + index, 0);
}

std::string header(int index, const ClientSpec& spec) {
  if (spec.mode == ClientMode::kEcho) return "";
  return "STREAM " + std::to_string(spec.seed + index) + " " + std::to_string(spec.bytes) + "\n";
}

const char* phaseName(Phase phase) {
  switch (phase) {
    case Phase::kConnecting:
      return "connecting";
    case Phase::kTransfer:
      return "transfer";
    case Phase::kHolding:
      return "holding";
    case Phase::kDraining:
      return "draining";
    case Phase::kDone:
      return "done";
    case Phase::kFailed:
      break;
  }
  return "failed";
}

}  // namespace

ClientConn::ClientConn(int index, const ClientSpec& spec, double start_ms, Timeline& timeline)
    : index_(index),
      spec_(spec),
      start_ms_(start_ms),
      timeline_(timeline),
      header_(header(index, spec)),
      tx_stream_(txStream(index, spec)),
      tx_total_(header_.size() + spec.bytes),
      rx_stream_(rxStream(index, spec)),
      rx_expected_(spec.bytes) {}

void ClientConn::connect(const sockaddr_in& addr, double now_ms) {
  fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) return failErrno("socket", errno, now_ms);
  setNoDelay(fd_.get());
  int rc = ::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  local_ = localAddress(fd_.get());  // the port is bound by connect() already
  if (rc < 0 && errno != EINPROGRESS) return failErrno("connect", errno, now_ms);
}

std::uint32_t ClientConn::wantedEvents() const {
  switch (phase_) {
    case Phase::kConnecting:
      return EPOLLOUT;
    case Phase::kTransfer:
      return EPOLLIN | (tx_ < tx_total_ ? std::uint32_t{EPOLLOUT} : 0);
    case Phase::kHolding:  // nothing should arrive; watch for it anyway
    case Phase::kDraining:
      return EPOLLIN;
    default:
      return 0;
  }
}

void ClientConn::onEvents(std::uint32_t events, double now_ms) {
  if (events & EPOLLERR) {
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      return failErrno(phase_ == Phase::kConnecting ? "connect" : "socket", err, now_ms);
    }
  }
  if (phase_ == Phase::kConnecting) {
    phase_ = Phase::kTransfer;
    last_rx_progress_ms_ = now_ms;  // stalls count from the handshake on
    sample(now_ms, true);
    writeSome(now_ms);
    return maybeComplete(now_ms);
  }
  if (active() && (events & (EPOLLIN | EPOLLHUP))) readSome(now_ms);
  if (phase_ == Phase::kTransfer && (events & EPOLLOUT)) writeSome(now_ms);
  maybeComplete(now_ms);
}

void ClientConn::fillTx(std::uint64_t offset, std::uint8_t* out, std::size_t n) const {
  while (n > 0 && offset < header_.size()) {
    *out++ = static_cast<std::uint8_t>(header_[offset++]);
    --n;
  }
  tx_stream_.fill(offset - header_.size(), out, n);
}

void ClientConn::writeSome(double now_ms) {
  static thread_local std::uint8_t buf[kChunk];
  for (int i = 0; i < kMaxIoPerEvent && tx_ < tx_total_; ++i) {
    std::size_t n = std::min<std::uint64_t>(kChunk, tx_total_ - tx_);
    fillTx(tx_, buf, n);
    ssize_t sent = ::send(fd_.get(), buf, n, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return failErrno("send", errno, now_ms);
    }
    tx_ += sent;
    sample(now_ms);
    if (static_cast<std::size_t>(sent) < n) return;  // socket buffer full
  }
}

void ClientConn::readSome(double now_ms) {
  static thread_local std::uint8_t buf[kChunk];
  for (int i = 0; i < kMaxIoPerEvent && active(); ++i) {
    ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return failErrno("recv", errno, now_ms);
    }
    if (n == 0) {
      if (phase_ == Phase::kDraining) {
        phase_ = Phase::kDone;
        sample(now_ms, true);
        fd_.reset();
        return;
      }
      return fail(phase_ == Phase::kHolding ? "EOF from the server while holding" : "early EOF",
                  now_ms);
    }
    std::uint64_t expected_left = rx_expected_ - std::min(rx_, rx_expected_);
    std::size_t wanted = std::min<std::uint64_t>(n, expected_left);
    rx_ += n;
    if (wanted > 0 && !verify(buf, wanted, now_ms)) return;
    sample(now_ms);
    if (static_cast<std::size_t>(n) > wanted) {
      diverge(buf + wanted, n - wanted);
      return fail(std::to_string(n - wanted) + " unexpected bytes past the expected " +
                      std::to_string(rx_expected_),
                  now_ms);
    }
    if (static_cast<std::size_t>(n) < sizeof(buf)) return;  // drained for now
  }
}

bool ClientConn::verify(const std::uint8_t* data, std::size_t n, double now_ms) {
  static thread_local std::uint8_t want[kChunk];
  rx_stream_.fill(verified_, want, n);
  if (std::memcmp(data, want, n) != 0) {
    std::size_t at = 0;
    while (data[at] == want[at])
      ++at;
    char msg[128];
    std::snprintf(msg, sizeof(msg), "mismatch at offset %llu: got 0x%02x, expected 0x%02x",
                  static_cast<unsigned long long>(verified_ + at), data[at], want[at]);
    verified_ += at;
    mismatch_ = true;
    diverge(data + at, n - at);
    fail(msg, now_ms);
    return false;
  }
  noteStall(now_ms);
  verified_ += n;
  return true;
}

void ClientConn::diverge(const std::uint8_t* data, std::size_t n) {
  if (diverged_rx_hash_) {
    diverged_rx_hash_->update(data, n);
    return;
  }
  diverged_rx_hash_ =
      hashGenerated(verified_, [&](std::uint64_t off, std::uint8_t* out, std::size_t len) {
        rx_stream_.fill(off, out, len);
      });
  diverged_rx_hash_->update(data, n);
}

std::string ClientConn::rxHash() const {
  if (diverged_rx_hash_) return diverged_rx_hash_->hex();
  return hashGenerated(rx_, [&](std::uint64_t off, std::uint8_t* out,
                                std::size_t len) { rx_stream_.fill(off, out, len); })
      .hex();
}

std::string ClientConn::txHash() const {
  return hashGenerated(tx_, [&](std::uint64_t off, std::uint8_t* out,
                                std::size_t len) { fillTx(off, out, len); })
      .hex();
}

void ClientConn::noteStall(double now_ms) {
  max_stall_ms_ = std::max(max_stall_ms_, now_ms - last_rx_progress_ms_);
  last_rx_progress_ms_ = now_ms;
}

void ClientConn::maybeComplete(double now_ms) {
  if (phase_ != Phase::kTransfer || tx_ < tx_total_ || verified_ < rx_expected_) return;
  if (spec_.hold) {
    phase_ = Phase::kHolding;
  } else {
    halfClose(now_ms);
  }
}

void ClientConn::release(double now_ms) {
  if (phase_ == Phase::kHolding) halfClose(now_ms);
}

void ClientConn::halfClose(double now_ms) {
  if (::shutdown(fd_.get(), SHUT_WR) < 0) return failErrno("shutdown", errno, now_ms);
  phase_ = Phase::kDraining;
}

void ClientConn::timeout(double now_ms) {
  fail(std::string("timeout while ") + phaseName(phase_), now_ms);
}

void ClientConn::failErrno(const char* op, int err, double now_ms) {
  std::string what = isResetError(err)
                         ? std::string("reset (") + op + ": " + std::strerror(err) + ")"
                         : std::string(op) + ": " + std::strerror(err);
  fail(what, now_ms);
}

void ClientConn::fail(const std::string& why, double now_ms) {
  if (!active()) return;
  // A connection that dies while still expecting bytes stalled until now.
  if (phase_ != Phase::kConnecting && verified_ < rx_expected_ && !mismatch_) {
    noteStall(now_ms);
  }
  char ctx[160];
  std::snprintf(ctx, sizeof(ctx), " [%s, rx %llu/%llu, tx %llu/%llu]", phaseName(phase_),
                static_cast<unsigned long long>(rx_), static_cast<unsigned long long>(rx_expected_),
                static_cast<unsigned long long>(tx_), static_cast<unsigned long long>(tx_total_));
  error_ = why + ctx;
  phase_ = Phase::kFailed;
  sample(now_ms, true);
  fd_.reset();
}

void ClientConn::sample(double now_ms, bool force) {
  double t = now_ms - start_ms_;
  if (force || sample_clock_.due(t, rx_, tx_)) {
    timeline_.record(index_, t, rx_, tx_);
    sample_clock_.taken(t, rx_, tx_);
  }
}

}  // namespace sttcp::tools
