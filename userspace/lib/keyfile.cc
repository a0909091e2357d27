// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "keyfile.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>

#include "unique_fd.h"

namespace sttcp {
namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// 32 bytes: 10 full groups of 3, then 2 bytes -> 43 characters and one '='.
constexpr std::size_t kBase64Len = 44;
// A key file is tiny; anything bigger is not one.
constexpr std::size_t kMaxFileSize = 4096;

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Key> parseHex(std::string_view text) {
  if (text.size() != 2 * std::tuple_size_v<Key>) return std::nullopt;
  Key key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    int hi = hexDigit(text[2 * i]), lo = hexDigit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    key[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return key;
}

std::optional<Key> parseBase64(std::string_view text) {
  if (text.size() != kBase64Len || text[kBase64Len - 1] != '=') return std::nullopt;
  Key key{};
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t out = 0;
  for (char c : text.substr(0, kBase64Len - 1)) {
    auto v = kBase64.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      key[out++] = static_cast<std::uint8_t>(acc >> bits);
    }
  }
  // 43 characters carry 258 bits: the last 2 must be zero (canonical form).
  if (out != key.size() || (acc & ((1U << bits) - 1)) != 0) return std::nullopt;
  return key;
}

}  // namespace

Key parseKey(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) throw KeyFileError("empty (expected a key)");
  text = text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
  if (auto key = parseHex(text)) return *key;
  if (auto key = parseBase64(text)) return *key;
  throw KeyFileError(
      "not a key: expected 32 bytes as 64 hex digits or as base64 (44 characters, "
      "as printed by 'sttcpctl genkey')");
}

Key readKeyFile(const std::string& path) {
  auto fail = [&](const std::string& why) { return KeyFileError("key file " + path + ": " + why); };
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) throw fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw fail("not a regular file");
  if (st.st_mode & 077) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw fail(std::string("permissions ") + mode +
               " are too open: group and others must have no access (chmod 600 " + path + ")");
  }
  std::string text(kMaxFileSize + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail(std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > kMaxFileSize) throw fail("too big for a key file");
  text.resize(got);
  try {
    Key key = parseKey(text);
    std::fill(text.begin(), text.end(), '\0');
    return key;
  } catch (const KeyFileError& e) {
    std::fill(text.begin(), text.end(), '\0');
    throw fail(e.what());
  }
}

std::string keyToBase64(const Key& key) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t byte : key) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64[(acc >> bits) & 0x3f];
    }
  }
  if (bits) out += kBase64[(acc << (6 - bits)) & 0x3f];
  while (out.size() % 4)
    out += '=';
  return out;
}

Key generateKey() {
  Key key{};
  std::size_t got = 0;
  while (got < key.size()) {
    ssize_t n = ::getrandom(key.data() + got, key.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  return key;
}

bool makeKeyFilePrivate(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw std::system_error(errno, std::generic_category(), "fstat");
  if (!S_ISREG(st.st_mode) || !(st.st_mode & 077)) return false;
  if (::fchmod(fd, st.st_mode & 07700) != 0) {
    throw std::system_error(errno, std::generic_category(), "fchmod");
  }
  return true;
}

}  // namespace sttcp
