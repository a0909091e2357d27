// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The HTTP/1.1 side of sttcp-server --mode http. The response is a pure
// function of the request's bytes: no Date, no Server header, nothing that
// depends on time, version or how the request was segmented. Two servers
// given the same request therefore send byte-identical streams, which is
// what a failover test with a real client (curl) compares.
//
//   GET /bytes/N[?seed=S]  200, N bytes of PrngStream(S, 0) (S defaults to 1)
//   GET <anything else>    404, fixed body
//   other method           405, fixed body, "Allow: GET"
//   malformed request      400, body naming the problem
//
// Every response has Content-Length and "Connection: close".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "prng.h"

namespace sttcp::tools {

inline constexpr std::uint64_t kHttpDefaultSeed = 1;
// The request head (request line, header lines, blank line; leading empty
// lines included) may not exceed this; one byte more is a 400.
inline constexpr std::size_t kHttpMaxHead = 16 * 1024;

// A complete response: a fixed head followed by either a fixed body or
// body_len bytes of the PRNG stream. Generated piecewise, never held whole.
class HttpResponse {
 public:
  // 200 with `n` bytes of PrngStream(seed, 0).
  static HttpResponse bytes(std::uint64_t n, std::uint64_t seed);
  // `status` with a text/plain `body`; 405 also gets "Allow: GET".
  static HttpResponse error(int status, std::string body);

  int status() const { return status_; }
  const std::string& head() const { return head_; }
  std::uint64_t bodySize() const { return body_size_; }
  std::uint64_t size() const { return head_.size() + body_size_; }
  // Bytes [offset, offset + n) of the whole response (head and body).
  void fill(std::uint64_t offset, std::uint8_t* out, std::size_t n) const;
  // Bytes [offset, offset + n) of the body alone.
  void fillBody(std::uint64_t offset, std::uint8_t* out, std::size_t n) const;

 private:
  HttpResponse(int status, std::string head, std::uint64_t body_size);

  int status_;
  std::string head_;
  std::uint64_t body_size_;
  std::string fixed_body_;            // error responses
  std::optional<PrngStream> stream_;  // 200
};

// The response to a request line "METHOD TARGET VERSION" (without CR/LF).
HttpResponse respondToRequestLine(std::string_view line);

// Reads a request head fed in pieces of any size and decides the response at
// a fixed byte of the request, whatever the segmentation: the LF ending the
// blank line, the LF ending a malformed line, or the first byte past
// kHttpMaxHead. Header lines are checked for form and otherwise ignored.
class HttpRequestReader {
 public:
  // Consumes bytes up to and including the deciding one and returns how
  // many it consumed; once decided, consumes nothing more.
  std::size_t feed(const std::uint8_t* data, std::size_t n);
  bool decided() const { return response_.has_value(); }
  const HttpResponse& response() const { return *response_; }
  // The response decided so far, if any, for logging.
  const std::optional<HttpResponse>& decision() const { return response_; }

 private:
  void endOfLine();

  std::size_t head_bytes_ = 0;
  std::string line_;
  std::optional<std::string> request_line_;
  std::optional<HttpResponse> response_;
};

}  // namespace sttcp::tools
