// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "config_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

namespace sttcp {
namespace {

constexpr std::string_view kBlanks = " \t\r";

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(kBlanks);
  return s.substr(first, last - first + 1);
}

bool isKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Printable text only: a stray control byte is a broken file, not a value.
bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\t' || c == '\r';
  });
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : ", ") + ("[" + w + "]");
  return out;
}

}  // namespace

std::vector<ConfigEntry> parseConfigText(std::string_view text, const std::string& file,
                                         const std::vector<std::string>& sections) {
  std::vector<ConfigEntry> entries;
  std::map<std::string, int> seen_sections;
  std::string section;
  int line_no = 0;
  auto fail = [&](const std::string& message) -> ConfigError {
    return ConfigError(ConfigStatus::kSyntax,
                       file + ":" + std::to_string(line_no) + ": " + message);
  };
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!printable(raw)) throw fail("control character in the line (not a text file?)");
    // A '#' starts a comment anywhere outside double quotes.
    std::string_view line = raw;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"') quoted = !quoted;
      if (line[i] == '#' && !quoted) {
        line = line.substr(0, i);
        break;
      }
    }
    line = trim(line);
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') throw fail("section header without its closing ']'");
      std::string name(trim(line.substr(1, line.size() - 2)));
      if (std::find(sections.begin(), sections.end(), name) == sections.end()) {
        throw fail("unknown section [" + name + "] (known: " + joined(sections) + ")");
      }
      if (auto [it, fresh] = seen_sections.emplace(name, line_no); !fresh) {
        throw fail("section [" + name + "] given twice (first at line " +
                   std::to_string(it->second) + ")");
      }
      section = name;
      continue;
    }
    std::size_t end = 0;
    while (end < line.size() && isKeyChar(line[end]))
      ++end;
    if (end == 0)
      throw fail("expected 'key value' or '[section]', got '" + std::string(line) + "'");
    std::string key(line.substr(0, end));
    std::string_view rest = trim(line.substr(end));
    if (!rest.empty() && rest.front() == '=') {
      rest = trim(rest.substr(1));
    } else if (!rest.empty() && end < line.size() && kBlanks.find(line[end]) == std::string::npos) {
      throw fail("invalid character '" + std::string(1, line[end]) + "' in key '" + key +
                 std::string(line.substr(end, 1)) + "...'");
    }
    if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') {
      rest = rest.substr(1, rest.size() - 2);
    } else if (rest.find('"') != std::string_view::npos) {
      throw fail("unbalanced '\"' in the value of '" + key + "'");
    }
    if (rest.empty()) throw fail("'" + key + "' needs a value");
    if (section.empty()) {
      throw fail("'" + key + "' outside a section (start with one of " + joined(sections) + ")");
    }
    entries.push_back({section, key, std::string(rest), line_no});
  }
  return entries;
}

std::string readConfigFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError(ConfigStatus::kUnreadable, "cannot read " + path + ": is a directory");
  }
  // read(2), not a stream: libstdc++ hands a failing read to the << inserter, which only fails
  // the output side, and the file would read as empty.
  auto unreadable = [&path](int err) {
    return ConfigError(ConfigStatus::kUnreadable,
                       "cannot read " + path + ": " + std::strerror(err));
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw unreadable(errno);
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw unreadable(err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace sttcp
