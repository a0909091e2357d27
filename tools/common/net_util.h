// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Small socket helpers shared by sttcp-server and sttcp-client.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sttcp::tools {

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// "A.B.C.D:PORT" (IPv4 only; the tools run on test addresses).
std::optional<sockaddr_in> parseHostPort(std::string_view text);
std::string formatSockaddr(const sockaddr_in& addr);
// getsockname()/getpeername() as "ip:port"; "?" if unavailable.
std::string localAddress(int fd);
std::string peerAddress(int fd);

std::optional<std::uint64_t> parseU64(std::string_view text);

// Milliseconds on the monotonic clock.
double nowMs();

// Lifts the soft RLIMIT_NOFILE to the hard limit: thousands of connections
// must not fail on the default 1024.
void raiseFdLimit();

// Blocks the given signals and returns a non-blocking signalfd for them, so
// that the epoll loop handles signals like any other event.
UniqueFd makeSignalFd(std::initializer_list<int> signals);

// Disables Nagle: echoing arbitrary read sizes otherwise leaves sub-MSS
// tails waiting for delayed ACKs, and those 40+ ms pauses would show up as
// stalls that have nothing to do with failover.
void setNoDelay(int fd);

// Errors that mean the peer reset the connection (reported as "reset").
bool isResetError(int err);

}  // namespace sttcp::tools
