// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "http.h"

#include <algorithm>
#include <cstring>

#include "net_util.h"

namespace sttcp::tools {
namespace {

const char* reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    default:
      return "Error";
  }
}

std::string headFor(int status, const char* content_type, std::uint64_t length, bool allow_get) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
  if (allow_get) head += "Allow: GET\r\n";
  head += std::string("Content-Type: ") + content_type + "\r\n";
  head += "Content-Length: " + std::to_string(length) + "\r\n";
  head += "Connection: close\r\n\r\n";
  return head;
}

// RFC 9110 tchar: the characters of a method or a field name.
bool isTchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isTchar);
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

HttpResponse badRequest(const std::string& why) {
  return HttpResponse::error(400, "bad request: " + why + "\n");
}

HttpResponse notFound() {
  return HttpResponse::error(404, "not found; try GET /bytes/N[?seed=S]\n");
}

// The response for the target of a GET.
HttpResponse route(std::string_view target) {
  // absolute-form (RFC 9112 3.2.2): drop scheme and authority.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (startsWithNoCase(target, scheme)) {
      target.remove_prefix(scheme.size());
      auto slash = target.find('/');
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  constexpr std::string_view kPrefix = "/bytes/";
  if (target.substr(0, kPrefix.size()) != kPrefix) return notFound();
  target.remove_prefix(kPrefix.size());
  std::string_view count = target, query;
  bool has_query = false;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    count = target.substr(0, q);
    query = target.substr(q + 1);
    has_query = true;
  }
  auto n = allDigits(count) ? parseU64(count) : std::nullopt;
  if (!n) return notFound();
  std::uint64_t seed = kHttpDefaultSeed;
  if (has_query) {
    constexpr std::string_view kSeed = "seed=";
    if (query.substr(0, kSeed.size()) != kSeed) return notFound();
    query.remove_prefix(kSeed.size());
    auto s = allDigits(query) ? parseU64(query) : std::nullopt;
    if (!s) return notFound();
    seed = *s;
  }
  return HttpResponse::bytes(*n, seed);
}

bool hasControlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

}  // namespace

HttpResponse::HttpResponse(int status, std::string head, std::uint64_t body_size)
    : status_(status), head_(std::move(head)), body_size_(body_size) {}

HttpResponse HttpResponse::bytes(std::uint64_t n, std::uint64_t seed) {
  HttpResponse r(200, headFor(200, "application/octet-stream", n, false), n);
  r.stream_.emplace(seed, 0);
  return r;
}

HttpResponse HttpResponse::error(int status, std::string body) {
  HttpResponse r(status, headFor(status, "text/plain", body.size(), status == 405), body.size());
  r.fixed_body_ = std::move(body);
  return r;
}

void HttpResponse::fillBody(std::uint64_t offset, std::uint8_t* out, std::size_t n) const {
  if (stream_) {
    stream_->fill(offset, out, n);
  } else {
    std::memcpy(out, fixed_body_.data() + offset, n);
  }
}

void HttpResponse::fill(std::uint64_t offset, std::uint8_t* out, std::size_t n) const {
  if (offset < head_.size()) {
    std::size_t len = std::min<std::uint64_t>(n, head_.size() - offset);
    std::memcpy(out, head_.data() + offset, len);
    out += len;
    offset += len;
    n -= len;
  }
  if (n > 0) fillBody(offset - head_.size(), out, n);
}

HttpResponse respondToRequestLine(std::string_view line) {
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return badRequest("request line is not 'METHOD TARGET HTTP/1.x'");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!isToken(method)) return badRequest("bad method");
  if (target.empty() || hasControlChar(target) || target.find('\t') != std::string_view::npos) {
    return badRequest("bad request target");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return badRequest("HTTP version is not HTTP/1.0 or HTTP/1.1");
  }
  if (method != "GET") return HttpResponse::error(405, "method not allowed; only GET\n");
  return route(target);
}

std::size_t HttpRequestReader::feed(const std::uint8_t* data, std::size_t n) {
  std::size_t i = 0;
  while (i < n && !response_) {
    const char c = static_cast<char>(data[i++]);
    if (++head_bytes_ > kHttpMaxHead) {
      response_ = badRequest("request head larger than " + std::to_string(kHttpMaxHead) + " bytes");
    } else if (c == '\n') {
      endOfLine();
      line_.clear();
    } else {
      line_.push_back(c);
    }
  }
  return i;
}

void HttpRequestReader::endOfLine() {
  std::string_view line = line_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!request_line_) {
    if (line.empty()) return;  // empty lines before the request line are ignored
    if (hasControlChar(line)) {
      response_ = badRequest("control character in the request line");
      return;
    }
    request_line_ = std::string(line);
    // Decided only at the blank line unless the line itself is bad: a
    // malformed request is answered at once.
    HttpResponse r = respondToRequestLine(line);
    if (r.status() == 400) response_ = std::move(r);
    return;
  }
  if (line.empty()) {  // end of the head
    response_ = respondToRequestLine(*request_line_);
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {
    response_ = badRequest("folded header line");
  } else if (hasControlChar(line)) {
    response_ = badRequest("control character in a header line");
  } else if (auto colon = line.find(':');
             colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
    response_ = badRequest("header line is not 'Name: value'");
  }
}

}  // namespace sttcp::tools
