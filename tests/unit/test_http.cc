// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-server --mode http without sockets: the request reader decides the
// same response at the same byte however the request is cut, and responses
// are fixed strings plus the PRNG stream.
#include "http.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prng.h"

namespace sttcp::tools {
namespace {

std::string whole(const HttpResponse& r) {
  std::string out(r.size(), '\0');
  r.fill(0, reinterpret_cast<std::uint8_t*>(out.data()), out.size());
  return out;
}

std::string prngBytes(std::uint64_t seed, std::size_t n) {
  std::string out(n, '\0');
  PrngStream(seed, 0).fill(0, reinterpret_cast<std::uint8_t*>(out.data()), n);
  return out;
}

// Feeds `request` in pieces of the given sizes (the last one repeats);
// returns how many bytes the reader consumed in total.
std::size_t feedInPieces(HttpRequestReader& reader, const std::string& request,
                         const std::vector<std::size_t>& sizes) {
  std::size_t off = 0, consumed = 0, k = 0;
  while (off < request.size() && !reader.decided()) {
    std::size_t n = std::min(sizes[std::min(k++, sizes.size() - 1)], request.size() - off);
    consumed += reader.feed(reinterpret_cast<const std::uint8_t*>(request.data()) + off, n);
    off += n;
  }
  return consumed;
}

TEST(HttpResponse, BytesHeadIsExactlyTheDocumentedOne) {
  HttpResponse r = HttpResponse::bytes(1000, 5);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.head(),
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: 1000\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(whole(r), r.head() + prngBytes(5, 1000));
}

TEST(HttpResponse, FillAtAnyOffsetMatchesTheWhole) {
  HttpResponse r = HttpResponse::bytes(300, 9);
  const std::string all = whole(r);
  for (std::size_t off = 0; off < all.size(); off += 7) {
    for (std::size_t n : {1, 3, 64, 200}) {
      std::size_t len = std::min(n, all.size() - off);
      std::string piece(len, '\0');
      r.fill(off, reinterpret_cast<std::uint8_t*>(piece.data()), len);
      ASSERT_EQ(piece, all.substr(off, len)) << off << "+" << len;
    }
  }
}

TEST(HttpResponse, Routing) {
  auto status = [](const char* line) { return respondToRequestLine(line).status(); };
  EXPECT_EQ(status("GET /bytes/10 HTTP/1.1"), 200);
  EXPECT_EQ(status("GET /bytes/0?seed=3 HTTP/1.0"), 200);
  EXPECT_EQ(status("GET http://host:80/bytes/10 HTTP/1.1"), 200);
  EXPECT_EQ(status("GET / HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/ HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/-1 HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/1x HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/99999999999999999999999 HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/10? HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/10?seed= HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/10?size=3 HTTP/1.1"), 404);
  EXPECT_EQ(status("GET /bytes/10/ HTTP/1.1"), 404);
  EXPECT_EQ(status("POST /bytes/10 HTTP/1.1"), 405);
  EXPECT_EQ(status("HEAD /bytes/10 HTTP/1.1"), 405);
  EXPECT_EQ(status("GET /bytes/10"), 400);
  EXPECT_EQ(status("GET  /bytes/10 HTTP/1.1"), 400);
  EXPECT_EQ(status("GET /bytes/10 HTTP/2.0"), 400);
  EXPECT_EQ(status("GET /bytes/10 HTTP/1.1 x"), 400);
  EXPECT_EQ(status("G(T /bytes/10 HTTP/1.1"), 400);
  EXPECT_EQ(respondToRequestLine("GET /bytes/10 HTTP/1.1").bodySize(), 10u);
}

TEST(HttpResponse, ErrorsAreFixedStrings) {
  EXPECT_EQ(whole(respondToRequestLine("GET /nope HTTP/1.1")),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 37\r\n"
            "Connection: close\r\n\r\nnot found; try GET /bytes/N[?seed=S]\n");
  EXPECT_EQ(whole(respondToRequestLine("PUT /x HTTP/1.1")),
            "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Type: text/plain\r\n"
            "Content-Length: 29\r\nConnection: close\r\n\r\nmethod not allowed; only GET\n");
  EXPECT_EQ(whole(respondToRequestLine("garbage")),
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 58\r\n"
            "Connection: close\r\n\r\nbad request: request line is not 'METHOD TARGET HTTP/1.x'\n");
}

const std::string kCurlRequest =
    "GET /bytes/4096?seed=77 HTTP/1.1\r\nHost: 10.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\n"
    "Accept: */*\r\n\r\n";

TEST(HttpRequestReader, AnySegmentationDecidesAtTheBlankLine) {
  const std::string request = kCurlRequest + "trailing bytes that are not read";
  for (std::size_t piece = 1; piece <= request.size(); ++piece) {
    HttpRequestReader reader;
    std::size_t consumed = feedInPieces(reader, request, {piece});
    ASSERT_TRUE(reader.decided()) << piece;
    EXPECT_EQ(consumed, kCurlRequest.size()) << piece;
    EXPECT_EQ(whole(reader.response()), whole(HttpResponse::bytes(4096, 77))) << piece;
  }
  HttpRequestReader ragged;
  EXPECT_EQ(feedInPieces(ragged, request, {3, 1, 17, 2, 40, 5}), kCurlRequest.size());
  ASSERT_TRUE(ragged.decided());
  EXPECT_EQ(ragged.response().status(), 200);
}

TEST(HttpRequestReader, NotDecidedBeforeTheBlankLine) {
  HttpRequestReader reader;
  const std::string part = kCurlRequest.substr(0, kCurlRequest.size() - 1);
  EXPECT_EQ(feedInPieces(reader, part, {part.size()}), part.size());
  EXPECT_FALSE(reader.decided());
}

TEST(HttpRequestReader, BareLfAndLeadingEmptyLines) {
  HttpRequestReader reader;
  feedInPieces(reader, "\r\n\nGET /bytes/3 HTTP/1.0\nHost: x\n\n", {1});
  ASSERT_TRUE(reader.decided());
  EXPECT_EQ(whole(reader.response()), whole(HttpResponse::bytes(3, kHttpDefaultSeed)));
}

TEST(HttpRequestReader, MalformedLinesAnswer400AtTheirEnd) {
  for (const char* bad :
       {"GET /bytes/3\r\n", "GET /bytes/3 HTTP/1.1\r\nno colon here\r\n",
        "GET /bytes/3 HTTP/1.1\r\n folded: x\r\n", "GET /bytes/3 HTTP/1.1\r\nbad name: x\r\n",
        "GET /bytes/3 HTTP/1.1\r\nA: b\x01\r\n", "GET /a\x7f HTTP/1.1\r\n"}) {
    HttpRequestReader reader;
    const std::string request = std::string(bad) + "Host: x\r\n\r\n";
    EXPECT_EQ(feedInPieces(reader, request, {1}), std::string(bad).size()) << bad;
    ASSERT_TRUE(reader.decided()) << bad;
    EXPECT_EQ(reader.response().status(), 400) << bad;
  }
}

TEST(HttpRequestReader, MethodIsAnsweredAfterTheHead) {
  HttpRequestReader reader;
  const std::string request = "POST /bytes/3 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  EXPECT_EQ(feedInPieces(reader, request, {5}), request.size() - 3);
  ASSERT_TRUE(reader.decided());
  EXPECT_EQ(reader.response().status(), 405);
}

TEST(HttpRequestReader, OversizedHeadIs400AtTheFirstByteTooMany) {
  std::string request = "GET /bytes/3 HTTP/1.1\r\nX-Fill: ";
  request += std::string(kHttpMaxHead, 'a');
  for (std::size_t piece : {1, 1000, 100000}) {
    HttpRequestReader reader;
    EXPECT_EQ(feedInPieces(reader, request, {piece}), kHttpMaxHead + 1) << piece;
    ASSERT_TRUE(reader.decided());
    EXPECT_EQ(reader.response().status(), 400);
  }
}

}  // namespace
}  // namespace sttcp::tools
