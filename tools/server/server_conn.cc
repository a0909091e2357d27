// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "server_conn.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "json_writer.h"

namespace sttcp::tools {
namespace {

// Bounds the echo backlog: when the client does not read, we stop reading,
// so TCP flow control pushes back on the client instead of us buffering.
constexpr std::size_t kBufSize = 256 * 1024;
constexpr std::size_t kMaxHeader = 128;
// Each event moves at most kMaxIoPerEvent * kIoChunk bytes per direction,
// so connections progress round-robin: one connection draining its whole
// stream first would show up as a stall of the others.
constexpr std::size_t kIoChunk = 64 * 1024;
constexpr int kMaxIoPerEvent = 2;

}  // namespace

ServerConn::ServerConn(UniqueFd fd, std::string peer, ServerMode mode,
                       std::optional<std::uint64_t> corrupt_at)
    : fd_(std::move(fd)),
      peer_(std::move(peer)),
      mode_(mode),
      buf_(kBufSize),
      corrupt_at_(corrupt_at) {}

std::uint32_t ServerConn::wantedEvents() const {
  if (end_) return 0;
  std::uint32_t events = 0;
  if (mode_ == ServerMode::kEcho) {
    if (!rd_eof_ && tail_ - head_ < buf_.size()) events |= EPOLLIN;
    if (head_ < tail_) events |= EPOLLOUT;
  } else {
    // Stream and http only hash what they read: never a reason to stop.
    if (!rd_eof_) events |= EPOLLIN;
    if (header_done_ && tx_bytes_ < stream_total_) events |= EPOLLOUT;
  }
  return events;
}

void ServerConn::onEvents(std::uint32_t events) {
  if (events & EPOLLERR) {
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return fail(err);
  }
  // EPOLLHUP without an error: keep going, read/write will tell what's left.
  if (!end_ && (events & (EPOLLIN | EPOLLHUP))) readSome();
  // Also right after reading: what we just read (echo) or the request line
  // (stream) usually lets us send now, without another round of epoll.
  if (!end_ && (wantedEvents() & EPOLLOUT)) writeSome();
  if (end_) return;
  const bool all_sent =
      mode_ == ServerMode::kEcho ? head_ == tail_ : header_done_ && tx_bytes_ == stream_total_;
  if (rd_eof_ && all_sent) {
    finish("eof");
  } else if (rd_eof_ && mode_ == ServerMode::kStream && !header_done_) {
    finish("error:eof before the STREAM request line");
  } else if (rd_eof_ && mode_ == ServerMode::kHttp && !header_done_) {
    finish("error:eof before the end of the HTTP request head");
  }
}

void ServerConn::readSome() {
  for (int i = 0; i < kMaxIoPerEvent && !rd_eof_; ++i) {
    std::uint8_t* dst;
    std::size_t room;
    if (mode_ == ServerMode::kEcho) {
      if (tail_ == buf_.size() && head_ > 0) {  // compact so reading can go on
        std::memmove(buf_.data(), buf_.data() + head_, tail_ - head_);
        tail_ -= head_;
        head_ = 0;
      }
      dst = buf_.data() + tail_;
      room = std::min(kIoChunk, buf_.size() - tail_);
      if (room == 0) return;
    } else {
      // Stream and http modes only hash what they read; a scratch buffer will do.
      static thread_local std::uint8_t sink[kIoChunk];
      dst = sink;
      room = sizeof(sink);
    }
    ssize_t n = recv(fd_.get(), dst, room, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return fail(errno);
    }
    if (n == 0) {
      rd_eof_ = true;
      return;
    }
    rx_bytes_ += n;
    if (mode_ == ServerMode::kEcho) {
      tail_ += n;
    } else {
      rx_hash_.update(dst, n);
      if (!header_done_) {
        if (mode_ == ServerMode::kHttp) {
          consumeHttp(dst, n);
        } else {
          consumeHeader(dst, n);
        }
      }
      if (end_) return;
    }
    if (static_cast<std::size_t>(n) < room) return;  // drained for now
  }
}

void ServerConn::consumeHeader(const std::uint8_t* data, std::size_t n) {
  for (std::size_t i = 0; i < n && !header_done_; ++i) {
    if (data[i] != '\n') {
      header_.push_back(static_cast<char>(data[i]));
      if (header_.size() > kMaxHeader) return finish("error:STREAM request line too long");
      continue;
    }
    std::istringstream line(header_);
    std::string word, seed_text, bytes_text, extra;
    line >> word >> seed_text >> bytes_text;
    auto seed = parseU64(seed_text);
    auto bytes = parseU64(bytes_text);
    if (word != "STREAM" || !seed || !bytes || (line >> extra)) {
      return finish("error:bad request line (want: STREAM <seed> <bytes>)");
    }
    stream_.emplace(*seed, 0);
    stream_total_ = *bytes;
    header_done_ = true;
  }
}

// Bytes after the request head (a body, a pipelined request) are read and
// hashed like the rest, but never answered: one request per connection.
void ServerConn::consumeHttp(const std::uint8_t* data, std::size_t n) {
  http_request_.feed(data, n);
  if (!http_request_.decided()) return;
  stream_total_ = http_request_.response().size();
  header_done_ = true;
}

void ServerConn::writeSome() {
  for (int i = 0; i < kMaxIoPerEvent; ++i) {
    if (mode_ != ServerMode::kEcho) {
      if (!header_done_) return;
      if (head_ == tail_ && stream_generated_ < stream_total_) {
        std::size_t n = std::min<std::uint64_t>(kIoChunk, stream_total_ - stream_generated_);
        if (mode_ == ServerMode::kHttp) {
          http_request_.response().fill(stream_generated_, buf_.data(), n);
        } else {
          stream_->fill(stream_generated_, buf_.data(), n);
        }
        stream_generated_ += n;
        head_ = 0;
        tail_ = n;
      }
    }
    if (head_ == tail_) return;
    const std::size_t len = std::min(kIoChunk, tail_ - head_);
    if (corrupt_at_ && *corrupt_at_ >= tx_bytes_ && *corrupt_at_ - tx_bytes_ < len) {
      buf_[head_ + (*corrupt_at_ - tx_bytes_)] ^= 0x01;
      corrupt_at_.reset();
    }
    ssize_t n = send(fd_.get(), buf_.data() + head_, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return fail(errno);
    }
    tx_hash_.update(buf_.data() + head_, n);
    tx_bytes_ += n;
    head_ += n;
    if (head_ == tail_) head_ = tail_ = 0;
    if (mode_ == ServerMode::kHttp && tx_bytes_ == stream_total_) return halfClose();
    if (static_cast<std::size_t>(n) < len) return;  // the socket buffer is full
  }
}

// "Connection: close": our FIN follows the response's last byte at once.
// The socket itself stays open until the client's EOF, so request bytes
// we never read cannot turn the close into an RST that could destroy the
// response in flight.
void ServerConn::halfClose() {
  if (wr_shut_) return;
  wr_shut_ = true;
  if (::shutdown(fd_.get(), SHUT_WR) < 0) fail(errno);
}

void ServerConn::fail(int err) {
  finish(isResetError(err) ? std::string("reset") : std::string("error:") + std::strerror(err));
}

// The socket stays open until the owner has logged the end and destroys
// us: a client that saw our FIN can then rely on the log line existing.
void ServerConn::finish(std::string end) {
  end_ = std::move(end);
}

std::string ServerConn::logLine(const std::string& end) const {
  Fnv1a64 rx_hash = rx_hash_;
  if (mode_ == ServerMode::kEcho) {
    rx_hash = tx_hash_;
    rx_hash.update(buf_.data() + head_, tail_ - head_);
  }
  JsonWriter w;
  w.beginObject()
      .key("peer")
      .str(peer_)
      .key("rx_bytes")
      .u64(rx_bytes_)
      .key("rx_hash")
      .str(rx_hash.hex())
      .key("tx_bytes")
      .u64(tx_bytes_)
      .key("tx_hash")
      .str(tx_hash_.hex())
      .key("end")
      .str(end);
  if (mode_ == ServerMode::kHttp) {
    const auto& response = http_request_.decision();
    w.key("status").u64(response ? static_cast<std::uint64_t>(response->status()) : 0);
  }
  w.endObject();
  return w.text();
}

}  // namespace sttcp::tools
